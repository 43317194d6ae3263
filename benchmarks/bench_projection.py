#!/usr/bin/env python
"""`project(store)`, `find_gaps`, `metrics` and the report page on a stored graph, for this
tree and another checkout side by side, in CPU seconds as well as wall seconds.

    .venv/bin/python benchmarks/bench_projection.py --store embedded:DIR \\
        [--before ../other-checkout] [--steps project,gaps,metrics,report] [--repeat 1]

The store is read as it is (load it once, for example with `scn-graph ingest`, and
reuse it): building a graph of a million relationships takes longer than analysing
it. Each side runs in a fresh subprocess that imports that tree's `graph` and `viz`
(sides alternate, before first), so its peak memory (`VmHWM`) is its own. On a
shared machine wall time moves with the load; the CPU seconds of the analysing
process (`process_time`) and of the FalkorDB server (from `/proc`) move much less,
so compare those. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULT_TAG = "@@RESULT "
STEPS = ("project", "gaps", "metrics", "report")


def _hwm_mb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM"):
            return int(line.split()[1]) // 1024
    return 0


def _server_pid(uri: str) -> int | None:
    """The embedded FalkorDB server's pid (its data directory's pid file), if local."""
    if not uri.startswith("embedded:"):
        return None
    path = Path(uri[len("embedded:") :].partition("?")[0]) / "falkordb.pid"
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _cpu_of(pid: int | None) -> float:
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def worker(uri: str, steps: list[str]) -> dict[str, Any]:
    """Run the steps on this interpreter's `graph` (whichever tree is first on sys.path)."""
    from graph.projection import project
    from graph.store import open_store

    store = open_store(uri)
    server = _server_pid(uri)
    out: dict[str, Any] = {"load_before": os.getloadavg()[0]}

    def step(name: str, fn: Any) -> Any:
        wall, cpu, server_cpu = time.perf_counter(), time.process_time(), _cpu_of(server)
        value = fn()
        out[name] = {
            "wall_s": round(time.perf_counter() - wall, 2),
            "cpu_s": round(time.process_time() - cpu, 2),
            "server_cpu_s": round(_cpu_of(server) - server_cpu, 2),
            "peak_mb": _hwm_mb(),
        }
        print(f"  {name}: {out[name]}", file=sys.stderr, flush=True)
        return value

    G = step("project", lambda: project(store))
    out["graph"] = {"nodes": G.number_of_nodes(), "edges": G.number_of_edges()}
    if "gaps" in steps:
        from graph.analysis.gaps import find_gaps

        out["findings"] = len(step("gaps", lambda: find_gaps(G)))
    if "metrics" in steps:
        from graph.analysis.structure import metrics

        step("metrics", lambda: metrics(G, top=10))
    if "report" in steps:
        del G  # the report makes its own projection, as `scn-graph report` does
        from viz.service import report_page

        out["report_timings"] = step("report", lambda: report_page(store)).timings
    out["load_after"] = os.getloadavg()[0]
    return out


def run_side(tree: Path, uri: str, steps: list[str]) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    cmd = [sys.executable, __file__, "--store", uri, "--steps", ",".join(steps), "--worker"]
    done = subprocess.run(cmd, env=env, cwd=tree, capture_output=True, text=True, check=False)
    sys.stderr.write(done.stderr)
    for line in done.stdout.splitlines():
        if line.startswith(RESULT_TAG):
            return {"tree": str(tree), **json.loads(line[len(RESULT_TAG) :])}
    raise SystemExit(f"the {tree} side failed (exit {done.returncode})")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--store", required=True, help="the store URI to read (never written)")
    ap.add_argument("--before", type=Path, help="another checkout to compare with")
    ap.add_argument("--steps", default="project,gaps,metrics", help=f"some of {','.join(STEPS)}")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each side, alternating")
    ap.add_argument("--json", type=Path, help="write every measurement to this file")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    steps = [s.strip() for s in args.steps.split(",") if s.strip()]
    if unknown := set(steps) - set(STEPS):
        ap.error(f"unknown steps {sorted(unknown)}; expected some of {', '.join(STEPS)}")
    if args.worker:
        print(RESULT_TAG + json.dumps(worker(args.store, steps)), flush=True)
        return 0
    trees = [args.before.resolve(), ROOT] if args.before else [ROOT]
    results = []
    for _ in range(max(1, args.repeat)):
        for tree in trees:
            print(f"- {tree} …", file=sys.stderr, flush=True)
            results.append(run_side(tree, args.store, steps))
    for r in results:
        cells = [f"{s} {r[s]['cpu_s']} s cpu / {r[s]['wall_s']} s wall" for s in steps if s in r]
        peak = max(r[s]["peak_mb"] for s in steps if s in r)
        print(f"{r['tree']}: {'; '.join(cells)}; peak {peak:,} MB; load {r['load_before']:.1f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
