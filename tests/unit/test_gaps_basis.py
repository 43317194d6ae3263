"""The evidence basis of gap findings: `--basis stated` and what a finding rests on.

Hand-built graphs; the rule is `graph.analysis.resting` (docs/gaps.md, "Evidence basis").
"""

from __future__ import annotations

import pytest

from graph.analysis.basis import check_basis, for_basis, stated_only
from graph.analysis.findings import Finding
from graph.analysis.gaps import find_gaps, not_assessed
from graph.projection import build_graph
from tests.support.graphs import actor, city, cso, initiative, one, rel

INFERRED = {"basis": "inferred"}


def inferred_rel(source: str, target: str, type: str = "PARTNERS_WITH", **kw: str) -> dict:
    return {**rel(source, target, type, kw.get("status", "active")), **INFERRED}


def by_type(G, gap_type: str) -> list[Finding]:  # type: ignore[no-untyped-def]
    return find_gaps(G, types=[gap_type])


@pytest.mark.parametrize("value", ["stated", "STATED", " Stated ", "any", "ANY", None])
def test_basis_values_are_stated_or_any_in_any_case(value: str | None) -> None:
    assert check_basis(value) in ("stated", "any")
    assert check_basis(None) == "any"


def test_an_unknown_basis_is_an_error_naming_it() -> None:
    with pytest.raises(ValueError, match=r"'inferred'.*stated, any"):
        check_basis("inferred")


def test_stated_only_drops_inferred_nodes_with_their_links_and_inferred_links() -> None:
    nodes = [city("london"), city("leeds"), {**actor("act", "national_body"), **INFERRED}]
    edges = [
        rel("london", "leeds", "TWINNED_WITH"),
        rel("london", "act", "COORDINATES_WITH"),  # stated, but to an inferred node
        inferred_rel("leeds", "london", "COORDINATES_WITH"),
    ]
    G = build_graph(nodes, edges)
    H = stated_only(G)
    assert set(H) == {"london", "leeds"}
    assert sorted((u, k, v) for u, v, k in H.edges(keys=True)) == [
        ("london", "TWINNED_WITH", "leeds")
    ]
    # the projection it came from is untouched
    assert set(G) == {"london", "leeds", "act"} and G.number_of_edges() == 3
    assert for_basis(G, "any") is G


def test_stated_only_is_the_graph_itself_when_nothing_is_inferred() -> None:
    G = build_graph([city("london")], [])
    assert stated_only(G) is G


def test_basis_stated_changes_the_findings() -> None:
    """An inferred national body is all that links London nationally: stated, it is gone."""
    nodes = [
        city("london", name="London"),
        {**actor("act", "national_body", name="ACT"), **INFERRED},
    ]
    G = build_graph(nodes, [inferred_rel("london", "act", "COORDINATES_WITH")])
    assert by_type(G, "vertical.no_national_link") == []
    H = stated_only(G)
    assert by_type(H, "vertical.no_national_link") == []
    assert [n.type for n in not_assessed(H, ["vertical.no_national_link"])] == [
        "vertical.no_national_link"
    ]


def test_a_finding_about_an_inferred_subject_says_so() -> None:
    nodes = [
        {**city("london", name="London"), **INFERRED},
        city("leeds", name="Leeds"),
        city("lyon", "FR", name="Lyon"),
    ]
    found = {f.subjects: f for f in by_type(build_graph(nodes, []), "horizontal.isolated_city")}
    assert found[("london",)].basis == "inferred" and found[("london",)].inferred == ("london",)
    # Leeds's suggestion names London as a peer: it rests on London too
    assert "London" in found[("leeds",)].suggestion
    assert found[("leeds",)].inferred == ("london",)
    # Lyon's finding names nothing inferred
    assert found[("lyon",)].basis == "stated" and found[("lyon",)].inferred == ()


def test_a_finding_that_names_an_inferred_candidate_says_so() -> None:
    nodes = [
        city("london", name="London"),
        {**actor("act", "national_body", name="ACT"), **INFERRED},
    ]
    f = one(by_type(build_graph(nodes, []), "vertical.no_national_link"))
    assert "ACT" in f.suggestion
    assert f.basis == "inferred" and f.inferred == ("act",)


def test_a_finding_whose_mitigation_cites_an_inferred_planned_link_says_so() -> None:
    nodes = [city("london", name="London"), actor("ho", "national_body", name="Home Office")]
    edges = [inferred_rel("london", "ho", "COORDINATES_WITH", status="planned")]
    f = one(by_type(build_graph(nodes, edges), "vertical.no_national_link"))
    assert f.mitigation and "Home Office" in f.mitigation
    assert f.inferred == ("london COORDINATES_WITH ho",)


def test_a_finding_that_names_a_partner_through_an_inferred_link_says_so() -> None:
    """London works with a CSO only through an inferred partnership; the finding about its
    lack of a grassroots partner names that CSO, so it rests on that link."""
    nodes = [
        city("london", name="London"),
        cso("cst", name="Community Security Trust"),
        cso("roots", name="Roots", grassroots=True),
    ]
    edges = [inferred_rel("london", "cst")]
    f = one(by_type(build_graph(nodes, edges), "cso.no_grassroots_partner"))
    assert "Community Security Trust" in f.explanation
    assert f.inferred == ("london PARTNERS_WITH cst",)


def test_a_name_read_but_not_written_is_not_counted() -> None:
    """An inferred node elsewhere in the graph does not mark unrelated findings."""
    nodes = [
        city("london", name="London"),
        city("leeds", name="Leeds"),
        {**initiative("prog", name="Hidden Program"), **INFERRED},
    ]
    found = by_type(build_graph(nodes, []), "horizontal.isolated_city")
    assert len(found) == 2 and all(f.inferred == () for f in found)


def test_finding_dict_round_trip_keeps_the_basis() -> None:
    f = Finding(
        type="vertical.no_national_link",
        severity="high",
        subjects=("london",),
        country="GB",
        explanation="e",
        suggestion="s",
        inferred=("act", "london COORDINATES_WITH act"),
    )
    d = f.to_dict()
    assert d["basis"] == "inferred" and d["inferred"] == ["act", "london COORDINATES_WITH act"]
    assert Finding.from_dict(d) == f
    with pytest.raises(ValueError, match="disagrees"):
        Finding.from_dict({**d, "basis": "stated"})
    stated = Finding.from_dict({**d, "inferred": [], "basis": "stated"})
    assert stated.basis == "stated" and stated.to_dict()["inferred"] == []
