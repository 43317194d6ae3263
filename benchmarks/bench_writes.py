#!/usr/bin/env python
"""Write costs: in place against stage-and-swap, one-actor edits, back-to-back writes, reloads.

    .venv/bin/python benchmarks/bench_writes.py [--relationships 100000] [--repeat 3]
        [--sizes 10,100,1000,2000,5000,20000] [--only threshold,edit,burst,reload]

Everything runs on one fresh embedded FalkorDB in a temporary directory, started
here and stopped at the end. The graph is the ingest benchmark's synthetic one
(`bench_ingest.synthetic`: actors of every kind, relationships of valid types,
one fifth as many actors as relationships).

* threshold: change k stored relationships (a new `note` each run) through
  `ingest.load.load_dataset`, forced in place and forced staged, for each k of
  `--sizes`; with the longest a reader waited meanwhile (one thread reading one
  actor in a loop). Where in place stops being clearly cheaper, or blocks readers
  too long, is `SMALL_WRITE_MAX` (`graph.store.falkordb_writes`).
* edit: a one-actor edit as `PATCH /api/actors/{id}` does it (the actor and its
  stored relationships through the loader), on the seed dataset and on the graph,
  with the server's memory and GRAPH.COPY calls. `--raw-build` builds the graph
  with CREATE queries instead of the loader (for 1M relationships).
* burst: 20 back-to-back writes, alternating a one-actor edit and a load above
  the threshold (staged: a GRAPH.COPY each), with the server's AOF rewrites.
* reload: the twin-cities file loaded into an empty graph, then the same again.

Medians of `--repeat` runs. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
for p in (ROOT, ROOT / "benchmarks"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

from bench_ingest import synthetic  # noqa: E402
from bench_support import scratch_server  # noqa: E402

from graph.store import Store, open_store  # noqa: E402
from graph.store.falkordb_writes import SMALL_WRITE_MAX  # noqa: E402
from ingest.load import load_dataset  # noqa: E402
from ingest.readers.document import dataset_from_mapping, read_mapping  # noqa: E402
from ingest.readers.twin_cities import read_twin_cities  # noqa: E402
from ingest.records import Dataset, Origin, Relationship  # noqa: E402

TWIN_CITIES = ROOT.parent / "shared" / "data" / "twin_cities.csv"
SEED = ROOT / "ingest" / "data" / "workshop.yaml"
ALWAYS_IN_PLACE = 10**12


def median_time(fn: Callable[[int], Any], repeat: int) -> float:
    times = []
    for i in range(repeat):
        t = time.perf_counter()
        fn(i)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


class Reader:
    """Reads one actor in a loop and keeps the longest wait, to see writes block reads."""

    def __init__(self, store: Store, actor_id: str) -> None:
        self.store, self.actor_id = store, actor_id
        self.longest = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self._stop.is_set():
            t = time.perf_counter()
            self.store.run(
                "MATCH (n:Entity {id: $id}) RETURN n.name", {"id": self.actor_id}, read_only=True
            )
            self.longest = max(self.longest, time.perf_counter() - t)
            time.sleep(0.002)

    def __enter__(self) -> Reader:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def changed_relationships(ds: Dataset, k: int, tag: str) -> Dataset:
    """k stored relationships of `ds` with a new note: a change of exactly k records."""
    out, origin = Dataset(), Origin("bench")
    for rel in ds.relationships[:k]:
        out.add(Relationship(source=rel.source, type=rel.type, target=rel.target, note=tag), origin)
    return out


def build(uri: str, n_rels: int, seed: int) -> tuple[Store, Dataset]:
    store = open_store(uri)
    store.drop()  # type: ignore[attr-defined]
    ds = synthetic(max(50, n_rels // 5), n_rels, seed)
    t = time.perf_counter()
    load_dataset(store, ds)
    n = store.run("MATCH ()-[r]->() RETURN count(r)", read_only=True).scalar()
    print(f"built {uri.split('=')[-1]}: {n:,} relationships in {time.perf_counter() - t:.1f} s")
    return store, ds


def build_raw(uri: str, n_rels: int) -> tuple[Store, str]:
    """A graph of `n_rels` PARTNERS_WITH between n_rels/5 cities, made with batched
    CREATE queries (not the loader: about a minute for 1M relationships here, where
    the loader took over 15 minutes on the shared machine); the actor to edit."""
    from graph.store.values import cypher_header

    store = open_store(uri)
    store.drop()  # type: ignore[attr-defined]
    store.ensure_schema()
    n, graph = max(50, n_rels // 5), store._graph  # type: ignore[attr-defined]
    t = time.perf_counter()
    store.run("MERGE (:Country {code: 'FR', name: 'France'})")
    for i in range(0, n, 50_000):
        graph.query(
            cypher_header({"a": i, "b": min(n, i + 50_000) - 1})
            + "UNWIND range($a, $b) AS k CREATE (:Entity:Actor:City {id: 'm-' + toString(k), "
            "kind: 'city', name: 'city ' + toString(k), country: 'FR', sources: ['bench']})"
        )
    for j in range(0, n_rels, 50_000):
        graph.query(
            cypher_header({"a": j, "b": min(n_rels, j + 50_000) - 1, "n": n})
            + "UNWIND range($a, $b) AS k MATCH (a:Entity {id: 'm-' + toString(k % $n)}) "
            "MATCH (b:Entity {id: 'm-' + toString((k % $n + k / $n + 1) % $n)}) "
            "CREATE (a)-[:PARTNERS_WITH {status: 'active', sources: ['bench']}]->(b)"
        )
    print(f"built (raw) {n_rels:,} relationships in {time.perf_counter() - t:.1f} s")
    return store, "m-17"


def bench_threshold(store: Store, ds: Dataset, sizes: list[int], repeat: int) -> None:
    print("\nthreshold: k changed relationships, in place against staged (median s)")
    print(f"   {'k':>7} {'in place':>9} {'staged':>8} {'reader wait, in place':>22} {'staged':>8}")
    reader_id = ds.actors[-1].id
    for k in sizes:
        row = []
        for mode, limit in (("inplace", ALWAYS_IN_PLACE), ("staged", 0)):
            store.small_write_max = limit  # type: ignore[attr-defined]
            with Reader(store, reader_id) as reader:
                secs = median_time(
                    lambda i, m=mode, k=k: load_dataset(
                        store, changed_relationships(ds, k, f"{m}-{k}-{i}-{time.time()}")
                    ),
                    repeat,
                )
            row.append((secs, reader.longest))
        (ip, ipw), (st, stw) = row
        print(f"   {k:>7,} {ip:9.3f} {st:8.3f} {ipw * 1000:19.0f} ms {stw * 1000:5.0f} ms")
    store.small_write_max = SMALL_WRITE_MAX  # type: ignore[attr-defined]


def one_actor_edit(store: Store, actor_id: str, tag: str) -> None:
    """What PATCH /api/actors/{id} does: the actor, changed, and its stored relationships."""
    rename_actor(store, actor_id, lambda name: f"{name} {tag}")


def rename_actor(store: Store, actor_id: str, rename: Callable[[str], str]) -> None:
    """What PATCH /api/actors/{id} does to set the actor's name (`rename` of the stored
    one, or of the id): the actor and its stored relationships through the loader."""
    from api.writes import ACTOR_FIELDS, _stored_relationships
    from graph import edits

    stored = edits.stored_actor(store, actor_id) or {}
    record = {k: v for k, v in stored.items() if k in ACTOR_FIELDS and k != "sources"}
    record["name"] = rename(stored.get("name", actor_id))
    data: dict[str, Any] = {"actors": [record]}
    rels = _stored_relationships(store, actor_id)
    if rels:
        data["relationships"] = rels
    dataset, problems = read_mapping(data, "bench", provenance=("api:bench",))
    assert not problems, problems
    load_dataset(store, dataset)


def bench_edit(server_dir: Path, store: Store, actor_id: str, repeat: int) -> None:
    """Each edit is timed after one untimed edit: the first query after a bulk build
    also pays FalkorDB's one-off sync of the build's pending matrix updates."""
    print("\nedit: one-actor edit as PATCH does it (median s, server memory)")
    seed = open_store(f"embedded:{server_dir}?graph=seed")
    seed.drop()  # type: ignore[attr-defined]
    load_dataset(seed, dataset_from_mapping(_yaml(SEED), source="seed"))
    redis = store._redis  # type: ignore[attr-defined]
    for name, s, actor in (("seed", seed, "london"), ("graph", store, actor_id)):
        t = time.perf_counter()
        one_actor_edit(s, actor, "warm-up")
        first = time.perf_counter() - t
        before = int(redis.info("memory")["used_memory"]) >> 20
        redis.config_resetstat()
        secs = median_time(lambda i, s=s, a=actor: one_actor_edit(s, a, f"e{i}"), repeat)
        peak = int(redis.info("memory")["used_memory_peak"]) >> 20
        copies = redis.info("commandstats").get("cmdstat_graph.COPY", {}).get("calls", 0)
        print(
            f"   {name:<6} {secs:8.3f} s (first {first:.3f} s); server {before} MB, "
            f"peak {peak} MB; {copies} GRAPH.COPY"
        )


def _yaml(path: Path) -> dict[str, Any]:
    import yaml

    return yaml.safe_load(path.read_text())


def bench_burst(store: Store, ds: Dataset, n: int = 20) -> None:
    big = 3 * SMALL_WRITE_MAX
    print(f"\nburst: {n} back-to-back writes (one-actor edit / {big:,} changed relationships)")
    redis = store._redis  # type: ignore[attr-defined]
    forks0 = int(redis.info("stats").get("total_forks", 0))
    times = []
    for i in range(n):
        t = time.perf_counter()
        if i % 2 == 0:
            one_actor_edit(store, ds.actors[0].id, f"b{i}")
        else:
            load_dataset(store, changed_relationships(ds, big, f"burst-{i}-{time.time()}"))
        times.append(time.perf_counter() - t)
    info = redis.info("persistence")
    forks = int(redis.info("stats").get("total_forks", 0)) - forks0
    edits, loads = times[0::2], times[1::2]
    print(
        f"   all {n} done: edits median {statistics.median(edits):.3f} s (max {max(edits):.3f}), "
        f"large loads median {statistics.median(loads):.3f} s (max {max(loads):.3f}); "
        f"{forks} forks (copies and AOF rewrites), AOF {int(info['aof_current_size']) >> 20} MB"
    )


def bench_reload(server_dir: Path, path: Path, repeat: int) -> None:
    if not path.exists():
        print(f"\nreload: skipped, {path} not found")
        return
    print("\nreload: twin-cities into an empty graph, then the same file again (median s)")
    firsts, agains = [], []
    for i in range(repeat):
        s = open_store(f"embedded:{server_dir}?graph=twin{i}")
        s.drop()  # type: ignore[attr-defined]
        ds, _ = read_twin_cities(path)
        t = time.perf_counter()
        load_dataset(s, ds)
        firsts.append(time.perf_counter() - t)
        ds, _ = read_twin_cities(path)
        t = time.perf_counter()
        report = load_dataset(s, ds)
        agains.append(time.perf_counter() - t)
        assert report.relationships.created == report.relationships.updated == 0
        s.drop()  # type: ignore[attr-defined]
    first, again = statistics.median(firsts), statistics.median(agains)
    print(f"   first {first:.2f} s, again {again:.2f} s: ratio {again / first:.2f} (target <= 0.5)")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--relationships", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--sizes", default="10,100,1000,2000,5000,20000")
    p.add_argument("--only", default="threshold,edit,burst,reload")
    p.add_argument("--twin-cities", type=Path, default=TWIN_CITIES)
    p.add_argument(
        "--raw-build", action="store_true", help="build the graph with CREATE queries (edit only)"
    )
    args = p.parse_args(argv)
    parts = set(args.only.split(","))
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"bench_writes: {os.cpu_count()} CPU(s), load average {load}, seed {args.seed}")
    with scratch_server("scn-bw-") as (server_dir, _):
        uri = f"embedded:{server_dir}?graph=g"
        if args.raw_build and "edit" in parts:
            store, actor_id = build_raw(uri, args.relationships)
            bench_edit(server_dir, store, actor_id, args.repeat)
        elif parts & {"threshold", "edit", "burst"}:
            store, ds = build(uri, args.relationships, args.seed)
            if "threshold" in parts:
                sizes = [int(x) for x in args.sizes.split(",")]
                bench_threshold(store, ds, sizes, args.repeat)
            if "edit" in parts:
                bench_edit(server_dir, store, ds.actors[0].id, args.repeat)
            if "burst" in parts:
                bench_burst(store, ds)
        if "reload" in parts:
            bench_reload(server_dir, args.twin_cities, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
