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

WebGL pages (issue 13; the cities view drawn whole, and the map view when it is
registered): for each twin-cities page also

* *pan/zoom* — 20 scripted steps in the drawing (mouse wheel in and out,
  drags), each followed by two animation frames, with every frame interval
  recorded by `requestAnimationFrame` from the first step to the end of the
  last: p50, p95 and the longest frame;

beside the vis-network pages of the same data (the aggregated and the
top-2,000 cities views, what `--view cities` drew before). Targets for the
WebGL pages: first complete draw under 5 s, page under 15 MB, p95 frame under
100 ms.
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
#: Issue 13's targets for the pages drawn whole (WebGL).
WEBGL_DRAW_S = 5.0
WEBGL_MAX_BYTES = 15_000_000
WEBGL_P95_MS = 100.0
PAN_ZOOM_STEPS = 20
#: Records every frame interval until `window.__stopFrames` is set.
FRAME_RECORDER = """() => { window.__frames = []; window.__stopFrames = false;
  let last = null;
  function tick(t) { if (last !== null) { window.__frames.push(t - last); } last = t;
    if (!window.__stopFrames) { requestAnimationFrame(tick); } }
  requestAnimationFrame(tick); }"""
TWO_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


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
    webgl: bool = False
    frames_ms: dict[str, float] = field(default_factory=dict)  # pan/zoom p50, p95, max
    #: WebGL pages: when each part of the first draw ended (ms since navigation).
    draw_parts: dict[str, float] = field(default_factory=dict)


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
        *webgl_pages(store),
        ("cities, aggregated", lambda: network_page(store, view="cities", large="aggregate")),
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


def webgl_pages(store: Any) -> list[tuple[str, Any]]:
    """The WebGL pages: the cities view drawn whole, and the map view once it is
    registered (drawn whole too)."""
    from viz.views import VIEWS

    pages = [("cities (WebGL, whole)", lambda: network_page(store, view="cities"))]
    if "map" in VIEWS:
        pages.append(("map (WebGL, whole)", lambda: network_page(store, view="map")))
    return pages


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

    def draw_time(
        self, path: Path, timeout_s: float = 120
    ) -> tuple[float, float, list[str], dict[str, float]]:
        """Seconds to the first complete draw (wall, and in the page), remote requests
        blocked, and a WebGL page's `window.drawTimings` (empty on other pages)."""
        context, page, blocked = self._page()
        try:
            t0 = time.perf_counter()
            page.goto(path.as_uri(), wait_until="load")
            page.wait_for_function(
                "() => document.body.dataset.drawn === 'true'", timeout=timeout_s * 1000
            )
            wall = time.perf_counter() - t0
            in_page = float(page.evaluate("Number(document.body.dataset.drawnMs)"))
            parts = page.evaluate("() => window.drawTimings || {}")
        finally:
            context.close()
        return wall, in_page, blocked, parts

    def pan_zoom(self, path: Path, steps: int = PAN_ZOOM_STEPS) -> dict[str, float]:
        """Frame intervals (ms) while the drawing is zoomed and dragged `steps` times."""
        context, page, _ = self._page()
        try:
            page.goto(path.as_uri(), wait_until="load")
            page.wait_for_function("() => document.body.dataset.drawn === 'true'", timeout=120_000)
            box = page.locator("#mynetwork").bounding_box()
            assert box is not None
            cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
            page.mouse.move(cx, cy)
            page.evaluate(FRAME_RECORDER)
            for i in range(steps):
                if i % 2 == 0:  # zoom in for the first half, out for the second
                    page.mouse.wheel(0, -240 if i < steps // 2 else 240)
                else:
                    page.mouse.down()
                    page.mouse.move(cx + 80, cy + 40, steps=4)
                    page.mouse.up()
                    page.mouse.move(cx, cy)
                page.evaluate(TWO_FRAMES)
            page.evaluate("() => { window.__stopFrames = true; }")
            frames = sorted(page.evaluate("() => window.__frames"))
        finally:
            context.close()
        if not frames:
            return {}
        return {
            "p50": frames[len(frames) // 2],
            "p95": frames[min(len(frames) - 1, int(len(frames) * 0.95))],
            "max": frames[-1],
            "frames": float(len(frames)),
        }

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


def report_frames(results: list[Result]) -> None:
    """The pan/zoom table, and the WebGL pages against issue 13's targets."""
    measured = [r for r in results if r.frames_ms]
    if not measured:
        return
    print("\n| page | renderer | nodes | links | draw | HTML | pan/zoom frames p50 / p95 / max |")
    print("|---|---|---|---|---|---|---|")
    for r in measured:
        f = r.frames_ms
        print(
            f"| {r.page} | {'WebGL' if r.webgl else 'vis-network'} | {r.nodes:,} | {r.edges:,} | "
            f"{r.draw_s:.2f} s | {r.size_bytes / 1e6:.2f} MB | "
            f"{f['p50']:.0f} / {f['p95']:.0f} / {f['max']:.0f} ms ({f['frames']:.0f} frames) |"
        )
    for r in (r for r in measured if r.webgl):
        checks = [
            ("draw", (r.draw_s or 0) < WEBGL_DRAW_S, f"{r.draw_s:.2f} s < {WEBGL_DRAW_S:.0f} s"),
            ("HTML", r.size_bytes < WEBGL_MAX_BYTES, f"{r.size_bytes / 1e6:.1f} MB < 15 MB"),
            ("p95", r.frames_ms["p95"] < WEBGL_P95_MS, f"{r.frames_ms['p95']:.0f} ms < 100 ms"),
        ]
        said = ", ".join(f"{k} {txt} {'met' if ok else 'MISSED'}" for k, ok, txt in checks)
        print(f"  {r.page}: {said}")
        if r.draw_parts:
            print(f"    first draw in the page: {draw_parts_words(r.draw_parts)}")


#: The parts of a WebGL page's first draw (`window.drawTimings`, viz/static/webgl.js), in order.
DRAW_PARTS = (
    ("html", "HTML and renderer parsed"),
    ("payload", "payload decoded"),
    ("graph", "graph built"),
    ("renderer", "renderer set up"),
    ("layer", "nodes, links and layer processed and drawn"),
    ("script", "panels and search"),
    ("drawn", "frame presented"),
)


def draw_parts_words(parts: dict[str, float]) -> str:
    """Each part's own seconds: "HTML and renderer parsed 0.58 s, payload decoded 0.12 s…"."""
    out, last = [], 0.0
    for key, words in DRAW_PARTS:
        if key in parts:
            out.append(f"{words} {(parts[key] - last) / 1000:.2f} s")
            last = parts[key]
    return ", ".join(out)


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
                    r.draw_s, r.draw_in_page_ms, blocked, r.draw_parts = browser.draw_time(path)
                    if blocked:
                        print(f"  !! {label}: blocked remote requests {blocked[:3]}")
                    body = page.html.find("<body")
                    r.webgl = 'data-renderer="webgl"' in page.html[body : body + 600]
                    if name == "twin-cities" and label.startswith(("cities", "map")):
                        r.frames_ms = browser.pan_zoom(path)
                    results.append(r)
                    frames = f"  pan/zoom p95 {r.frames_ms['p95']:.0f} ms" if r.frames_ms else ""
                    print(
                        f"  {label:<34} {r.mode:<9} {r.nodes:>6,} nodes {r.edges:>6,} links  "
                        f"generate {r.generate_s:6.2f} s  {r.size_bytes / 1e6:5.2f} MB  "
                        f"draw {r.draw_s:5.2f} s (in page {r.draw_in_page_ms / 1000:.2f} s)"
                        f"{frames}"
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

    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")
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
    report_frames(results)
    print("\ngeneration breakdown (s):")
    for r in results:
        keys = (
            "project",
            "gaps",
            "structure",
            "recommendations",
            "metric",
            "layout",
            "payload",
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
