"""The rules a recommendation follows (docs/recommendations.md), one test per rule, on
hand-built graphs: no tie is recommended, pending ties are listed apart, isolated cities
get partners, stated threats rank first, every score shows its components, inferred
records are named, and the documented formula is the code's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph.analysis.recommend import (
    INFERRED_NOTE,
    MAX_EXPANDED_DEGREE,
    PRECISION,
    SCORE_WEIGHTS,
    Recommendation,
    recommend,
    recommendation_set,
)
from graph.projection import build_graph
from tests.support.graphs import actor, city, cso, initiative, rel

DOC = Path(__file__).resolve().parents[2] / "docs" / "recommendations.md"


def by_partner(recs: list[Recommendation]) -> dict[str, Recommendation]:
    return {r.partner: r for r in recs}


def user_workbook() -> tuple[list[dict], list[dict]]:
    """The user's cases: London and Malmö are MEMBER_OF the Strong Cities Network; MOPAC
    is LOCATED_IN London. All share themes, so each would score on its own."""
    themes = ["violent_extremism", "hate", "polarisation"]
    nodes = [
        city("london", name="London", themes=themes, threats=["hate"]),
        city("malmo", "SE", name="Malmö", themes=themes),
        actor("scn", "international_org", None, name="Strong Cities Network", themes=themes),
        actor("mopac", "statutory_service", name="MOPAC", themes=themes),
        city("leeds", name="Leeds", themes=themes),
    ]
    edges = [
        rel("london", "scn", "MEMBER_OF"),
        rel("malmo", "scn", "MEMBER_OF"),
        rel("mopac", "london", "LOCATED_IN"),
    ]
    return nodes, edges


# --------------------------------------------------------------------------- no tie is named


def test_a_network_is_not_recommended_to_its_members():
    G = build_graph(*user_workbook())
    assert "scn" not in by_partner(recommend(G, "london"))
    assert "scn" not in by_partner(recommend(G, "malmo"))
    assert not {"london", "malmo"} & set(by_partner(recommend(G, "scn")))


def test_an_actor_located_in_a_city_and_the_city_are_not_recommended_to_each_other():
    G = build_graph(*user_workbook())
    assert "mopac" not in by_partner(recommend(G, "london"))
    assert "london" not in by_partner(recommend(G, "mopac"))
    # the `city` property ties them just as LOCATED_IN does
    nodes, _ = user_workbook()
    nodes[3]["city"] = "london"
    G = build_graph(nodes, [])
    assert "mopac" not in by_partner(recommend(G, "london"))
    assert "london" not in by_partner(recommend(G, "mopac"))
    assert "leeds" in by_partner(recommend(G, "london"))


@pytest.mark.parametrize(
    "typ", ["FUNDS", "SUPPORTS_CAPACITY", "INFORMS", "MEMBER_OF", "LOCATED_IN"]
)
@pytest.mark.parametrize("outgoing", [True, False])
@pytest.mark.parametrize("status", ["active", "planned", "proposed"])
def test_no_relationship_of_any_type_direction_or_status_but_ended_is_recommended(
    typ: str, outgoing: bool, status: str
):
    nodes = [city("home", themes=["hate"]), actor("other", "cso", themes=["hate"]), city("peer")]
    pair = ("home", "other") if outgoing else ("other", "home")
    G = build_graph(nodes, [rel(*pair, typ, status)])
    assert "other" not in by_partner(recommend(G, "home"))
    assert "home" not in by_partner(recommend(G, "other"))
    G = build_graph(nodes, [rel(*pair, typ, "ended")])
    assert "other" in by_partner(recommend(G, "home"))


def test_sharing_an_active_initiative_is_a_tie():
    nodes = [city("home"), city("peer"), initiative("prog", name="Youth Programme")]
    edges = [rel("home", "prog", "RUNS"), rel("peer", "prog", "PARTICIPATES_IN")]
    assert "peer" not in by_partner(recommend(build_graph(nodes, edges), "home"))


def test_a_city_with_a_local_cso_is_not_told_it_works_with_no_cso():
    nodes = [city("home", name="Home"), cso("local"), cso("other")]
    G = build_graph(nodes, [rel("local", "home", "LOCATED_IN")])
    reasons = by_partner(recommend(G, "home"))["other"].reasons
    assert not any("no CSO" in r for r in reasons), reasons


# --------------------------------------------------------------------------- pending ties


def test_planned_and_proposed_ties_are_listed_as_already_planned_or_proposed():
    nodes = [
        city("home", name="Home"),
        city("soon", name="Soon"),
        actor("net", "international_org", None, name="Net"),
        city("both", name="Both"),
        city("peer", name="Peer"),
        initiative("visit", "event", name="Visit", status="proposed"),
    ]
    edges = [
        rel("home", "soon", "PARTNERS_WITH", "planned"),
        rel("home", "net", "MEMBER_OF", "proposed"),
        rel("both", "home", "TWINNED_WITH", "planned"),
        rel("both", "home", "COORDINATES_WITH", "proposed"),
        rel("home", "visit", "PARTICIPATES_IN"),
        rel("peer", "visit", "PARTICIPATES_IN"),
    ]
    result = recommendation_set(build_graph(nodes, edges), "home")
    assert not {"soon", "net", "both", "peer"} & {r.partner for r in result.items}
    pending = {p.partner: p.to_dict() for p in result.pending}
    assert pending["soon"]["status"] == "planned"
    assert pending["soon"]["reason"] == "Already planned: Home PARTNERS_WITH Soon"
    assert pending["net"]["reason"] == "Already proposed: Home MEMBER_OF Net"
    assert pending["both"]["status"] == "planned"  # planned beats proposed
    assert pending["both"]["links"] == [
        "Both COORDINATES_WITH Home (proposed)",
        "Both TWINNED_WITH Home (planned)",
    ]
    assert pending["peer"]["reason"] == "Already proposed: Home and Peer in Visit"
    assert [p.partner for p in result.pending][:2] == ["both", "soon"]  # planned first
    assert result.to_dict()["pending"][0] == pending["both"]


def test_an_active_tie_is_not_also_pending():
    nodes = [
        city("home", themes=["hate"]),
        actor("net", "international_org", None, themes=["hate"]),
    ]
    edges = [rel("home", "net", "MEMBER_OF"), rel("home", "net", "PARTNERS_WITH", "planned")]
    result = recommendation_set(build_graph(nodes, edges), "home")
    assert result.items == () and result.pending == ()


# --------------------------------------------------------------------------- history


def test_ended_ties_are_history_and_a_reason():
    nodes = [
        city("home", "SE", name="Home"),
        city("old", "FR", name="Old"),
        city("met", "DE", name="Met"),
        initiative("summit", "event", name="Summit 2019", status="ended"),
    ]
    edges = [
        rel("home", "old", "PARTNERS_WITH", "ended"),
        rel("home", "summit", "PARTICIPATES_IN"),
        rel("met", "summit", "RUNS"),
    ]
    recs = by_partner(recommend(build_graph(nodes, edges), "home"))
    assert recs["old"].reasons == ("Formerly linked by PARTNERS_WITH (ended)",)
    assert recs["met"].reasons == ("Met at Summit 2019 (ended)",)
    assert recs["met"].score == round(SCORE_WEIGHTS["past_ties"] * 0.5, PRECISION)


# --------------------------------------------------------------------------- isolated city


def test_an_isolated_city_gets_members_peers_event_peers_and_national_bodies():
    """Malmö has no partner: a membership and an ended event only."""
    nodes = [
        city("malmo", "SE", name="Malmö"),
        actor("scn", "international_org", None, name="Strong Cities Network"),
        city("lyon", "FR", name="Lyon"),
        city("goteborg", "SE", name="Göteborg"),
        city("bonn", "DE", name="Bonn"),
        actor("msb", "national_body", "SE", name="MSB"),
        initiative("summit", "event", name="Summit 2019", status="ended"),
        city("faraway", "JP", name="Faraway"),
    ]
    edges = [
        rel("malmo", "scn", "MEMBER_OF"),
        rel("lyon", "scn", "MEMBER_OF"),
        rel("malmo", "summit", "PARTICIPATES_IN"),
        rel("bonn", "summit", "PARTICIPATES_IN"),
    ]
    recs = by_partner(recommend(build_graph(nodes, edges), "malmo"))
    assert set(recs) == {"lyon", "goteborg", "bonn", "msb"}
    assert recs["lyon"].reasons == ("Fellow member of Strong Cities Network",)
    assert recs["goteborg"].reasons == ("Also in Sweden",)
    assert recs["bonn"].reasons == ("Met at Summit 2019 (ended)",)
    assert recs["msb"].reasons[0] == "National body of Sweden, while Malmö has no national link yet"
    # with no relationship at all: the national body, then the cities of its country
    G = build_graph(nodes, [])
    assert [r.partner for r in recommend(G, "malmo")] == ["msb", "goteborg"]


# --------------------------------------------------------------------------- stated threats


def test_partners_working_on_the_subjects_threats_rank_higher():
    nodes = [
        city("home", name="Home", themes=["hate", "polarisation"], threats=["Violent extremism"]),
        actor("themes-only", "cso", "FR", themes=["hate", "polarisation"]),
        actor("on-threat", "research", "FR", themes=["violent_extremism"]),
    ]
    recs = recommend(build_graph(nodes, []), "home")
    assert [r.partner for r in recs] == ["on-threat", "themes-only"]
    assert recs[0].reasons == ("Works on violent extremism, which Home reports as a local threat",)
    assert recs[0].components[0].name == "threat_focus"
    assert recs[1].reasons == ("Shared themes: hate and polarisation",)


def test_a_threat_is_not_counted_twice():
    nodes = [
        city("home", name="Home", themes=["hate"], threats=["disinformation"]),
        actor("lab", "research", "FR", themes=["hate", "disinformation"]),
    ]
    [r] = recommend(build_graph(nodes, []), "home")
    assert [c.name for c in r.components] == ["threat_focus", "shared_themes"]
    assert r.reasons == (
        "Works on disinformation, which Home reports as a local threat",
        "Shared theme: hate",
    )


# --------------------------------------------------------------------------- components


def test_every_score_is_the_sum_of_its_components_each_with_a_clean_reason():
    nodes, edges = user_workbook()
    nodes += [
        actor("home-office", "national_body", name="Home Office", themes=["hate"]),
        cso("roots", name="Roots", grassroots=True),
        city("bradford", name="Bradford"),
        initiative("summit", "event", name="Summit", status="ended"),
    ]
    edges += [
        rel("london", "summit", "PARTICIPATES_IN"),
        rel("bradford", "summit", "PARTICIPATES_IN"),
        rel("leeds", "bradford", "TWINNED_WITH"),
        rel("london", "bradford", "PARTNERS_WITH"),
    ]
    G = build_graph(nodes, edges)
    recs = recommend(G, "london")
    assert recs
    for r in recs:
        d = r.to_dict()
        assert d["score"] == round(sum(c["score"] for c in d["components"]), PRECISION)
        assert d["reasons"] == [c["reason"] for c in d["components"]]
        assert len(set(d["reasons"])) == len(d["reasons"])
        for c in d["components"]:
            assert set(c) == {"name", "score", "value", "reason", "inferred"}
            assert c["score"] == round(SCORE_WEIGHTS[c["name"]] * c["value"], PRECISION)
            assert 0 < c["value"] <= 1
            why = c["reason"]
            assert (
                why and (why[0].isupper() or why[0].isdigit()) and not why.endswith((".", ";", ","))
            ), why
            assert ";" not in why and "  " not in why, why
        scores = [c["score"] for c in d["components"]]
        assert scores == sorted(scores, reverse=True)
    leeds = by_partner(recs)["leeds"]
    assert "common_neighbours" in {c.name for c in leeds.components}


# --------------------------------------------------------------------------- evidence basis


def test_a_recommendation_resting_on_an_inferred_record_says_so():
    nodes = [
        city("home", "SE", name="Home"),
        actor("net", "international_org", None, name="Net"),
        city("fellow", "FR", name="Fellow"),
        actor("guessed", "national_body", "SE", name="Guessed", basis="inferred"),
        city("stated", "SE", name="Stated"),
    ]
    edges = [
        rel("home", "net", "MEMBER_OF"),
        {**rel("fellow", "net", "MEMBER_OF"), "basis": "inferred"},
    ]
    recs = by_partner(recommend(build_graph(nodes, edges), "home"))
    assert recs["fellow"].reasons == ("Fellow member of Net" + INFERRED_NOTE,)
    assert recs["fellow"].basis == "inferred" and recs["fellow"].components[0].inferred
    assert recs["guessed"].basis == "inferred"
    assert all(r.endswith(INFERRED_NOTE) for r in recs["guessed"].reasons)
    assert recs["stated"].basis == "stated" and recs["stated"].reasons == ("Also in Sweden",)


# --------------------------------------------------------------------------- status of evaluations


def test_a_completed_evaluation_evaluates_its_program():
    nodes = [
        cso("youth", name="Youth"),
        initiative("prog", name="Prog"),
        initiative("report", "evaluation", name="Report", status="ended"),
        actor("evaluator", "research", "FR"),
        initiative("other", name="Other"),
    ]
    edges = [
        rel("youth", "prog", "RUNS"),
        rel("report", "prog", "EVALUATES"),
        rel("evaluator", "other", "EVALUATES"),
    ]
    recs = by_partner(recommend(build_graph(nodes, edges), "youth"))
    assert "evaluator" not in recs, recs.get("evaluator")


# --------------------------------------------------------------------------- the documentation


def test_the_documented_formula_is_the_code():
    text = DOC.read_text(encoding="utf-8")
    rows = re.findall(r"^\| `(\w+)` \| ([\d.]+) \|", text, flags=re.M)
    assert {name: float(w) for name, w in rows} == SCORE_WEIGHTS
    assert "score(a, c) = round(Σ_k round(SCORE_WEIGHTS[k] · value_k(a, c), 4), 4)" in text
    assert PRECISION == 4
    assert f"`MAX_EXPANDED_DEGREE` = {MAX_EXPANDED_DEGREE:,}" in text
    assert f"below {sum(SCORE_WEIGHTS.values()):g}" in text
    assert INFERRED_NOTE.strip() in text
