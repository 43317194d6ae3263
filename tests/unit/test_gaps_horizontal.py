"""Horizontal gaps: horizontal.isolated_city, horizontal.no_domestic_link,
horizontal.unlinked_countries."""

from __future__ import annotations

import pytest

from tests.support.graphs import actor, city, cso, gaps, initiative, of_type, one, rel, subjects

ISO = "horizontal.isolated_city"
DOM = "horizontal.no_domestic_link"
UNL = "horizontal.unlinked_countries"


# -- horizontal.isolated_city --------------------------------------------------


def test_isolated_city_fires_for_a_city_without_city_links() -> None:
    nodes = [city("a", name="Alpha"), city("b", name="Beta")]
    found = of_type(nodes, [], ISO)
    assert subjects(found) == [("a",), ("b",)]
    f = found[0]
    assert f.severity == "high" and f.country == "GB"
    assert "Alpha" in f.explanation and "Beta" in f.suggestion


@pytest.mark.parametrize(
    "typ", ["TWINNED_WITH", "PARTNERS_WITH", "COORDINATES_WITH", "SHARES_INFORMATION_WITH"]
)
def test_any_horizontal_link_type_in_either_direction_counts(typ) -> None:
    nodes = [city("a"), city("b"), city("c")]
    # stored b -> a: a is linked too (read without direction)
    assert subjects(of_type(nodes, [rel("b", "a", typ)], ISO)) == [("c",)]


def test_shared_initiative_links_cities() -> None:
    nodes = [city("a"), city("b"), city("c"), initiative("summit", "event")]
    edges = [rel("a", "summit", "RUNS"), rel("b", "summit", "PARTICIPATES_IN")]
    assert subjects(of_type(nodes, edges, ISO)) == [("c",)]
    # an ended initiative, or an ended participation, does not link
    ended = [*nodes[:3], initiative("summit", "event", status="ended")]
    assert subjects(of_type(ended, edges, ISO)) == [("a",), ("b",), ("c",)]
    edges_ended = [edges[0], rel("b", "summit", "PARTICIPATES_IN", status="ended")]
    assert subjects(of_type(nodes, edges_ended, ISO)) == [("a",), ("b",), ("c",)]


def test_non_city_links_and_membership_do_not_count() -> None:
    nodes = [city("a"), city("b"), cso("x"), actor("scn", "international_org", None)]
    edges = [
        rel("a", "x"),
        rel("b", "x"),
        rel("a", "scn", "MEMBER_OF"),
        rel("b", "scn", "MEMBER_OF"),
        rel("x", "a", "LOCATED_IN"),
        rel("a", "b", "FUNDS"),  # funding is no horizontal link
        rel("a", "b", "TWINNED_WITH", status="ended"),
    ]
    found = of_type(nodes, edges, ISO)
    assert subjects(found) == [("a",), ("b",)]
    # a fellow member of the network is named as a candidate
    assert "B (fellow members of SCN)" in found[0].suggestion


def test_isolated_city_planned_link_is_mitigation() -> None:
    nodes = [city("a", name="Alpha"), city("b", name="Beta"), initiative("ex", "event", name="X")]
    found = of_type(nodes, [rel("b", "a", "TWINNED_WITH", status="planned")], ISO)
    assert [f.mitigation for f in found] == [
        "A planned link would close this: Beta TWINNED_WITH Alpha (planned)."
    ] * 2
    # a planned shared initiative, from either side
    edges = [rel("a", "ex", "RUNS"), rel("b", "ex", "PARTICIPATES_IN", status="planned")]
    fa, fb = of_type(nodes, edges, ISO)
    assert (
        fa.mitigation
        == fb.mitigation
        == ("A planned link would close this: Beta PARTICIPATES_IN X (planned).")
    )


def test_isolated_city_peers_come_from_its_networks_even_abroad() -> None:
    nodes = [city("a"), city("p", "FR", name="Paris"), actor("net", "international_org", None)]
    edges = [rel("a", "net", "MEMBER_OF"), rel("p", "net", "MEMBER_OF")]
    by = {f.subjects: f for f in of_type(nodes, edges, ISO)}
    assert set(by) == {("a",), ("p",)}
    assert "Paris (fellow members of NET)" in by[("a",)].suggestion


# -- horizontal.no_domestic_link -----------------------------------------------


def _dom_world():
    return [
        city("london", name="Mayor of London", themes=["hate"]),
        city("leeds", name="Leeds City Council"),
        city("bristol", name="Bristol City Council", themes=["hate"]),
        city("paris", "FR", name="Ville de Paris"),
    ]


def test_no_domestic_link_fires_when_links_are_only_abroad() -> None:
    found = gaps(_dom_world(), [rel("paris", "london", "TWINNED_WITH")])
    f = one([f for f in found if f.type == DOM])
    assert f.subjects == ("london",) and f.country == "GB"
    assert "Ville de Paris" in f.explanation and "2 other cities" in f.explanation
    # Bristol shares a theme: named first
    assert f.suggestion.index("Bristol City Council") < f.suggestion.index("Leeds City Council")
    # Paris has no other French city in the graph; Leeds/Bristol are isolated instead
    assert ("paris",) not in subjects([g for g in found if g.type == DOM])
    assert {g.subjects for g in found if g.type == ISO} == {("leeds",), ("bristol",)}


def test_no_domestic_link_closed_by_a_domestic_link_either_way() -> None:
    edges = [rel("paris", "london", "TWINNED_WITH"), rel("leeds", "london", "PARTNERS_WITH")]
    assert of_type(_dom_world(), edges, DOM) == []


def test_no_domestic_link_closed_by_a_shared_initiative_with_a_domestic_city() -> None:
    nodes = [*_dom_world(), initiative("forum", "event")]
    edges = [
        rel("paris", "london", "TWINNED_WITH"),
        rel("london", "forum", "PARTICIPATES_IN"),
        rel("leeds", "forum", "RUNS"),
    ]
    assert of_type(nodes, edges, DOM) == []
    # sharing an initiative only with Paris is still abroad
    edges = [rel("london", "forum", "PARTICIPATES_IN"), rel("paris", "forum", "RUNS")]
    assert subjects(of_type(nodes, edges, DOM)) == [("london",)]


def test_no_domestic_link_planned_domestic_link_is_mitigation() -> None:
    edges = [
        rel("paris", "london", "TWINNED_WITH"),
        rel("london", "leeds", "COORDINATES_WITH", status="planned"),
        rel("london", "paris", "PARTNERS_WITH", status="planned"),  # abroad: no mitigation
    ]
    f = one(of_type(_dom_world(), edges, DOM))
    assert f.mitigation == (
        "A planned link would close this: Mayor of London COORDINATES_WITH Leeds City Council "
        "(planned)."
    )


def test_no_domestic_link_severity_medium_without_shared_theme_or_network() -> None:
    nodes = [city("london", name="Mayor of London"), city("leeds"), city("paris", "FR")]
    f = one(of_type(nodes, [rel("london", "paris", "TWINNED_WITH")], DOM))
    assert f.severity == "medium"


def test_no_domestic_link_names_cities_linked_with_the_same_partner() -> None:
    nodes = [
        city("a", name="Alpha"),
        city("b", name="Beta"),
        city("z", name="Zed"),
        city("p", "FR", name="Paris"),
    ]
    edges = [rel("a", "p", "TWINNED_WITH"), rel("z", "p", "TWINNED_WITH")]
    found = of_type(nodes, edges, DOM)
    assert subjects(found) == [("a",), ("z",)]
    assert "Zed (also linked with Paris)" in found[0].suggestion


def test_no_domestic_link_names_nearby_cities_when_coordinates_are_known() -> None:
    nodes = [
        city("london", name="London", lat=51.5, lon=-0.12),
        city("edinburgh", name="Edinburgh", lat=55.95, lon=-3.19),
        city("brighton", name="Brighton", lat=50.82, lon=-0.14),
        city("paris", "FR", name="Paris", lat=48.86, lon=2.35),
    ]
    f = one(of_type(nodes, [rel("london", "paris", "TWINNED_WITH")], DOM))
    assert "Brighton and Edinburgh (nearby)" in f.suggestion


# -- horizontal.unlinked_countries ----------------------------------------------


def _net_world():
    return [
        city("london", name="Mayor of London"),
        city("paris", "FR", name="Ville de Paris"),
        city("berlin", "DE", name="Land Berlin"),
        actor("scn", "international_org", None, name="Strong Cities Network"),
        actor("efus", "international_org", None, name="Efus"),
    ]


def _members(*cities, net="scn"):
    return [rel(c, net, "MEMBER_OF") for c in cities]


def test_unlinked_countries_fires_for_pairs_without_city_links() -> None:
    edges = [*_members("london", "paris", "berlin"), rel("paris", "london", "TWINNED_WITH")]
    found = of_type(_net_world(), edges, UNL)
    assert subjects(found) == [("DE", "FR"), ("DE", "GB")]  # each pair sorted
    f = found[0]
    assert f.country is None and f.severity == "medium"
    assert f.explanation == (
        "No city of Germany has an active link with a city of France, although cities of both "
        "are members of Strong Cities Network."
    )
    assert "Land Berlin" in f.suggestion and "Ville de Paris" in f.suggestion


def test_unlinked_countries_needs_a_shared_network() -> None:
    edges = [*_members("london", "paris"), *_members("berlin", net="efus")]
    assert subjects(of_type(_net_world(), edges, UNL)) == [("FR", "GB")]
    # ended membership does not count
    edges = [rel("london", "scn", "MEMBER_OF"), rel("paris", "scn", "MEMBER_OF", status="ended")]
    assert of_type(_net_world(), edges, UNL) == []


def test_unlinked_countries_closed_by_shared_initiative_and_not_by_ended_link() -> None:
    nodes = [*_net_world(), initiative("summit", "event")]
    edges = [
        *_members("london", "paris"),
        rel("london", "summit", "PARTICIPATES_IN"),
        rel("paris", "summit", "RUNS"),
    ]
    assert of_type(nodes, edges, UNL) == []
    edges = [*_members("london", "paris"), rel("london", "paris", "TWINNED_WITH", status="ended")]
    assert subjects(of_type(nodes, edges, UNL)) == [("FR", "GB")]


def test_unlinked_countries_two_networks_and_planned_link_mitigates() -> None:
    edges = [
        *_members("london", "paris"),
        *_members("london", "paris", net="efus"),
        rel("paris", "london", "PARTNERS_WITH", status="planned"),
    ]
    f = one(of_type(_net_world(), edges, UNL))
    assert f.severity == "low"  # the planned partnership would close it
    assert "Efus and Strong Cities Network" in f.explanation
    assert f.mitigation == (
        "A planned link would close this: Ville de Paris PARTNERS_WITH Mayor of London (planned)."
    )


def test_unlinked_countries_is_empty_without_membership() -> None:
    nodes = [city(f"c{i}", cc) for i, cc in enumerate(["GB", "FR", "DE", "IT"])]
    assert of_type(nodes, [rel("c0", "c1", "TWINNED_WITH")], UNL) == []


def test_unlinked_countries_country_filter_matches_either_country() -> None:
    edges = _members("london", "paris", "berlin")
    nodes = _net_world()
    assert subjects(gaps(nodes, edges, types=[UNL], country="de")) == [("DE", "FR"), ("DE", "GB")]
    assert subjects(gaps(nodes, edges, types=[UNL], country="GB")) == [("DE", "GB"), ("FR", "GB")]


def test_a_network_member_city_without_a_country_is_named_not_looped_over() -> None:
    """A member city with no country used to make the member bucketing loop forever."""
    nodes = [
        city("a", name="Alpha"),
        city("x", None, name="Nowhere"),
        actor("net", "international_org", None),
    ]
    edges = [rel("a", "net", "MEMBER_OF"), rel("x", "net", "MEMBER_OF")]
    found = {f.subjects: f for f in of_type(nodes, edges, ISO)}
    assert set(found) == {("a",), ("x",)}
    assert "Nowhere" in found[("a",)].suggestion and "Alpha" in found[("x",)].suggestion
