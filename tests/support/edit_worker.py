"""Run in a child process by the atomicity tests: small in-place writes, one after another.

usage: python -m tests.support.edit_worker STORE_URI PREFIX N_ACTORS N_RELS
Writes version 1, 2, 3, ... of the same actors and relationships (each name and note
carries the version), each version one small load; prints "committed <v>" (flushed)
after each, so the parent can SIGKILL it between or during writes.
"""

from __future__ import annotations

import sys

from graph.store import open_store
from ingest.load import load_dataset
from ingest.records import Actor, Dataset, Origin, Relationship


def version(prefix: str, n_actors: int, n_rels: int, v: int) -> Dataset:
    d, o = Dataset(), Origin("edits")
    for i in range(n_actors):
        d.add(Actor(id=f"{prefix}-{i}", kind="cso", name=f"v{v} {prefix} {i}", country="FR"), o)
    for j in range(n_rels):
        a, b = j % n_actors, (j + 1 + j // n_actors) % n_actors
        rel = Relationship(source=f"{prefix}-{a}", type="PARTNERS_WITH", target=f"{prefix}-{b}")
        d.add(rel.model_copy(update={"note": f"v{v}"}), o)
    return d


def main() -> None:
    uri, prefix, n_actors, n_rels = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    store = open_store(uri)
    v = 1
    while True:
        load_dataset(store, version(prefix, n_actors, n_rels, v))
        print("committed", v, flush=True)
        v += 1


if __name__ == "__main__":
    main()
