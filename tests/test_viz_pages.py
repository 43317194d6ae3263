"""Network pages and the report, without a browser: views, thresholds, offline
check, roles, determinism, CLI and HTTP routes.

The browser-side checks (console errors, canvas drawn, counts) are in
test_viz_browser.py. The invented sample below is used by both.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape

from graph.projection import build_graph
from tests.conftest import load
from viz import offline
from viz.network import MAX_NODES, PHYSICS_MAX_NODES, render_network
from viz.report import render_report
from viz.views import ViewError, select_view

CONFIDENTIAL_NOTE = "back-channel on extremism cases"

#: An invented network: three countries, six cities, every link style the pages draw.
SAMPLE: dict[str, Any] = {
    "actors": [
        {
            "id": "de-amberg",
            "kind": "city",
            "name": "Amberg",
            "country": "DE",
            "lat": 49.44,
            "lon": 11.86,
            "themes": ["hate"],
            "threats": ["disinformation"],
        },
        {
            "id": "de-borken",
            "kind": "city",
            "name": "Borken",
            "country": "DE",
            "lat": 51.84,
            "lon": 6.86,
        },
        {
            "id": "de-celle",
            "kind": "city",
            "name": "Celle",
            "country": "DE",
            "lat": 52.62,
            "lon": 10.08,
        },
        {
            "id": "fr-dole",
            "kind": "city",
            "name": "Dole",
            "country": "FR",
            "lat": 47.09,
            "lon": 5.49,
        },
        {
            "id": "fr-evry",
            "kind": "city",
            "name": "Évry",
            "country": "FR",
            "lat": 48.63,
            "lon": 2.44,
        },
        {
            "id": "pl-gniezno",
            "kind": "city",
            "name": "Gniezno",
            "country": "PL",
            "lat": 52.53,
            "lon": 17.6,
        },
        {
            "id": "de-ministry",
            "kind": "national_body",
            "name": "Interior Ministry (DE)",
            "country": "DE",
        },
        {
            "id": "fr-ministry",
            "kind": "national_body",
            "name": "Interior Ministry (FR)",
            "country": "FR",
        },
        {
            "id": "de-youth",
            "kind": "cso",
            "name": "Youth Voices Amberg",
            "country": "DE",
            "grassroots": True,
            "city": "de-amberg",
        },
        {"id": "fr-cso", "kind": "cso", "name": "Dialogue Évry", "country": "FR"},
        {
            "id": "de-tech",
            "kind": "private_sector",
            "name": "Borken Tech",
            "country": "DE",
            "sector": "tech",
        },
        {
            "id": "de-police",
            "kind": "statutory_service",
            "name": "Amberg Police",
            "country": "DE",
            "city": "de-amberg",
        },
        {"id": "net", "kind": "international_org", "name": "Cities Network"},
    ],
    "initiatives": [
        {
            "id": "de-strategy",
            "kind": "framework",
            "name": "National Prevention Strategy",
            "country": "DE",
            "level": "national",
        },
        {"id": "exchange", "kind": "program", "name": "Three-City Exchange"},
        {
            "id": "fr-fund",
            "kind": "program",
            "name": "Planned Prevention Fund",
            "country": "FR",
            "status": "planned",
        },
    ],
    "relationships": [
        {"source": "de-amberg", "type": "TWINNED_WITH", "target": "fr-dole"},
        {"source": "de-amberg", "type": "PARTNERS_WITH", "target": "de-borken"},
        {"source": "fr-dole", "type": "COORDINATES_WITH", "target": "fr-evry", "status": "planned"},
        {"source": "de-celle", "type": "SHARES_INFORMATION_WITH", "target": "pl-gniezno"},
        {
            "source": "de-amberg",
            "type": "PARTNERS_WITH",
            "target": "de-ministry",
            "confidential": True,
            "note": CONFIDENTIAL_NOTE,
        },
        {"source": "de-borken", "type": "CONTRIBUTES_TO", "target": "de-strategy"},
        {"source": "de-ministry", "type": "FUNDS", "target": "de-youth"},
        {"source": "de-amberg", "type": "PARTNERS_WITH", "target": "de-youth"},
        {"source": "de-amberg", "type": "RUNS", "target": "exchange"},
        {"source": "fr-dole", "type": "PARTICIPATES_IN", "target": "exchange"},
        {"source": "pl-gniezno", "type": "PARTICIPATES_IN", "target": "exchange"},
        {"source": "de-amberg", "type": "MEMBER_OF", "target": "net"},
        {"source": "fr-evry", "type": "MEMBER_OF", "target": "net"},
        {"source": "de-tech", "type": "PARTNERS_WITH", "target": "de-borken"},
        {"source": "de-police", "type": "LOCATED_IN", "target": "de-amberg"},
        {"source": "fr-ministry", "type": "RUNS", "target": "fr-fund"},
        {"source": "fr-cso", "type": "PARTNERS_WITH", "target": "fr-evry"},
    ],
}
SAMPLE_NODES = len(SAMPLE["actors"]) + len(SAMPLE["initiatives"])
SAMPLE_CITIES = sum(1 for a in SAMPLE["actors"] if a["kind"] == "city")


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


def body_attr(html: str, name: str) -> str:
    m = re.search(rf'data-{name}="([^"]*)"', html)
    assert m, f"no data-{name} on <body>"
    return m.group(1)


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
    assert "→" in gn["title"]  # the suggestion follows the explanation
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
    vg = select_view(sample_graph(), "country", country="fr")
    ids = set(vg.graph.nodes)
    assert {"fr-dole", "fr-evry", "fr-ministry", "fr-cso", "fr-fund"} <= ids
    assert "net" in ids  # no country, linked to Évry
    assert vg.abroad == {"de-amberg"}  # Dole's twin
    assert "pl-gniezno" not in ids  # linked to Dole only through a program without country
    page = render_network(sample_graph(), view="country", country="FR")
    nodes, _ = page_data(page.html)
    amberg = next(n for n in nodes if n["id"] == "de-amberg")
    assert amberg["abroad"] and amberg["group"].startswith("city.abroad")
    assert page.title.startswith("France (FR)")


def test_actor_view_depth() -> None:
    G = sample_graph()
    one = set(select_view(G, "actor", actor="fr-dole", depth=1).graph.nodes)
    assert one == {"fr-dole", "de-amberg", "fr-evry", "exchange"}
    two = set(select_view(G, "actor", actor="fr-dole", depth=2).graph.nodes)
    assert {"pl-gniezno", "net", "de-ministry", "fr-cso"} <= two
    page = render_network(G, view="actor", actor="fr-dole", depth=2)
    assert page.node_count == len(two)
    assert json.loads(_config(page.html))["focus"] == "fr-dole"


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
        ({"view": "actor", "actor": "nobody"}, "No actor or initiative with id 'nobody'"),
        ({"view": "country", "country": "ZZ"}, "No actor or initiative has country 'ZZ'"),
        ({"view": "country"}, "needs a country code"),
        ({"view": "actor", "actor": "fr-dole", "depth": 9}, "depth must be between 1 and 4"),
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


def test_size_by_betweenness_makes_the_broker_biggest() -> None:
    page = render_network(sample_graph(), view="cities", size_by="betweenness")
    nodes, _ = page_data(page.html)
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
    page = render_network(G, view="cities", max_nodes=50, findings=[])
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
    page = render_network(G, view="actor", actor="c59", depth=4, max_nodes=5, findings=[])
    ids = {n["id"] for n in page_data(page.html)[0]}
    assert page.mode == "top" and "c59" in ids and len(ids) == 5


def test_physics_only_for_small_views_positions_always_computed() -> None:
    small = render_network(sample_graph())
    cfg = json.loads(_config(small.html))
    assert cfg["stabilize"] > 0 and not cfg["largeGraph"]
    G = _star_of_countries(PHYSICS_MAX_NODES + 10, 3)
    big = render_network(G, view="cities", findings=[])
    cfg = json.loads(_config(big.html))
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


def _config(html: str) -> str:
    m = re.search(r'<script type="application/json" id="scn-config">(.*?)</script>', html, re.S)
    assert m
    return m.group(1)


# --------------------------------------------------------------------------- store, CLI, HTTP


def test_cli_viz_and_report_write_files(store, store_uri, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from cli.main import app

    load(store, SAMPLE)
    runner = CliRunner()
    out = tmp_path / "net.html"
    res = runner.invoke(app, ["viz", "-o", str(out), "--store", store_uri])
    assert res.exit_code == 0, res.output
    assert f"{SAMPLE_NODES} nodes" in res.output
    # default: no confidential relationship in a file that may be forwarded
    assert CONFIDENTIAL_NOTE not in out.read_text(encoding="utf-8")
    res = runner.invoke(
        app, ["viz", "-o", str(out), "--store", store_uri, "--include-confidential"]
    )
    assert res.exit_code == 0 and CONFIDENTIAL_NOTE in out.read_text(encoding="utf-8")
    for args in (
        ["--view", "country", "--country", "FR"],
        ["--view", "actor", "--actor", "fr-dole", "--depth", "2", "--size-by", "betweenness"],
        ["--view", "cities"],
    ):
        res = runner.invoke(app, ["viz", "-o", str(out), "--store", store_uri, *args])
        assert res.exit_code == 0, res.output
        assert offline.external_refs(out.read_text(encoding="utf-8")) == []
    res = runner.invoke(
        app, ["viz", "-o", str(out), "--store", store_uri, "--view", "actor", "--actor", "nobody"]
    )
    assert res.exit_code == 1 and "No actor or initiative with id 'nobody'" in res.output
    rep = tmp_path / "report.html"
    res = runner.invoke(app, ["report", "-o", str(rep), "--store", store_uri])
    assert res.exit_code == 0, res.output
    assert 'id="findings"' in rep.read_text(encoding="utf-8")


def make_test_app(store):  # type: ignore[no-untyped-def]
    """A minimal app mounting the pages router, with roles from an X-Role header,
    and a neighbourhood endpoint of the shape the pages expand from."""
    from fastapi import FastAPI, Header, HTTPException

    from graph.projection import project_neighbourhood
    from viz.routes import make_router

    app = FastAPI()

    def get_store():  # type: ignore[no-untyped-def]
        return store

    def get_visibility(x_role: str = Header("reader")) -> bool:
        return x_role in ("analyst", "editor")

    app.include_router(make_router(get_store, get_visibility))

    @app.get("/api/actors/{actor_id}/neighbourhood")
    def neighbourhood(actor_id: str, depth: int = 1) -> dict[str, Any]:
        H = project_neighbourhood(store, actor_id, depth, include_confidential=False)
        if actor_id not in H:
            raise HTTPException(404, f"No actor with id {actor_id!r}")
        return {
            "nodes": [
                {"id": n, **{k: d.get(k) for k in ("name", "kind", "country")}}
                for n, d in H.nodes(data=True)
            ],
            "edges": [
                {
                    "source": u,
                    "target": v,
                    "type": k,
                    "axis": d.get("axis"),
                    "cross_border": d.get("cross_border"),
                    "status": d.get("status"),
                    "symmetric": d.get("symmetric"),
                }
                for u, v, k, d in H.edges(keys=True, data=True)
            ],
        }

    return app


def test_http_pages_honour_roles(store) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    load(store, SAMPLE)
    client = TestClient(make_test_app(store))
    for path in (
        "/viz",
        "/viz/countries/fr",
        "/viz/actors/fr-dole?depth=2",
        "/viz/cities",
        "/report",
    ):
        res = client.get(path)
        assert res.status_code == 200, (path, res.text[:300])
        assert res.headers["content-type"].startswith("text/html")
        assert res.headers["cache-control"] == "no-store"
        assert "default-src 'none'" in res.headers["content-security-policy"]
        assert offline.external_refs(res.text) == []
        assert CONFIDENTIAL_NOTE not in res.text, path
        assert res.headers["x-node-count"] == body_attr(res.text, "node-count")
        cfg = json.loads(_config(res.text))
        assert cfg["expandUrl"] == "/api/actors/{id}/neighbourhood?depth=1"
    analyst = client.get("/viz", headers={"X-Role": "analyst"})
    assert CONFIDENTIAL_NOTE in analyst.text and "Confidential:" in analyst.text
    assert (
        CONFIDENTIAL_NOTE in client.get("/viz/actors/de-amberg", headers={"X-Role": "editor"}).text
    )
    missing = client.get("/viz/actors/nobody")
    assert missing.status_code == 404 and "nobody" in missing.json()["detail"]
    assert client.get("/viz/countries/ZZ").status_code == 404
    assert client.get("/viz?size_by=charisma").status_code == 422
    assert client.get("/viz/actors/fr-dole?depth=9").status_code == 422
