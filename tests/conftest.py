"""Shared fixtures: one real embedded FalkorDB server per test session, a fresh graph per test.

Set NEO4J_URI (and NEO4J_USERNAME / NEO4J_PASSWORD) to also run the store
contract tests against Neo4j; they are skipped otherwise, and say so.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.store import Store, open_store
from graph.store.embedded import EmbeddedServer

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"
TWIN_CITIES = SHARED_DATA / "twin_cities.csv"


@pytest.fixture(scope="session")
def server_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Data directory of the session's embedded server; stopped at the end."""
    path = tmp_path_factory.mktemp("falkordb")
    server = EmbeddedServer(path, idle_timeout=120)
    server.ensure_running()
    yield path
    server.stop()


@pytest.fixture
def store_uri(server_dir: Path) -> str:
    return f"embedded:{server_dir}?graph=t{uuid.uuid4().hex[:12]}"


@pytest.fixture
def store(store_uri: str) -> Iterator[Store]:
    """A fresh, empty graph on the real embedded FalkorDB."""
    s = open_store(store_uri)
    yield s
    s.drop()  # type: ignore[attr-defined]
    s.close()


@pytest.fixture
def env(tmp_path: Path, server_dir: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A fresh graph and keys file for the `scn-graph` CLI, through its environment."""
    uri = f"embedded:{server_dir}?graph=cli{uuid.uuid4().hex[:8]}"
    values = {"SCN_GRAPH_KEYS_FILE": str(tmp_path / "keys.json"), "SCN_GRAPH_STORE": uri}
    for k, v in values.items():
        monkeypatch.setenv(k, v)
    monkeypatch.delenv("SCN_GRAPH_ANONYMOUS_READ", raising=False)
    return values


@pytest.fixture
def twin_cities_csv() -> Path:
    """The real twin-cities file; required in CI, skipped (and said) only outside CI."""
    if not TWIN_CITIES.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{TWIN_CITIES} is missing in CI")
        pytest.skip(f"{TWIN_CITIES} not present (outside CI)")
    return TWIN_CITIES


def load(store: Store, data: dict[str, Any]) -> Any:
    """Load a YAML-shaped dict (sections actors/initiatives/relationships) into `store`."""
    from ingest.load import load_dataset
    from ingest.readers.document import dataset_from_mapping

    return load_dataset(store, dataset_from_mapping(data, source="test"))
