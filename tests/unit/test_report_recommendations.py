"""The report's recommendations section: each reason beside its component's score, and
no partner the actor is already tied to (docs/recommendations.md)."""

from __future__ import annotations

import re

from graph.analysis.gaps import find_gaps
from graph.projection import build_graph
from tests.support.graphs import actor, city, rel
from viz.report import render_report, top_recommendations


def test_the_report_shows_component_scores_and_no_tied_partner():
    themes = ["hate", "polarisation"]
    nodes = [
        city("london", name="London", themes=themes),
        city("malmo", "SE", name="Malmö", themes=themes),
        actor("scn", "international_org", None, name="Strong Cities Network", themes=themes),
        actor("mopac", "statutory_service", name="MOPAC", themes=themes),
        actor("home-office", "national_body", name="Home Office"),
    ]
    edges = [
        rel("london", "scn", "MEMBER_OF"),
        rel("malmo", "scn", "MEMBER_OF"),
        rel("mopac", "london", "LOCATED_IN"),
    ]
    G = build_graph(nodes, edges)
    pairs = {(r["actor"], r["partner"]) for r in top_recommendations(G, find_gaps(G)).rows}
    assert not {("london", "scn"), ("malmo", "scn"), ("london", "mopac")} & pairs
    assert ("london", "home-office") in pairs
    html = render_report(G).html
    section = html[html.index('id="recommendations"') : html.index('class="network-heading"')]
    shown = re.findall(r'<span class="component-score">([\d.]+)</span> ([^<]+)</li>', section)
    national = "National body of the United Kingdom, while London has no national link yet"
    assert ("2.5", national) in shown


def test_the_report_lists_the_ties_already_planned_beside_the_recommendations():
    """The bug: the report's recommendations section left out the ties an actor already
    has planned or proposed (the CLI and the API list them as `pending`): a staffer
    could not see that a gap is already being closed."""
    from graph.analysis.recommend import recommendation_set

    themes = ["hate", "polarisation"]
    nodes = [
        city("london", name="London", themes=themes),
        actor("home-office", "national_body", name="Home Office"),
        actor("hope", "cso", name="Hope UK", themes=themes),
    ]
    edges = [rel("london", "hope", "PARTNERS_WITH", status="planned")]
    G = build_graph(nodes, edges)
    assert [p.partner for p in recommendation_set(G, "london").pending] == ["hope"]
    pairs = {(r["actor"], r["partner"]) for r in top_recommendations(G, find_gaps(G)).rows}
    assert ("london", "home-office") in pairs and ("london", "hope") not in pairs
    html = render_report(G).html
    section = html[html.index('id="recommendations"') : html.index('class="network-heading"')]
    pending = section[section.index('id="pending"') :]
    row = re.search(r"<tr><td>London</td><td>Hope UK</td>.*?</tr>", pending, re.S)
    assert row, pending[:800]
    assert "<td>planned</td>" in row.group(0) and "London PARTNERS_WITH Hope UK" in row.group(0)


def test_an_actor_with_only_a_tie_in_progress_has_it_listed():
    """An actor whose one candidate is already planned has no recommendation, and the
    report says the tie is in progress instead of "no recommendation"; a tie between
    two ranked actors is listed once."""
    nodes = [
        city("london", name="London"),
        actor("hope", "cso", name="Hope UK"),
    ]
    G = build_graph(nodes, [rel("london", "hope", "PARTNERS_WITH", status="planned")])
    shown = top_recommendations(G, find_gaps(G))
    pairs = [frozenset((p["actor"], p["partner"])) for p in shown.pending]
    assert frozenset(("london", "hope")) in pairs and len(pairs) == len(set(pairs))
    html = render_report(G).html
    assert "already in progress" in html and "No recommendation:" not in html
