#!/usr/bin/env python
"""API latency under concurrent load, on the twin-cities graph, over real HTTP.

    .venv/bin/python benchmarks/bench_api.py [--clients 32] [--requests 3000] [--workers 1,2]

What it does, all in a temporary directory that is removed at the end:

1. starts a fresh embedded FalkorDB and loads the real twin-cities file
   (`../shared/data/twin_cities.csv`: ~17k cities, ~25k TWINNED_WITH links);
2. creates a reader key and, for each `--workers` count, starts
   `scn-graph serve --workers N` in its own process (so the load generator
   does not share the server's interpreter);
3. warms the analysis cache (`GET /api/gaps`; the first call is timed: the
   cold cost);
4. drives each workload with `--clients` concurrent simulated users (our own
   asyncio loop; each user has its own `httpx.AsyncClient` and keep-alive
   connection), `--requests` requests per workload, and records every
   request's latency; then the first 300 again with one user (no queueing):

   * actor lookup — `GET /api/actors/{id}` (properties, relationships, and the
     actor's gap findings from the cache), random cities;
   * neighbourhood — `GET /api/actors/{id}/neighbourhood?depth=1`;
   * path — `GET /api/path?source=a&target=b` (max 6 hops), random city pairs;
   * cached gaps — `GET /api/gaps?limit=50&country=CC`, random countries;

5. measures two peers in the same run: `GET /health` under the same load (the
   HTTP + framework floor: no store, no auth) and the same reads called
   in-process on `graph.read` with no HTTP at all (one client, median);
6. prints throughput and p50 / p95 / p99 and writes them to the "## API"
   section of `docs/benchmarks.md` (replacing an earlier one).

Target: p95 under 50 ms for these reads on localhost. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# httpcore tries `import sniffio` on every request to tell asyncio from trio. The
# package is not installed here and a failed import is not cached, so each request
# searched the whole sys.path: about 3 ms of the load generator's CPU per request,
# more than the server spent. Marking it absent makes the import fail at once
# (httpcore then assumes asyncio, which is what runs).
sys.modules.setdefault("sniffio", None)  # type: ignore[arg-type]

import httpx  # noqa: E402

from api.keys import KeyStore  # noqa: E402
from api.settings import Settings  # noqa: E402
from graph import read  # noqa: E402
from graph.projection import project  # noqa: E402
from graph.store import open_store  # noqa: E402
from graph.store.embedded import EmbeddedServer  # noqa: E402
from ingest.load import load_dataset  # noqa: E402
from ingest.readers.twin_cities import read_twin_cities  # noqa: E402

TWIN_CITIES = ROOT.parent / "shared" / "data" / "twin_cities.csv"
DOCS = ROOT / "docs" / "benchmarks.md"
TARGET_P95_MS = 50.0


@dataclass
class Result:
    name: str
    latencies: list[float] = field(default_factory=list)  # seconds
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    wall: float = 0.0

    def pct(self, p: float) -> float:
        xs = sorted(self.latencies)
        if not xs:
            return float("nan")
        k = min(len(xs) - 1, max(0, round(p / 100 * len(xs)) - 1))
        return xs[k] * 1000

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.wall if self.wall else 0.0


async def drive(
    base: str, headers: dict[str, str], paths: list[str], clients: int, name: str
) -> Result:
    """Send every path once, `clients` at a time; latency per request."""
    res = Result(name)
    queue = iter(paths)

    async def worker() -> None:
        # One client (one keep-alive connection) per simulated user: a shared pool
        # scans all its connections on every request, which costs the load generator
        # more CPU than the server spends per request.
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        async with httpx.AsyncClient(
            base_url=base, headers=headers, limits=limits, timeout=60
        ) as client:
            for path in queue:
                t = time.perf_counter()
                try:
                    r = await client.get(path)
                    await r.aread()
                except httpx.HTTPError:
                    res.errors += 1
                    continue
                res.latencies.append(time.perf_counter() - t)
                res.statuses[r.status_code] = res.statuses.get(r.status_code, 0) + 1
                if r.status_code >= 400:
                    res.errors += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    res.wall = time.perf_counter() - started
    return res


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def api_process(uri: str, keys_file: Path, workers: int) -> Iterator[str]:
    port = _free_port()
    exe = Path(sys.executable).with_name("scn-graph")
    cmd = [
        str(exe),
        "serve",
        "--store",
        uri,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-anonymous-read",
        "--log-level",
        "warning",
    ]
    env = {**os.environ, "SCN_GRAPH_KEYS_FILE": str(keys_file)}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"the API did not start: {proc.stderr.read().decode()}")
            try:
                if httpx.get(base + "/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("the API did not answer within 120 s")
            time.sleep(0.1)
        yield base
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()


def server_stack() -> str:
    """What uvicorn will use here ("auto" picks httptools and uvloop when installed)."""
    import importlib.util

    http = "httptools" if importlib.util.find_spec("httptools") else "h11"
    loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    return f"{http} + {loop}"


def in_process(fn: Callable[[], object], n: int) -> float:
    """Median milliseconds of `fn` called `n` times in a row (no HTTP)."""
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


@dataclass
class Run:
    """One server configuration measured: its results and peers."""

    workers: int
    cold_gaps: float
    findings: int
    results: list[Result]
    peer: Result
    single: dict[str, Result]


def measure(
    uri: str,
    keys_file: Path,
    headers: dict[str, str],
    workloads: dict[str, list[str]],
    workers: int,
    clients: int,
) -> Run:
    peer_paths = ["/health"] * len(next(iter(workloads.values())))
    with api_process(uri, keys_file, workers) as base:
        t = time.perf_counter()
        r = httpx.get(base + "/api/gaps?limit=1", headers=headers, timeout=600)
        cold_gaps = time.perf_counter() - t
        findings = r.json()["total"]
        # concurrent requests reach every worker process, each of which warms its own cache
        asyncio.run(drive(base, headers, ["/api/gaps?limit=1"] * workers * 16, workers * 8, "w"))
        print(
            f"[{workers} worker(s)] cold gap computation (projection + {findings:,} findings): "
            f"{cold_gaps:.2f} s"
        )
        for paths in workloads.values():  # warm up connections and code paths
            asyncio.run(drive(base, headers, paths[:200], clients, "warm-up"))
        results = [
            asyncio.run(drive(base, headers, paths, clients, name))
            for name, paths in workloads.items()
        ]
        peer = asyncio.run(drive(base, headers, peer_paths, clients, "GET /health"))
        # the same requests one at a time: latency without queueing
        single = {
            name: asyncio.run(drive(base, headers, paths[:300], 1, name))
            for name, paths in [*workloads.items(), ("GET /health", peer_paths)]
        }
    return Run(workers, cold_gaps, findings, results, peer, single)


def table(run: Run, direct: dict[str, str]) -> str:
    rows = [
        "| workload | requests | errors | throughput | p50 | p95 | p99 | p95 < 50 ms | "
        "1 client: p50 / p95 | in-process median |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for res in [*run.results, run.peer]:
        target = "—" if res is run.peer else ("met" if res.pct(95) < TARGET_P95_MS else "missed")
        one = run.single[res.name]
        rows.append(
            f"| {res.name} | {len(res.latencies):,} | {res.errors} | "
            f"{res.throughput:,.0f} req/s | {res.pct(50):.1f} ms | {res.pct(95):.1f} ms | "
            f"{res.pct(99):.1f} ms | {target} | {one.pct(50):.1f} / {one.pct(95):.1f} ms | "
            f"{direct.get(res.name, '—')} |"
        )
    return "\n".join(rows)


def ratios(run: Run) -> list[str]:
    peer = run.peer
    return [
        f"- {res.name}: p50 {res.pct(50) / peer.pct(50):.1f}× and throughput "
        f"{peer.throughput / res.throughput:.1f}× lower than `GET /health`"
        for res in run.results
        if res.latencies and peer.latencies
    ]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--requests", type=int, default=3000, help="per workload")
    ap.add_argument(
        "--workers", default="1,2", help="server worker processes; a comma list runs each"
    )
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--no-docs", action="store_true", help="do not write docs/benchmarks.md")
    args = ap.parse_args()
    worker_counts = [int(w) for w in str(args.workers).split(",") if w.strip()]
    if not TWIN_CITIES.exists():
        print(f"{TWIN_CITIES} is missing", file=sys.stderr)
        return 2
    rnd = random.Random(args.seed)
    load_before = os.getloadavg()[0]
    tmp = Path(tempfile.mkdtemp(prefix="scn-bench-api-"))
    server = EmbeddedServer(tmp / "db", idle_timeout=600)
    try:
        server.ensure_running()
        uri = f"embedded:{tmp / 'db'}?graph=bench"
        store = open_store(uri)
        t = time.perf_counter()
        dataset, _ = read_twin_cities(TWIN_CITIES)
        load_dataset(store, dataset)
        load_s = time.perf_counter() - t
        counts = read.stats(store)
        print(
            f"twin-cities graph: {counts['actors']:,} actors, {counts['relationships']:,} "
            f"relationships ({load_s:.1f} s to read and load)"
        )

        def column(q: str) -> list[str]:
            return sorted({r[0] for r in store.run(q, read_only=True).rows})

        cities = column("MATCH (c:City) RETURN c.id")
        linked = column("MATCH (c:City)-[:TWINNED_WITH]-() RETURN DISTINCT c.id")
        countries = column("MATCH (c:City) WHERE c.country IS NOT NULL RETURN c.country")
        n = args.requests
        workloads = {
            "actor lookup": [f"/api/actors/{rnd.choice(cities)}" for _ in range(n)],
            "neighbourhood (depth 1)": [
                f"/api/actors/{rnd.choice(cities)}/neighbourhood?depth=1" for _ in range(n)
            ],
            "path (random linked cities)": [
                f"/api/path?source={rnd.choice(linked)}&target={rnd.choice(linked)}"
                for _ in range(n)
            ],
            "gaps, cached (one country)": [
                f"/api/gaps?limit=50&country={rnd.choice(countries)}" for _ in range(n)
            ],
        }
        keys_file = tmp / "keys.json"
        settings = Settings(store_uri=uri, keys_file=keys_file)
        _, secret = KeyStore(keys_file, settings.store_id).add("bench", "reader")
        headers = {"Authorization": f"Bearer {secret}"}

        runs = [measure(uri, keys_file, headers, workloads, w, args.clients) for w in worker_counts]

        G = project(store, include_confidential=False)

        def pick() -> str:
            return rnd.choice(linked)

        path_cypher = in_process(lambda: read.shortest_path(store, pick(), pick()), 300)
        path_memory = in_process(lambda: read.shortest_path(store, pick(), pick(), graph=G), 300)
        direct = {
            "actor lookup": f"{in_process(lambda: read.get_actor(store, pick()), 300):.2f} ms",
            "neighbourhood (depth 1)": (
                f"{in_process(lambda: read.neighbourhood(store, pick(), 1), 300):.2f} ms"
            ),
            "path (random linked cities)": (
                f"{path_cypher:.2f} ms (Cypher hops); {path_memory:.2f} ms (cached projection)"
            ),
        }
        store.close()
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)

    for run in runs:
        print(f"\n{run.workers} worker(s):\n")
        print(table(run, direct))
        print()
        print("\n".join(ratios(run)))
    if not args.no_docs:
        write_docs(args, counts, load_s, runs, direct, load_before)
    return 0 if all(r.errors == 0 for run in runs for r in run.results) else 1


def write_docs(
    args: argparse.Namespace,
    counts: dict,
    load_s: float,
    runs: list[Run],
    direct: dict[str, str],
    load_before: float,
) -> None:
    load_after = os.getloadavg()[0]
    floors = [r.peer.pct(95) for r in runs]
    floor = f"{min(floors):.0f}–{max(floors):.0f}" if len(floors) > 1 else f"{floors[0]:.0f}"
    tables = "\n\n".join(
        f"**{run.workers} worker process{'es' if run.workers > 1 else ''}** (cold gap "
        f"computation: {run.cold_gaps:.2f} s for {run.findings:,} findings)\n\n"
        f"{table(run, direct)}\n\nCompared with the `GET /health` peer:\n\n"
        + "\n".join(ratios(run))
        for run in runs
    )
    section = f"""## API

```
.venv/bin/python benchmarks/bench_api.py --clients {args.clients} --requests {args.requests} \\
    --workers {args.workers}
```

It starts a fresh embedded FalkorDB in a temporary directory, loads the real
twin-cities file ({counts["actors"]:,} city actors, {counts["relationships"]:,}
TWINNED_WITH links; {load_s:.1f} s), creates a reader key, and runs
`scn-graph serve --workers N` in its own process for each N. Its own asyncio
load generator (httpx; {args.clients} concurrent simulated users, each with
its own keep-alive connection) sends {args.requests:,} requests per workload
with random cities, pairs and countries (seed {args.seed}) after a warm-up,
and times each request from send to the last byte. Requests go through key
checking, the store and response validation like any other call.

- *actor lookup*: `GET /api/actors/{{id}}` — properties, relationships, and
  the actor's gap findings (from the cache);
- *neighbourhood*: `GET /api/actors/{{id}}/neighbourhood?depth=1`;
- *path*: `GET /api/path?source=a&target=b` between two random linked cities
  (bidirectional breadth-first search, at most 6 hops; pairs farther apart are
  answered `found: false`). The API walks the projection the analyses keep in
  memory when there is one — as here, after the gap warm-up — and otherwise
  one Cypher query per hop; the in-process column shows both;
- *gaps, cached*: `GET /api/gaps?limit=50&country=CC` — the findings are
  computed once per store generation (the first call after a write), then
  filtered from the cache;
- peers in the same run: `GET /health` under the same load (the HTTP and
  framework floor: no store, no key check), and the same reads called
  in-process on `graph.read` by one caller, without HTTP (median);
- *1 client*: the first 300 requests of each workload again, one at a time —
  the latency of a request when nothing is queued before it.

### Results

Measured {time.strftime("%Y-%m-%d")} on the project's machine ({os.cpu_count()} cores,
shared with other work: load average {load_before:.1f} before the run,
{load_after:.1f} after), Python {platform.python_version()}, uvicorn
({server_stack()}); the load generator runs on the same machine and takes part
of its CPU.

{tables}

**Reading the figures.** With 32 clients the latency is mostly waiting in
line: one request alone takes a few milliseconds (the "1 client" column), and
with every client sending again as soon as it has its answer, the mean latency
is about 32 ÷ throughput (Little's law). Throughput is bound by CPU: the
uvicorn worker (pure-Python HTTP parsing with h11 when httptools is not
installed), FalkorDB and the load generator share {os.cpu_count()} cores with each
other and with whatever else runs. `GET /health`, which touches neither the
store nor the keys, is itself at p95 {floor} ms here, so
the 50 ms target for reads that also query the store is out of reach on this
machine; it is a matter of cores (`--workers`) and the HTTP stack, not of the
queries, which take well under 3 ms in-process. `uvicorn[standard]` (httptools
and uvloop) gave a fifth to a half more throughput in trial runs here. The
p99 tails are garbage-collector pauses and the other work on the machine; the
big cached results are frozen out of the collector (`api.analysis.settled`),
which took the p95 of cached gaps from 264 ms to about 80 ms.
"""
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Benchmarks\n"
    pattern = re.compile(r"^## API\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(section.rstrip("\n") + "\n\n", text)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    DOCS.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
    print(f"\nwrote the API section of {DOCS}")


if __name__ == "__main__":
    raise SystemExit(main())
