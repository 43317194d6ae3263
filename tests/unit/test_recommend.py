"""Partner recommendations: ranking, exclusions, reasons in words, speed."""

from __future__ import annotations

import random

import pytest

from graph.analysis.recommend import SCORE_WEIGHTS, Recommendation, recommend
from graph.projection import build_graph


def city(i: str, country: str = "DE", **kw) -> dict:
    return {"id": i, "kind": "city", "name": i.title(), "country": country, **kw}


def actor(i: str, kind: str, country: str | None = "DE", **kw) -> dict:
    return {"id": i, "kind": kind, "name": i.title(), "country": country, **kw}


def rel(s: str, t: str, typ: str = "PARTNERS_WITH", status: str = "active") -> dict:
    return {"source": s, "target": t, "type": typ, "status": status}


def ids(recs: list[Recommendation]) -> list[str]:
    return [r.partner for r in recs]


@pytest.fixture
def triangle_graph():
    """home partners with p1 and p2; both partner with x; y partners with p1 only."""
    nodes = [
        city("home", "DE"),
        city("p1", "FR"),
        city("p2", "FR"),
        city("x", "IT"),
        city("y", "IT"),
        city("z", "ES"),
    ]
    edges = [
        rel("home", "p1"),
        rel("p2", "home", "TWINNED_WITH"),  # stored the other way: still a partner
        rel("p1", "x"),
        rel("x", "p2", "COORDINATES_WITH"),
        rel("p1", "y"),
        rel("z", "y"),
    ]
    return build_graph(nodes, edges)


def test_common_partners_rank_first(triangle_graph):
    recs = recommend(triangle_graph, "home")
    assert ids(recs) == ["x", "y"]  # z has nothing in common with home
    x, y = recs
    assert x.score > y.score > 0
    # the most telling common partner first: p2 (2 partners) before p1 (3 partners)
    assert x.reasons == ("2 partners in common: P2 and P1",)
    assert y.reasons == ("1 partner in common: P1",)
    # Adamic–Adar: p1 has 3 partners, p2 has 2
    import math

    aa = 1 / math.log(3) + 1 / math.log(2)
    assert x.score == round(SCORE_WEIGHTS["common_neighbours"] * aa / (1 + aa), 4)


def test_existing_partners_and_self_excluded(triangle_graph):
    got = ids(recommend(triangle_graph, "p1"))
    assert "p1" not in got
    assert not {"home", "x", "y"} & set(got)  # all partners of p1, whichever direction
    assert "p2" in got  # shares home and x with p1


def test_unknown_actor_raises_keyerror(triangle_graph):
    with pytest.raises(KeyError) as exc:
        recommend(triangle_graph, "nowhere")
    assert exc.value.args == ("nowhere",)
    G = build_graph([city("a"), {"id": "prog", "kind": "program", "name": "P"}], [])
    with pytest.raises(KeyError):
        recommend(G, "prog")  # an initiative is not an actor


def test_shared_themes_named_in_words():
    nodes = [
        city("home", themes=["hate", "polarisation", "m_and_e"], threats=["disinformation"]),
        actor("a-cso", "cso", "FR", themes=["hate", "polarisation"]),
        actor("b-lab", "research", "FR", themes=["disinformation"]),
        actor("c-none", "research", "FR", themes=["terrorism"]),
    ]
    recs = {r.partner: r for r in recommend(build_graph(nodes, []), "home")}
    assert "c-none" not in recs
    assert recs["a-cso"].reasons == ("Shared themes: hate and polarisation",)
    assert recs["b-lab"].reasons == (
        "Works on disinformation, which Home reports as a local threat",
    )
    assert recs["a-cso"].score == round(SCORE_WEIGHTS["shared_themes"] * 2 / 4, 4)
    assert recs["b-lab"].score == SCORE_WEIGHTS["threat_focus"]


def test_same_country_reason_and_tie_break_by_id():
    nodes = [city("home"), city("b-city"), city("a-city"), city("abroad", "FR")]
    recs = recommend(build_graph(nodes, []), "home")
    assert ids(recs) == ["a-city", "b-city"]
    assert recs[0].score == recs[1].score == SCORE_WEIGHTS["same_country"]
    assert recs[0].reasons == ("Also in Germany",)


@pytest.fixture
def me_gap_graph():
    """A CSO runs an unevaluated program and gets no capacity support."""
    nodes = [
        actor("youth-cso", "cso", grassroots=True),
        {"id": "prog", "kind": "program", "name": "Youth Resilience", "status": "active"},
        {"id": "other-prog", "kind": "program", "name": "Safe Schools", "status": "active"},
        actor("trainer", "international_org", None),
        actor("evaluator", "research", "FR"),
        actor("t1", "cso", "FR"),
        actor("t2", "cso", "FR"),
        actor("bystander", "research", "FR"),
    ]
    edges = [
        rel("youth-cso", "prog", "RUNS"),
        rel("trainer", "t1", "SUPPORTS_CAPACITY"),
        rel("trainer", "t2", "SUPPORTS_CAPACITY"),
        rel("evaluator", "other-prog", "EVALUATES"),
    ]
    return build_graph(nodes, edges)


def test_capacity_and_evaluation_complement_an_me_gap(me_gap_graph):
    recs = {r.partner: r for r in recommend(me_gap_graph, "youth-cso")}
    assert "bystander" not in recs
    assert recs["trainer"].score == SCORE_WEIGHTS["complementary_capacity"]
    assert recs["trainer"].reasons == (
        "Gives capacity support to 2 actors, while Youth-Cso runs a program "
        "without evaluation and receives no capacity support",
    )
    assert recs["evaluator"].reasons == (
        "Evaluates 1 program such as Safe Schools, while Youth-Cso's program Youth Resilience "
        "has no evaluation",
    )
    assert ids(recommend(me_gap_graph, "youth-cso"))[:2] == ["evaluator", "trainer"]


def test_evaluated_program_has_no_evaluator_gap(me_gap_graph):
    G = me_gap_graph.copy()
    G.add_edge("evaluator", "prog", key="EVALUATES", type="EVALUATES", status="active")
    G.add_edge(
        "trainer", "youth-cso", key="SUPPORTS_CAPACITY", type="SUPPORTS_CAPACITY", status="active"
    )
    recs = {r.partner: r for r in recommend(G, "youth-cso")}
    assert "evaluator" not in recs  # now a partner
    assert "trainer" not in recs


def test_city_gaps_national_cso_private():
    nodes = [
        city("home"),
        actor("bmi", "national_body"),
        actor("fr-min", "national_body", "FR"),
        actor("grass", "cso", grassroots=True),
        actor("fr-cso", "cso", "FR"),
        actor("tech", "private_sector", None, sector="tech"),
        actor("strategy-owner", "research"),
        {
            "id": "fw",
            "kind": "framework",
            "name": "National Strategy",
            "country": "DE",
            "level": "national",
        },
    ]
    edges = [rel("strategy-owner", "fw", "RUNS")]
    recs = {r.partner: r for r in recommend(build_graph(nodes, edges), "home")}
    assert recs["bmi"].reasons[0] == "National body of Germany, while Home has no national link yet"
    assert recs["strategy-owner"].reasons[0] == (
        "Runs National Strategy, a national framework of Germany, "
        "while Home has no national link yet"
    )
    assert recs["grass"].reasons[0] == "Grassroots CSO in Germany, while Home works with no CSO yet"
    assert recs["tech"].reasons == (
        "Private-sector actor in the tech sector, "
        "while Home works with no private-sector actor yet",
    )
    assert "fr-min" not in recs and "fr-cso" not in recs  # other country, nothing in common


def test_city_with_national_link_gets_no_national_body_reason():
    nodes = [city("home"), actor("bmi", "national_body"), actor("bka", "national_body")]
    recs = recommend(build_graph(nodes, [rel("home", "bmi", "COORDINATES_WITH")]), "home")
    assert [(r.partner, r.reasons) for r in recs] == [("bka", ("Also in Germany",))]


def test_to_dict_and_limit(triangle_graph):
    [r] = recommend(triangle_graph, "home", limit=1)
    assert r.to_dict() == {
        "partner": "x",
        "name": "X",
        "kind": "city",
        "country": "IT",
        "score": r.score,
        "basis": "stated",
        "reasons": ["2 partners in common: P2 and P1"],
        "components": [
            {
                "name": "common_neighbours",
                "score": r.score,
                "value": r.components[0].value,
                "reason": "2 partners in common: P2 and P1",
                "inferred": False,
            }
        ],
    }
    assert recommend(triangle_graph, "home", limit=0) == []


def test_every_city_of_a_twin_cities_sized_network_gets_reasoned_recommendations():
    rng = random.Random(5)
    n = 17_700
    countries = [f"C{i:03d}" for i in range(200)]
    nodes = [city(f"c{i}", rng.choice(countries)) for i in range(n)]
    edges = [
        rel(f"c{rng.randrange(n)}", f"c{rng.randrange(n)}", "TWINNED_WITH") for _ in range(26_000)
    ]
    G = build_graph(nodes, edges)
    for a in ("c1", "c2", "c3", "c4", "c5"):
        recs = recommend(G, a)
        assert recs and all(r.reasons for r in recs)
