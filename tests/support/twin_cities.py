"""The real twin-cities file: where it is (required in CI) and what it reads as, read
at most once per test process (tests do not mutate the dataset)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ingest.readers.twin_cities import read_twin_cities
from tests.support.paths import TWIN_CITIES

#: The mark `xdist_group(TWIN_GROUP)` of the tests that read the shared `twin_store`
#: (tests/integration/conftest.py): with pytest-xdist one worker runs them all, so the
#: network is loaded once.
TWIN_GROUP = "twin"

_READ: dict[Path, tuple[Path, Any, Any]] = {}


def real_twin_cities() -> Path:
    """The real twin-cities file; required in CI, skipped (and said) only outside CI."""
    if not TWIN_CITIES.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{TWIN_CITIES} is missing in CI")
        pytest.skip(f"{TWIN_CITIES} not present (outside CI)")
    return TWIN_CITIES


def read_twin_cities_once(path: Path) -> tuple[Path, Any, Any]:
    """(path, dataset, report) of the file at `path`, read once per process."""
    if path not in _READ:
        _READ[path] = (path, *read_twin_cities(path))
    return _READ[path]


@dataclass(frozen=True)
class TwinStore:
    """The shared, loaded twin-cities network (`twin_store`): read it, never write to it."""

    store: Any
    uri: str
    path: Path
    dataset: Any
    report: Any
