"""The WebGL pages (`viz.webgl`, `viz.webgl_view`) on hand-built graphs: the cities view
drawn whole (every node and link, never aggregated unless asked), its payload checked
against its data, links styled from the one style table both renderers read, the page
offline with the vendored renderer inside, the layout computed once per cache."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest

from graph.projection import build_graph
from viz import offline, style
from viz.encode import vis_edges
from viz.network import render_network
from viz.views import VIEWS, select_view
from viz.webgl import PAGE_SCRIPTS, VENDOR_SCRIPTS, WebglFrame, check_payload, webgl_page
from viz.webgl_view import node_sizes, view_payload


def payload_of(html: str) -> dict[str, Any]:
    found = re.search(r'id="scn-payload">(.*?)</script>', html, re.S)
    assert found, "page has no WebGL payload"
    return json.loads(found.group(1))


def settings_of(html: str) -> dict[str, Any]:
    found = re.search(r'id="scn-settings">(.*?)</script>', html, re.S)
    assert found
    return json.loads(found.group(1))


def cities(n: int, *, countries: tuple[str, ...] = ("DE", "FR", "SE")) -> list[dict[str, Any]]:
    return [
        {
            "id": f"c{i}",
            "kind": "city",
            "name": f"City {i}",
            "country": countries[i % len(countries)],
        }
        for i in range(n)
    ]


def ring(n: int) -> list[dict[str, Any]]:
    return [
        {"source": f"c{i}", "target": f"c{(i + 1) % n}", "type": "TWINNED_WITH"} for i in range(n)
    ]


def test_the_cities_view_is_registered_for_webgl_and_the_others_stay_on_vis_network() -> None:
    assert VIEWS["cities"].renderer == "webgl"
    assert {v.renderer for name, v in VIEWS.items() if name != "cities"} <= {"vis", "webgl"}
    assert VIEWS["network"].renderer == VIEWS["country"].renderer == "vis"


def test_a_big_cities_view_is_drawn_whole_not_aggregated() -> None:
    G = build_graph(cities(120), ring(120))
    page = render_network(G, view="cities", max_nodes=50, findings=[])
    data = payload_of(page.html)
    assert page.mode == "full" and page.node_count == 120 == len(data["nodes"])
    assert page.edge_count == 120 == len(data["edges"])
    assert {n["id"] for n in data["nodes"]} == set(G.nodes)
    assert 'data-renderer="webgl"' in page.html and 'data-node-count="120"' in page.html
    # the aggregated overview stays available on request
    agg = render_network(G, view="cities", max_nodes=50, large="aggregate", findings=[])
    assert agg.mode == "aggregate" and agg.node_count == 3


def test_every_link_keeps_its_type_and_direction() -> None:
    nodes = cities(3)
    edges = [
        {"source": "c0", "target": "c1", "type": "TWINNED_WITH"},
        {"source": "c0", "target": "c1", "type": "PARTNERS_WITH"},
        {"source": "c2", "target": "c0", "type": "COORDINATES_WITH"},
    ]
    vg = select_view(build_graph(nodes, edges), "cities")
    data = view_payload(vg, []).payload
    got = sorted((e["source"], e["target"], e["type"]) for e in data["edges"])
    assert got == sorted((e["source"], e["target"], e["type"]) for e in edges)
    assert {t["type"]: t["count"] for t in data["legend"]["types"]} == {
        "COORDINATES_WITH": 1,
        "PARTNERS_WITH": 1,
        "TWINNED_WITH": 1,
    }


def test_links_look_the_same_in_both_renderers() -> None:
    """One style table: the WebGL look of a link is the vis-network colour of the same
    link; planned links are faded, cross-border ones dashed (vis) or darker (WebGL)."""
    nodes = cities(4, countries=("DE", "DE", "FR", "DE"))
    edges = [
        {"source": "c0", "target": "c1", "type": "PARTNERS_WITH"},
        {"source": "c0", "target": "c2", "type": "TWINNED_WITH"},
        {"source": "c1", "target": "c3", "type": "PARTNERS_WITH", "status": "planned"},
    ]
    vg = select_view(build_graph(nodes, edges), "cities")
    data = view_payload(vg, []).payload
    looks = data["legend"]["links"]
    webgl = {(e["source"], e["target"]): looks[e["look"]] for e in data["edges"]}
    vis, _types, _conf = vis_edges(vg.graph, curved=False)
    for e in vis:
        if "dashes" not in e:
            assert webgl[(e["from"], e["to"])]["colour"] == e["color"]
    assert webgl[("c1", "c3")]["colour"].endswith(f",{style.PLANNED_OPACITY:g})")
    assert webgl[("c0", "c1")]["colour"].endswith(f",{style.ACTIVE_OPACITY:g})")
    crossing = webgl[("c0", "c2")]
    assert crossing["crossBorder"] and "cross-border (darker)" in crossing["label"]
    horizontal = style.AXIS_STYLES["horizontal"].colour
    assert crossing["colour"] == style.rgba(
        style.shade(horizontal, style.CROSS_BORDER_SHADE), style.ACTIVE_OPACITY
    )
    vis_crossing = next(e for e in vis if e["to"] == "c2")
    assert vis_crossing["dashes"] == style.CROSS_BORDER_DASHES
    assert vis_crossing["color"] == style.rgba(horizontal, style.ACTIVE_OPACITY)


def test_a_confidential_link_is_drawn_only_when_the_projection_has_it() -> None:
    nodes = cities(3)
    edges = [
        {"source": "c0", "target": "c1", "type": "TWINNED_WITH"},
        {"source": "c1", "target": "c2", "type": "PARTNERS_WITH", "confidential": True},
    ]
    for visible in (False, True):
        G = build_graph(nodes, edges, include_confidential=visible)
        page = render_network(G, view="cities", findings=[])
        data = payload_of(page.html)
        pairs = {(e["source"], e["target"]) for e in data["edges"]}
        secret = [lk for lk in data["legend"]["links"] if lk["confidential"]]
        assert (("c1", "c2") in pairs) is visible
        assert bool(secret) is visible
        assert ("banner confidential" in page.html) is visible
        if visible:  # purple, darker as it crosses a border (FR-SE)
            assert secret[0]["label"].startswith("Confidential")
            assert secret[0]["colour"] == style.rgba(
                style.shade(style.CONFIDENTIAL_COLOUR, style.CROSS_BORDER_SHADE),
                style.ACTIVE_OPACITY,
            )


def test_nodes_carry_their_gaps_kind_country_and_y_upwards() -> None:
    from graph.analysis.gaps import find_gaps

    nodes = cities(3)
    G = build_graph(nodes, [{"source": "c0", "target": "c1", "type": "TWINNED_WITH"}])
    findings = find_gaps(G)
    vg = select_view(G, "cities")
    drawn = view_payload(vg, findings, cached=lambda _k, _c: {"c0": (1.0, 2.0)})
    by_id = {n["id"]: n for n in drawn.payload["nodes"]}
    assert (by_id["c0"]["x"], by_id["c0"]["y"]) == (1.0, -2.0)  # layouts put y downwards
    lonely = {f.type for f in findings if "c2" in f.subjects}
    assert lonely and {g[0] for g in by_id["c2"]["gaps"]} == lonely
    assert set(drawn.payload["gapTypes"]) >= lonely
    assert by_id["c1"]["kind"] == "city" and by_id["c1"]["country"] == "FR"
    assert drawn.payload["countries"] == {"DE": "Germany", "FR": "France", "SE": "Sweden"}


def test_the_layout_is_computed_once_per_cache() -> None:
    G = build_graph(cities(30), ring(30))
    vg = select_view(G, "cities")
    store: dict[Any, Any] = {}
    computed = []

    def cached(key: Any, compute: Any) -> Any:
        if key not in store:
            computed.append(key)
            store[key] = compute()
        return store[key]

    first = view_payload(vg, [], cached=cached).payload
    second = view_payload(vg, [], cached=cached).payload
    assert len(computed) == 1
    assert [(n["x"], n["y"]) for n in first["nodes"]] == [(n["x"], n["y"]) for n in second["nodes"]]


def test_node_sizes_fit_the_view() -> None:
    small, big = node_sizes(1), node_sizes(17_000)
    assert small[0] >= 8 and big[0] <= 1.5 + 1e-9
    assert all(lo < hi for lo, hi in (small, big, node_sizes(300)))


def test_the_page_is_offline_with_the_renderer_inside() -> None:
    from viz.templates import static_text

    page = render_network(build_graph(cities(5), ring(5)), view="cities", findings=[])
    assert offline.external_refs(page.html) == []
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page.html)
    assert csp and html.unescape(csp.group(1)) == offline.CSP
    for name in VENDOR_SCRIPTS:
        assert static_text(name)[:200] in page.html
    assert "<script src" not in page.html
    assert settings_of(page.html)["actorUrl"] is None  # a file: nowhere to open


def test_the_page_scripts_are_inlined_before_the_page_script() -> None:
    """webgl.js calls `scnPickablePoints` (webgl_pick.js) and `scnMotion`
    (webgl_motion.js) while it starts, so they come first."""
    from viz.templates import static_text

    page = render_network(build_graph(cities(5), ring(5)), view="cities", findings=[])
    pick, motion, main = (page.html.find(static_text(name)[:300]) for name in PAGE_SCRIPTS)
    assert PAGE_SCRIPTS == ("webgl_pick.js", "webgl_motion.js", "webgl.js")
    assert 0 < pick < motion < main
    assert "window.scnPickablePoints = function" in page.html
    assert "window.scnMotion = function" in page.html


def test_a_served_page_opens_neighbourhoods_on_double_click() -> None:
    G = build_graph(cities(3), ring(3))
    page = render_network(G, view="cities", findings=[], actor_url="/viz/actors/{id}")
    assert settings_of(page.html)["actorUrl"] == "/viz/actors/{id}"
    assert "Double-click it to open its neighbourhood" in page.html


def _tiny_payload() -> dict[str, Any]:
    vg = select_view(build_graph(cities(2), ring(2)), "cities")
    return view_payload(vg, []).payload


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda p: p["edges"].append({**p["edges"][0], "target": "nowhere"}), "no node"),
        (lambda p: p["nodes"].append(dict(p["nodes"][0])), "twice"),
        (lambda p: p["edges"][0].update(look=99), "no look"),
        (lambda p: p["nodes"][0].pop("x"), "lacks x"),
    ],
)
def test_a_payload_that_would_draw_something_else_is_refused(spoil: Any, message: str) -> None:
    payload = _tiny_payload()
    check_payload(payload)
    spoil(payload)
    with pytest.raises(ValueError, match=message):
        webgl_page(payload, WebglFrame(title="t", view="cities"))


def test_a_background_layer_is_drawn_with_its_legend() -> None:
    payload = _tiny_payload()
    payload["background"] = {
        "title": "Share of cities with a national link",
        "polygons": [
            {"id": "DE", "name": "Germany", "rings": [[[0, 0], [1, 0], [1, 1]]], "fill": "#c6dbef"}
        ],
        "legend": [{"label": "0–25%", "colour": "#eff3ff"}],
    }
    html = webgl_page(
        payload, WebglFrame(title="t", view="map", country_url="/viz/countries/{code}")
    )
    assert "Share of cities with a national link" in html and "0–25%" in html
    assert payload_of(html)["background"]["polygons"][0]["id"] == "DE"
    assert settings_of(html)["countryUrl"] == "/viz/countries/{code}"


def test_counts_are_worded_with_plurals() -> None:
    one = render_network(build_graph(cities(1), []), view="cities", findings=[])
    assert re.search(
        r'id="shown-nodes">1</strong>\s*<span id="shown-nodes-word">node</span>', one.html
    )
    assert re.search(
        r'id="shown-edges">0</strong>\s*<span id="shown-edges-word">links</span>', one.html
    )


def test_a_view_that_places_its_nodes_keeps_them_and_its_background() -> None:
    """The hook a map view uses: its own positions (y upwards), background and notes."""
    vg = select_view(build_graph(cities(2), ring(2)), "cities")
    vg.positions = {"c0": (10.0, 55.5), "c1": (-3.0, 40.0)}
    vg.background = {"title": "Coverage", "polygons": [], "legend": []}
    vg.notes = ["1 actor placed at its country's capital."]

    def no_layout(_key: Any, _compute: Any) -> Any:
        raise AssertionError("a view with its own positions needs no layout")

    drawn = view_payload(vg, [], cached=no_layout)
    assert {n["id"]: (n["x"], n["y"]) for n in drawn.payload["nodes"]} == vg.positions
    assert drawn.payload["background"]["title"] == "Coverage"
    assert "1 actor placed at its country's capital." in drawn.notes
