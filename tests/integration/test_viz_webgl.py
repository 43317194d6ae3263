"""The WebGL pages (`viz.webgl`) in headless Chromium, with the network cut off.

The cities view of the full twin-cities network (17,127 cities, 24,729 links) is
drawn whole: no console error, the drawn node and link counts equal the data,
"Malm" finds Malmö, selects it and centres it, a click on a city lists its links,
gap rings appear only once a gap type is chosen. Served over real HTTP, a
confidential city-to-city link is on an analyst's page and not on a reader's, and a
double-click opens the node's neighbourhood page. Screenshots go to
`$SCN_GRAPH_ARTIFACTS/webgl` (default: under pytest's temporary directory; the end of
the run names it).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.projection import project
from tests.support.browser import (
    CANVAS_INK,
    DRIVER_NOTE,
    WEBGL_NODE_XY,
    artifact_dir,
    offline_page,
    webgl_click,
)
from tests.support.pages import make_test_app, serving
from tests.support.store import load
from tests.support.twin_cities import TWIN_GROUP, TwinStore
from viz import offline
from viz.service import network_page
from viz.views import select_view

pytestmark = pytest.mark.browser

DRAW_TIMEOUT_MS = 60_000
#: Where a node is on the screen (page coordinates), and the drawing's centre.
NODE_ON_SCREEN = f"""(id) => {{
  const c = document.getElementById('mynetwork'), r = c.getBoundingClientRect();
  const left = r.left + c.clientLeft, top = r.top + c.clientTop;
  return {{...({WEBGL_NODE_XY})(id), cx: left + c.clientWidth / 2, cy: top + c.clientHeight / 2}};
}}"""
#: Of the smallest nodes in view, one with no other node's centre within 12 pixels (a
#: grid of 12-pixel cells, each node checked against its own and the eight around it).
SMALLEST_APART = """() => {
  const cell = 12, grid = new Map(), at = {}, c = document.getElementById('mynetwork');
  graph.forEachNode((id) => {
    const v = renderer.graphToViewport(graph.getNodeAttributes(id));
    if (v.x < 20 || v.y < 20 || v.x > c.clientWidth - 20 || v.y > c.clientHeight - 20) return;
    at[id] = v;
    const key = Math.floor(v.x / cell) + ',' + Math.floor(v.y / cell);
    (grid.get(key) || grid.set(key, []).get(key)).push(id);
  });
  const alone = Object.keys(at).filter((id) => {
    const v = at[id], gx = Math.floor(v.x / cell), gy = Math.floor(v.y / cell);
    for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) {
      for (const other of grid.get((gx + dx) + ',' + (gy + dy)) || []) {
        const w = at[other];
        if (other !== id && Math.hypot(w.x - v.x, w.y - v.y) < cell) return false;
      }
    }
    return true;
  });
  alone.sort((a, b) => graph.getNodeAttribute(a, 'size') - graph.getNodeAttribute(b, 'size'));
  return alone.length ? alone[0] : null;
}"""
#: Between two clicks of a test: sigma takes two clicks within its double-click time
#: (300 ms) as a double-click, wherever they are.
PAUSE_MS = 400


#: The label boxes drawn (viewport pixels) once the camera is at `ratio`.
LABELS_AT = """(ratio) => {
  renderer.getCamera().setState({ratio: ratio});
  renderer.refresh();
  return labelBoxes.map(b => b.slice());
}"""


def _overlapping(boxes: list[list[float]]) -> list[tuple[int, int]]:
    return [
        (i, j)
        for i, a in enumerate(boxes)
        for j, b in enumerate(boxes[i + 1 :], i + 1)
        if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
    ]


def _problems(opened: Any) -> list[str]:
    return [p for p in opened.problems if DRIVER_NOTE not in p]


def _wait_drawn(pg: Any) -> None:
    pg.wait_for_function("() => document.body.dataset.drawn === 'true'", timeout=DRAW_TIMEOUT_MS)


@pytest.fixture(scope="module")
def shots(tmp_path_factory: Any) -> Any:
    """`shots(page, name)` keeps a screenshot of `page` among this run's artifacts."""
    folder = artifact_dir(tmp_path_factory, "webgl")
    return lambda pg, name: pg.screenshot(path=str(folder / f"{name}.png"))


# --------------------------------------------------------------------------- twin cities


@pytest.fixture(scope="module")
def twin_page(twin_store: TwinStore, tmp_path_factory: Any) -> Any:
    """The cities view of the full twin-cities network (the shared `twin_store`),
    written to a file once."""
    s = twin_store.store
    G = project(s, include_confidential=False)
    view = select_view(G, "cities").graph
    page = network_page(s, view="cities")
    assert offline.external_refs(page.html) == []
    path = tmp_path_factory.mktemp("webgl") / "twin-cities.html"
    page.write(path)
    return page, view, path.as_uri()


@pytest.mark.slow
@pytest.mark.xdist_group(TWIN_GROUP)
def test_twin_cities_view_is_drawn_whole(browser: Any, twin_page: Any, shots: Any) -> None:
    page, view, url = twin_page
    assert page.mode == "full" and page.size_bytes < 15_000_000
    assert page.node_count == view.number_of_nodes() > 17_000
    assert page.edge_count == view.number_of_edges() > 24_000
    with offline_page(browser) as opened:
        pg = opened.page
        pg.goto(url, wait_until="load")
        _wait_drawn(pg)
        drawn = pg.evaluate(
            "() => ({order: graph.order, size: graph.size, nodes: nodes.length,"
            " data: Number(document.body.dataset.nodeCount),"
            " visible: Number(document.body.dataset.visibleNodes),"
            " shown: document.getElementById('shown-nodes').textContent,"
            " rings: Number(document.body.dataset.markedNodes)})"
        )
        assert drawn["order"] == drawn["nodes"] == drawn["data"] == view.number_of_nodes()
        assert drawn["visible"] == view.number_of_nodes()
        assert drawn["shown"] == f"{view.number_of_nodes():,}"
        assert drawn["size"] == view.number_of_edges()
        assert drawn["rings"] == 0  # no gap marker until the user picks a gap type
        assert pg.evaluate(CANVAS_INK)["ink"] > 2000, "the drawing looks blank"
        shots(pg, "twin-cities")
        # labels: some at every zoom level, more as one zooms in, never two overlapping
        shown = [pg.evaluate(LABELS_AT, ratio) for ratio in (1.0, 0.25, 0.05)]
        for boxes in shown:
            assert boxes and not _overlapping(boxes), boxes[:5]
        assert len(shown[0]) < len(shown[2])
        shots(pg, "twin-cities-zoomed")
        assert not _problems(opened), _problems(opened)[:5]
        assert not opened.blocked


@pytest.mark.slow
@pytest.mark.xdist_group(TWIN_GROUP)
def test_twin_cities_search_click_and_gap_markers(browser: Any, twin_page: Any, shots: Any) -> None:
    _page, view, url = twin_page
    malmo = next(n for n, d in view.nodes(data=True) if d.get("name") == "Malmö")
    with offline_page(browser) as opened:
        pg = opened.page
        pg.goto(url, wait_until="load")
        _wait_drawn(pg)
        # at the first zoom, where a city is a dot of a few pixels: the real mouse on the
        # dot (on each side of its centre) names it, a click selects it, a click on the
        # empty stage clears
        city = pg.evaluate(SMALLEST_APART)
        assert city is not None
        assert pg.evaluate("(id) => renderer.getNodeDisplayData(id).size", city) < 4
        box = pg.locator("#mynetwork").bounding_box()
        for off in ((1.5, 1.5), (-1.5, 1.5), (1.5, -1.5), (-1.5, -1.5)):
            webgl_click(pg, city, off=off)
            selected = f"() => document.body.dataset.selected === {city!r}"
            pg.wait_for_function(selected, timeout=10_000)
            assert pg.evaluate("document.body.dataset.hovered") == city
            assert pg.locator("#details h3").inner_text() == view.nodes[city]["name"]
            pg.wait_for_timeout(PAUSE_MS)
            pg.mouse.click(box["x"] + box["width"] - 8, box["y"] + box["height"] - 8)
            pg.wait_for_function("() => document.body.dataset.selected === ''", timeout=10_000)
            pg.wait_for_timeout(PAUSE_MS)
        pg.fill("#search", "Malm")
        names = pg.eval_on_selector_all(
            "#search-results li[data-node]", "ls => ls.map(l => l.dataset.node)"
        )
        assert malmo in names
        pg.press("#search", "Enter")
        assert pg.evaluate("document.body.dataset.selected") == malmo
        pg.wait_for_timeout(800)  # the camera's move to it
        at = pg.evaluate(NODE_ON_SCREEN, malmo)
        assert abs(at["x"] - at["cx"]) < 4 and abs(at["y"] - at["cy"]) < 4, at
        assert "Malmö" in pg.locator("#details h3").inner_text()
        shots(pg, "twin-cities-malmo")
        # a click on another city shows its links
        partner = next(iter(view.adj[malmo]))
        pg.locator("#details button.link", has_text=view.nodes[partner]["name"]).first.click()
        pg.wait_for_timeout(800)
        at = pg.evaluate(NODE_ON_SCREEN, malmo)
        pg.mouse.click(at["x"], at["y"])
        pg.wait_for_function(f"() => document.body.dataset.selected === {malmo!r}", timeout=10_000)
        links = pg.locator("#details ul.links li").count()
        assert links == len(list(view.in_edges(malmo))) + len(list(view.out_edges(malmo)))
        assert view.nodes[partner]["name"] in pg.locator("#details").inner_text()
        # gap rings: none until a type is chosen, then exactly the nodes with that finding
        assert pg.evaluate("Number(document.body.dataset.markedNodes)") == 0
        first_type = pg.eval_on_selector_all(
            "#gap-type option", "os => os.map(o => o.value).filter(v => v && v !== '*')"
        )[0]
        pg.select_option("#gap-type", first_type)
        expected = pg.evaluate(
            "(t) => nodes.filter(n => (n.gaps || []).some(g => g[0] === t)).length", first_type
        )
        assert expected > 0
        assert pg.evaluate("Number(document.body.dataset.markedNodes)") == expected
        shots(pg, "twin-cities-gaps")
        pg.select_option("#gap-type", "")
        assert pg.evaluate("Number(document.body.dataset.markedNodes)") == 0
        assert not _problems(opened), _problems(opened)[:5]


# --------------------------------------------------------------------------- served pages

CITIES = {
    "actors": [
        {"id": "se-malmo", "name": "Malmö", "kind": "city", "country": "SE"},
        {"id": "dk-aarhus", "name": "Aarhus", "kind": "city", "country": "DK"},
        {"id": "se-lund", "name": "Lund", "kind": "city", "country": "SE"},
        {"id": "se-ministry", "name": "Ministry", "kind": "national_body", "country": "SE"},
    ],
    "relationships": [
        {"source": "se-malmo", "type": "TWINNED_WITH", "target": "dk-aarhus"},
        {"source": "se-malmo", "type": "PARTNERS_WITH", "target": "se-lund", "confidential": True},
        {"source": "se-ministry", "type": "FUNDS", "target": "se-lund"},
    ],
}


@pytest.fixture(scope="module")
def live_cities(server_dir: Path) -> Iterator[str]:
    """Three cities (one confidential link between two) behind real HTTP."""
    from graph.store import open_store

    s = open_store(f"embedded:{server_dir}?graph=w{uuid.uuid4().hex[:12]}")
    load(s, CITIES)
    with serving(make_test_app(s)) as url:
        yield url
    s.drop()  # type: ignore[attr-defined]
    s.close()


def _served_links(browser: Any, url: str, role: str, shots: Any) -> dict[str, Any]:
    context = browser.new_context(
        viewport={"width": 1400, "height": 900}, extra_http_headers={"X-Role": role}
    )
    try:
        pg = context.new_page()
        problems: list[str] = []
        pg.on("pageerror", lambda e: problems.append(str(e)))
        pg.goto(f"{url}/viz/cities", wait_until="load")
        _wait_drawn(pg)
        shots(pg, f"served-cities-{role}")
        assert not problems, problems
        return pg.evaluate(
            "() => ({pairs: edges.map(e => [e.source, e.target].sort().join('|')),"
            " drawn: graph.size, banner: !!document.querySelector('.banner.confidential')})"
        )
    finally:
        context.close()


def test_confidential_city_link_only_for_analysts(
    browser: Any, live_cities: str, shots: Any
) -> None:
    reader = _served_links(browser, live_cities, "reader", shots)
    analyst = _served_links(browser, live_cities, "analyst", shots)
    secret = "se-lund|se-malmo"
    assert secret not in reader["pairs"] and not reader["banner"]
    assert secret in analyst["pairs"] and analyst["banner"]
    assert reader["drawn"] == 1 and analyst["drawn"] == 2


def test_served_cities_view_a_real_click_selects_a_city_and_the_stage_clears(
    browser: Any, live_cities: str
) -> None:
    """The mouse on a city names it (hover: sigma draws its label), a click selects it
    (details, its link), a click on the empty stage clears the selection."""
    with offline_page(browser) as opened:
        pg = opened.page
        pg.goto(f"{live_cities}/viz/cities", wait_until="load")
        _wait_drawn(pg)
        webgl_click(pg, "dk-aarhus")
        pg.wait_for_function("() => document.body.dataset.selected === 'dk-aarhus'", timeout=5_000)
        assert pg.evaluate("document.body.dataset.hovered") == "dk-aarhus"
        assert pg.locator("#details h3").inner_text() == "Aarhus"
        links = pg.locator("#details ul.links li")
        assert links.count() == 1 and "TWINNED_WITH" in links.inner_text()
        assert "Malmö" in links.inner_text()
        assert pg.evaluate("renderer.getNodeDisplayData('dk-aarhus').highlighted") is True
        # the details sit over a top corner of the drawing, on the half away from the
        # click (the top right for a click on the left half), never over the city
        box = pg.locator("#mynetwork").bounding_box()
        panel = pg.locator("#details").bounding_box()
        at = pg.evaluate(NODE_ON_SCREEN, "dk-aarhus")
        assert box and panel
        if at["x"] < at["cx"]:
            assert abs((box["x"] + box["width"]) - (panel["x"] + panel["width"])) < 20, (box, panel)
        else:
            assert abs(box["x"] - panel["x"]) < 20, (box, panel)
        assert not panel["x"] <= at["x"] <= panel["x"] + panel["width"], (at, panel)
        assert panel["y"] - box["y"] < 20, (box, panel)
        # the drawing's bottom right corner: no node there
        pg.wait_for_timeout(PAUSE_MS)
        pg.mouse.move(box["x"] + box["width"] - 20, box["y"] + box["height"] - 20)
        pg.wait_for_function("() => document.body.dataset.hovered === ''", timeout=5_000)
        pg.mouse.click(box["x"] + box["width"] - 20, box["y"] + box["height"] - 20)
        pg.wait_for_function("() => document.body.dataset.selected === ''", timeout=5_000)
        assert pg.locator("#details").is_hidden()
        assert not _problems(opened), _problems(opened)[:5]


def test_a_city_where_the_details_open_still_opens_on_double_click(
    browser: Any, live_cities: str
) -> None:
    """The bug: the first click of a double-click opened the details over the drawing's
    top right corner; a city there had the panel under the second click, and never
    opened. The panel now opens on the half away from the click."""
    with offline_page(browser) as opened:
        pg = opened.page
        pg.goto(f"{live_cities}/viz/cities", wait_until="load")
        _wait_drawn(pg)
        pg.evaluate(  # the camera moved so that the city is drawn there
            """(id) => { const c = document.getElementById('mynetwork');
              const d = renderer.getNodeDisplayData(id), cam = renderer.getCamera();
              const t = renderer.viewportToFramedGraph({x: c.clientWidth - 120, y: 90});
              cam.setState({x: cam.x + d.x - t.x, y: cam.y + d.y - t.y}); }""",
            "dk-aarhus",
        )
        pg.wait_for_timeout(PAUSE_MS)
        at = pg.evaluate(NODE_ON_SCREEN, "dk-aarhus")
        box = pg.locator("#mynetwork").bounding_box()
        assert box and at["x"] > box["x"] + box["width"] - 22 * 16, (at, box)  # under the panel
        assert at["y"] < box["y"] + 200, (at, box)
        with pg.expect_navigation(timeout=15_000):
            pg.mouse.dblclick(at["x"], at["y"])
        assert pg.url.endswith("/viz/actors/dk-aarhus")
        assert not _problems(opened), _problems(opened)[:5]


def test_served_double_click_opens_the_neighbourhood(browser: Any, live_cities: str) -> None:
    with offline_page(browser) as opened:
        pg = opened.page
        pg.goto(f"{live_cities}/viz/cities", wait_until="load")
        _wait_drawn(pg)
        at = pg.evaluate(NODE_ON_SCREEN, "dk-aarhus")
        with pg.expect_navigation():
            pg.mouse.dblclick(at["x"], at["y"])
        assert pg.url.endswith("/viz/actors/dk-aarhus")
        pg.wait_for_function(
            "() => document.body.dataset.drawn === 'true'", timeout=DRAW_TIMEOUT_MS
        )
        assert pg.evaluate("document.body.dataset.view") == "actor"
        assert not _problems(opened), _problems(opened)[:5]
