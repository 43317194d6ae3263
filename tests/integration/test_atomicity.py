"""A load killed at any moment leaves the graph exactly as before; concurrent loads lose nothing."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from graph.history.read import latest_revision, revisions
from graph.store import Store
from tests.support.store import load
from tests.support.workers import snapshot, start_worker, wait_for_line

BASE = {
    "actors": [
        {"id": "paris", "kind": "city", "name": "Paris", "country": "FR"},
        {"id": "lyon", "kind": "city", "name": "Lyon", "country": "FR"},
    ],
    "relationships": [{"source": "paris", "type": "PARTNERS_WITH", "target": "lyon"}],
}


@pytest.mark.parametrize("kill_after", ["batch nodes", "batch relationships"])
def test_sigkill_mid_batch_leaves_graph_as_before(
    store: Store, store_uri: str, kill_after: str
) -> None:
    load(store, BASE)
    before, gen, history = snapshot(store), store.generation, revisions(store)
    proc = start_worker(store_uri, "big", 12_000, 30_000)
    wait_for_line(proc, kill_after)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    assert snapshot(store) == before
    assert store.generation == gen
    assert revisions(store) == history  # no revision without its write
    # The next writer is not blocked by the dead one and cleans up its staging copy.
    report = load(
        store, {"actors": [{"id": "nice", "kind": "city", "name": "Nice", "country": "FR"}]}
    )
    assert report.actors.created == 1
    keys = store._redis.keys(f"{store.graph_name}__staging__*")  # type: ignore[attr-defined]
    assert keys == []


@pytest.mark.parametrize("delay", [0.0, 0.15, 0.4, 0.8])
def test_sigkill_at_arbitrary_moments_is_all_or_nothing(
    store: Store, store_uri: str, delay: float
) -> None:
    """Whenever the kill lands (start-up, copy, batches, swap), the graph is either
    exactly as before or has the whole load — never a part of it, and its revision is
    there exactly when the load is."""
    load(store, BASE)
    before, rev = snapshot(store), latest_revision(store)
    proc = start_worker(store_uri, "mid", 3_000, 6_000)
    time.sleep(delay)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    after = snapshot(store)
    if after != before:
        n = store.run(
            "MATCH (n:Entity) WHERE n.id STARTS WITH 'mid-' RETURN count(n)", read_only=True
        ).scalar()
        r = store.run(
            "MATCH (a:Entity)-[r:PARTNERS_WITH]->() WHERE a.id STARTS WITH 'mid-' RETURN count(r)",
            read_only=True,
        ).scalar()
        assert (n, r) == (3_000, 6_000), "a partial load became visible"
        (new,) = revisions(store, after=rev)
        assert (new.counts()["nodes_added"], new.counts()["relationships_added"]) == (3_000, 6_000)
    else:
        assert latest_revision(store) == rev


def test_two_processes_loading_at_once_lose_nothing(store: Store, store_uri: str) -> None:
    procs = [start_worker(store_uri, p, 2_000, 3_000) for p in ("left", "right")]
    for p in procs:
        out, err = p.communicate(timeout=180)
        assert p.returncode == 0, err
        assert "done 2000" in out
    for prefix in ("left", "right"):
        n = store.run(
            "MATCH (n:Entity) WHERE n.id STARTS WITH $p RETURN count(n)",
            {"p": f"{prefix}-"},
            read_only=True,
        ).scalar()
        assert n == 2_000


def test_readers_see_the_old_graph_until_the_swap(
    store: Store, store_uri: str, tmp_path: Path
) -> None:
    load(store, BASE)
    proc = start_worker(store_uri, "slow", 12_000, 30_000)
    wait_for_line(proc, "batch relationships")
    # Mid-load, a reader sees exactly the old graph.
    assert store.run("MATCH (n:Entity) RETURN count(n)", read_only=True).scalar() == 2
    _out, err = proc.communicate(timeout=180)
    assert proc.returncode == 0, err
    assert store.run("MATCH (n:Entity) RETURN count(n)", read_only=True).scalar() == 12_002


def test_stats_describe_one_state_of_the_graph_while_another_writer_loads(
    store: Store,
) -> None:
    """Each load adds two actors and one relationship at once, so every state of the graph
    adds two actors per relationship to the base; counts read in separate queries could straddle a
    load and report a combination the graph never had."""
    import threading

    from graph.read.stats import stats

    load(store, BASE)
    base = stats(store)
    loads = 25
    done = threading.Event()

    def writer() -> None:
        try:
            for i in range(loads):
                a, b = f"w{i}-a", f"w{i}-b"
                load(
                    store,
                    {
                        "actors": [
                            {"id": a, "name": a, "kind": "cso", "country": "GB"},
                            {"id": b, "name": b, "kind": "cso", "country": "FR"},
                        ],
                        "relationships": [{"source": a, "type": "PARTNERS_WITH", "target": b}],
                    },
                )
        finally:
            done.set()

    thread = threading.Thread(target=writer)
    thread.start()
    seen = []
    while not done.is_set():
        s = stats(store)
        seen.append((s["actors"], s["relationships"]))
    thread.join()
    a0, r0 = base["actors"], base["relationships"]
    broken = [(a, r) for a, r in seen if a - a0 != 2 * (r - r0)]
    assert not broken, f"{len(broken)} of {len(seen)} readings never existed, e.g. {broken[:3]}"
    assert seen and stats(store)["relationships"] == r0 + loads
