"""The unit layer cannot reach a store: its fixtures are out of reach, its routes refused."""

from __future__ import annotations

import subprocess
import sys
import urllib.request

import pytest

from graph.store import StoreError, open_store

#: What the guard in tests/unit/conftest.py raises (an AssertionError, so code under
#: test that handles OSError does not swallow it).
REFUSED = AssertionError


@pytest.mark.parametrize("fixture", ["server_dir", "store_uri", "store", "env"])
def test_store_fixtures_are_not_reachable(request: pytest.FixtureRequest, fixture: str) -> None:
    with pytest.raises(pytest.FixtureLookupError):
        request.getfixturevalue(fixture)


def test_opening_the_embedded_store_is_refused(unit_guard: list[str], tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises((REFUSED, StoreError)):
        open_store(f"embedded:{tmp_path}?graph=g")
    assert unit_guard == ["start the embedded FalkorDB"]
    unit_guard.clear()  # the refusal was the point of this test


def test_network_and_processes_are_refused(unit_guard: list[str]) -> None:
    with pytest.raises(REFUSED, match="unit test may not use a socket"):
        urllib.request.urlopen("http://127.0.0.1:9/", timeout=1)
    with pytest.raises(REFUSED, match="unit test may not start a process"):
        subprocess.run([sys.executable, "-c", "pass"], check=False)
    assert {a.split(" (")[0] for a in unit_guard} == {"use a socket", "start a process"}
    unit_guard.clear()
