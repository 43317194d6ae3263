"""The map: the `map` view's pages and the report's SVG coverage maps, from a real store.

The seed (47 nodes, none with coordinates: every node is at its country's centroid or in
the "Not on the map" panel), the invented sample (cities with coordinates, a confidential
link) and the full twin-cities network (17,127 cities with coordinates). Pages load in
headless Chromium (tests/support/browser.py) with no console error and no request
leaving the machine: the drawn nodes are the data's, the countries are drawn filled by
the measure, a click on a country shows its coverage and, served over real HTTP, a
double-click opens it; a confidential link is on an analyst's map and not on a
reader's. Screenshots go to `artifact_dir(..., "map")` (tests/support/browser.py:
`$SCN_GRAPH_ARTIFACTS/map`, else under pytest's temporary directory).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.analysis.coverage import coverage
from graph.projection import project
from tests.support.browser import (
    DRIVER_NOTE,
    WEBGL_POINT_XY,
    artifact_dir,
    offline_page,
    webgl_click,
)
from tests.support.pages import CONFIDENTIAL_NOTE, SAMPLE, make_test_app, serving
from tests.support.store import load, page_store
from tests.support.twin_cities import TWIN_GROUP, TwinStore
from viz import offline
from viz.geo.mapview import PANEL_ID
from viz.geo.measures import MEASURES, fill
from viz.geo.projection import natural_earth
from viz.service import network_page, report_page
from viz.views import select_view
from viz.webgl_view import CLOSE_RATIO

DRAW_TIMEOUT_MS = 60_000
#: Between two clicks of a test: sigma takes two clicks within its double-click time
#: (300 ms) as a double-click, wherever they are.
PAUSE_MS = 400
#: The country layer's pixels: how many of every 16th are not white or the page grey.
LAYER_INK = """() => {
  const c = document.querySelector('canvas.background-layer');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let ink = 0;
  for (let i = 0; i < d.length; i += 64) { if (d[i + 3] > 0) { ink++; } }
  return ink;
}"""


@pytest.fixture(scope="module")
def seed_store(server_dir: Path) -> Iterator[Any]:
    yield from page_store(server_dir, None, "m")


@pytest.fixture(scope="module")
def sample_store(server_dir: Path) -> Iterator[Any]:
    yield from page_store(server_dir, SAMPLE, "m")


def coverage_maps(html: str) -> dict[str, str]:
    """The report's coverage maps by measure, in page order."""
    pattern = re.compile(r'<svg class="coverage-map"[^>]*data-measure="(\w+)".*?</svg>', re.S)
    return {m.group(1): m.group(0) for m in pattern.finditer(html)}


@pytest.mark.parametrize("which", ["seed", "sample"])
def test_the_report_has_a_coverage_map_per_measure(request: Any, which: str) -> None:
    store = request.getfixturevalue(f"{which}_store")
    G = project(store, include_confidential=False)
    cov = coverage(G)
    html = report_page(store).html
    maps = coverage_maps(html)
    assert list(maps) == list(MEASURES)
    for name, svg in maps.items():
        assert "<script" not in svg
        for code, row in cov.items():
            share = row[MEASURES[name].key]
            assert re.search(rf'fill="{fill(share)}"[^>]*data-country="{code}"', svg), (name, code)
    assert "data-findings" in maps["national"] and "data-findings" not in maps["cso"]


# --------------------------------------------------------------------------- the map page


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return artifact_dir(tmp_path_factory, "map")


def _problems(opened: Any) -> list[str]:
    return [p for p in opened.problems if DRIVER_NOTE not in p]


def _drawn(pg: Any, shot: Path) -> dict[str, Any]:
    """Wait for the first complete draw, keep a screenshot, and read what was drawn."""
    pg.wait_for_function("() => document.body.dataset.drawn === 'true'", timeout=DRAW_TIMEOUT_MS)
    pg.screenshot(path=str(shot))
    pg.evaluate(
        "() => { window.LAYER = () => JSON.parse("
        "document.getElementById('scn-payload').textContent).background;"
        " window.LOOK = (e) => JSON.parse(document.getElementById('scn-payload').textContent)"
        ".legend.links[graph.getEdgeAttribute(e, 'look')]; }"
    )
    return pg.evaluate(
        "() => ({order: graph.order, size: graph.size, nodes: nodes.length,"
        " data: Number(document.body.dataset.nodeCount), view: document.body.dataset.view,"
        " polygons: LAYER().polygons.map(p => p.id),"
        " pairs: edges.map(e => [e.source, e.target].sort().join('|'))})"
    )


def _premultiplied(css: str) -> str:
    """A see-through "rgba(r,g,b,a)" as it goes to WebGL: channels times alpha (sigma
    blends premultiplied colours)."""
    r, g, b, a = (float(v) for v in re.findall(r"[\d.]+", css))
    r, g, b = (math.floor(c * a + 0.5) for c in (r, g, b))  # rounded as JavaScript does
    return f"rgba({r},{g},{b},{a:g})"


def _open_file(pg: Any, tmp_path: Path, name: str, html: str) -> None:
    """Open a page as the CLI writes it: a file."""
    assert offline.external_refs(html) == [], f"{name} has remote references"
    path = tmp_path / f"{name}.html"
    path.write_text(html, encoding="utf-8")
    pg.goto(path.as_uri(), wait_until="load")


@pytest.mark.browser
def test_the_seed_map_draws_every_node(
    browser: Any, seed_store: Any, tmp_path: Path, shots: Path
) -> None:
    G = project(seed_store, include_confidential=False)
    view = select_view(G, "map", {})
    page = network_page(seed_store, view="map")
    assert page.node_count == G.number_of_nodes() and page.edge_count == G.number_of_edges()
    assert "Natural Earth" in page.html and "Not on the map" in page.html
    with offline_page(browser) as opened:
        pg = opened.page
        _open_file(pg, tmp_path, "seed-map", page.html)
        drawn = _drawn(pg, shots / "seed-map.png")
        assert drawn["view"] == "map"
        assert drawn["order"] == drawn["nodes"] == drawn["data"] == G.number_of_nodes()
        assert drawn["size"] == G.number_of_edges()
        assert {"GB", "DE", PANEL_ID} <= set(drawn["polygons"])
        assert pg.evaluate(LAYER_INK) > 1000, "the countries are not drawn"
        # a click on Great Britain (Perth, away from the nodes at its centroid) shows its
        # coverage: its one city, London
        at = pg.evaluate(WEBGL_POINT_XY, list(natural_earth(-3.5, 56.5)))
        pg.mouse.click(at["x"], at["y"])
        details = pg.locator("#details").inner_text()
        assert "United Kingdom" in details and "Cities\n1" in details, details
        # a real click on London (a small dot) selects it: its details, only its links
        pg.wait_for_timeout(PAUSE_MS)
        webgl_click(pg, "london")
        pg.wait_for_function("() => document.body.dataset.selected === 'london'", timeout=5_000)
        assert pg.evaluate("document.body.dataset.hovered") == "london"
        label = pg.evaluate("nodes.find(n => n.id === 'london').label")
        assert pg.locator("#details h3").inner_text() == label
        hidden = pg.evaluate(
            "() => graph.filterNodes(n => renderer.getNodeDisplayData(n).hidden === true)"
        )
        assert set(hidden) == set(G) - {"london"} - set(G.to_undirected()["london"]), hidden
        # and a click on the empty stage (Perth again) clears it, showing the country
        pg.wait_for_timeout(PAUSE_MS)
        pg.mouse.click(at["x"], at["y"])
        pg.wait_for_function("() => document.body.dataset.selected === ''", timeout=5_000)
        assert "United Kingdom" in pg.locator("#details h3").inner_text()
        london = pg.evaluate("JSON.stringify(nodes.find(n => n.id === 'london').details)")
        assert "country's centroid" in london and "United Kingdom" in london, london
        placed = view.positions["london"]  # type: ignore[index]
        assert pg.evaluate(
            "[graph.getNodeAttribute('london', 'x'), graph.getNodeAttribute('london', 'y')]"
        ) == list(placed)
        assert not _problems(opened), _problems(opened)[:5]
        assert not opened.blocked


#: The colour of the country layer at a page point, as "#rrggbb".
LAYER_COLOUR = """([x, y]) => {
  const c = document.querySelector('canvas.background-layer');
  const r = document.getElementById('mynetwork').getBoundingClientRect();
  const k = c.width / r.width;
  const d = c.getContext('2d').getImageData(Math.round((x - r.left) * k),
                                            Math.round((y - r.top) * k), 1, 1).data;
  return '#' + [d[0], d[1], d[2]].map(v => v.toString(16).padStart(2, '0')).join('');
}"""


@pytest.mark.browser
def test_a_small_map_draws_arcs_and_switches_its_measure_in_the_page(
    browser: Any, sample_store: Any, tmp_path: Path, shots: Path
) -> None:
    """A small map draws its links as arcs at full colour; the select beside the legend
    recolours the countries and retitles the legend without a reload."""
    page = network_page(sample_store, view="map")
    with offline_page(browser) as opened:
        pg = opened.page
        _open_file(pg, tmp_path, "sample-map-measures", page.html)
        _drawn(pg, shots / "sample-map-arcs.png")
        assert pg.evaluate("document.body.dataset.arcs") == "true"
        assert pg.evaluate("document.body.dataset.faintLinks") == "false"
        types = pg.evaluate("graph.edges().map(e => renderer.getEdgeDisplayData(e).type)")
        assert types and set(types) == {"curve"}
        differing = pg.evaluate(
            "LAYER().polygons.filter(p => p.fills && new Set(Object.values(p.fills)).size > 1)"
            ".map(p => [p.id, p.fills])"
        )
        fills = dict(differing).get("DE")
        assert fills, f"Germany's shading does not change with the measure: {differing}"
        inside = pg.evaluate(WEBGL_POINT_XY, list(natural_earth(8.5, 49.0)))  # Karlsruhe, no node
        assert pg.evaluate(LAYER_COLOUR, [inside["x"], inside["y"]]) == fills["national"]
        loaded = pg.evaluate("performance.timeOrigin")
        pg.mouse.click(inside["x"], inside["y"])  # Germany's details stay open meanwhile
        for m in [*MEASURES.values()][::-1]:
            pg.select_option("#measure", m.name)
            assert pg.evaluate("document.body.dataset.measure") == m.name
            assert pg.locator("#background-title").inner_text() == m.title
            assert pg.evaluate(LAYER_COLOUR, [inside["x"], inside["y"]]) == fills[m.name]
            details = pg.locator("#details").inner_text()
            assert f"{m.title} (shading)" in details and details.count("(shading)") == 1
        pg.screenshot(path=str(shots / "sample-map-cso.png"))
        assert pg.evaluate("performance.timeOrigin") == loaded  # no reload
        assert not _problems(opened), _problems(opened)[:5]


@pytest.fixture(scope="module")
def live_sample(sample_store: Any) -> Iterator[str]:
    """The sample behind real HTTP, roles from an X-Role header."""
    with serving(make_test_app(sample_store)) as base:
        yield base


def test_an_unknown_measure_is_a_422_naming_the_choices(live_sample: str) -> None:
    import httpx

    r = httpx.get(f"{live_sample}/viz/map", params={"measure": "bogus"}, timeout=60)
    assert r.status_code == 422, r.text
    assert "national, domestic, cso" in r.text and "'bogus'" in r.text


def _served(browser: Any, url: str, role: str, shot: Path) -> tuple[Any, Any, dict[str, Any]]:
    context = browser.new_context(
        viewport={"width": 1400, "height": 900}, extra_http_headers={"X-Role": role}
    )
    pg = context.new_page()
    problems: list[str] = []
    pg.on("pageerror", lambda e: problems.append(str(e)))
    pg.on(
        "console",
        lambda m: (
            problems.append(m.text) if m.type == "error" and DRIVER_NOTE not in m.text else None
        ),
    )
    pg.goto(url, wait_until="load")
    drawn = _drawn(pg, shot)
    assert not problems, problems
    return context, pg, drawn


@pytest.mark.browser
def test_a_confidential_arc_is_only_on_an_analysts_map(
    browser: Any, live_sample: str, shots: Path
) -> None:
    secret = "de-amberg|de-ministry"
    context, _pg, reader = _served(
        browser, f"{live_sample}/viz/map", "reader", shots / "served-map-reader.png"
    )
    context.close()
    context, _pg, analyst = _served(
        browser, f"{live_sample}/viz/map", "analyst", shots / "served-map-analyst.png"
    )
    context.close()
    assert secret not in reader["pairs"] and secret in analyst["pairs"]
    assert analyst["size"] == reader["size"] + 1
    assert reader["order"] == analyst["order"] == len(SAMPLE["actors"]) + len(SAMPLE["initiatives"])


@pytest.mark.browser
def test_a_served_map_of_one_country_opens_a_country_on_double_click(
    browser: Any, live_sample: str, shots: Path
) -> None:
    url = f"{live_sample}/viz/map?country=DE&measure=cso"
    context, pg, drawn = _served(browser, url, "reader", shots / "served-map-de.png")
    try:
        assert pg.evaluate("LAYER().measure") == "cso"
        focus = pg.evaluate("LAYER().focus")
        assert focus is not None
        # a point in Germany (Karlsruhe) away from every node: a double-click opens Germany
        at = pg.evaluate(WEBGL_POINT_XY, list(natural_earth(8.5, 49.0)))
        with pg.expect_navigation():
            pg.mouse.dblclick(at["x"], at["y"])
        assert pg.url.endswith("/viz/countries/DE")
    finally:
        context.close()
    assert CONFIDENTIAL_NOTE not in str(drawn)


@pytest.mark.browser
def test_a_served_map_opens_a_city_on_double_click(
    browser: Any, live_sample: str, shots: Path
) -> None:
    """A real double-click on a city of the served map (the one drawn farthest from the
    others, so no other dot is under the mouse) opens its neighbourhood page."""
    context, pg, _drawn_map = _served(
        browser, f"{live_sample}/viz/map", "reader", shots / "served-map.png"
    )
    try:
        city = pg.evaluate(
            "() => { const at = graph.mapNodes((id, a) => [id, renderer.graphToViewport(a)]);"
            " const gap = ([id, v]) => Math.min(...at.filter(o => o[0] !== id)"
            ".map(([, w]) => Math.hypot(w.x - v.x, w.y - v.y)));"
            " return at.filter(([id]) => graph.getNodeAttribute(id, 'kind') === 'city')"
            ".sort((a, b) => gap(b) - gap(a))[0][0]; }"
        )
        with pg.expect_navigation():
            webgl_click(pg, city, double=True, off=(1.5, -1.5))
        assert pg.url.endswith(f"/viz/actors/{city}")
    finally:
        context.close()


# --------------------------------------------------------------------------- twin cities


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.xdist_group(TWIN_GROUP)
def test_the_twin_cities_map_and_report(
    browser: Any, twin_store: TwinStore, tmp_path: Path, shots: Path
) -> None:
    """Every one of the 17,127 cities at its coordinates, every link drawn, the whole
    world's outlines; the report's coverage maps cover the countries with cities."""
    from graph.analysis.service import AnalysisService

    store = twin_store.store
    G = project(store, include_confidential=False)
    service = AnalysisService(store)
    page = network_page(store, view="map", analysis=service)
    assert page.node_count == G.number_of_nodes() > 17_000
    assert page.edge_count == G.number_of_edges() > 24_000
    assert page.size_bytes < 15_000_000
    assert "Hekman/twincities" in page.html and "Natural Earth" in page.html
    assert "Not on the map" not in page.html  # every city has coordinates
    with offline_page(browser) as opened:
        pg = opened.page
        _open_file(pg, tmp_path, "twin-cities-map", page.html)
        drawn = _drawn(pg, shots / "twin-cities-map.png")
        assert drawn["order"] == drawn["nodes"] == drawn["data"] == G.number_of_nodes()
        assert drawn["size"] == G.number_of_edges()
        assert len(drawn["polygons"]) > 200
        assert pg.evaluate(LAYER_INK) > 1000, "the countries are not drawn"
        # 24,729 links: faint plain lines from afar, so the countries show through; full
        # colour once zoomed in (fewer links on screen)
        assert pg.evaluate("[document.body.dataset.arcs, document.body.dataset.faintLinks]") == [
            "false",
            "true",
        ]
        some = pg.evaluate("graph.edges()[0]")
        shown = f"renderer.getEdgeDisplayData('{some}')"
        assert pg.evaluate(f"{shown}.type") == "line"
        faint, full = pg.evaluate(f"[LOOK('{some}').faintColour, LOOK('{some}').colour]")
        assert pg.evaluate(f"{shown}.color") == _premultiplied(faint)
        pg.evaluate(f"renderer.getCamera().setState({{ratio: {CLOSE_RATIO / 2}}})")
        pg.wait_for_function("() => document.body.dataset.faintLinks === 'false'")
        assert pg.evaluate(f"{shown}.color") == _premultiplied(full)
        pg.screenshot(path=str(shots / "twin-cities-map-zoomed.png"))
        assert not _problems(opened), _problems(opened)[:5]
        assert not opened.blocked

    html = report_page(store, analysis=service).html
    maps = coverage_maps(html)
    assert list(maps) == list(MEASURES)
    cov = coverage(G)
    shaded = set(re.findall(r'data-country="([A-Z]{2})"', maps["national"]))
    assert len(cov) > 150 and len(set(cov) & shaded) > 0.9 * len(cov)
    assert int(maps["national"].count("data-findings")) > 100


def test_the_cli_writes_a_map_of_one_country(store: Any, store_uri: str, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from cli.main import app

    load(store, SAMPLE)
    out = tmp_path / "de-map.html"
    runner = CliRunner()
    args = ["viz", "--view", "map", "-o", str(out), "--store", store_uri]
    res = runner.invoke(app, [*args, "--country", "Germany", "-m", "cso"])
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    assert "Germany (DE) on a map" in html and "civil-society partner" in html
    res = runner.invoke(app, [*args, "-m", "private"])
    # a value the option may not take is a usage error (2), as an unknown country is
    assert res.exit_code == 2 and "measure must be one of national, domestic, cso" in res.output
