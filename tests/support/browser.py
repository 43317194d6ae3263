"""Headless Chromium for page tests and benchmarks that must not reach the network.

The one launcher: `start_chromium(playwright)` starts Debian's Chromium with the
flags below (the benchmarks call it); `launch()` does the same for tests, skipped
outside CI when the browser is missing and failed in CI. `offline_page()` opens a
page whose every request to a non-loopback host is aborted and recorded, with
console problems and page errors collected, so a test can assert that a page works
with the network cut off. `open_page()` loads a network page, waits until it is
drawn, checks it and keeps a screenshot; `double_click()` clicks a node of it,
`expand()` too and waits for the page's word on it.
`artifact_dir()` is where tests save them:
`SCN_GRAPH_ARTIFACTS` if set, else a folder under pytest's temporary directory;
the end of the test run names it.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

CHROMIUM = os.environ.get("SCN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
#: URL schemes a page may load without leaving the machine.
LOCAL_SCHEMES = frozenset({"file", "data", "blob"})
VIEWPORT = {"width": 1400, "height": 900}
#: Where screenshots go when set (CI keeps that folder); else under pytest's tmp path.
ARTIFACTS_ENV = "SCN_GRAPH_ARTIFACTS"

#: Chromium's software WebGL logs a "GPU stall due to ReadPixels" performance warning
#: when a WebGL canvas is read back (to composite it, or when sigma.js looks up the
#: node under the mouse): a driver message, not a fault of the page.
DRIVER_NOTE = "GL Driver Message"

#: The screen position of a node of a vis-network page (for a real mouse click).
NODE_XY = """(id) => { const p = network.canvasToDOM(network.getPositions([id])[id]);
  const r = document.getElementById('mynetwork').getBoundingClientRect();
  return {x: r.left + p.x, y: r.top + p.y}; }"""

#: The screen position of a point `[x, y]` of a WebGL page's graph (sigma.js), and of
#: a node, where a user clicks it: its graph position through the camera, from the
#: drawing's top left (inside the frame's border, as sigma's canvases are).
WEBGL_POINT_XY = """([x, y]) => { const v = renderer.graphToViewport({x: x, y: y});
  const c = document.getElementById('mynetwork'), r = c.getBoundingClientRect();
  return {x: r.left + c.clientLeft + v.x, y: r.top + c.clientTop + v.y}; }"""
WEBGL_NODE_XY = f"""(id) => {{ const a = graph.getNodeAttributes(id);
  return ({WEBGL_POINT_XY})([a.x, a.y]); }}"""


def webgl_click(
    pg: Any, node_id: str, *, double: bool = False, off: tuple[float, float] = (0.0, 0.0)
) -> None:
    """Click (or double-click) a node of a WebGL page with the real mouse: moved onto
    the node first, as a hand does, then pressed where it is drawn (`off` pixels from
    its centre: a hand rarely hits the centre)."""
    at = pg.evaluate(WEBGL_NODE_XY, node_id)
    x, y = at["x"] + off[0], at["y"] + off[1]
    pg.mouse.move(x, y)
    if double:
        pg.mouse.dblclick(x, y)
    else:
        pg.mouse.click(x, y)


def double_click(pg: Any, node_id: str) -> None:
    """Double-click a node of a vis-network page with the real mouse (zooming off, so
    the first click cannot move the node away from the second)."""
    pg.evaluate("network.setOptions({interaction: {zoomView: false}})")
    pos = pg.evaluate(NODE_XY, node_id)
    pg.mouse.dblclick(pos["x"], pos["y"])


def expand(pg: Any, node_id: str) -> str:
    """Double-click a node of a served page and wait until the page says how the
    expansion went ("Added ..." or "Could not ..."): returns what it says."""
    double_click(pg, node_id)
    pg.wait_for_function(
        "() => /Added|Could not/.test(document.getElementById('status').textContent)",
        timeout=15_000,
    )
    return pg.locator("#status").inner_text()


#: The folders screenshots were saved in during this run (named at the end of it).
saved_to: set[Path] = set()


def unavailable(msg: str) -> None:
    """Skip outside CI, fail in CI (CI=true): a missing browser must not pass silently."""
    if os.environ.get("CI"):
        pytest.fail(f"{msg} (required in CI)")
    pytest.skip(f"{msg} (outside CI: skipped)")


def start_chromium(playwright: Any) -> Any:
    """Debian's headless Chromium, started by a running Playwright (its `Browser`)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@contextlib.contextmanager
def launch() -> Iterator[Any]:
    """A headless Chromium browser for a test (Playwright's `Browser`)."""
    if not Path(CHROMIUM).exists():
        unavailable(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover
        unavailable("the playwright package is not installed")
    with sync_playwright() as p:
        b = start_chromium(p)
        try:
            yield b
        finally:
            b.close()


@dataclass
class OfflinePage:
    """A page and what it did: every request, the ones blocked, console and page errors."""

    page: Any
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@contextlib.contextmanager
def offline_page(
    browser: Any, *, console: tuple[str, ...] = ("error",), keep_open: bool = False
) -> Iterator[OfflinePage]:
    """A fresh browser context whose requests may reach loopback hosts and local
    schemes only; console messages of the `console` types count as problems.
    `keep_open` leaves the context open after the block (the caller closes
    `opened.page.context`)."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    opened = OfflinePage(page)
    page.on(
        "console",
        lambda m: (
            opened.problems.append(f"console {m.type}: {m.text}")
            if m.type in console and DRIVER_NOTE not in m.text
            else None
        ),
    )
    page.on("pageerror", lambda e: opened.problems.append(f"page error: {e}"))

    def route(r: Any) -> None:
        url = r.request.url
        opened.requests.append(url)
        u = urlparse(url)
        if u.scheme in LOCAL_SCHEMES or u.hostname in LOCAL_HOSTS:
            r.continue_()
        else:
            opened.blocked.append(url)
            r.abort()

    context.route("**/*", route)
    try:
        yield opened
    finally:
        if not keep_open:
            context.close()


def artifact_dir(tmp_path_factory: pytest.TempPathFactory, group: str) -> Path:
    """The folder for this run's screenshots of `group` (e.g. "viz"), created."""
    base = os.environ.get(ARTIFACTS_ENV)
    root = Path(base) if base else tmp_path_factory.getbasetemp() / "artifacts"
    path = root / group
    path.mkdir(parents=True, exist_ok=True)
    saved_to.add(root.resolve())
    return path


# --------------------------------------------------------------------------- network pages

#: Pixels (of every 4th) that must be inked for the canvas to count as drawn.
MIN_INK = 150
DRAW_TIMEOUT_MS = 60_000

#: How many sampled pixels of the page's drawing are inked (not white or transparent).
#: A vis-network page draws on one 2D canvas; a WebGL page (`viz.webgl`) on sigma.js's
#: WebGL and 2D canvases, copied onto one right after a synchronous render (a WebGL
#: canvas keeps its pixels until the frame ends).
CANVAS_INK = """() => {
  const box = document.getElementById('mynetwork');
  let source = [box.querySelector('canvas')];
  if (document.body.dataset.renderer === 'webgl') {
    renderer.refresh();
    source = Object.values(renderer.getCanvases());
  }
  if (!source[0]) { return {ink: -1}; }
  const out = document.createElement('canvas');
  out.width = source[0].width; out.height = source[0].height;
  const ctx = out.getContext('2d');
  source.forEach(c => ctx.drawImage(c, 0, 0, out.width, out.height));
  const d = ctx.getImageData(0, 0, out.width, out.height).data;
  let ink = 0;
  for (let i = 0; i < d.length; i += 16) {
    if (d[i + 3] > 0 && (d[i] < 240 || d[i + 1] < 240 || d[i + 2] < 240)) { ink++; }
  }
  return {ink: ink, width: out.width, height: out.height};
}"""


class Opened:
    def __init__(self, page: Any, elapsed: float, counts: dict[str, Any]) -> None:
        self.page = page
        self.elapsed = elapsed
        self.counts = counts


def open_page(
    browser: Any,
    url: str,
    name: str,
    artifacts: Path,
    *,
    full_page: bool = False,
    keep: bool = False,
) -> Opened:
    """Load a page, wait until the network is drawn, check it, save a screenshot."""
    with offline_page(browser, console=("error", "warning"), keep_open=keep) as opened:
        page = opened.page
        t0 = time.perf_counter()
        page.goto(url, wait_until="load")
        page.wait_for_function(
            "() => document.body.dataset.drawn === 'true'", timeout=DRAW_TIMEOUT_MS
        )
        elapsed = time.perf_counter() - t0
        counts = page.evaluate(
            "() => ({dataset: Number(document.body.dataset.nodeCount),"
            " edges: Number(document.body.dataset.edgeCount),"
            " nodes: nodes.length, edgeSet: edges.length,"
            " visible: Number(document.body.dataset.visibleNodes),"
            " shown: document.getElementById('shown-nodes').textContent})"
        )
        ink = page.evaluate(CANVAS_INK)
        page.screenshot(path=str(artifacts / f"{name}.png"), full_page=full_page)
        assert not opened.problems, f"{name}: {opened.problems[:5]}"
        assert not opened.blocked, f"{name} tried to load remote resources: {opened.blocked[:5]}"
        assert ink["ink"] >= MIN_INK, f"{name}: the network canvas looks blank ({ink})"
        counts["ink"] = ink["ink"]
    return Opened(page if keep else None, elapsed, counts)
