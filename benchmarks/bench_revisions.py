#!/usr/bin/env python
"""What revisions cost: a one-actor edit with and without recording its revision, and
the history's size per revision after a run of small edits.

    .venv/bin/python benchmarks/bench_revisions.py [--graph seed|twin-cities|synthetic]
        [--relationships 100000] [--repeat 5] [--edits 100]

Runs on one fresh embedded FalkorDB in a temporary directory. The edit is the one
`benchmarks/bench_writes.py` times (what PATCH /api/actors/{id} does: the actor and
its stored relationships through the loader, applied in place); "without" is the same
edit with `record_revision` replaced by a no-op. The edit's time must not grow with
the graph, and neither must a revision's size. Under the default
`SCN_GRAPH_APPENDFSYNC=everysec` every edit waits up to a second for the server's
fsync; run with `SCN_GRAPH_APPENDFSYNC=always` to see the edit's own cost (on the seed,
two runs on a loaded 2-CPU machine: 16 and 31 ms, with and without the revision in
either order, within noise; 2,598 bytes of history per revision). Not collected by
pytest.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
for p in (ROOT, ROOT / "benchmarks"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

from bench_support import scratch_server  # noqa: E402
from bench_writes import SEED, TWIN_CITIES, _yaml, build, median_time, rename_actor  # noqa: E402

import ingest.load  # noqa: E402
from graph.history.read import latest_revision  # noqa: E402
from graph.store import Store, open_store  # noqa: E402
from ingest.load import load_dataset  # noqa: E402
from ingest.readers.document import dataset_from_mapping  # noqa: E402
from ingest.readers.twin_cities import read_twin_cities  # noqa: E402

#: Bytes a revision holds in its properties (the change and counts JSON, who, when, source).
_HISTORY_BYTES = (
    "MATCH (r:ScnRevision) WHERE r.id > $after "
    "RETURN count(r), sum(size(r.change) + size(r.counts) + size(r.time) + size(r.who) "
    "+ size(r.source))"
)


def graph_of(kind: str, uri: str, relationships: int) -> tuple[Store, str]:
    """The graph to edit and the actor the edits change."""
    if kind == "synthetic":
        store, ds = build(uri, relationships, 7)
        return store, ds.actors[0].id
    store = open_store(uri)
    if kind == "seed":
        load_dataset(store, dataset_from_mapping(_yaml(SEED), source="seed"))
        return store, "london"
    dataset, _ = read_twin_cities(TWIN_CITIES)
    load_dataset(store, dataset)
    return store, dataset.actors[0].id


def edit(store: Store, actor: str, name: str) -> None:
    """What PATCH /api/actors/{id} does to set the actor's name (as
    `bench_writes.one_actor_edit`, without the name growing with each edit)."""
    rename_actor(store, actor, lambda _stored: name)


def timed_edits(store: Store, actor: str, repeat: int, tag: str) -> float:
    edit(store, actor, f"{tag} warm-up")
    return median_time(lambda i: edit(store, actor, f"{tag} {i}"), repeat)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--graph", choices=("seed", "twin-cities", "synthetic"), default="seed")
    p.add_argument("--relationships", type=int, default=100_000)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--edits", type=int, default=100)
    args = p.parse_args(argv)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"bench_revisions: {os.cpu_count()} CPU(s), load average {load}, graph {args.graph}")
    with scratch_server("scn-br-") as (server_dir, _):
        store, actor = graph_of(args.graph, f"embedded:{server_dir}?graph=g", args.relationships)
        with_rev = timed_edits(store, actor, args.repeat, "with")
        recording: Any = ingest.load.record_revision
        ingest.load.record_revision = lambda *_a, **_k: None  # type: ignore[assignment]
        try:
            without = timed_edits(store, actor, args.repeat, "without")
        finally:
            ingest.load.record_revision = recording
        print(
            f"one-actor edit: {with_rev * 1000:.1f} ms with its revision, "
            f"{without * 1000:.1f} ms without (median of {args.repeat})"
        )
        after = latest_revision(store)
        redis = store._redis  # type: ignore[attr-defined]
        memory = int(redis.info("memory")["used_memory"])
        for i in range(args.edits):
            edit(store, actor, f"History {i % 2}")
        grown = int(redis.info("memory")["used_memory"]) - memory
        n, size = store.run(_HISTORY_BYTES, {"after": after}, read_only=True).rows[0]
        print(
            f"after {n} edits: {size / n:.0f} bytes of history per revision "
            f"(server memory {grown / n:.0f} bytes per edit, all of the edit included)"
        )
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
