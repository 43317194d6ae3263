"""Small writes are applied in place, in one atomic query: no copy of the graph, readers
and a SIGKILLed writer never see half of one, and the generation moves with each."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time

import pytest

from graph.history.read import revisions, touched_since
from graph.store import Store, StoreError
from ingest.load import load_dataset
from tests.support.edit_worker import version
from tests.support.paths import ROOT
from tests.support.store import load

WORKER = [sys.executable, "-m", "tests.support.edit_worker"]
ACTORS, RELS = 40, 80  # 120 records a version: far below the in-place threshold

VERSIONS = (
    "MATCH (n:Entity) WHERE n.id STARTS WITH $p "
    "OPTIONAL MATCH (n)-[r:PARTNERS_WITH]->() "
    "RETURN collect(DISTINCT split(n.name, ' ')[0]), collect(DISTINCT r.note), count(DISTINCT n), "
    "count(r)"
)


def versions(store: Store, prefix: str) -> tuple[set[str], set[str], int, int]:
    names, notes, n, r = store.run(VERSIONS, {"p": f"{prefix}-"}, read_only=True).rows[0]
    return set(names), set(notes), n, r


def copies(store: Store) -> int:
    stats = store._redis.info("commandstats")  # type: ignore[attr-defined]
    return int(stats.get("cmdstat_graph.COPY", {}).get("calls", 0))


def test_a_small_change_copies_nothing(store: Store) -> None:
    """A one-actor edit costs the change, not the graph: no GRAPH.COPY, and it is there."""
    load(
        store,
        {
            "actors": [
                {"id": f"c{i}", "kind": "city", "name": f"C{i}", "country": "FR"} for i in range(50)
            ]
        },
    )
    before, gen = copies(store), store.generation
    report = load(
        store, {"actors": [{"id": "c1", "kind": "city", "name": "Renamed", "country": "FR"}]}
    )
    assert report.actors.updated == 1
    assert copies(store) == before
    assert store.generation == gen + 1
    assert (
        store.run("MATCH (n:Entity {id: 'c1'}) RETURN n.name", read_only=True).scalar() == "Renamed"
    )


def test_a_failing_statement_undoes_the_whole_small_write(store: Store) -> None:
    load(store, {"actors": [{"id": "a", "kind": "city", "name": "A", "country": "FR"}]})
    gen = store.generation
    with pytest.raises(StoreError), store.transaction(records=2) as tx:
        tx.run("MATCH (n:Entity {id: 'a'}) SET n.name = 'half'")
        tx.run("MATCH (n:Entity {id: 'a'}) SET n.bad = $m", {"m": {"maps": "are refused"}})
    assert store.run("MATCH (n:Entity {id: 'a'}) RETURN n.name", read_only=True).scalar() == "A"
    assert store.generation == gen


def test_readers_never_see_half_of_a_small_write(store: Store) -> None:
    load_dataset(store, version("r", ACTORS, RELS, 0))
    seen: list[tuple[set[str], set[str], int, int]] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            seen.append(versions(store, "r"))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for v in range(1, 16):
            load_dataset(store, version("r", ACTORS, RELS, v))
    finally:
        stop.set()
        reader.join()
    assert len(seen) > 15
    for names, notes, n, r in seen:
        assert (len(names), len(notes), n, r) == (1, 1, ACTORS, RELS)
        assert names == {notes.pop()}, "a reader saw names and notes of different writes"


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6])
def test_sigkill_during_small_writes_is_all_or_nothing(
    store: Store, store_uri: str, seed: int
) -> None:
    """Whenever the kill lands (between writes, while one is sent or applied), every actor
    and relationship is of one version, the last committed or the one after it, and
    the generation counted exactly the versions that landed, each with its revision."""
    load_dataset(store, version("k", ACTORS, RELS, 0))
    gen0 = store.generation
    proc = subprocess.Popen(
        [*WORKER, store_uri, "k", str(ACTORS), str(RELS)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    assert first.startswith("committed"), proc.stderr.read() if proc.stderr else ""
    time.sleep(random.Random(seed).uniform(0.0, 1.5))
    os.kill(proc.pid, signal.SIGKILL)
    out, _ = proc.communicate(timeout=10)
    committed = [
        int(line.split()[1]) for line in (first + out).splitlines() if line.startswith("committed")
    ]
    last = committed[-1]
    names, notes, n, r = versions(store, "k")
    assert (n, r) == (ACTORS, RELS)
    assert len(names) == 1 and names == notes, f"a half-applied write: {names} {notes}"
    landed = int(names.pop()[1:])
    assert landed in (last, last + 1)
    assert store.generation == gen0 + landed
    history = revisions(store)
    assert len(history) == 1 + landed  # version 0, then one revision per version landed
    if landed:
        assert {n.after["name"].split()[0] for n in history[-1].change.nodes} == {f"v{landed}"}
    assert touched_since(store, gen0) is not None
    # The next writer is not held up by the dead one.
    load_dataset(store, version("k", ACTORS, RELS, landed + 1))
    assert versions(store, "k")[0] == {f"v{landed + 1}"}
