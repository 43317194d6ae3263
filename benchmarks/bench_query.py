#!/usr/bin/env python
"""Ordinary reads while analysts run heavy Cypher, over real HTTP.

    .venv/bin/python benchmarks/bench_query.py [--actors 2000] [--lookups 300] [--no-docs]

What it does, all in a temporary directory that is removed at the end:

1. starts a fresh embedded FalkorDB (as the product starts it: `THREAD_COUNT`
   and `QUERY_MEM_CAPACITY` from `graph.store.embedded`) and loads a synthetic
   graph of `--actors` cities with 1.5 partnerships each;
2. serves the API in-process (`api.server.LiveServer`) with an analyst key;
3. times `--lookups` anonymous `GET /api/actors/{id}` one after another, random
   ids, first with nothing else running, then while two analyst queries run
   without pause (`POST /api/query`: a cartesian count over all actors and an
   `UNWIND range(1, 9000000)` filter, each up to its 10 s limit, restarted as
   soon as it ends);
4. checks that a third analyst query meanwhile gets 429, and prints p50 / p95 /
   max of both runs, writing them to the "## Analyst queries" section of
   `docs/benchmarks.md` (replacing an earlier one) unless `--no-docs`.

Target: p95 of the lookup under 100 ms while the two heavy queries run.
Not collected by pytest.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from api.app import create_app  # noqa: E402
from api.keys import KeyStore  # noqa: E402
from api.server import LiveServer  # noqa: E402
from api.settings import Settings  # noqa: E402
from graph.store import open_store  # noqa: E402
from graph.store.embedded import EmbeddedServer  # noqa: E402
from ingest.load import load_dataset  # noqa: E402
from ingest.readers.document import dataset_from_mapping  # noqa: E402

HEAVY = (
    "MATCH (a:Actor), (b:Actor) WHERE a.name < b.name RETURN count(*)",
    "UNWIND range(1, 9000000) AS x WITH x WHERE x % 7 = 3 RETURN count(x)",
)
SECTION = "## Analyst queries"


def synthetic(actors: int, rng: random.Random) -> dict[str, object]:
    ids = [f"city-{i}" for i in range(actors)]
    return {
        "actors": [
            {"id": i, "name": f"City {n}", "kind": "city", "country": rng.choice(["GB", "FR"])}
            for n, i in enumerate(ids)
        ],
        "relationships": [
            {"source": a, "type": "PARTNERS_WITH", "target": b}
            for a, b in {tuple(rng.sample(ids, 2)) for _ in range(actors * 3 // 2)}
        ],
    }


def lookups(url: str, ids: list[str], n: int, rng: random.Random) -> list[float]:
    times: list[float] = []
    with httpx.Client(base_url=url, timeout=60) as c:
        for _ in range(n):
            started = time.perf_counter()
            r = c.get(f"/api/actors/{rng.choice(ids)}")
            times.append((time.perf_counter() - started) * 1000)
            assert r.status_code == 200, r.text
    return times


def analyst_loop(url: str, key: str, cypher: str, stop: threading.Event, seen: list[int]) -> None:
    with httpx.Client(base_url=url, timeout=60, headers={"X-API-Key": key}) as c:
        while not stop.is_set():
            seen.append(c.post("/api/query", json={"cypher": cypher}).status_code)


def summary(times: list[float]) -> dict[str, float]:
    q = statistics.quantiles(times, n=100)
    return {"p50": statistics.median(times), "p95": q[94], "max": max(times)}


def run(actors: int, n: int) -> dict[str, object]:
    rng = random.Random(7)
    with tempfile.TemporaryDirectory(prefix="bench-query-") as tmp:
        data = Path(tmp) / "db"
        store = open_store(f"embedded:{data}?graph=bench")
        load_dataset(store, dataset_from_mapping(synthetic(actors, rng), source="bench"))
        st = Settings(store_uri=f"embedded:{data}?graph=bench", keys_file=Path(tmp) / "k.json")
        key = KeyStore(st.resolved_keys_file, st.store_id).add("bench", "analyst")[1]
        server = LiveServer(create_app(settings=st)).start()
        ids = [f"city-{i}" for i in range(actors)]
        try:
            lookups(server.url, ids, 20, rng)  # warm: analysis cache, connections
            quiet = lookups(server.url, ids, n, rng)
            stop = threading.Event()
            seen: list[list[int]] = [[], []]
            workers = [
                threading.Thread(target=analyst_loop, args=(server.url, key, q, stop, s))
                for q, s in zip(HEAVY, seen, strict=True)
            ]
            for w in workers:
                w.start()
            time.sleep(1.0)  # both heavy queries are in the engine
            with httpx.Client(base_url=server.url, headers={"X-API-Key": key}) as c:
                third = c.post("/api/query", json={"cypher": "RETURN 1"}).status_code
            busy = lookups(server.url, ids, n, rng)
            stop.set()
            for w in workers:
                w.join()
        finally:
            server.stop()
            store.close()
            EmbeddedServer(data).stop()
    return {
        "actors": actors,
        "lookups": n,
        "quiet": summary(quiet),
        "busy": summary(busy),
        "third": third,
        "heavy": [sorted(set(s)) for s in seen],
        "heavy_runs": [len(s) for s in seen],
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
    }


def markdown(res: dict[str, object]) -> str:
    quiet, busy = res["quiet"], res["busy"]
    assert isinstance(quiet, dict) and isinstance(busy, dict)
    rows = "\n".join(
        f"| {name} | {d['p50']:.1f} | {d['p95']:.1f} | {d['max']:.1f} |"
        for name, d in (("nothing else running", quiet), ("two heavy analyst queries", busy))
    )
    return f"""{SECTION}

```
.venv/bin/python benchmarks/bench_query.py --actors {res["actors"]} --lookups {res["lookups"]}
```

Anonymous `GET /api/actors/{{id}}`, {res["lookups"]} one after another, on a synthetic
graph of {res["actors"]} cities ({res["cpus"]} CPUs, Python {res["python"]}). The heavy
queries, each restarted as soon as it ends: `{HEAVY[0]}` and `{HEAVY[1]}` (answers
{res["heavy"]}, {res["heavy_runs"]} runs). A third analyst query meanwhile got
{res["third"]}. Target: p95 under 100 ms while the two run.

| actor lookup | p50 ms | p95 ms | max ms |
|---|---|---|---|
{rows}

Before the bounds (FalkorDB's default of one engine thread per CPU, analyst queries
unbounded) one lookup took 19.9 s while two heavy queries ran.
"""


def write_docs(text: str) -> None:
    path = ROOT / "docs" / "benchmarks.md"
    doc = path.read_text(encoding="utf-8")
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.M | re.S)
    doc = pattern.sub(text + "\n", doc) if pattern.search(doc) else doc.rstrip() + "\n\n" + text
    path.write_text(doc, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--actors", type=int, default=2000)
    parser.add_argument("--lookups", type=int, default=300)
    parser.add_argument("--no-docs", action="store_true")
    args = parser.parse_args()
    res = run(args.actors, args.lookups)
    text = markdown(res)
    print(text)
    if not args.no_docs:
        write_docs(text)


if __name__ == "__main__":
    main()
