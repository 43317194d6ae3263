"""Fixtures of the integration layer: one real embedded FalkorDB server per test
session, a fresh graph per test, and the CLI's environment pointing at it.

The real twin-cities network (17k cities) is loaded once per session into
`twin_store`, shared by every test that only reads it; those tests carry the mark
`xdist_group("twin")` so that, with pytest-xdist, they all run in one worker and
the network is loaded once there too. At the end of the session the store's
generation must not have moved: a test that writes to it fails loudly, and belongs
on a `store` of its own.

Set NEO4J_URI (and NEO4J_USERNAME / NEO4J_PASSWORD) to also run the store
contract tests against Neo4j; they are skipped otherwise, and say so.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.store import Store, open_store
from graph.store.embedded import EmbeddedServer
from tests.support.twin_cities import TwinStore, read_twin_cities_once, real_twin_cities


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


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium with the network cut off, one per page-test module
    (`tests.support.browser.launch`)."""
    from tests.support.browser import launch

    with launch() as b:
        yield b


@pytest.fixture(scope="session")
def twin_store(server_dir: Path) -> Iterator[TwinStore]:
    """The real twin-cities network, loaded once per session for the tests that only
    read it; fails at the end if any test moved its generation (wrote to it)."""
    from ingest.load import load_dataset

    path, dataset, report = read_twin_cities_once(real_twin_cities())
    uri = f"embedded:{server_dir}?graph=twins{uuid.uuid4().hex[:12]}"
    s = open_store(uri)
    try:
        load_dataset(s, dataset)
        loaded = s.generation
        yield TwinStore(s, uri, path, dataset, report)
        after = s.generation
    finally:
        s.drop()  # type: ignore[attr-defined]
        s.close()
    assert after == loaded, (
        f"a test wrote to the shared twin-cities store (generation {loaded} -> {after}): "
        "give it a `store` of its own"
    )
