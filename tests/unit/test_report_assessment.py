"""The report says in words what it did not assess and which findings rest on inferred
records (hand-built graphs, rendered without a store)."""

from __future__ import annotations

from graph.analysis.basis import stated_only
from graph.projection import build_graph
from tests.support.graphs import actor, city, rel
from viz.report import render_report


def test_a_cities_only_report_lists_the_types_not_assessed_with_the_reason() -> None:
    G = build_graph([city("a", "GB"), city("b", "FR")], [rel("a", "b", "TWINNED_WITH")])
    html = " ".join(render_report(G).html.split())
    assert "11 gap types were not assessed" in html
    assert (
        "City with no CSO partner (cso.no_cso_partner) was not assessed: the graph has no "
        "civil-society organisation (kind cso)."
    ) in html
    assert "City with no national link (not assessed)" in html  # the type chart's bar
    assert "Not assessed here: the graph has no program." in html  # the catalogue


def test_a_finding_resting_on_an_inferred_record_names_it_and_stated_only_says_so() -> None:
    act = {**actor("act", "national_body", name="Action Counters Terrorism"), "basis": "inferred"}
    G = build_graph([city("leeds", name="Leeds"), act], [])
    html = render_report(G).html
    assert "Rests on inferred records: Action Counters Terrorism." in html
    assert "Stated records only" not in html
    stated = render_report(stated_only(G), basis="stated").html
    assert "Stated records only" in stated and "Rests on inferred records" not in stated
