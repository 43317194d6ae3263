"""Pages in headless Chromium: every view and the report load with no console
error and no request leaving the machine, the network canvas is drawn, the
node count the page reports matches the graph, and a screenshot is kept in
the run's artifacts folder (`tests.support.browser.artifact_dir`: $SCN_GRAPH_ARTIFACTS/viz,
or under pytest's temporary directory).

Needs Debian's `chromium` (`apt-get install -y chromium`, as `make test`
does). Outside CI a missing browser skips these tests and says so; in CI
(CI=true) it fails them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.projection import project
from tests.support.browser import (
    DRAW_TIMEOUT_MS,
    NODE_XY,
    artifact_dir,
    expand,
    open_page,
)
from tests.support.pages import SAMPLE, make_test_app, serving
from tests.support.store import page_store
from tests.support.twin_cities import TWIN_GROUP, TwinStore
from viz import offline
from viz.service import network_page, report_page
from viz.views import select_view

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where this module's screenshots go (`tests.support.browser.artifact_dir`)."""
    return artifact_dir(tmp_path_factory, "viz")


@pytest.fixture(scope="module")
def seed_store(server_dir: Path) -> Iterator[Any]:
    """The workshop seed dataset in the real embedded FalkorDB."""
    yield from page_store(server_dir, None, "v")


@pytest.fixture(scope="module")
def sample_store(server_dir: Path) -> Iterator[Any]:
    """The invented three-country sample (test_viz_pages.SAMPLE)."""
    yield from page_store(server_dir, SAMPLE, "v")


def _write(tmp_path: Path, name: str, html: str) -> str:
    assert offline.external_refs(html) == [], f"{name} has remote references"
    path = tmp_path / f"{name}.html"
    path.write_text(html, encoding="utf-8")
    return path.as_uri()


VIEWS = [
    ("network", {}),
    ("country", {"country": "GB"}),
    ("actor", {"actor": "london", "depth": 2}),
    ("cities", {}),
]


@pytest.mark.parametrize(("view", "kw"), VIEWS, ids=[v for v, _ in VIEWS])
def test_seed_views_draw(
    browser: Any, artifacts: Path, seed_store: Any, tmp_path: Path, view: str, kw: dict
) -> None:
    G = project(seed_store, include_confidential=False)
    expected = select_view(G, view, kw).graph.number_of_nodes()
    page = network_page(seed_store, view=view, options=kw)
    assert page.mode == "full" and page.node_count == expected
    opened = open_page(
        browser, _write(tmp_path, f"seed-{view}", page.html), f"seed-{view}", artifacts
    )
    c = opened.counts
    assert c["dataset"] == c["nodes"] == expected, c
    assert c["edges"] == c["edgeSet"] == page.edge_count, c
    assert c["visible"] == expected and c["shown"] == f"{expected:,}"


SAMPLE_VIEWS = [
    ("network", {"size_by": "betweenness"}),
    ("country", {"options": {"country": "FR"}}),
    ("actor", {"options": {"actor": "fr-dole", "depth": 2}}),
    ("cities", {}),
]


@pytest.mark.parametrize(("view", "kw"), SAMPLE_VIEWS, ids=[v for v, _ in SAMPLE_VIEWS])
def test_sample_views_draw(
    browser: Any, artifacts: Path, sample_store: Any, tmp_path: Path, view: str, kw: dict
) -> None:
    G = project(sample_store, include_confidential=True)
    expected = select_view(G, view, kw.get("options"))
    page = network_page(sample_store, view=view, include_confidential=True, **kw)
    opened = open_page(
        browser, _write(tmp_path, f"sample-{view}", page.html), f"sample-{view}", artifacts
    )
    assert opened.counts["dataset"] == opened.counts["nodes"] == expected.graph.number_of_nodes()
    assert opened.counts["edgeSet"] == expected.graph.number_of_edges()


@pytest.mark.parametrize("which", ["seed", "sample"])
def test_report_draws(
    browser: Any, artifacts: Path, request: Any, tmp_path: Path, which: str
) -> None:
    store = request.getfixturevalue(f"{which}_store")
    G = project(store, include_confidential=False)
    page = report_page(store)
    opened = open_page(
        browser,
        _write(tmp_path, f"report-{which}", page.html),
        f"report-{which}",
        artifacts,
        full_page=True,
        keep=True,
    )
    assert opened.counts["dataset"] == opened.counts["nodes"] == G.number_of_nodes()
    pg = opened.page
    rows = pg.locator("#findings-table tbody tr").count()
    assert rows == int(pg.evaluate("document.body.dataset.findingRows"))
    # sort the findings by gap title, both ways
    pg.click("#findings-table th:nth-child(2)")
    titles = pg.eval_on_selector_all(
        "#findings-table tbody tr td:nth-child(2)", "els => els.map(e => e.textContent.trim())"
    )
    assert titles == sorted(titles, key=str.lower)
    pg.click("#findings-table th:nth-child(2)")
    titles = pg.eval_on_selector_all(
        "#findings-table tbody tr td:nth-child(2)", "els => els.map(e => e.textContent.trim())"
    )
    assert titles == sorted(titles, key=str.lower, reverse=True)
    # print layout: no toolbar, the network still there
    pg.emulate_media(media="print")
    assert pg.locator(".toolbar").is_hidden() and pg.locator("#mynetwork canvas").is_visible()
    pg.context.close()


def test_search_and_filters(
    browser: Any, artifacts: Path, sample_store: Any, tmp_path: Path
) -> None:
    page = network_page(sample_store, view="network")
    total = page.node_count
    cities = sum(1 for a in SAMPLE["actors"] if a["kind"] == "city")
    opened = open_page(
        browser, _write(tmp_path, "filters", page.html), "filters", artifacts, keep=True
    )
    pg = opened.page
    pg.fill("#search", "gniez")
    assert pg.locator("#search-results li").count() == 1
    pg.press("#search", "Enter")
    assert pg.evaluate("network.getSelectedNodes()") == ["pl-gniezno"]
    assert "Gniezno" in pg.locator("#details").inner_text()
    pg.uncheck("input[data-kind=city]")
    assert int(pg.evaluate("document.body.dataset.visibleNodes")) == total - cities
    assert pg.evaluate("nodes.get('fr-dole').hidden") is True
    pg.check("input[data-kind=city]")
    pg.uncheck("input[data-rel=TWINNED_WITH]")
    hidden = pg.evaluate("edges.get({filter: e => e.hidden}).map(e => e.rel)")
    assert hidden == ["TWINNED_WITH"]
    pg.click("#country-filter summary")
    pg.click("button[data-countries=none]")
    assert int(pg.evaluate("document.body.dataset.visibleNodes")) == 0
    pg.click("#reset")
    assert int(pg.evaluate("document.body.dataset.visibleNodes")) == total
    pg.check("#only-gaps")
    with_gaps = pg.evaluate("nodes.get({filter: n => n.gaps > 0}).length")
    assert 0 < with_gaps < total
    assert int(pg.evaluate("document.body.dataset.visibleNodes")) == with_gaps
    pg.context.close()


@pytest.fixture
def live_api(sample_store: Any) -> Iterator[str]:
    """The pages router behind real HTTP on a loopback port."""
    with serving(make_test_app(sample_store)) as url:
        yield url


def test_served_page_expands_a_node_on_double_click(
    browser: Any, artifacts: Path, live_api: str
) -> None:
    opened = open_page(
        browser, f"{live_api}/viz/actors/fr-evry?depth=1", "api-actor", artifacts, keep=True
    )
    pg = opened.page
    before = set(pg.evaluate("nodes.getIds()"))
    assert before == {"fr-evry", "fr-dole", "fr-cso", "net"}
    status = expand(pg, "fr-dole")
    after = set(pg.evaluate("nodes.getIds()"))
    assert after - before == {"de-amberg", "exchange"}
    assert pg.evaluate("Number(document.body.dataset.nodeCount)") == len(after)
    assert "Added 2 nodes" in status
    pg.screenshot(path=str(artifacts / "api-actor-expanded.png"))
    pg.context.close()


def test_served_aggregate_opens_a_country_on_double_click(
    browser: Any, artifacts: Path, live_api: str
) -> None:
    opened = open_page(
        browser, f"{live_api}/viz?max_nodes=5", "api-aggregate", artifacts, keep=True
    )
    pg = opened.page
    assert pg.evaluate("document.body.dataset.networkMode") == "aggregate"
    assert set(pg.evaluate("nodes.getIds()")) == {
        "country:DE",
        "country:FR",
        "country:PL",
        "country:none",
    }
    pos = pg.evaluate(NODE_XY, "country:FR")
    with pg.expect_navigation():
        pg.mouse.dblclick(pos["x"], pos["y"])
    assert pg.url.endswith("/viz/countries/FR")
    pg.wait_for_function("() => document.body.dataset.drawn === 'true'", timeout=DRAW_TIMEOUT_MS)
    assert pg.evaluate("document.body.dataset.view") == "country"
    pg.context.close()


@pytest.mark.slow
@pytest.mark.xdist_group(TWIN_GROUP)
def test_twin_cities_city_network_opens(
    browser: Any, artifacts: Path, twin_store: TwinStore, tmp_path: Path
) -> None:
    """The full twin-cities network, loaded with the adapter: the cities view's
    overviews still draw, aggregated to countries and cut to the top N (drawn whole by
    default: tests/integration/test_viz_webgl.py)."""
    from viz.network import MAX_NODES

    store = twin_store.store
    G = project(store, include_confidential=False)
    cities = [d for _, d in G.nodes(data=True) if d.get("kind") == "city"]
    assert len(cities) > MAX_NODES
    countries = {str(d["country"]).upper() if d.get("country") else "none" for d in cities}

    page = network_page(store, view="cities", large="aggregate")
    assert page.mode == "aggregate" and page.node_count == len(countries)
    assert "Hekman/twincities" in page.html
    opened = open_page(
        browser, _write(tmp_path, "twin-cities", page.html), "twin-cities", artifacts
    )
    assert opened.counts["dataset"] == opened.counts["nodes"] == len(countries)

    top = network_page(store, view="cities", large="top")
    assert top.mode == "top" and top.node_count == MAX_NODES
    opened = open_page(
        browser, _write(tmp_path, "twin-cities-top", top.html), "twin-cities-top", artifacts
    )
    assert opened.counts["dataset"] == opened.counts["nodes"] == MAX_NODES
