#!/usr/bin/env python
"""Visualisation: page generation time, HTML size, and time until headless
Chromium has drawn each page, for every view on the seed dataset and on the
twin-cities network. Not collected by pytest.

    .venv/bin/python benchmarks/bench_viz.py [--repeat 3] [--only seed|twin-cities] [--no-peer]

It starts a fresh embedded FalkorDB in a temporary directory, loads the
workshop seed (`ingest/data/workshop.yaml`) and the twin-cities file
(`../shared/data/twin_cities.csv`, read with the adapter) into two graphs, and
for each page:

* *generate* — `viz.service.network_page` / `report_page` from the store, as
  the CLI and the API call them: projection, gap analysis, view selection,
  metric, layout, pyvis, template (best of --repeat);
* *size* — bytes of the HTML;
* *draw* — headless Debian Chromium (playwright), from `page.goto` until the
  page sets `data-drawn="true"` (the first frame after any physics settle),
  with every non-file request blocked (none is expected).

Peer, measured in the same run (unless --no-peer): the naive pyvis way on
the same 2,000-city graph as our top-2,000 page: `Network.add_node` /
`add_edge` for every node and link, default options (physics on, 1,000
stabilisation iterations), `generate_html`; then the time until Chromium has
finished stabilising it (capped at --peer-cap seconds). Our pages are
reported as ratios against it.

Target (issue 5): every page draws within 10 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from graph.projection import project  # noqa: E402
from graph.store import open_store  # noqa: E402
from graph.store.embedded import EmbeddedServer  # noqa: E402
from tests.support.browser import CHROMIUM, start_chromium  # noqa: E402
from viz.service import network_page, report_page  # noqa: E402

TWIN_CITIES = ROOT.parent / "shared" / "data" / "twin_cities.csv"
SEED = ROOT / "ingest" / "data" / "workshop.yaml"
TARGET_DRAW_S = 10.0


@dataclass
class Result:
    dataset: str
    page: str
    mode: str
    nodes: int
    edges: int
    source_nodes: int
    generate_s: float
    size_bytes: int
    timings: dict[str, float] = field(default_factory=dict)
    draw_s: float | None = None
    draw_in_page_ms: float | None = None
    path: Path | None = None


# --------------------------------------------------------------------------- data


def load_seed(store: Any) -> None:
    from ingest.load import load_dataset
    from ingest.readers import read_input

    load_dataset(store, read_input(SEED))


def load_twin(store: Any) -> None:
    from ingest.load import load_dataset
    from ingest.readers.twin_cities import read_twin_cities

    dataset, _ = read_twin_cities(TWIN_CITIES)
    load_dataset(store, dataset)


def pages_for(dataset: str, store: Any) -> list[tuple[str, Any]]:
    """(label, callable returning a Page) for every view of a dataset."""
    if dataset == "seed":
        return [
            ("network", lambda: network_page(store, view="network")),
            ("country GB", lambda: network_page(store, view="country", options={"country": "GB"})),
            (
                "actor london, depth 2",
                lambda: network_page(store, view="actor", options={"actor": "london", "depth": 2}),
            ),
            ("cities", lambda: network_page(store, view="cities")),
            ("network, size by betweenness", lambda: network_page(store, size_by="betweenness")),
            ("report", lambda: report_page(store)),
        ]
    G = project(store, include_confidential=False)
    hub = max((n for n, d in G.nodes(data=True) if d.get("kind") == "city"), key=G.degree)
    return [
        ("cities (auto: aggregated)", lambda: network_page(store, view="cities")),
        ("cities, top 2,000", lambda: network_page(store, view="cities", large="top")),
        (
            "cities, top 2,000, betweenness",
            lambda: network_page(store, view="cities", large="top", size_by="betweenness"),
        ),
        ("network (auto: aggregated)", lambda: network_page(store, view="network")),
        (
            "country DE (top 2,000)",
            lambda: network_page(store, view="country", options={"country": "DE"}),
        ),
        (
            f"actor {hub}, depth 2",
            lambda: network_page(store, view="actor", options={"actor": hub, "depth": 2}),
        ),
        ("report", lambda: report_page(store)),
    ]


# --------------------------------------------------------------------------- browser


class Browser:
    def __init__(self) -> None:
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        self.browser = start_chromium(self._pw)

    def close(self) -> None:
        self.browser.close()
        self._pw.stop()

    def _page(self) -> tuple[Any, Any, list[str]]:
        context = self.browser.new_context(viewport={"width": 1400, "height": 900})
        blocked: list[str] = []

        def route(r: Any) -> None:
            if r.request.url.startswith(("file:", "data:", "blob:")):
                r.continue_()
            else:
                blocked.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        return context, context.new_page(), blocked

    def draw_time(self, path: Path, timeout_s: float = 120) -> tuple[float, float, list[str]]:
        context, page, blocked = self._page()
        try:
            t0 = time.perf_counter()
            page.goto(path.as_uri(), wait_until="load")
            page.wait_for_function(
                "() => document.body.dataset.drawn === 'true'", timeout=timeout_s * 1000
            )
            wall = time.perf_counter() - t0
            in_page = float(page.evaluate("Number(document.body.dataset.drawnMs)"))
        finally:
            context.close()
        return wall, in_page, blocked

    def pyvis_stabilised(self, path: Path, cap_s: float) -> float | None:
        """Seconds until a default pyvis page has stabilised and drawn (None: over the cap)."""
        context, page, _ = self._page()
        try:
            t0 = time.perf_counter()
            page.goto(path.as_uri(), wait_until="load")
            page.evaluate(
                """() => { window.__done = false;
                   if (network.physics && network.physics.stabilized) { window.__done = true; }
                   network.once('stabilizationIterationsDone', () => {
                     network.once('afterDrawing', () => { window.__done = true; });
                   }); }"""
            )
            try:
                page.wait_for_function("() => window.__done === true", timeout=cap_s * 1000)
            except Exception:
                progress = page.evaluate(
                    "() => { const t = document.getElementById('text');"
                    " return t ? t.textContent : '?'; }"
                )
                print(f"  peer: stabilisation at {progress} after {cap_s:.0f} s")
                return None
            return time.perf_counter() - t0
        finally:
            context.close()


# --------------------------------------------------------------------------- peer


def naive_pyvis(store: Any, out: Path) -> tuple[float, int, int]:
    """The naive pyvis page of the same graph as our top-2,000 cities page."""
    from pyvis.network import Network

    from viz.aggregate import top_n
    from viz.measure import SimpleGraph, compute
    from viz.views import cities_view

    G = project(store, include_confidential=False)
    H = cities_view(G).graph
    sg = SimpleGraph.from_pairs(H.nodes, ((u, v) for u, v in H.edges()))
    keep = top_n(compute(sg, "degree").values, 2000)
    sub = H.subgraph(keep)
    t0 = time.perf_counter()
    net = Network(height="750px", width="100%", cdn_resources="in_line")
    for n, d in sub.nodes(data=True):
        net.add_node(n, label=str(d.get("name", n)), title=str(d.get("name", n)))
    for u, v, k in sub.edges(keys=True):
        net.add_edge(u, v, title=k)
    html = net.generate_html()
    elapsed = time.perf_counter() - t0
    out.write_text(html, encoding="utf-8")
    return elapsed, len(html.encode()), sub.number_of_nodes()


# --------------------------------------------------------------------------- main


def machine() -> str:
    try:
        chromium = subprocess.run(
            [CHROMIUM, "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()
    except OSError:
        chromium = "chromium ?"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{os.cpu_count()} CPUs, load average {load:.1f} at start, Python "
        f"{platform.python_version()}, {chromium}"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--repeat", type=int, default=1, help="generation runs per page (best kept)")
    ap.add_argument("--only", choices=["seed", "twin-cities"])
    ap.add_argument("--no-peer", action="store_true", help="skip the naive pyvis peer")
    ap.add_argument("--peer-cap", type=float, default=180.0, help="seconds to wait for the peer")
    ap.add_argument("--keep", type=Path, help="also copy the pages into this folder")
    args = ap.parse_args()

    print(machine())
    results: list[Result] = []
    peer: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bench-viz-") as tmp:
        tmpdir = Path(tmp)
        server = EmbeddedServer(tmpdir / "db", idle_timeout=600)
        server.ensure_running()
        browser = Browser()
        try:
            datasets = [("seed", load_seed), ("twin-cities", load_twin)]
            for name, loader in datasets:
                if args.only and args.only != name:
                    continue
                if name == "twin-cities" and not TWIN_CITIES.exists():
                    print(f"skipping twin-cities: {TWIN_CITIES} not found")
                    continue
                store = open_store(f"embedded:{tmpdir / 'db'}?graph={name.replace('-', '_')}")
                t0 = time.perf_counter()
                loader(store)
                print(f"\n{name}: loaded in {time.perf_counter() - t0:.1f} s")
                for label, make in pages_for(name, store):
                    best = None
                    for _ in range(max(1, args.repeat)):
                        t0 = time.perf_counter()
                        page = make()
                        dt = time.perf_counter() - t0
                        if best is None or dt < best[0]:
                            best = (dt, page)
                    assert best is not None
                    dt, page = best
                    path = tmpdir / f"{name}-{len(results)}.html"
                    page.write(path)
                    r = Result(
                        name,
                        label,
                        page.mode,
                        page.node_count,
                        page.edge_count,
                        page.source_nodes,
                        dt,
                        page.size_bytes,
                        dict(page.timings),
                        path=path,
                    )
                    r.draw_s, r.draw_in_page_ms, blocked = browser.draw_time(path)
                    if blocked:
                        print(f"  !! {label}: blocked remote requests {blocked[:3]}")
                    results.append(r)
                    print(
                        f"  {label:<34} {r.mode:<9} {r.nodes:>6,} nodes {r.edges:>6,} links  "
                        f"generate {r.generate_s:6.2f} s  {r.size_bytes / 1e6:5.2f} MB  "
                        f"draw {r.draw_s:5.2f} s (in page {r.draw_in_page_ms / 1000:.2f} s)"
                    )
                    if args.keep:
                        args.keep.mkdir(parents=True, exist_ok=True)
                        (args.keep / path.name).write_text(page.html, encoding="utf-8")
                if name == "twin-cities" and not args.no_peer:
                    path = tmpdir / "peer-naive-pyvis.html"
                    gen, size, n = naive_pyvis(store, path)
                    print(
                        f"  peer: naive pyvis, {n:,} nodes: generate {gen:.2f} s, "
                        f"{size / 1e6:.2f} MB; waiting up to {args.peer_cap:.0f} s to stabilise…"
                    )
                    stab = browser.pyvis_stabilised(path, args.peer_cap)
                    peer = {"generate_s": gen, "size": size, "nodes": n, "draw_s": stab}
                    print(f"  peer draw: {'over the cap' if stab is None else f'{stab:.1f} s'}")
                store.close()
        finally:
            browser.close()
            server.stop()

    print("\n| dataset | page | drawn as | nodes | links | generate | HTML | draw in Chromium |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        mode = {
            "full": "every node",
            "aggregate": "countries",
            "top": "top-N",
            "report": "report",
        }.get(r.mode, r.mode)
        of = f" of {r.source_nodes:,}" if r.mode in ("top", "aggregate") else ""
        print(
            f"| {r.dataset} | {r.page} | {mode}{of} | {r.nodes:,} | {r.edges:,} | "
            f"{r.generate_s:.2f} s | {r.size_bytes / 1e6:.2f} MB | {r.draw_s:.2f} s |"
        )
    slowest = max(results, key=lambda r: r.draw_s or 0, default=None)
    if slowest:
        ok = (slowest.draw_s or 0) <= TARGET_DRAW_S
        print(
            f"\nslowest draw: {slowest.draw_s:.2f} s ({slowest.dataset}, {slowest.page}) — "
            f"target ≤ {TARGET_DRAW_S:.0f} s {'met' if ok else 'MISSED'}"
        )
    print("\ngeneration breakdown (s):")
    for r in results:
        keys = (
            "project",
            "gaps",
            "structure",
            "recommendations",
            "metric",
            "layout",
            "pyvis",
            "render",
        )
        parts = ", ".join(f"{k} {r.timings[k]:.2f}" for k in keys if k in r.timings)
        print(f"  {r.dataset} / {r.page}: {parts}")
    if peer:
        ours = next((r for r in results if r.page == "cities, top 2,000"), None)
        if ours:
            print(f"\npeer (naive pyvis, physics on) vs ours on the same {peer['nodes']:,} cities:")
            print(
                f"  generate: {peer['generate_s']:.2f} s vs {ours.timings.get('pyvis', 0):.2f} s "
                "(our pyvis step only)"
            )
            print(f"  size: {peer['size'] / 1e6:.2f} MB vs {ours.size_bytes / 1e6:.2f} MB")
            if peer["draw_s"] is None:
                print(f"  draw: not stabilised within the cap vs {ours.draw_s:.2f} s")
            else:
                print(
                    f"  draw: {peer['draw_s']:.1f} s vs {ours.draw_s:.2f} s "
                    f"= {peer['draw_s'] / ours.draw_s:.0f}× faster"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
