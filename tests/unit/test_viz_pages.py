"""Network pages and the report, without a browser: views, thresholds, offline
check, roles, determinism.

The browser-side checks (console errors, canvas drawn, counts) are in
tests/integration/test_viz_browser.py; both draw the sample in tests/support/pages.py.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from markupsafe import escape

from graph.projection import build_graph
from tests.support.pages import (
    CONFIDENTIAL_NOTE,
    SAMPLE,
    SAMPLE_NODES,
    body_attr,
    page_config,
)
from viz import offline
from viz.network import MAX_NODES, PHYSICS_MAX_NODES, render_network
from viz.report import render_report
from viz.views import ViewError, select_view


def sample_graph(*, include_confidential: bool = True, sources: list[str] | None = None):  # type: ignore[no-untyped-def]
    nodes = [
        {**r, "sources": sources or ["test"]} for r in SAMPLE["actors"] + SAMPLE["initiatives"]
    ]
    return build_graph(nodes, SAMPLE["relationships"], include_confidential=include_confidential)


def page_data(html: str) -> tuple[list[dict], list[dict]]:
    """The vis node and edge lists embedded in a page."""
    nodes = re.search(r"nodes = new vis\.DataSet\((\[.*?\])\);", html, re.S)
    edges = re.search(r"edges = new vis\.DataSet\((\[.*?\])\);", html, re.S)
    assert nodes and edges, "page has no vis DataSets"
    return json.loads(nodes.group(1)), json.loads(edges.group(1))


# --------------------------------------------------------------------------- views


def test_network_view_draws_every_node_and_edge() -> None:
    G = sample_graph()
    page = render_network(G)
    nodes, edges = page_data(page.html)
    assert page.mode == "full"
    assert page.node_count == len(nodes) == G.number_of_nodes() == SAMPLE_NODES
    assert page.edge_count == len(edges) == G.number_of_edges()
    assert body_attr(page.html, "node-count") == str(SAMPLE_NODES)
    assert {n["id"] for n in nodes} == set(G.nodes)


def test_nodes_coloured_by_kind_and_gaps_marked_with_findings_in_tooltip() -> None:
    G = sample_graph()
    page = render_network(G)
    nodes, _ = page_data(page.html)
    by_id = {n["id"]: n for n in nodes}
    assert by_id["de-amberg"]["group"].startswith("city")
    assert by_id["de-ministry"]["group"].startswith("national_body")
    assert by_id["exchange"]["group"].startswith("program")
    # Gniezno has no CSO partner: a finding, shown in its tooltip with its explanation
    gn = by_id["pl-gniezno"]
    assert gn["group"].endswith(".gap") and gn["gaps"] >= 1 and "⚠" in gn["label"]
    assert "City with no CSO partner" in gn["title"]
    # the hover stays short; the details panel gets each explanation and suggestion
    assert "→" not in gn["title"] and "click the node" in gn["title"]
    assert "City with no CSO partner" in gn["more"] and "→" in gn["more"]
    # the legend lists the kinds present, with the colours used
    assert "Civil-society organisation" in page.html and "#2ca02c" in page.html


def test_edges_styled_by_axis_cross_border_and_status() -> None:
    _, edges = page_data(render_network(sample_graph()).html)
    twin = next(e for e in edges if e["rel"] == "TWINNED_WITH")
    assert twin["ax"] == "horizontal" and twin["cb"] == 1 and twin["dashes"]
    vertical = next(e for e in edges if e["rel"] == "FUNDS")
    assert vertical["ax"] == "vertical" and "rgba(224,123,0" in vertical["color"]
    planned = next(e for e in edges if e["rel"] == "COORDINATES_WITH")
    assert planned["st"] == "planned" and planned["color"].endswith(",0.35)")
    runs = next(e for e in edges if e["rel"] == "RUNS")
    assert runs["arrows"] == "to" and "ax" not in runs
    assert "arrows" not in twin  # symmetric types have no direction


def test_country_view_keeps_partners_abroad_and_international_nodes() -> None:
    vg = select_view(sample_graph(), "country", {"country": "fr"})
    ids = set(vg.graph.nodes)
    assert {"fr-dole", "fr-evry", "fr-ministry", "fr-cso", "fr-fund"} <= ids
    assert "net" in ids  # no country, linked to Évry
    assert vg.abroad == {"de-amberg"}  # Dole's twin
    assert "pl-gniezno" not in ids  # linked to Dole only through a program without country
    page = render_network(sample_graph(), view="country", options={"country": "FR"})
    nodes, _ = page_data(page.html)
    amberg = next(n for n in nodes if n["id"] == "de-amberg")
    assert amberg["abroad"] and amberg["group"].startswith("city.abroad")
    assert page.title.startswith("France (FR)")


def test_actor_view_depth() -> None:
    G = sample_graph()
    one = set(select_view(G, "actor", {"actor": "fr-dole", "depth": 1}).graph.nodes)
    assert one == {"fr-dole", "de-amberg", "fr-evry", "exchange"}
    two = set(select_view(G, "actor", {"actor": "fr-dole", "depth": 2}).graph.nodes)
    assert {"pl-gniezno", "net", "de-ministry", "fr-cso"} <= two
    page = render_network(G, view="actor", options={"actor": "fr-dole", "depth": 2})
    assert page.node_count == len(two)
    assert json.loads(page_config(page.html))["focus"] == "fr-dole"


def test_cities_view_has_only_cities_and_horizontal_and_shared_initiative_links() -> None:
    vg = select_view(sample_graph(), "cities")
    H = vg.graph
    assert set(H.nodes) == {a["id"] for a in SAMPLE["actors"] if a["kind"] == "city"}
    types = {(min(u, v), max(u, v), k) for u, v, k in H.edges(keys=True)}
    assert ("de-amberg", "fr-dole", "TWINNED_WITH") in types
    assert ("fr-dole", "fr-evry", "COORDINATES_WITH") in types  # planned, drawn faded
    assert ("de-celle", "pl-gniezno", "SHARES_INFORMATION_WITH") in types
    # the exchange joins Amberg, Dole and Gniezno
    shared = {(u, v) for u, v, k in H.edges(keys=True) if k == "SHARED_INITIATIVE"}
    assert shared == {
        ("de-amberg", "fr-dole"),
        ("de-amberg", "pl-gniezno"),
        ("fr-dole", "pl-gniezno"),
    }
    d = H.edges["de-amberg", "pl-gniezno", "SHARED_INITIATIVE"]
    assert d["initiatives"] == ["Three-City Exchange"] and d["cross_border"]
    assert all(k != "MEMBER_OF" for _, _, k in H.edges(keys=True))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"view": "actor", "options": {"actor": "nobody"}},
            "No actor or initiative with id 'nobody'",
        ),
        (
            {"view": "country", "options": {"country": "DK"}},
            "No actor or initiative in Denmark (DK)",
        ),
        (
            {"view": "country", "options": {"country": "ZZ"}},
            "not a recognised country name or ISO code: 'ZZ'",
        ),
        ({"view": "country"}, "needs a country code"),
        (
            {"view": "actor", "options": {"actor": "fr-dole", "depth": 9}},
            "depth must be between 1 and 4",
        ),
        ({"view": "cities", "options": {"depth": 2}}, "The cities view has no option 'depth'"),
        ({"view": "galaxy"}, "Unknown view 'galaxy'"),
        ({"size_by": "charisma"}, "size_by must be one of degree, betweenness"),
        ({"max_nodes": 0}, "max_nodes must be between"),
    ],
)
def test_view_errors_are_readable(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ViewError, match=re.escape(message)):
        render_network(sample_graph(), **kwargs)


def test_empty_graph_is_an_error_not_a_blank_page() -> None:
    with pytest.raises(ViewError, match="empty"):
        render_network(build_graph([], []), findings=[])
    no_cities = build_graph([{"id": "x", "kind": "cso", "name": "X"}], [])
    with pytest.raises(ViewError, match="no cities"):
        render_network(no_cities, view="cities", findings=[])


# --------------------------------------------------------------------------- size, thresholds


def webgl_data(html: str) -> dict[str, Any]:
    """The payload embedded in a WebGL page (`viz.webgl`)."""
    found = re.search(r'id="scn-payload">(.*?)</script>', html, re.S)
    assert found, "page has no WebGL payload"
    return json.loads(found.group(1))


def test_size_by_betweenness_makes_the_broker_biggest() -> None:
    page = render_network(sample_graph(), view="cities", size_by="betweenness")
    nodes = webgl_data(page.html)["nodes"]
    sizes = {n["id"]: n["size"] for n in nodes}
    assert max(sizes, key=sizes.get) in {"de-amberg", "fr-dole"}
    assert "betweenness" in page.html.lower()


def _star_of_countries(n_cities: int, countries: int) -> Any:
    nodes = [
        {
            "id": f"c{i}",
            "kind": "city",
            "name": f"City {i}",
            "country": ["DE", "FR", "PL"][i % countries],
        }
        for i in range(n_cities)
    ]
    edges = [
        {"source": f"c{i}", "target": f"c{(i * 7 + 1) % n_cities}", "type": "TWINNED_WITH"}
        for i in range(n_cities)
    ]
    edges += [
        {"source": "c0", "target": f"c{i}", "type": "PARTNERS_WITH"} for i in range(2, n_cities, 5)
    ]
    return build_graph(nodes, edges)


def test_big_city_view_is_aggregated_to_countries_and_says_so() -> None:
    G = _star_of_countries(60, 3)
    # the cities view is drawn whole (WebGL) unless --large asks for the aggregate
    page = render_network(G, view="cities", max_nodes=50, large="aggregate", findings=[])
    nodes, edges = page_data(page.html)
    assert page.mode == "aggregate" and page.source_nodes == 60
    assert {n["id"] for n in nodes} == {"country:DE", "country:FR", "country:PL"}
    assert page.node_count == 3 and body_attr(page.html, "node-count") == "3"
    assert all(e["weight"] >= 1 for e in edges)
    assert sum(e["weight"] for e in edges) <= G.number_of_edges()
    assert "more than the 50 a page draws one by one" in page.html
    assert body_attr(page.html, "network-mode") == "aggregate"


def test_big_view_cut_to_top_n_keeps_the_hub_and_says_so() -> None:
    G = _star_of_countries(60, 3)
    page = render_network(G, view="cities", max_nodes=20, large="top", findings=[])
    nodes, edges = page_data(page.html)
    ids = {n["id"] for n in nodes}
    assert page.mode == "top" and len(ids) == 20 == page.node_count
    assert "c0" in ids  # the most connected city
    assert all(e["from"] in ids and e["to"] in ids for e in edges)
    assert "Showing the 20 with the highest number of links" in page.html
    # a one-country view cannot be aggregated: it is cut instead, and the page says why
    one = render_network(
        _star_of_countries(30, 1), view="cities", max_nodes=10, large="aggregate", findings=[]
    )
    assert one.mode == "top" and "one country" in one.html


def test_actor_view_cut_to_top_n_keeps_the_actor() -> None:
    G = _star_of_countries(60, 3)
    page = render_network(
        G, view="actor", options={"actor": "c59", "depth": 4}, max_nodes=5, findings=[]
    )
    ids = {n["id"] for n in page_data(page.html)[0]}
    assert page.mode == "top" and "c59" in ids and len(ids) == 5


def test_physics_only_for_small_views_positions_always_computed() -> None:
    small = render_network(sample_graph())
    cfg = json.loads(page_config(small.html))
    assert cfg["stabilize"] > 0 and not cfg["largeGraph"]
    G = _star_of_countries(PHYSICS_MAX_NODES + 10, 3)
    big = render_network(G, view="network", findings=[])
    cfg = json.loads(page_config(big.html))
    assert cfg["stabilize"] == 0 and cfg["largeGraph"]
    assert big.mode == "full" and big.node_count == PHYSICS_MAX_NODES + 10 <= MAX_NODES
    assert all("x" in n and "y" in n for n in page_data(big.html)[0])
    assert '"physics": {"enabled": false' in big.html.replace("\n", "")


def test_layout_is_deterministic() -> None:
    a = page_data(render_network(sample_graph()).html)[0]
    b = page_data(render_network(sample_graph()).html)[0]
    assert [(n["id"], n["x"], n["y"]) for n in a] == [(n["id"], n["x"], n["y"]) for n in b]


# --------------------------------------------------------------------------- offline, roles, credit


def test_pages_are_offline_and_bootstrap_cdn_is_dropped() -> None:
    from pyvis.network import Network

    raw = Network(cdn_resources="in_line").generate_html()
    parts = offline.pyvis_parts(raw)
    assert any("cdn.jsdelivr.net" in u for u in parts.dropped)  # pyvis issue 229
    for page in (render_network(sample_graph()), render_report(sample_graph())):
        assert offline.external_refs(page.html) == []
        assert "cdn.jsdelivr" not in page.html and "cdnjs" not in page.html
        assert str(escape(offline.CSP)) in page.html  # the browser refuses remote loads too
        assert "<link" not in page.html


@pytest.mark.parametrize(
    "snippet",
    [
        '<script src="https://cdn.example.org/x.js"></script>',
        '<link rel="stylesheet" href="http://cdn.example.org/x.css">',
        '<img src="//cdn.example.org/x.png">',
        '<iframe src="https://example.org"></iframe>',
        '<div style="background: url(https://example.org/a.png)"></div>',
        "<style>@import url('https://fonts.example.org/a.css');</style>",
        "<style>.a { background: url( 'https://example.org/a.png' ) }</style>",
    ],
)
def test_offline_check_finds_remote_references(snippet: str) -> None:
    assert offline.external_refs(f"<html><body>{snippet}</body></html>")


def test_offline_check_ignores_inert_text() -> None:
    html = (
        "<p>Data: github.com/Hekman/twincities and https://en.wikipedia.org (CC BY-SA)</p>"
        '<script>var ns = "http://www.w3.org/2000/svg";</script>'
        '<style>.x { background: url("data:image/png;base64,AAAA") }</style>'
    )
    assert offline.external_refs(html) == []


def test_confidential_relationships_left_out_for_readers() -> None:
    reader = render_network(sample_graph(include_confidential=False))
    analyst = render_network(sample_graph(include_confidential=True))
    r_edges = page_data(reader.html)[1]
    a_edges = page_data(analyst.html)[1]
    pair = {"de-amberg", "de-ministry"}
    assert not any({e["from"], e["to"]} == pair for e in r_edges)
    assert any({e["from"], e["to"]} == pair and e.get("conf") for e in a_edges)
    assert CONFIDENTIAL_NOTE not in reader.html
    assert "Confidential:" not in reader.html
    assert CONFIDENTIAL_NOTE in analyst.html and "Confidential:" in analyst.html
    assert CONFIDENTIAL_NOTE not in render_report(sample_graph(include_confidential=False)).html


def test_twin_cities_data_is_credited() -> None:
    plain = render_network(sample_graph(), view="cities")
    assert "Hekman/twincities" not in plain.html
    twin = render_network(sample_graph(sources=["twin_cities.csv"]), view="cities")
    assert "Hekman/twincities" in twin.html and "CC BY-SA 4.0" in twin.html
    assert offline.external_refs(twin.html) == []


def test_untrusted_names_are_escaped() -> None:
    nasty = "</script><script>alert(1)</script>"
    G = build_graph(
        [
            {"id": "x", "kind": "city", "name": nasty, "country": "DE"},
            {"id": "y", "kind": "city", "name": "Y", "country": "DE"},
        ],
        [{"source": "x", "target": "y", "type": "PARTNERS_WITH", "note": nasty}],
    )
    for page in (render_network(G), render_report(G)):
        assert nasty not in page.html
        assert "<script>alert(1)" not in page.html


# --------------------------------------------------------------------------- report


def test_report_has_every_section_and_the_network() -> None:
    from graph.analysis.gaps import find_gaps

    G = sample_graph()
    findings = find_gaps(G)
    page = render_report(G)
    html = page.html
    for anchor in (
        "summary",
        "coverage",
        "structure",
        "recommendations",
        "network-section",
        "findings",
        "catalogue",
    ):
        assert f'id="{anchor}"' in html
    assert html.count('<svg class="chart"') == 3
    assert page.mode == "report" and page.node_count == SAMPLE_NODES
    rows = re.search(r'<table class="sortable findings".*?<tbody>(.*?)</tbody>', html, re.S)
    assert rows and rows.group(1).count("<tr>") == len(findings) > 0
    assert "Coverage by country" in html and "France (FR)" in html
    assert "Recommended partnerships" in html
    assert "@media print" in html


def test_report_caps_a_huge_findings_table_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    import viz.report as report

    monkeypatch.setattr(report, "MAX_FINDING_ROWS", 3)
    html = report.render_report(sample_graph()).html
    rows = re.search(r'<table class="sortable findings".*?<tbody>(.*?)</tbody>', html, re.S)
    assert rows and rows.group(1).count("<tr>") == 3
    assert "this table lists the first 3" in html
