#!/usr/bin/env python
"""How many findings of each severity the gap catalogue gives on real inputs.

    .venv/bin/python tools/severity_distribution.py [--markdown] [NAME=PATH[:FORMAT] ...]

Without arguments it reads the shipped seed dataset (`ingest/data/workshop.yaml`),
the workbook-sized example (`tests/fixtures/workbook/prevention_actors.xlsx`) and,
when it is there, the twin-cities network (`../shared/data/twin_cities.csv`,
format twin-cities). Each input is read with the project's own readers
(`ingest.readers.read_input`), its records are given to
`graph.projection.build_graph` (no store is needed) and `find_gaps` runs on
the result. `--markdown` prints the rows of the "Severity on real data" table
of docs/gaps.md; otherwise one line per input and a per-type breakdown.

Not a timed test and not collected by pytest.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SEED = ROOT / "ingest" / "data" / "workshop.yaml"
WORKBOOK = ROOT / "tests" / "fixtures" / "workbook" / "prevention_actors.xlsx"
TWIN_CITIES = ROOT.parent / "shared" / "data" / "twin_cities.csv"


def graph_of(path: Path, fmt: str | None) -> Any:
    """The analysis graph of one input, built from its parsed records."""
    from graph.projection import build_graph
    from ingest.readers import read_input

    dataset = read_input(path, fmt)
    nodes: dict[str, dict[str, Any]] = {}
    for rec in (*dataset.actors, *dataset.initiatives):
        data = rec.model_dump(mode="json", exclude_none=True)
        nodes.setdefault(data["id"], {}).update(data)
    edges = [r.model_dump(mode="json", exclude_none=True) for r in dataset.relationships]
    return build_graph(nodes.values(), edges)


def distribution(path: Path, fmt: str | None) -> tuple[Counter[str], dict[str, Counter[str]]]:
    """Findings per severity, and per type and severity."""
    from graph.analysis.gaps import find_gaps

    findings = find_gaps(graph_of(path, fmt))
    by_type: dict[str, Counter[str]] = {}
    for f in findings:
        by_type.setdefault(f.type, Counter())[f.severity] += 1
    return Counter(f.severity for f in findings), by_type


def _inputs(args: list[str]) -> list[tuple[str, Path, str | None]]:
    if not args:
        found = [("seed", SEED, None)]
        if WORKBOOK.exists():
            found.append(("workbook", WORKBOOK, None))
        if TWIN_CITIES.exists():
            found.append(("twin-cities", TWIN_CITIES, "twin-cities"))
        return found
    out = []
    for arg in args:
        name, _, rest = arg.partition("=")
        path, _, fmt = rest.rpartition(":") if ":" in rest else (rest, "", "")
        out.append((name, Path(path), fmt or None))
    return out


def markdown_row(name: str, path: Path, total: int, cells: list[str]) -> str:
    """One row of the docs/gaps.md table: the input (named, with its path from the
    project's root), its number of findings and the share of each severity."""
    where = Path(os.path.relpath(os.path.abspath(path), ROOT)).as_posix()
    return f"| {name} (`{where}`) | {total} | {' | '.join(cells)} |"


def _share(n: int, total: int) -> str:
    return f"{n} ({100 * n / total:.0f}%)" if total else "0"


def main(argv: list[str] | None = None) -> int:
    from graph.schema import SEVERITIES

    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    inputs_help = "NAME=PATH[:FORMAT]; default: seed, workbook, twin-cities"
    p.add_argument("inputs", nargs="*", help=inputs_help)
    p.add_argument("--markdown", action="store_true", help="print the docs/gaps.md table rows")
    a = p.parse_args(argv)
    for name, path, fmt in _inputs(a.inputs):
        total_by_sev, by_type = distribution(path, fmt)
        total = sum(total_by_sev.values())
        cells = [_share(total_by_sev.get(s, 0), total) for s in SEVERITIES]
        if a.markdown:
            print(markdown_row(name, path, total, cells))
            continue
        shares = ", ".join(f"{s} {c}" for s, c in zip(SEVERITIES, cells, strict=True))
        print(f"{name}: {total} findings; {shares}")
        for t, cnt in by_type.items():
            print(f"  {t}: " + ", ".join(f"{s} {cnt.get(s, 0)}" for s in SEVERITIES))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
