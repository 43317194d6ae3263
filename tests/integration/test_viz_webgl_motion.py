"""Frames while the camera moves, on hand-built WebGL pages in headless Chromium.

Without a GPU a frame's cost is pixels, so while the camera moves a page of many
links moves the links' last crisp picture (a CSS transform of their canvas) and
the country layer's cached bitmaps instead of drawing them again, draws the nodes
without sigma's picking pass, and draws everything crisp once the camera has
rested (`viz/static/webgl.js`, "frames while moving"). These tests hold the
camera "moving" with a long rest time (`restMs`) so what a moving frame shows can
be read, then let it rest.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.support.browser import DRIVER_NOTE, WEBGL_NODE_XY, offline_page, webgl_click
from viz.webgl import WebglFrame, webgl_page

pytestmark = pytest.mark.browser

DRAW_TIMEOUT_MS = 60_000
#: Links of the big test page: above the page's threshold for moving them as a picture.
MANY = 2_500
#: Two countries side by side (map units), a node grid over both.
WEST = [[[-10.0, -5.0], [0.0, -5.0], [0.0, 5.0], [-10.0, 5.0]]]
EAST = [[[0.0, -5.0], [10.0, -5.0], [10.0, 5.0], [0.0, 5.0]]]
WEST_FILL, EAST_FILL = "#c6dbef", "#31a354"
#: Counts the draw calls on the links' WebGL canvas from now on.
COUNT_LINK_DRAWS = """() => { const gl = renderer.webGLContexts.edges; window.linkDraws = 0;
  const draw = gl.drawArrays.bind(gl);
  gl.drawArrays = function () { window.linkDraws++; return draw.apply(null, arguments); }; }"""
#: Moves the camera (a pan of `dx` and a zoom by `k`), then resolves after sigma's frame.
MOVE = """([dx, k]) => new Promise(done => { const c = renderer.getCamera(), s = c.getState();
  c.setState({x: s.x + dx, y: s.y, ratio: s.ratio * k});
  requestAnimationFrame(() => done(document.body.dataset.moving)); })"""
#: Waits until the camera has rested and the crisp frame is drawn.
RESTED = "() => document.body.dataset.moving === 'false'"
#: The colour the country layer shows at a graph point, as "#rrggbb": the crisp canvas
#: over the whole layer's bitmap (shown while moving), each read through its CSS transform.
LAYER_AT = """([x, y]) => {
  const v = renderer.graphToViewport({x: x, y: y});
  const canvases = ['canvas.background-layer', 'canvas.background-world']
    .map(s => document.querySelector(s)).filter(c => c && !c.hidden);
  for (const c of canvases) {
    const t = c.style.transform ? new DOMMatrix(c.style.transform) : new DOMMatrix();
    const p = t.inverse().transformPoint(new DOMPoint(v.x, v.y)), k = c.width / c.clientWidth;
    const d = c.getContext('2d').getImageData(Math.floor(p.x * k), Math.floor(p.y * k), 1, 1).data;
    if (d[3] > 0) {
      return '#' + [d[0], d[1], d[2]].map(v => v.toString(16).padStart(2, '0')).join('');
    }
  }
  return 'none';
}"""
#: Whether the country layer is moved by CSS (while moving) or drawn in place (at rest).
LAYER_MOVED = "() => document.querySelector('canvas.background-layer').style.transform !== ''"
#: Between two clicks of a test: sigma takes two clicks within its double-click time
#: (300 ms) as a double-click, wherever they are.
PAUSE_MS = 400
#: Where a node is on the page.
NODE_AT = """(id) => { const a = graph.getNodeAttributes(id);
  const v = renderer.graphToViewport({x: a.x, y: a.y});
  const r = document.getElementById('mynetwork').getBoundingClientRect();
  return {x: r.left + v.x, y: r.top + v.y}; }"""


def grid_payload(links: int, *, colour: str = "rgba(28,65,108,0.5)") -> dict[str, Any]:
    """Nodes on a grid over the two countries, each linked to the next ones in a ring
    until there are `links` links; one look of `colour`."""
    n = max(10, links // 2)
    side = int(n**0.5) + 1
    nodes = [
        {
            "id": f"n{i}",
            "label": f"Node {i}",
            "x": -9.0 + 18.0 * (i % side) / side,
            "y": -4.0 + 8.0 * (i // side) / side,
            "size": 3.0,
            "colour": "#1f77b4",
            "importance": 0.5,
            "kind": "city",
        }
        for i in range(n)
    ]
    edges = [
        {
            "source": f"n{i % n}",
            "target": f"n{(i + 1 + i // n) % n}",
            "type": "TWINNED_WITH",
            "look": 0,
        }
        for i in range(links)
    ]
    return {
        "nodes": nodes,
        "edges": edges,
        "legend": {
            "kinds": [{"kind": "city", "label": "City", "colour": "#1f77b4", "count": n}],
            "types": [{"type": "TWINNED_WITH", "meaning": "twinned", "count": links}],
            "links": [
                {"label": "link", "colour": colour, "crossBorder": False, "confidential": False}
            ],
        },
        "countries": {},
        "gapTypes": {},
        "background": {
            "title": "test layer",
            "polygons": [
                {"id": "WW", "name": "West", "rings": WEST, "fill": WEST_FILL, "stroke": "#888888"},
                {"id": "EE", "name": "East", "rings": EAST, "fill": EAST_FILL, "stroke": "#888888"},
            ],
            "legend": [],
        },
    }


def _open(pg: Any, tmp_path: Path, payload: dict[str, Any], rest_ms: int = 600_000) -> None:
    """Opens a page of `payload` whose camera rests after `rest_ms` (by default only
    when a test says so)."""
    html = webgl_page(payload, WebglFrame(title="motion", view="map", extra={"restMs": rest_ms}))
    path = tmp_path / "motion.html"
    path.write_text(html, encoding="utf-8")
    pg.goto(path.as_uri())
    pg.wait_for_function("() => document.body.dataset.drawn === 'true'", timeout=DRAW_TIMEOUT_MS)


def _settle(pg: Any) -> None:
    """Ends the motion now instead of after the long rest time the tests set."""
    pg.wait_for_function("() => !renderer.getCamera().isAnimated()")
    pg.evaluate("() => { window.scnSettle(); }")
    pg.wait_for_function(RESTED)


def _problems(opened: Any) -> list[str]:
    return [p for p in opened.problems if DRIVER_NOTE not in p]


def test_links_move_as_their_picture_and_are_drawn_crisp_at_rest(
    browser: Any, tmp_path: Path
) -> None:
    with offline_page(browser) as opened:
        pg = opened.page
        _open(pg, tmp_path, grid_payload(MANY))
        assert pg.evaluate("document.body.dataset.linksAsPicture") == "true"
        links = "renderer.elements.edges.style.transform"
        assert pg.evaluate(links) == ""
        pg.evaluate(COUNT_LINK_DRAWS)
        assert pg.evaluate(MOVE, [0.1, 0.8]) == "true"
        assert pg.evaluate(MOVE, [0.05, 1.0]) == "true"
        # moving: the links were not drawn again; their picture follows the camera
        assert pg.evaluate("window.linkDraws") == 0
        moved = pg.evaluate(links)
        assert moved.startswith("matrix("), moved
        scale = float(re.findall(r"[-\d.e]+", moved)[0])
        assert scale == pytest.approx(1 / 0.8, rel=1e-3)
        _settle(pg)
        assert pg.evaluate("window.linkDraws") >= 1  # crisp again, in place
        assert pg.evaluate(links) == ""
        assert not _problems(opened), _problems(opened)[:5]


def test_a_page_of_few_links_draws_them_every_frame(browser: Any, tmp_path: Path) -> None:
    with offline_page(browser) as opened:
        pg = opened.page
        _open(pg, tmp_path, grid_payload(200))
        assert pg.evaluate("document.body.dataset.linksAsPicture") == "false"
        pg.evaluate(COUNT_LINK_DRAWS)
        assert pg.evaluate(MOVE, [0.1, 0.8]) == "true"
        assert pg.evaluate("window.linkDraws") >= 1
        assert pg.evaluate("renderer.elements.edges.style.transform") == ""


def test_the_country_layer_is_drawn_while_moving_and_after_a_pan(
    browser: Any, tmp_path: Path
) -> None:
    with offline_page(browser) as opened:
        pg = opened.page
        _open(pg, tmp_path, grid_payload(MANY))
        assert pg.evaluate(LAYER_AT, [-5, -4.5]) == WEST_FILL
        # zoom out and pan: the moving frame shows both countries where they now are,
        # from the layer's bitmaps (beyond the last crisp frame too)
        assert pg.evaluate(MOVE, [0.3, 1.6]) == "true"
        assert pg.evaluate(LAYER_MOVED) is True
        assert pg.evaluate("document.querySelector('canvas.background-world').hidden") is False
        assert pg.evaluate(LAYER_AT, [-5, -4.5]) == WEST_FILL
        assert pg.evaluate(LAYER_AT, [5, -4.5]) == EAST_FILL
        assert pg.evaluate(MOVE, [-0.3, 1.0]) == "true"
        assert pg.evaluate(LAYER_AT, [-5, -4.5]) == WEST_FILL
        _settle(pg)
        # zoomed in on the west and rested, then out again: the east, beyond the last
        # crisp frame, comes from the whole layer's bitmap
        pg.evaluate(MOVE, [-0.3, 0.25])
        _settle(pg)
        assert pg.evaluate(MOVE, [0.3, 4.0]) == "true"
        assert pg.evaluate(LAYER_AT, [5, -4.5]) == EAST_FILL
        assert pg.evaluate(LAYER_AT, [-5, -4.5]) == WEST_FILL
        _settle(pg)
        assert pg.evaluate(LAYER_MOVED) is False  # drawn crisp in place again
        assert pg.evaluate("document.querySelector('canvas.background-world').hidden") is True
        assert pg.evaluate(LAYER_AT, [-5, -4.5]) == WEST_FILL
        assert pg.evaluate(LAYER_AT, [5, -4.5]) == EAST_FILL
        assert not _problems(opened), _problems(opened)[:5]


def test_a_selected_node_stays_selected_through_a_move_and_is_found_under_the_mouse_at_rest(
    browser: Any, tmp_path: Path
) -> None:
    with offline_page(browser) as opened:
        pg = opened.page
        _open(pg, tmp_path, grid_payload(MANY))
        pg.evaluate("() => { selectNode('n7'); }")
        _settle(pg)  # selectNode centres the camera: a motion
        shown = "renderer.getNodeDisplayData('{}')"
        assert pg.evaluate(MOVE, [0.01, 0.9]) == "true"
        assert pg.evaluate(f"{shown.format('n7')}.highlighted") is True
        assert pg.evaluate(f"{shown.format('n300')}.hidden") is True
        # moving: no picking pass, so nothing is found under the mouse
        at = pg.evaluate(NODE_AT, "n7")
        box = pg.locator("#mynetwork").bounding_box()
        v = {"x": at["x"] - box["x"], "y": at["y"] - box["y"]}
        assert pg.evaluate("(v) => renderer.getNodeAtPosition(v)", v) is None
        _settle(pg)
        assert pg.evaluate("document.body.dataset.selected") == "n7"
        assert pg.evaluate(f"{shown.format('n7')}.highlighted") is True
        assert pg.evaluate("(v) => renderer.getNodeAtPosition(v)", v) == "n7"


def test_see_through_link_colours_go_to_webgl_premultiplied(browser: Any, tmp_path: Path) -> None:
    """sigma blends as premultiplied alpha: rgba(28,65,108,0.5) must reach WebGL as
    rgba(14,33,54,0.5), or overlapping links add up to a bright haze."""
    with offline_page(browser) as opened:
        pg = opened.page
        _open(pg, tmp_path, grid_payload(200, colour="rgba(28, 65, 108, 0.5)"))
        edge = pg.evaluate("graph.edges()[0]")
        assert pg.evaluate(f"renderer.getEdgeDisplayData('{edge}').color") == "rgba(14,33,54,0.5)"


@pytest.mark.parametrize("links", [40, MANY], ids=["few-links", "links-as-picture"])
def test_a_real_click_on_a_small_node_selects_it_before_and_after_a_pan_and_zoom(
    browser: Any, tmp_path: Path, links: int
) -> None:
    """Nodes of size 3 (a 6-pixel dot, as most cities are): the real mouse on the dot
    names it (hover), a click selects it (details, only its links and neighbours
    drawn), a click on the empty stage clears it; again once a dragged pan and a
    wheel zoom have come to rest."""
    with offline_page(browser) as opened:
        pg = opened.page
        _open(pg, tmp_path, grid_payload(links), rest_ms=160)
        shown = "(id) => renderer.getNodeDisplayData(id).hidden === true"
        near = set(pg.evaluate("graph.neighbors('n7')"))
        neighbour = sorted(near)[0]
        stranger = next(f"n{i}" for i in range(8, 100) if f"n{i}" not in near)

        def click_n7() -> None:
            at = pg.evaluate(WEBGL_NODE_XY, "n7")
            pg.mouse.move(at["x"], at["y"])
            pg.wait_for_function("() => document.body.dataset.hovered === 'n7'", timeout=5_000)
            webgl_click(pg, "n7")
            pg.wait_for_function("() => document.body.dataset.selected === 'n7'", timeout=5_000)
            assert pg.locator("#details h3").inner_text() == "Node 7"
            assert pg.evaluate(shown, neighbour) is False
            assert pg.evaluate(shown, stranger) is True

        click_n7()
        # the empty stage (below the grid's right end, in the eastern country, away from
        # the details panel at the top left): the selection clears
        empty = pg.evaluate(
            "() => { const v = renderer.graphToViewport({x: 9.5, y: -4.8});"
            " const c = document.getElementById('mynetwork'), r = c.getBoundingClientRect();"
            " return {x: r.left + c.clientLeft + v.x, y: r.top + c.clientTop + v.y}; }"
        )
        pg.wait_for_timeout(PAUSE_MS)
        pg.mouse.click(empty["x"], empty["y"])
        pg.wait_for_function("() => document.body.dataset.selected === ''", timeout=5_000)
        assert pg.evaluate(shown, stranger) is False
        assert pg.locator("#details h3").inner_text() == "East"  # the country clicked
        # a dragged pan and a wheel zoom, then rest: the node is clicked where it now is
        box = pg.locator("#mynetwork").bounding_box()
        cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        pg.mouse.move(cx, cy)
        pg.mouse.down()
        pg.mouse.move(cx + 80, cy + 40, steps=8)
        pg.mouse.up()
        pg.mouse.wheel(0, 240)
        pg.wait_for_function("() => !renderer.getCamera().isAnimated()")
        pg.wait_for_function(RESTED, timeout=5_000)
        pg.wait_for_timeout(PAUSE_MS)
        click_n7()
        assert not _problems(opened), _problems(opened)[:5]


def test_of_two_overlapping_dots_a_click_selects_the_one_whose_centre_it_is_on(
    browser: Any, tmp_path: Path
) -> None:
    """n8 is put 5 pixels right of n7 and drawn after it, so it covers most of n7's
    picking disc: a click on n7's centre still selects n7, one on n8's selects n8."""
    payload = grid_payload(40)
    n7, n8 = payload["nodes"][7], payload["nodes"][8]
    with offline_page(browser) as opened:
        pg = opened.page
        _open(pg, tmp_path, payload)
        per_unit = pg.evaluate(
            "() => renderer.graphToViewport({x: 1, y: 0}).x"
            " - renderer.graphToViewport({x: 0, y: 0}).x"
        )
        n8["x"], n8["y"] = n7["x"] + 5 / per_unit, n7["y"]
        _open(pg, tmp_path, payload)
        for node in ("n7", "n8", "n7"):
            webgl_click(pg, node)
            pg.wait_for_function(
                f"() => document.body.dataset.selected === {node!r}", timeout=5_000
            )
            pg.wait_for_timeout(PAUSE_MS)
        assert not _problems(opened), _problems(opened)[:5]
