"""Findings after a one-actor edit, incremental against a full `find_gaps`, in memory.

    .venv/bin/python benchmarks/bench_incremental.py --case 1m [--check] [--profile]
    .venv/bin/python benchmarks/bench_incremental.py --case twin-cities --check

The graph is built in memory (`build_graph`): the 1m synthetic network of
`bench_analysis.py` (`Synth(1_000_000)`; generating it takes minutes, so `--cache FILE`
keeps its node and relationship lists in a pickle for the next run) or the twin-cities
network. The process then analyses it once (`incremental.full_findings`, which
remembers the gap index) and, for each edit (a city renamed, a CSO renamed, a national
framework added with a city's contribution, a relationship added), patches the
projection and times `update_findings` from the first generation. CPU seconds
(`process_time`), as docs/benchmarks.md reports them. `--check` also runs `find_gaps`
on each edited graph and says whether the findings are equal; `--profile` prints a
cProfile of the city edit.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pickle
import pstats
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph.analysis import incremental
from graph.analysis.gaps import find_gaps
from graph.projection import build_graph, collector_paused
from graph.projection_patch import patched
from graph.queries.projection import EDGE_COLUMNS

Edit = tuple[set[str], list[dict[str, Any]], list[dict[str, Any]]]


def records(case: str, cache: Path | None) -> tuple[list[dict], list[dict]]:
    """The case's nodes and relationships as `build_graph` takes them."""
    if cache is not None and cache.exists():
        with cache.open("rb") as f:
            return pickle.load(f)  # type: ignore[no-any-return]
    if case == "twin-cities":
        from bench_analysis import TWIN_CITIES

        from ingest.readers.twin_cities import read_twin_cities

        ds, _ = read_twin_cities(TWIN_CITIES)
        dump = [r.model_dump(mode="json", exclude_none=True) for r in (*ds.actors, *ds.initiatives)]
        out = (dump, [r.model_dump(mode="json", exclude_none=True) for r in ds.relationships])
    else:
        from bench_analysis import Synth

        syn = Synth(1_000_000)
        out = (syn.nodes, syn.edges)
    if cache is not None:
        with cache.open("wb") as f:
            pickle.dump(out, f, protocol=5)
    return out


def edge_maps(G: Any, ids: set[str]) -> list[dict[str, Any]]:
    """Every relationship of `G` with an end in `ids`, as `build_graph` takes them."""
    out = []
    for n in ids & G._node.keys():
        for u, v, k, d in (
            *G.out_edges(n, keys=True, data=True),
            *G.in_edges(n, keys=True, data=True),
        ):
            out.append({"source": u, "type": k, "target": v, **{c: d.get(c) for c in EDGE_COLUMNS}})
    return out


def edits(G: Any) -> list[tuple[str, Callable[[], Edit]]]:
    """The edits timed: (label, a function making the touched ids, nodes and edges)."""
    by_kind: dict[str, list[str]] = {}
    for n, d in G._node.items():
        by_kind.setdefault(d.get("kind"), []).append(n)
    mid = {k: sorted(v)[len(v) // 2] for k, v in by_kind.items()}
    city, cso = mid["city"], mid.get("cso")

    def change(ids: set[str], nodes: list[dict], new: list[dict]) -> Edit:
        nodes += [dict(G._node[n]) for n in ids if n not in {m["id"] for m in nodes}]
        return ids | {m["id"] for m in nodes}, nodes, edge_maps(G, ids) + new

    def rename(n: str) -> Callable[[], Edit]:
        return lambda: change({n}, [{**G._node[n], "name": f"{G._node[n].get('name')} X"}], [])

    framework = {
        "id": "fw-new",
        "kind": "framework",
        "name": "New national framework",
        "country": G._node[city].get("country"),
        "level": "national",
        "status": "active",
        "themes": ["hate"],
    }
    contributes = {"source": city, "type": "CONTRIBUTES_TO", "target": "fw-new", "status": "active"}
    out = [
        ("city renamed", rename(city)),
        ("national framework added", lambda: change({city}, [framework], [contributes])),
    ]
    if cso:
        partner = {"source": city, "type": "PARTNERS_WITH", "target": cso, "status": "active"}
        out += [
            ("CSO renamed", rename(cso)),
            ("relationship added", lambda: change({city, cso}, [], [partner])),
        ]
    else:
        other = sorted(by_kind["city"])[len(by_kind["city"]) // 3]
        twin = {"source": city, "type": "TWINNED_WITH", "target": other, "status": "active"}
        out.append(("relationship added", lambda: change({city, other}, [], [twin])))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--case", choices=("1m", "twin-cities"), default="1m")
    ap.add_argument("--cache", type=Path, help="pickle of the case's records (made if missing)")
    ap.add_argument("--check", action="store_true", help="compare with find_gaps on each edit")
    ap.add_argument("--profile", action="store_true", help="cProfile of the city edit")
    args = ap.parse_args()
    nodes, rels = records(args.case, args.cache)
    with collector_paused():
        G = build_graph(nodes, rels, include_confidential=True)
    del nodes, rels
    gc.collect()
    gc.freeze()
    print(f"{args.case}: {G.number_of_nodes():,} nodes, {G.number_of_edges():,} relationships")
    t = time.process_time()
    full = incremental.full_findings(G)
    t_full = time.process_time() - t
    print(f"full analysis: {t_full:.2f} CPU s, {len(full):,} findings")
    for label, make in edits(G):
        touched, new_nodes, new_edges = make()
        H = patched(G, touched, new_nodes, new_edges)
        t = time.process_time()
        got = incremental.update_findings(G, full, H, touched)
        took = time.process_time() - t
        scopes = incremental.scopes_of(G, H, touched)
        whole = sorted(k for k, v in scopes.items() if v is None)
        line = f"{label}: {took:.2f} CPU s ({100 * took / t_full:.1f}% of full); whole: {whole}"
        if args.check:
            t = time.process_time()
            want = find_gaps(H)
            line += f"; find_gaps {time.process_time() - t:.2f} s, equal: {got == want}"
        print(line, flush=True)
    if args.profile:
        touched, new_nodes, new_edges = edits(G)[0][1]()
        H = patched(G, touched, new_nodes, new_edges)
        prof = cProfile.Profile(time.process_time)
        prof.runcall(incremental.update_findings, G, full, H, touched)
        pstats.Stats(prof).sort_stats("cumulative").print_stats(40)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
