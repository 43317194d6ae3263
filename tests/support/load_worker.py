"""Run in a child process by the atomicity and concurrency tests: load a synthetic dataset.

usage: python -m tests.support.load_worker STORE_URI PREFIX N_ACTORS N_RELS [sync]
Prints "batch <phase> <done>/<total>" after every batch it writes (flushed),
so the parent can SIGKILL it mid-load. With `sync`, the load is a sync of the
source SYNC_SOURCE (confirmed), removing what that source held and no longer has.
"""

from __future__ import annotations

import sys

from graph.store import open_store
from ingest.load import load_dataset
from ingest.records import Actor, Dataset, Origin, Relationship

SYNC_SOURCE = "synthetic"


def synthetic(prefix: str, n_actors: int, n_rels: int, note: str = "") -> Dataset:
    d = Dataset()
    o = Origin("synthetic")
    for i in range(n_actors):
        d.add(Actor(id=f"{prefix}-{i}", kind="city", name=f"{prefix} city {i}", country="FR"), o)
    for j in range(n_rels):  # distinct pairs while n_rels < n_actors**2 / 2
        a = j % n_actors
        b = (a + j // n_actors + 1) % n_actors
        d.add(
            Relationship(
                source=f"{prefix}-{a}",
                type="PARTNERS_WITH",
                target=f"{prefix}-{b}",
                note=f"{note}{j}",
            ),
            o,
        )
    return d


def main() -> None:
    uri, prefix, n_actors, n_rels = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    store = open_store(uri)

    def progress(phase: str, done: int, total: int) -> None:
        print(f"batch {phase} {done}/{total}", flush=True)

    sync = sys.argv[5:] == ["sync"]
    dataset = synthetic(prefix, n_actors, n_rels, note="synced " if sync else "")
    report = load_dataset(
        store,
        dataset,
        progress=progress,
        sync=[SYNC_SOURCE] if sync else None,
        allow_large_sync=True,
    )
    print("done", report.to_dict()["actors"]["created"], flush=True)


if __name__ == "__main__":
    main()
