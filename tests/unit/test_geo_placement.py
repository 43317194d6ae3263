"""Where each node goes on the map: one test per placement rule and fallback."""

from __future__ import annotations

import itertools
import math

import pytest

from graph.projection import build_graph
from tests.support.graphs import actor, city, cso, initiative, rel
from viz.geo.centroids import centroids
from viz.geo.placement import How, Placement, coordinates, place
from viz.geo.positions import PANEL_ROW, SPREAD_STEP, SPREAD_STEP_MAX, map_layout, spread
from viz.geo.projection import natural_earth

MALMO = {"lat": 55.6, "lon": 13.0}
LUND = {"lat": 55.7, "lon": 13.19}


def placed(nodes, edges=()):  # type: ignore[no-untyped-def]
    return place(build_graph(list(nodes), list(edges)))


def test_a_city_with_coordinates_is_at_them() -> None:
    p = placed([city("malmo", "SE", **MALMO)])["malmo"]
    assert p == Placement(How.COORDINATES, 13.0, 55.6)


def test_an_actor_naming_its_city_is_at_the_city() -> None:
    p = placed([city("malmo", "SE", **MALMO), cso("ngo", "SE", city="malmo")])["ngo"]
    assert (p.how, p.point, p.via) == (How.CITY, (13.0, 55.6), "malmo")


def test_an_actor_located_in_a_city_is_at_the_city() -> None:
    nodes = [city("malmo", "SE", **MALMO), actor("police", "statutory_service", "SE")]
    p = placed(nodes, [rel("police", "malmo", "LOCATED_IN")])["police"]
    assert (p.how, p.via) == (How.CITY, "malmo")


def test_the_city_property_comes_before_located_in_and_located_in_goes_by_id() -> None:
    nodes = [
        city("malmo", "SE", **MALMO),
        city("lund", "SE", **LUND),
        cso("a", "SE", city="malmo"),
        cso("b", "SE"),
    ]
    edges = [rel("a", "lund", "LOCATED_IN"), rel("b", "malmo", "LOCATED_IN")]
    edges.append(rel("b", "lund", "LOCATED_IN"))
    got = placed(nodes, edges)
    assert got["a"].via == "malmo"
    assert got["b"].via == "lund"  # "lund" < "malmo"


def test_an_ended_located_in_places_nothing() -> None:
    nodes = [city("malmo", "SE", **MALMO), actor("police", "statutory_service", "SE")]
    p = placed(nodes, [rel("police", "malmo", "LOCATED_IN", status="ended")])["police"]
    assert (p.how, p.via) == (How.CENTROID, "SE")


def test_an_actor_whose_city_has_no_coordinates_is_at_its_countrys_centroid() -> None:
    got = placed([city("london", "GB"), cso("ngo", "GB", city="london")])
    for n in ("london", "ngo"):
        assert (got[n].how, got[n].via, got[n].point) == (How.CENTROID, "GB", centroids()["GB"])


def test_an_actor_with_no_country_takes_its_citys_country() -> None:
    got = placed([city("london", "GB"), cso("ngo", None, city="london")])
    assert (got["ngo"].how, got["ngo"].via) == (How.CENTROID, "GB")


def test_an_initiative_with_a_country_is_at_its_centroid() -> None:
    p = placed([initiative("plan", "framework", country="de")])["plan"]
    assert (p.how, p.via) == (How.CENTROID, "DE")


@pytest.mark.parametrize(
    "node",
    [
        actor("io", "international_org", None),
        actor("io", "international_org", "ZZ"),  # a code with no outline
        initiative("global", "framework"),
    ],
)
def test_a_node_with_no_place_is_nowhere(node: dict) -> None:
    assert placed([node])["io" if node["kind"] != "framework" else "global"].how == How.NOWHERE


@pytest.mark.parametrize(
    "values",
    [
        {"lat": 95.0, "lon": 10.0},
        {"lat": 10.0, "lon": -181.0},
        {"lat": True, "lon": 10.0},
        {"lat": "55.6", "lon": "13.0"},
        {"lat": float("nan"), "lon": 13.0},
        {"lat": 55.6},
    ],
)
def test_unusable_coordinates_fall_back_to_the_country(values: dict) -> None:
    assert coordinates(values) is None
    p = placed([city("x", "SE", **values)])["x"]
    assert (p.how, p.via) == (How.CENTROID, "SE")


# --------------------------------------------------------------------------- positions


def test_nodes_on_one_point_are_spread_around_it_the_city_in_the_middle() -> None:
    nodes = [city("malmo", "SE", **MALMO)] + [cso(f"c{i}", "SE", city="malmo") for i in range(8)]
    layout = map_layout(placed(nodes))
    pos = layout.positions
    assert pos["malmo"] == natural_earth(13.0, 55.6)
    assert len(set(pos.values())) == 9
    for n in pos:
        assert math.dist(pos[n], pos["malmo"]) <= SPREAD_STEP_MAX * math.sqrt(8) + 1e-9
    for a, b in itertools.combinations(pos, 2):
        assert math.dist(pos[a], pos[b]) > SPREAD_STEP / 3
    assert map_layout(placed(nodes)).positions == pos  # deterministic


def test_nodes_with_no_place_are_in_the_panel_under_the_map() -> None:
    nodes = [city("malmo", "SE", **MALMO)]
    nodes += [actor(f"io{i:02d}", "international_org", None) for i in range(PANEL_ROW + 3)]
    layout = map_layout(placed(nodes))
    assert layout.panel is not None
    assert layout.panel.max_y < layout.frame.min_y
    rows = set()
    for i in range(PANEL_ROW + 3):
        x, y = layout.positions[f"io{i:02d}"]
        assert layout.panel.min_x < x < layout.panel.max_x
        assert layout.panel.min_y < y < layout.panel.max_y
        rows.add(y)
    assert len(rows) == 2


def test_a_map_with_every_node_placed_has_no_panel() -> None:
    layout = map_layout(placed([city("malmo", "SE", **MALMO), city("london", "GB")]))
    assert layout.panel is None
    assert set(layout.positions) == {"malmo", "london"}


def test_the_spread_follows_the_size_of_the_map_within_bounds() -> None:
    near = [city("malmo", "SE", **MALMO), cso("a", "SE", city="malmo")]
    far = [*near, city("sydney", "AU", lat=-33.9, lon=151.2)]

    def gap(nodes: list[dict]) -> float:
        pos = map_layout(placed(nodes)).positions
        return math.dist(pos["a"], pos["malmo"])

    # one region: a step of its size, above the floor; half the world: capped
    assert SPREAD_STEP < gap(near) < SPREAD_STEP_MAX
    assert gap(far) == pytest.approx(SPREAD_STEP_MAX)
    assert spread((0.0, 0.0), 0) == (0.0, 0.0)
    assert math.dist(spread((0.0, 0.0), 4, 0.01), (0.0, 0.0)) == pytest.approx(0.02)
