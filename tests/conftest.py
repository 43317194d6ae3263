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
from ingest.readers.twin_cities import read_twin_cities
from tests.support.browser import ARTIFACTS_ENV, saved_to
from tests.support.ingest import fixture_data, write_workbook
from tests.support.paths import TWIN_CITIES

# Every write waits for its fsync (WAITAOF): up to a second with the default
# `everysec`, which over the suite's thousands of writes cost six minutes. The suite's
# servers fsync on every write instead (a few ms); tests/integration/test_durability.py
# checks the default policy's promises on servers of its own.
os.environ.setdefault(ENV_APPENDFSYNC, "always")


@pytest.fixture
def twin_cities_csv() -> Path:
    """The real twin-cities file; required in CI, skipped (and said) only outside CI."""
    if not TWIN_CITIES.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{TWIN_CITIES} is missing in CI")
        pytest.skip(f"{TWIN_CITIES} not present (outside CI)")
    return TWIN_CITIES


@pytest.fixture
def xlsx(tmp_path: Path) -> Path:
    return write_workbook(fixture_data(), tmp_path / "exampleton.xlsx")


#: The real file, read once per session (tests do not mutate it).
_TWIN_CITIES_READ: dict[Path, tuple] = {}


@pytest.fixture
def twin_cities_read(twin_cities_csv: Path):  # type: ignore[no-untyped-def]
    if twin_cities_csv not in _TWIN_CITIES_READ:
        _TWIN_CITIES_READ[twin_cities_csv] = (twin_cities_csv, *read_twin_cities(twin_cities_csv))
    return _TWIN_CITIES_READ[twin_cities_csv]


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    """Name the folder where the browser tests saved their screenshots, if they ran."""
    for path in sorted(saved_to):
        terminalreporter.write_line(
            f"Screenshots of the page tests: {path} (set {ARTIFACTS_ENV} to choose the folder)"
        )
