"""The map view: coverage shading, the country layer, placement notes, the report figure."""

from __future__ import annotations

import re

import pytest

from graph.analysis.coverage import coverage
from graph.projection import build_graph
from tests.support.graphs import actor, city, cso, rel
from viz import style
from viz.geo import figure, measures
from viz.geo.mapview import PANEL_ID, map_drawing
from viz.geo.shapes import FIGURE_RESOLUTION, MAP_RESOLUTION, country_shapes
from viz.views import VIEWS, ViewError, select_view, view_options


def two_countries():  # type: ignore[no-untyped-def]
    """Two German cities (one with a national link, both with a CSO partner on one side),
    one Swedish city with coordinates, a CSO in it, and an international organisation."""
    nodes = [
        city("berlin", "DE", lat=52.5, lon=13.4),
        city("bonn", "DE"),
        actor("ministry", "national_body", "DE"),
        cso("ngo", "DE"),
        city("malmo", "SE", lat=55.6, lon=13.0),
        cso("sv-ngo", "SE", city="malmo"),
        actor("io", "international_org", None),
    ]
    edges = [
        rel("berlin", "ministry"),
        rel("ngo", "bonn", "SUPPORTS_CAPACITY"),
        rel("berlin", "bonn"),
        rel("io", "malmo", "SUPPORTS_CAPACITY"),
    ]
    return build_graph(nodes, edges)


def drawing_of(G, **options):  # type: ignore[no-untyped-def]
    vg = select_view(G, "map", options)
    return map_drawing(vg.graph, vg.settings["coverage"], vg.settings["measure"])


# --------------------------------------------------------------------------- measures


def test_each_measure_reads_its_share_from_coverage() -> None:
    cov = coverage(two_countries())
    got = {m: measures.share_of(cov, "DE", measures.measure_named(m)) for m in measures.MEASURES}
    assert got == {"national": 0.5, "domestic": 1.0, "cso": 0.5}
    assert measures.share_of(cov, "GB", measures.measure_named("national")) is None


def test_shares_fall_in_classes_and_no_cities_is_grey() -> None:
    colours = [c for _, c in style.COVERAGE_CLASSES]
    assert measures.fill(0.0) == measures.fill(0.2) == colours[0]
    assert measures.fill(0.5) == colours[2]
    assert measures.fill(1.0) == colours[-1]
    assert measures.fill(None) == style.NO_CITIES_FILL
    labels = [line["label"] for line in measures.legend()]
    assert labels == ["0–20%", "20–40%", "40–60%", "60–80%", "80–100%", measures.NO_CITIES]


def test_an_unknown_measure_is_refused_with_the_choices() -> None:
    assert measures.measure_named(None).name == measures.DEFAULT_MEASURE
    assert measures.measure_named(" CSO ").name == "cso"
    with pytest.raises(ValueError, match="national, domestic, cso"):
        measures.measure_named("private")


# --------------------------------------------------------------------------- the view


def test_the_map_view_is_registered_with_an_optional_country_and_a_measure() -> None:
    registered = VIEWS["map"]
    assert registered.route == "/viz/map"
    assert [o.name for o in registered.options] == ["country", "measure"]
    country = registered.options[0]
    assert (country.required, country.path_name) == (False, None)
    assert view_options()["country"][1] == ("country", "map")
    assert view_options()["measure"][1] == ("map",)


def test_the_map_view_draws_the_whole_network_with_coverage_of_the_whole_graph() -> None:
    G = two_countries()
    vg = select_view(G, "map", {"measure": "cso"})
    assert set(vg.graph) == set(G)
    assert vg.settings == {"measure": "cso", "coverage": coverage(G), "arcs": True}
    assert vg.positions is not None and set(vg.positions) == set(G)
    assert vg.background is not None and vg.background["measure"] == "cso"
    assert vg.node_details["sv-ngo"] == [["Placed", "at its city (MALMO)"]]
    assert vg.credits == ["Country outlines: Natural Earth (public domain), via world-atlas."]


def test_the_map_of_one_country_is_the_country_views_nodes() -> None:
    G = two_countries()
    vg = select_view(G, "map", {"country": "Sweden"})
    assert set(vg.graph) == set(select_view(G, "country", {"country": "SE"}).graph)
    assert vg.subject == "SE" and "Sweden" in vg.title
    assert set(vg.settings["coverage"]) == {"DE", "SE"}  # coverage of every country


def test_the_map_view_refuses_an_unknown_measure() -> None:
    with pytest.raises(ViewError, match="measure must be one of") as exc:
        select_view(two_countries(), "map", {"measure": "private"})
    assert exc.value.status == 422


# --------------------------------------------------------------------------- the drawing


def test_the_country_layer_is_the_map_around_the_nodes_filled_by_the_measure() -> None:
    drawing = drawing_of(two_countries())
    polygons = {p["id"]: p for p in drawing.background["polygons"]}
    assert (
        {"DE", "SE", "PL", PANEL_ID}
        <= set(polygons)
        < set(country_shapes(MAP_RESOLUTION)) | {PANEL_ID}
    )
    assert not {"US", "AU", "BR"} & set(polygons)  # far from every node
    box = drawing.layout.extent
    for p in polygons.values():  # cut at the page's extent, so the camera fits the map
        for ring in p["rings"]:
            assert all(box.min_x - 1e-4 <= x <= box.max_x + 1e-4 for x, _ in ring)
            assert all(box.min_y - 1e-4 <= y <= box.max_y + 1e-4 for _, y in ring)
    assert polygons["DE"]["fill"] == measures.fill(0.5)
    assert polygons["PL"]["fill"] == style.NO_CITIES_FILL
    assert ["Cities", "2"] in polygons["DE"]["details"]
    assert ["Share of cities with a national link (shading)", "50%"] in polygons["DE"]["details"]
    assert drawing.background["legend"] == measures.legend()
    assert drawing.background["title"] == measures.MEASURES["national"].title
    x, y = drawing.position("io")  # the international organisation sits in the panel
    (ring,) = polygons[PANEL_ID]["rings"]
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    assert min(xs) < x < max(xs) and min(ys) < y < max(ys)


def test_each_node_says_where_it_was_placed_and_the_page_counts_them() -> None:
    drawing = drawing_of(two_countries())
    assert drawing.details("berlin") == ["Placed", "at its own coordinates"]
    assert drawing.details("sv-ngo") == ["Placed", "at its city (MALMO)"]
    assert drawing.details("bonn")[1].endswith(
        "centroid (no coordinates of its own or of its city): Germany"
    )
    assert drawing.details("io")[1].startswith("not on the map")
    notes = " ".join(drawing.notes)
    assert "Drawn at their city (no coordinates of their own): 1 node." in notes
    assert "centroid" in notes and ": 3 nodes." in notes  # bonn, ministry, ngo
    assert "“Not on the map” under the map" in notes


# --------------------------------------------------------------------------- the figure


def test_a_map_of_the_whole_world_has_every_outline() -> None:
    ends = [("apia", "WS", -13.8, -171.8), ("anadyr", "RU", 64.7, 177.5)]
    ends += [("ushuaia", "AR", -54.8, -68.3), ("longyearbyen", "NO", 78.2, 15.6)]
    G = build_graph([city(n, cc, lat=lat, lon=lon) for n, cc, lat, lon in ends], [])
    drawing = drawing_of(G)
    ids = {p["id"] for p in drawing.background["polygons"]}
    assert ids == set(country_shapes(MAP_RESOLUTION))  # no panel: every node is placed


def test_the_report_figure_shades_countries_and_marks_gaps() -> None:
    cov = coverage(two_countries())
    svg = str(figure.coverage_map(cov, gaps_by_country={"DE": 4, "SE": 1, "XX": 2}))
    assert svg.startswith("<svg") and "<script" not in svg
    de = re.search(r'<path d="[^"]+" fill="(#[0-9a-f]{6})"[^>]*data-country="DE"', svg)
    assert de is not None and de.group(1) == measures.fill(0.5)
    assert re.search(r'data-country="DE" data-findings="4"', svg)
    assert re.search(r'data-country="SE" data-findings="1"', svg)
    assert "XX" not in svg  # a code with no outline gets no circle
    assert "Germany: 50% of 2 cities; 4 gap findings" in svg
    for line in measures.legend():
        assert line["label"] in svg
    assert "Natural Earth" in svg


def test_the_figure_is_framed_on_the_data_countries() -> None:
    europe = figure.frame_of(["GB", "DE"])
    assert europe.width < figure.WORLD.width / 3
    assert figure.MIN_ASPECT <= europe.height / europe.width <= figure.MAX_ASPECT
    assert figure.frame_of([]) == figure.WORLD
    svg = str(figure.coverage_map({}, countries=["GB", "DE"]))
    shown = set(re.findall(r'<path [^>]*data-country="([A-Z]{2})"', svg))
    assert {"GB", "DE", "FR"} <= shown and not shown & {"US", "AU", "JP"}
    assert len(shown) < len(country_shapes(FIGURE_RESOLUTION)) / 2


def test_without_gaps_the_figure_has_no_circles() -> None:
    svg = str(figure.coverage_map(coverage(two_countries()), measure="domestic"))
    assert "data-findings" not in svg and 'data-measure="domestic"' in svg


def test_a_one_country_map_opens_on_the_country_not_its_partners_abroad() -> None:
    nodes = [city("malmo", "SE", lat=55.6, lon=13.0), cso("sv-ngo", "SE", city="malmo")]
    nodes.append(city("sydney", "AU", lat=-33.9, lon=151.2))
    G = build_graph(nodes, [rel("malmo", "sydney", "TWINNED_WITH")])
    vg = select_view(G, "map", {"country": "SE"})
    assert vg.positions is not None and vg.background is not None
    assert "sydney" in vg.positions
    x0, y0, x1, y1 = vg.background["focus"]
    for n in ("malmo", "sv-ngo"):
        x, y = vg.positions[n]
        assert x0 < x < x1 and y0 < y < y1
    sx, sy = vg.positions["sydney"]
    assert not (x0 < sx < x1 and y0 < sy < y1)
    assert "focus" not in select_view(G, "map", {}).background  # type: ignore[operator]


def test_the_webgl_page_draws_the_maps_placements_countries_and_lines() -> None:
    """The payload of a map view has the view's positions (y upwards), its countries and
    a line per node saying where it was placed; a view without them has no background."""
    from viz.webgl_view import render_webgl_view, view_payload

    G = two_countries()
    vg = select_view(G, "map", {})
    payload = view_payload(vg, []).payload
    assert vg.positions is not None
    assert payload["background"] is vg.background
    for n in payload["nodes"]:
        assert (n["x"], n["y"]) == vg.positions[n["id"]]
        assert n["details"][-1] == vg.node_details[n["id"]][0]
    assert "background" not in view_payload(select_view(G, "cities", {}), []).payload
    html = render_webgl_view(vg, country_url="/viz/countries/{code}").html
    assert "Natural Earth" in html and '"countryUrl": "/viz/countries/{code}"' in html


def test_the_map_is_always_drawn_whole_on_its_map() -> None:
    """--large asks other views for an aggregate or a top N; the map has neither."""
    from viz.network import render_network

    G = two_countries()
    for large in ("auto", "top", "aggregate"):
        page = render_network(G, view="map", large=large, max_nodes=2, findings=[])
        assert page.mode == "full" and page.node_count == G.number_of_nodes()
        assert '"background"' in page.html


# --------------------------------------------------------------------------- issue 13 item 1


def test_each_country_carries_its_fill_for_every_measure_for_the_pages_select() -> None:
    """The page switches the shading without a reload: every country has its colour under
    each measure (from the same classes as the chosen one) and the layer lists them."""
    G = two_countries()
    cov = coverage(G)
    layer = drawing_of(G, measure="cso").background
    assert [m["name"] for m in layer["measures"]] == list(measures.MEASURES)
    assert all(m["label"] and m["title"] for m in layer["measures"])
    de = next(p for p in layer["polygons"] if p["id"] == "DE")
    for m in measures.MEASURES.values():
        assert de["fills"][m.name] == measures.fill(measures.share_of(cov, "DE", m))
    assert de["fill"] == de["fills"]["cso"]
    assert de["fills"]["national"] != de["fills"]["domestic"]  # 1/2 vs 2/2 of its cities


def test_the_map_draws_arcs_and_faint_links_by_its_size() -> None:
    """A small map draws arcs at full colour; a dense one plain lines, faint from afar;
    the cities view keeps plain lines at full colour."""
    from viz.webgl_view import ARC_MAX_LINKS, DENSE_LINKS, link_rule

    assert link_rule(10, arcs=True) == {"arcs": "always", "faint": False, "closeRatio": 0.25}
    dense = link_rule(max(ARC_MAX_LINKS, DENSE_LINKS) + 1, arcs=True)
    assert dense["arcs"] == "never" and dense["faint"] is True
    assert link_rule(ARC_MAX_LINKS, arcs=True)["arcs"] == "always"
    assert link_rule(30_000, arcs=False)["arcs"] == "never"
    assert link_rule(30_000, arcs=False)["faint"] is False


def test_the_map_page_says_how_to_draw_its_links_and_their_faint_colours() -> None:
    from viz.webgl_view import render_webgl_view, view_payload

    G = two_countries()
    vg = select_view(G, "map", {})
    html = render_webgl_view(vg).html
    assert '"links": {"arcs": "always", "faint": false' in html
    looks = view_payload(vg, []).payload["legend"]["links"]
    for lk in looks:
        alpha = float(lk["colour"].rsplit(",", 1)[1].rstrip(")"))
        faint = float(lk["faintColour"].rsplit(",", 1)[1].rstrip(")"))
        assert faint == pytest.approx(alpha * style.FAINT_LINK_OPACITY, abs=1e-3)
        assert lk["faintColour"].rsplit(",", 1)[0] == lk["colour"].rsplit(",", 1)[0]
    cities = render_webgl_view(select_view(G, "cities", {})).html
    assert '"links": {"arcs": "never", "faint": false' in cities
