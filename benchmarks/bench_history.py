#!/usr/bin/env python
"""`gaps --since` on the twin-cities network: the time to answer what closed and what is
new since the first load, after a few one-city edits.

    .venv/bin/python benchmarks/bench_history.py [--edits 5] [--no-docs]

What it does, in a temporary directory removed at the end:

1. starts a fresh embedded FalkorDB and loads the real twin-cities file (revision 1);
2. makes `--edits` one-city edits (a rename each, one revision each);
3. times, each on a fresh analysis service (nothing cached, as one `scn-graph` run):
   today's findings (`gaps`), the graph as of revision 1, `gaps --at 1` and
   `gaps --since 1` (which computes both sets of findings), and `diff 1 N`;
4. writes the figures to the "## History" section of docs/benchmarks.md (replacing an
   earlier one), with the date and the machine's load.

Not collected by pytest; never run on anything larger than twin-cities.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
for p in (ROOT, ROOT / "benchmarks"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

from bench_api import TWIN_CITIES  # noqa: E402
from bench_support import replace_docs_section  # noqa: E402

from graph.analysis.service import AnalysisService  # noqa: E402
from graph.history.service import HistoryService  # noqa: E402
from graph.store import open_store  # noqa: E402
from graph.store.embedded import EmbeddedServer  # noqa: E402
from ingest.load import load_dataset  # noqa: E402
from ingest.readers.twin_cities import read_twin_cities  # noqa: E402
from ingest.records import Dataset  # noqa: E402

DOCS = ROOT / "docs" / "benchmarks.md"


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t = time.perf_counter()
    value = fn()
    return time.perf_counter() - t, value


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--edits", type=int, default=5)
    ap.add_argument("--no-docs", action="store_true", help="do not write docs/benchmarks.md")
    args = ap.parse_args()
    if not TWIN_CITIES.exists():
        print(f"{TWIN_CITIES} is missing", file=sys.stderr)
        return 2
    load_before = os.getloadavg()
    tmp = Path(tempfile.mkdtemp(prefix="scn-bench-history-"))
    server = EmbeddedServer(tmp / "db", idle_timeout=1800)
    fig: dict[str, float] = {}
    try:
        server.ensure_running()
        store = open_store(f"embedded:{tmp / 'db'}?graph=bench")
        dataset, _ = read_twin_cities(TWIN_CITIES)
        load_dataset(store, dataset, who="bench", source="twin-cities.csv")
        cities = sorted(dataset.actors, key=lambda a: a.id)
        for k in range(args.edits):
            city = cities[(k * 7919) % len(cities)]
            renamed = city.model_copy(update={"name": f"{city.name} (edit {k})"})
            load_dataset(store, Dataset(actors=[renamed]), who="bench", source="bench")

        def fresh() -> HistoryService:
            return HistoryService(AnalysisService(store))

        fig["gaps_s"], _ = timed(lambda: AnalysisService(store).findings())
        fig["graph_at_s"], _ = timed(lambda: fresh().graph_at(1))
        fig["gaps_at_s"], _ = timed(lambda: fresh().findings_at(1))
        fig["since_s"], changes = timed(lambda: fresh().since(1))
        fig["diff_s"], _ = timed(lambda: fresh().diff(1, args.edits + 1))
        counts = {g: len(getattr(changes, g)) for g in ("closed", "new", "persisting")}
        store.close()
    finally:
        server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    section = report(fig, counts, args.edits, load_before)
    print(section)
    if not args.no_docs:
        replace_docs_section(section, "## History")
    return 0


def report(fig: dict[str, float], counts: dict[str, int], edits: int, load: Any) -> str:
    day = datetime.date.today().isoformat()
    return f"""## History

`benchmarks/bench_history.py` ({day}, {platform.machine()}, {os.cpu_count()} cores, load
{load[0]:.1f}): the twin-cities network loaded (revision 1), then {edits} one-city
renames (one revision each); each figure on a fresh analysis service, as one command.

| question | seconds |
|---|---|
| `gaps` (today's findings, projection included) | {fig["gaps_s"]:.1f} |
| the graph as of revision 1 ({edits} revisions undone) | {fig["graph_at_s"]:.1f} |
| `gaps --at 1` | {fig["gaps_at_s"]:.1f} |
| `gaps --since 1` (both sets of findings) | {fig["since_s"]:.1f} |
| `diff 1 {edits + 1}` | {fig["diff_s"]:.2f} |

`gaps --since 1` found {counts["closed"]:,} closed, {counts["new"]:,} new and
{counts["persisting"]:,} persisting gaps. It costs two analyses and one past-state build:
undoing revisions costs their size, not the graph's.
"""


if __name__ == "__main__":
    sys.exit(main())
