"""Applicability: a gap type whose needed kinds the whole graph lacks is not assessed.

Hand-built graphs; the rule is `graph.analysis.applicability` and each type's `needs`
(docs/gaps.md, "Applicability").
"""

from __future__ import annotations

import pytest

from graph.analysis import registry
from graph.analysis.gaps import GAP_TYPES, find_gaps, not_assessed, summarise
from graph.projection import build_graph
from tests.support.graphs import actor, city, cso, framework, initiative, rel

#: What a network of cities and twinnings only (the twin-cities data) cannot be assessed for.
CITIES_ONLY_NOT_ASSESSED = {
    "vertical.no_national_link": "no national body (kind national_body) and no national framework",
    "vertical.framework_without_local_input": "no national framework",
    "vertical.framework_not_implemented": "no national framework",
    "cso.no_cso_partner": "no civil-society organisation (kind cso)",
    "cso.no_grassroots_partner": "no civil-society organisation (kind cso)",
    "cso.unsupported_grassroots": "no civil-society organisation (kind cso)",
    "cso.single_government_funder": "no civil-society organisation (kind cso)",
    "private.no_private_partner": "no private-sector actor (kind private_sector)",
    "me.program_unevaluated": "no program",
    "me.evaluation_unpublished": "no evaluation",
    "me.no_capacity_support": "no civil-society organisation (kind cso) and no program",
}


def twinned_cities():  # type: ignore[no-untyped-def]
    nodes = [city("a", "GB"), city("b", "FR"), city("c", "GB"), city("d", "DE")]
    return build_graph(nodes, [rel("a", "b", "TWINNED_WITH"), rel("c", "d", "TWINNED_WITH")])


def test_cities_and_twinnings_only_are_not_assessed_for_the_kinds_they_lack() -> None:
    G = twinned_cities()
    skipped = {n.type: n.reason for n in not_assessed(G)}
    assert set(skipped) == set(CITIES_ONLY_NOT_ASSESSED)
    for t, words in CITIES_ONLY_NOT_ASSESSED.items():
        assert skipped[t].startswith("the graph has " + words), (t, skipped[t])
    found = find_gaps(G)
    assert found and not {f.type for f in found} & set(skipped)
    # what it holds is still assessed
    assert {f.type for f in found} == {"horizontal.no_domestic_link"}


def test_not_assessed_is_in_catalogue_order_and_follows_the_types_asked() -> None:
    G = twinned_cities()
    assert [n.type for n in not_assessed(G)] == [
        t for t in GAP_TYPES if t in CITIES_ONLY_NOT_ASSESSED
    ]
    assert [n.type for n in not_assessed(G, ["horizontal.isolated_city"])] == []
    assert [n.type for n in not_assessed(G, ["cso.no_cso_partner"])] == ["cso.no_cso_partner"]
    with pytest.raises(ValueError, match="unknown gap type"):
        not_assessed(G, ["cso.nope"])


@pytest.mark.parametrize(
    "extra",
    [
        actor("ho", "national_body", "GB"),
        framework("prevent", "GB"),
        framework("implicit", "GB", level=None),  # a country and no level: national
    ],
    ids=["national body", "national framework", "framework with a country"],
)
def test_a_national_body_or_a_national_framework_makes_the_national_link_assessed(
    extra: dict,
) -> None:
    G = build_graph([city("leeds", "GB"), city("lyon", "FR"), extra], [])
    assert not_assessed(G, ["vertical.no_national_link"]) == []
    # and then every city lacking one is found, in any country
    assert {f.subjects for f in find_gaps(G, types=["vertical.no_national_link"])} >= {("lyon",)}


def test_an_international_framework_is_not_a_national_one() -> None:
    G = build_graph([city("leeds"), framework("un", None, level="international")], [])
    types = {n.type for n in not_assessed(G)}
    assert {"vertical.framework_not_implemented", "vertical.no_national_link"} <= types


def test_presence_counts_any_status() -> None:
    """An ended program is still a program of the graph: the type is assessed (and quiet)."""
    G = build_graph([cso("c"), initiative("p", status="ended")], [rel("c", "p", "RUNS")])
    assert not_assessed(G, ["me.program_unevaluated", "me.no_capacity_support"]) == []


@pytest.mark.parametrize(
    ("kind_node", "gap_type"),
    [
        (cso("c"), "cso.no_cso_partner"),
        (actor("acme", "private_sector"), "private.no_private_partner"),
        (initiative("p"), "me.program_unevaluated"),
    ],
)
def test_one_node_of_the_needed_kind_anywhere_makes_the_type_assessed(
    kind_node: dict, gap_type: str
) -> None:
    bare = build_graph([city("leeds")], [])
    assert [n.type for n in not_assessed(bare, [gap_type])] == [gap_type]
    assert find_gaps(bare, types=[gap_type]) == []
    G = build_graph([city("leeds"), kind_node], [])
    assert not_assessed(G, [gap_type]) == []


def test_summary_lists_the_types_not_assessed_when_given() -> None:
    G = twinned_cities()
    s = summarise(find_gaps(G), not_assessed(G))
    assert [n["type"] for n in s["not_assessed"]] == list(CITIES_ONLY_NOT_ASSESSED)
    assert set(s["not_assessed"][0]) == {"type", "reason"}
    assert "not_assessed" not in summarise(find_gaps(G))


def test_every_type_needs_something_and_an_unknown_kind_is_refused() -> None:
    assert all(g.needs for g in GAP_TYPES.values())
    decorate = registry.gap_type(
        type="test.unknown_need",
        title="t",
        why="w",
        severity_rule="high",
        needs=("city", ("cso", "unicorn")),
        example=registry.Example(nodes=(), edges=(), subjects=()),
    )
    with pytest.raises(ValueError, match="unknown kind 'unicorn'"):
        decorate(lambda idx: iter(()))
    assert "test.unknown_need" not in [r.gap.type for r in registry.catalogue()]
