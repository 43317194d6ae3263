"""Fixtures both layers use; none of them touches a store.

The real twin-cities file (found, or skipped outside CI; read once per session) and
the Excel form of the ingest fixtures. The store, server and CLI-environment fixtures
are in tests/integration/conftest.py, out of the unit layer's reach.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from graph.store.embedded import ENV_APPENDFSYNC
from tests.support.browser import ARTIFACTS_ENV, saved_to
from tests.support.ingest import fixture_data, write_workbook
from tests.support.twin_cities import read_twin_cities_once, real_twin_cities

# Every write waits for its fsync (WAITAOF): up to a second with the default
# `everysec`, which over the suite's thousands of writes cost six minutes. The suite's
# servers fsync on every write instead (a few ms); tests/integration/test_durability.py
# checks the default policy's promises on servers of its own.
os.environ.setdefault(ENV_APPENDFSYNC, "always")


@pytest.fixture
def twin_cities_csv() -> Path:
    return real_twin_cities()


@pytest.fixture
def xlsx(tmp_path: Path) -> Path:
    return write_workbook(fixture_data(), tmp_path / "exampleton.xlsx")


@pytest.fixture
def twin_cities_read(twin_cities_csv: Path):  # type: ignore[no-untyped-def]
    return read_twin_cities_once(twin_cities_csv)


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    """Name the folder where the browser tests saved their screenshots, if they ran."""
    for path in sorted(saved_to):
        terminalreporter.write_line(
            f"Screenshots of the page tests: {path} (set {ARTIFACTS_ENV} to choose the folder)"
        )


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):  # type: ignore[no-untyped-def]
    """With pytest-xdist (`-n`): one worker runs a whole test module, so its
    module-scoped servers, browsers and loaded stores are made once, not once per
    worker; and the tests marked `xdist_group(name)` (the readers of the shared
    twin-cities store) run together in one worker, wherever their modules go. Other
    `--dist` modes are left to xdist."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from tests.support.scheduling import ModuleOrGroupScheduling

    return ModuleOrGroupScheduling(config, log)
