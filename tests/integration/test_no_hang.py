"""Back-to-back writes of every size never hang the server, and a silent server is a
clear one-line error, not a wait without end.

One private embedded server for the module, holding a graph of 100k relationships
built once. Before the fix, three back-to-back API PATCHes on such a graph hung
FalkorDB: each write copied the graph, the AOF rewrite that followed forked, and the
next copy's fork collided with it ("Can't fork for module: File exists").
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.store import Store, open_store
from graph.store.embedded import EmbeddedServer
from graph.store.falkordb_writes import SMALL_WRITE_MAX
from ingest.load import load_dataset
from tests.support.api import running_api
from tests.support.cli import cli_streams
from tests.support.load_worker import synthetic

ACTORS, RELS = 20_000, 100_000
WRITES = 20
#: Far beyond any one write here (the largest copies 100k relationships); a hang is
#: cut by the store's socket timeout well before the test's own limit.
ONE_WRITE_S = 120


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("hang")
    srv = EmbeddedServer(path, idle_timeout=300)
    srv.ensure_running()
    yield path
    srv.stop()


@pytest.fixture(scope="module")
def big(server: Path) -> Iterator[Store]:
    """The 100k-relationship graph (built once: about a minute)."""
    store = open_store(f"embedded:{server}?graph=big")
    load_dataset(store, synthetic("h", ACTORS, RELS))
    yield store
    store.close()


def _file(tmp: Path, name: str, data: dict) -> Path:
    path = tmp / name
    path.write_text(json.dumps(data))
    return path


def _notes(n: int, tag: str) -> dict:
    """n stored relationships (those `synthetic` made first) with a new note."""
    rels = []
    for j in range(n):
        a, b = j % ACTORS, (j % ACTORS + j // ACTORS + 1) % ACTORS
        rels.append({"source": f"h-{a}", "type": "PARTNERS_WITH", "target": f"h-{b}", "note": tag})
    return {"relationships": rels}


def test_twenty_back_to_back_cli_writes_small_and_large(
    big: Store, server: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every fifth ingest changes more records than SMALL_WRITE_MAX, so it copies the
    100k graph; the others are one-actor edits applied in place."""
    monkeypatch.setenv("SCN_GRAPH_STORE", f"embedded:{server}?graph=big")
    large = SMALL_WRITE_MAX + 500
    for i in range(WRITES):
        if i % 5 == 4:
            data, expect = _notes(large, f"cli-{i}"), ("relationships", large)
        else:
            actor = {"id": f"h-{i}", "kind": "city", "name": f"renamed {i}", "country": "FR"}
            data, expect = {"actors": [actor]}, ("actors", 1)
        path = _file(tmp_path, f"w{i}.json", data)
        t = time.monotonic()
        code, out, err = cli_streams("ingest", str(path), "--report-format", "json", "-q")
        took = time.monotonic() - t
        assert code == 0, err
        assert json.loads(out)["report"][expect[0]]["updated"] == expect[1]
        assert took < ONE_WRITE_S, f"write {i} took {took:.0f} s"
    assert big.ping()
    assert big.run("MATCH (n:Entity {id: 'h-18'}) RETURN n.name", read_only=True).scalar() == (
        "renamed 18"
    )
    info = big._redis.info("persistence")  # type: ignore[attr-defined]
    assert info["aof_last_bgrewrite_status"] == "ok"


def test_twenty_back_to_back_api_patches(
    big: Store, server: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The API's one-actor edit, twenty times in a row. The analysis warm-up each write
    starts is switched off: it is not a write, and twenty of them on 100k relationships
    would only compete for the test's cores."""
    monkeypatch.setattr("api.writes.warm_in_background", lambda _analysis: None)
    with running_api(server, tmp_path, graph="big") as api, api.client("editor") as editor:
        for i in range(WRITES):
            t = time.monotonic()
            r = editor.patch(f"/api/actors/h-{100 + i}", json={"note": f"api {i}"})
            assert r.status_code == 200, r.text
            assert time.monotonic() - t < ONE_WRITE_S
        assert editor.get("/api/actors/h-119").json()["note"] == "api 19"


def test_a_server_that_stops_answering_is_a_one_line_error(
    server: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With writes paused on the server (as when it hangs), a write fails after the
    store timeout with one line naming what it waited for; reads still answer."""
    uri = f"embedded:{server}?graph=paused"
    store = open_store(uri)
    load_dataset(store, synthetic("p", 3, 2))
    monkeypatch.setenv("SCN_GRAPH_STORE", uri)
    monkeypatch.setenv("SCN_GRAPH_STORE_TIMEOUT", "0.5")
    path = _file(
        tmp_path,
        "one.json",
        {"actors": [{"id": "p-0", "kind": "city", "name": "P", "country": "FR"}]},
    )
    conn = store._redis  # type: ignore[attr-defined]
    conn.client_pause(5_000, all=False)  # WRITE: reads and PING still answer
    try:
        t = time.monotonic()
        code, out, err = cli_streams("ingest", str(path), "-q")
        took = time.monotonic() - t
    finally:
        conn.client_unpause()
    assert code == 2, out + err
    assert took < 4
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    assert "did not answer within 0.5 s while writing" in lines[0]
    assert "SCN_GRAPH_STORE_TIMEOUT" in lines[0] and "Traceback" not in err
    store.drop()  # type: ignore[attr-defined]
    store.close()
