#!/usr/bin/env python
"""Reads right after a write, and the API worker's memory over edits, on twin-cities
or on a graph already in a store.

    .venv/bin/python benchmarks/bench_after_write.py [--clients 8] [--seconds 60]
                                                     [--edits 10] [--no-docs]
                                                     [--store embedded:DIR --label 1m]

What it does, in a temporary directory removed at the end:

1. starts a fresh embedded FalkorDB, loads the real twin-cities file and
   starts `scn-graph serve --workers 1`; with `--store`, serves that store's graph as
   it is instead (for example the 1m synthetic graph loaded once with `load_dataset`:
   loading it takes minutes; the edits are written to it);
2. computes the first analysis (`GET /api/gaps`, timed) and reads the API
   process's resident memory (RSS) after it;
3. edits one actor (`PATCH /api/actors/{id}`) and, for `--seconds` after the
   edit, drives `GET /api/actors/{id}` (with the actor's findings) from
   `--clients` threads in a closed loop: p50 / p95 / max of those reads, and
   how long after the edit the findings of the new generation were served
   (`X-Analysis-Stale: false`);
4. makes `--edits` more edits, each once the previous one's analysis is
   served, sampling the API's RSS every 0.2 s: the peak against the RSS
   after the first analysis;
5. writes the figures to the "## After a write" section of docs/benchmarks.md
   (replacing an earlier one), with the date and the machine's load.

Targets (issue 15): p95 under 100 ms; peak RSS under 2x the first analysis; fresh
findings after an edit within 5% of the first (full) analysis's time.
Not collected by pytest.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for p in (ROOT, ROOT / "benchmarks"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

import httpx  # noqa: E402
from bench_api import TWIN_CITIES, api_process, children  # noqa: E402
from bench_support import replace_docs_section  # noqa: E402

from api.keys import KeyStore  # noqa: E402
from api.settings import Settings  # noqa: E402
from graph.store import open_store  # noqa: E402
from graph.store.embedded import EmbeddedServer  # noqa: E402
from ingest.load import load_dataset  # noqa: E402
from ingest.readers.twin_cities import read_twin_cities  # noqa: E402

DOCS = ROOT / "docs" / "benchmarks.md"
TARGET_P95_MS = 100.0


def rss_bytes(pid: int) -> int:
    """Resident memory of `pid` and its children (uvicorn's worker under `serve`)."""
    total = 0
    for p in [pid, *children(pid)]:
        with contextlib.suppress(OSError, ValueError):
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
    return total


class RssSampler(threading.Thread):
    """The peak RSS of a process tree, sampled every 0.2 s until stopped."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.2):
            self.peak = max(self.peak, rss_bytes(self.pid))


def edit(client: httpx.Client, actor: str, n: int) -> None:
    """One actor edit (a new name) over the API."""
    client.patch(f"/api/actors/{actor}", json={"name": f"Edited {n}"}).raise_for_status()


def wait_fresh(client: httpx.Client, timeout: float = 1800) -> float:
    """Seconds until the gap summary is served from the current generation."""
    t = time.perf_counter()
    while time.perf_counter() - t < timeout:
        r = client.get("/api/gaps/summary")
        if r.headers.get("X-Analysis-Stale") == "false":
            return time.perf_counter() - t
        time.sleep(0.2)
    raise SystemExit("the new generation's analysis was not served in time")


def reads_after_edit(
    base: str, secret: str, cities: list[str], clients: int, seconds: float, edited_at: float
) -> tuple[list[float], float | None, int]:
    """Latencies (s) of actor reads for `seconds`, the time the first fresh one came, errors."""
    latencies: list[float] = []
    fresh_at: list[float] = []
    errors = [0]
    lock = threading.Lock()
    end = edited_at + seconds

    def loop(seed: int) -> None:
        rnd = random.Random(seed)
        headers = {"Authorization": f"Bearer {secret}"}
        with httpx.Client(base_url=base, headers=headers, timeout=600) as c:
            while time.perf_counter() < end:
                t = time.perf_counter()
                r = c.get(f"/api/actors/{rnd.choice(cities)}")
                took = time.perf_counter() - t
                with lock:
                    if r.status_code != 200:
                        errors[0] += 1
                    latencies.append(took)
                    if r.headers.get("X-Analysis-Stale") == "false" and not fresh_at:
                        fresh_at.append(time.perf_counter() - edited_at)

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, (fresh_at[0] if fresh_at else None), errors[0]


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--edits", type=int, default=10)
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--no-docs", action="store_true", help="do not write docs/benchmarks.md")
    ap.add_argument("--store", help="serve this store's graph instead of loading twin-cities")
    ap.add_argument("--label", default="Twin-cities", help="the graph's name in the figures")
    args = ap.parse_args()
    if args.store is None and not TWIN_CITIES.exists():
        print(f"{TWIN_CITIES} is missing", file=sys.stderr)
        return 2
    rnd = random.Random(args.seed)
    load_before = os.getloadavg()
    tmp = Path(tempfile.mkdtemp(prefix="scn-bench-after-write-"))
    server = EmbeddedServer(tmp / "db", idle_timeout=1800)
    fig: dict[str, object] = {}
    try:
        if args.store:
            uri = args.store
            store = open_store(uri)
        else:
            server.ensure_running()
            uri = f"embedded:{tmp / 'db'}?graph=bench"
            store = open_store(uri)
            dataset, _ = read_twin_cities(TWIN_CITIES)
            load_dataset(store, dataset)
        cities = sorted(r[0] for r in store.run("MATCH (c:City) RETURN c.id").rows)
        store.close()
        keys_file = tmp / "keys.json"
        ks = KeyStore(keys_file, Settings(store_uri=uri, keys_file=keys_file).store_id)
        _, reader = ks.add("bench-reader", "reader")
        _, editor = ks.add("bench-editor", "editor")
        with api_process(uri, keys_file, 1) as (base, pid):
            rc = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {reader}"})
            ec = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {editor}"})
            rc.timeout = ec.timeout = httpx.Timeout(1800)
            t = time.perf_counter()
            rc.get("/api/gaps", params={"limit": 1}).raise_for_status()
            fig["first_analysis_s"] = time.perf_counter() - t
            time.sleep(1)
            fig["rss_first"] = rss_bytes(pid)
            sampler = RssSampler(pid)
            sampler.start()

            actor = rnd.choice(cities)
            t = time.perf_counter()
            edit(ec, actor, 0)
            fig["edit_s"] = time.perf_counter() - t
            edited_at = time.perf_counter()
            lat, fresh, errors = reads_after_edit(
                base, reader, cities, args.clients, args.seconds, edited_at
            )
            fig.update(
                reads=len(lat),
                errors=errors,
                p50=pct(lat, 50),
                p95=pct(lat, 95),
                max=max(lat) * 1000,
                fresh_s=fresh,
            )
            wait_fresh(rc)
            fresh_times = []
            for n in range(1, args.edits + 1):
                edit(ec, rnd.choice(cities), n)
                fresh_times.append(wait_fresh(rc))
            time.sleep(1)
            sampler.stop.set()
            sampler.join()
            fig.update(
                rss_peak=sampler.peak,
                rss_last=rss_bytes(pid),
                fresh_median_s=statistics.median(fresh_times),
            )
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    load_after = os.getloadavg()
    text = report(args, fig, load_before, load_after)
    print(text)
    if not args.no_docs:
        replace_docs_section(text, heading(args.label))
    return 0 if fig["errors"] == 0 else 1


def report(
    args: argparse.Namespace,
    fig: dict[str, object],
    load_before: tuple[float, float, float],
    load_after: tuple[float, float, float],
) -> str:
    gb = 1024**3
    first, peak, last = (float(fig[k]) / gb for k in ("rss_first", "rss_peak", "rss_last"))  # type: ignore[arg-type]
    fresh = fig["fresh_s"]
    fresh_txt = f"{fresh:.1f} s" if isinstance(fresh, float) else f"not within {args.seconds:g} s"
    first_s = float(fig["first_analysis_s"])  # type: ignore[arg-type]
    ratio = (
        f" ({fresh / first_s:.1%} of the first analysis; target < 5%)"
        if isinstance(fresh, float)
        else ""
    )
    return f"""{heading(args.label)}

`benchmarks/bench_after_write.py`, {datetime.date.today().isoformat()}, {platform.machine()},
{os.cpu_count()} cores, load average {load_before[0]:.1f} before and {load_after[0]:.1f}
after the run (the machine is shared). {args.label} graph, `scn-graph serve --workers 1`.
First analysis (the first `GET /api/gaps`): {fig["first_analysis_s"]:.1f} s; one-actor
edit over the API: {fig["edit_s"] * 1000:.0f} ms.

| {args.clients} clients, `GET /api/actors/{{id}}` for {args.seconds:g} s after an edit | |
|---|---|
| reads | {fig["reads"]} ({fig["errors"]} errors) |
| p50 | {fig["p50"]:.0f} ms |
| p95 | {fig["p95"]:.0f} ms (target < {TARGET_P95_MS:.0f} ms) |
| max | {fig["max"]:.0f} ms |
| first read with the new generation's findings | {fresh_txt} after the edit{ratio} |

Over {args.edits} more edits (each once the previous analysis was served; median
{fig["fresh_median_s"]:.1f} s from edit to fresh findings), the API process's resident
memory: {first:.2f} GB after the first analysis, peak {peak:.2f} GB
({peak / first:.2f}x; target < 2x), {last:.2f} GB at the end.
"""


def heading(label: str) -> str:
    """The docs section of a graph: one per graph measured, each replaced by its next run."""
    return "## After a write" if label == "Twin-cities" else f"## After a write on {label}"


if __name__ == "__main__":
    sys.exit(main())
