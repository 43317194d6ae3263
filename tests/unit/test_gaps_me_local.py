"""M&E and local gaps: me.program_unevaluated, me.evaluation_unpublished,
me.no_capacity_support, local.silo, theme.uncovered_threat."""

from __future__ import annotations

import pytest

from tests.support.graphs import actor, city, cso, gaps, initiative, of_type, one, rel, subjects

UNEVAL = "me.program_unevaluated"
UNPUB = "me.evaluation_unpublished"
NO_CAP = "me.no_capacity_support"
SILO = "local.silo"
THREAT = "theme.uncovered_threat"


# -- me.program_unevaluated ---------------------------------------------------------


def _prog_world(program_status: str = "active", eval_status: str = "active"):
    return [
        city("london", name="Mayor of London"),
        cso("youth", name="Youth Voices", grassroots=True),
        actor("rusi", "research", name="RUSI", themes=["hate"]),
        actor("kcl", "research", name="King's College", themes=["polarisation"]),
        actor("evalco", "private_sector", name="Evaluation Ltd"),
        actor("evalfr", "research", "FR", name="Evaluateurs"),
        initiative("club", name="Youth Club", status=program_status, themes=["hate"]),
        initiative("other", name="Other Program"),
        initiative("e1", "evaluation", name="Club Evaluation", status=eval_status, published=True),
    ]


def test_program_unevaluated_fires_and_names_evaluators() -> None:
    edges = [
        rel("youth", "club", "RUNS"),
        rel("evalco", "other", "EVALUATES"),
        rel("evalfr", "other", "EVALUATES"),
    ]
    f = one(of_type(_prog_world(), edges, UNEVAL))
    assert f.subjects == ("club",) and f.severity == "medium"  # evaluators to suggest
    assert f.country == "GB"  # no country of its own: that of its runner
    assert "Youth Club" in f.explanation and "Youth Voices" in f.explanation
    # an actor that evaluates programs comes first, then research bodies by theme
    assert f.suggestion.index("Evaluation Ltd") < f.suggestion.index("RUSI")
    assert f.suggestion.index("RUSI") < f.suggestion.index("King's College")
    assert "Evaluateurs" not in f.suggestion  # another country's evaluator


@pytest.mark.parametrize("edge", [rel("rusi", "club", "EVALUATES"), rel("e1", "club", "EVALUATES")])
def test_program_evaluated_by_an_actor_or_an_evaluation(edge) -> None:
    # the Youth Club is evaluated; the other program still is not
    assert subjects(of_type(_prog_world(), [edge], UNEVAL)) == [("other",)]


def test_program_unevaluated_status_rules() -> None:
    # a past evaluation (ended EVALUATES, or an ended evaluation) still evaluates
    found = of_type(_prog_world(), [rel("rusi", "club", "EVALUATES", status="ended")], UNEVAL)
    assert ("club",) not in subjects(found)
    found = of_type(_prog_world(eval_status="ended"), [rel("e1", "club", "EVALUATES")], UNEVAL)
    assert ("club",) not in subjects(found)
    # a planned evaluation mitigates
    found = of_type(_prog_world(eval_status="planned"), [rel("e1", "club", "EVALUATES")], UNEVAL)
    f = next(f for f in found if f.subjects == ("club",))
    assert f.mitigation == (
        "A planned link would close this: Club Evaluation EVALUATES Youth Club "
        "(planned initiative)."
    )
    # planned or ended programs are not subjects
    for status in ("planned", "ended"):
        assert ("club",) not in subjects(of_type(_prog_world(status), [], UNEVAL))


def test_program_unevaluated_medium_when_not_run_locally() -> None:
    f = one(of_type(_prog_world()[:-2], [rel("rusi", "club", "RUNS")], UNEVAL))
    assert f.severity == "medium"
    assert "RUSI" not in f.suggestion  # it runs the program: not its own evaluator


# -- me.evaluation_unpublished ---------------------------------------------------------


def _eval_world(published, status="active"):
    return [
        city("london", name="Mayor of London"),
        cso("youth", name="Youth Voices"),
        initiative("club", name="Youth Club", country="GB"),
        initiative("e1", "evaluation", name="Club Evaluation", published=published, status=status),
    ]


@pytest.mark.parametrize("published", [False, None, "false"])
def test_evaluation_unpublished_fires(published) -> None:
    edges = [rel("e1", "club", "EVALUATES"), rel("youth", "club", "RUNS")]
    f = one(of_type(_eval_world(published), edges, UNPUB))
    assert f.subjects == ("e1",) and f.country == "GB" and f.severity == "medium"
    assert "Club Evaluation" in f.explanation and "Youth Club" in f.explanation
    assert "Youth Voices" in f.suggestion
    assert f.mitigation is None


def test_evaluation_unpublished_not_for_published_or_pending() -> None:
    assert of_type(_eval_world(True), [], UNPUB) == []
    assert of_type(_eval_world(False, "planned"), [], UNPUB) == []
    assert of_type(_eval_world(False, "proposed"), [], UNPUB) == []
    # a completed evaluation can still be published
    assert subjects(of_type(_eval_world(False, "ended"), [], UNPUB)) == [("e1",)]


def test_evaluation_unpublished_names_a_funder_who_can_insist() -> None:
    edges = [rel("e1", "club", "EVALUATES"), rel("london", "club", "FUNDS")]
    f = one(of_type(_eval_world(False), edges, UNPUB))
    assert "Mayor of London as funder" in f.suggestion
    edges = [rel("e1", "club", "EVALUATES"), rel("london", "club", "FUNDS", status="ended")]
    assert "as funder" not in one(of_type(_eval_world(False), edges, UNPUB)).suggestion


# -- me.no_capacity_support -------------------------------------------------------------


def _cap_world():
    return [
        city("london", name="Mayor of London"),
        cso("youth", name="Youth Voices", grassroots=True, city="london"),
        cso("cst", name="Community Security Trust"),
        actor("trainer", "international_org", None, name="Training Hub"),
        actor("rusi", "research", name="RUSI"),
        initiative("club", name="Youth Club"),
        initiative("guide", "resource", name="Toolkit"),
        initiative("other", name="Other Program"),
    ]


def test_no_capacity_support_fires_for_program_running_csos() -> None:
    edges = [
        rel("youth", "club", "RUNS"),
        rel("cst", "other", "RUNS"),
        rel("trainer", "london", "SUPPORTS_CAPACITY"),
    ]
    found = of_type(_cap_world(), edges, NO_CAP)
    assert subjects(found) == [("cst",), ("youth",)]  # same severity: by subject
    cst, youth = found
    assert youth.severity == cst.severity == "medium"
    assert "Youth Voices runs Youth Club" in youth.explanation
    assert "Training Hub" in youth.suggestion and "RUSI" in youth.suggestion


@pytest.mark.parametrize(
    "edges",
    [
        [rel("youth", "club", "RUNS"), rel("trainer", "youth", "SUPPORTS_CAPACITY")],
        [rel("youth", "club", "PARTICIPATES_IN")],  # does not run it
        [rel("youth", "guide", "RUNS")],  # a resource, not a program
        [rel("youth", "club", "RUNS", status="ended")],
    ],
)
def test_no_capacity_support_not_fired(edges) -> None:
    assert of_type(_cap_world(), edges, NO_CAP) == []


def test_no_capacity_support_not_closed_by_ended_support_and_planned_mitigates() -> None:
    edges = [
        rel("youth", "club", "RUNS"),
        rel("trainer", "youth", "SUPPORTS_CAPACITY", status="ended"),
        rel("rusi", "youth", "SUPPORTS_CAPACITY", status="planned"),
    ]
    f = one(of_type(_cap_world(), edges, NO_CAP))
    assert f.mitigation == (
        "A planned link would close this: RUSI SUPPORTS_CAPACITY Youth Voices (planned)."
    )


# -- local.silo -----------------------------------------------------------------------------


def _silo_world():
    return [
        city("london", name="Mayor of London"),
        cso("zeta", name="Zeta Trust", city="london", themes=["hate", "polarisation"]),
        cso("alpha", name="Alpha Group", city="london", themes=["Hate"]),
        actor("police", "statutory_service", name="Met Police", themes=["terrorism"]),
        cso("leedsgroup", name="Leeds Group", city="leeds", themes=["hate"]),
        city("leeds"),
        initiative("forum", "event", name="Hate Forum"),
    ]


def test_silo_fires_with_sorted_subjects_and_names() -> None:
    f = one(of_type(_silo_world(), [], SILO))
    assert f.subjects == ("alpha", "zeta")  # sorted ids, whatever the order of the nodes
    assert f.country == "GB" and f.severity == "medium"
    assert f.explanation == (
        "Alpha Group and Zeta Trust, both local actors of Mayor of London working on hate, "
        "have no relationship and no shared initiative."
    )
    assert "Mayor of London could convene Alpha Group and Zeta Trust on hate" in f.suggestion


@pytest.mark.parametrize(
    "edges",
    [
        [rel("zeta", "alpha")],
        [rel("alpha", "zeta", "COORDINATES_WITH")],
        [rel("alpha", "zeta", "FUNDS")],
        [rel("alpha", "forum", "RUNS"), rel("zeta", "forum", "PARTICIPATES_IN")],
    ],
)
def test_silo_closed_by_a_relationship_or_shared_initiative(edges) -> None:
    assert of_type(_silo_world(), edges, SILO) == []


@pytest.mark.parametrize(
    "edges",
    [
        [rel("alpha", "zeta", "MEMBER_OF")],
        [rel("alpha", "zeta", "LOCATED_IN")],
        [rel("alpha", "zeta", status="ended")],
        [rel("alpha", "forum", "RUNS"), rel("zeta", "forum", "PARTICIPATES_IN", status="ended")],
    ],
)
def test_silo_not_closed_by(edges) -> None:
    assert subjects(of_type(_silo_world(), edges, SILO)) == [("alpha", "zeta")]


def test_silo_needs_a_shared_theme_and_the_same_city() -> None:
    # the police (LOCATED_IN London) works on terrorism only; Leeds Group is in Leeds
    edges = [rel("police", "london", "LOCATED_IN")]
    assert subjects(of_type(_silo_world(), edges, SILO)) == [("alpha", "zeta")]
    nodes = [*_silo_world(), actor("met", "statutory_service", themes=["polarisation"])]
    edges = [rel("met", "london", "LOCATED_IN"), rel("alpha", "zeta")]
    assert subjects(of_type(nodes, edges, SILO)) == [("met", "zeta")]


def test_silo_names_who_works_with_both_and_planned_link_mitigates() -> None:
    edges = [rel("london", "alpha"), rel("zeta", "london", "FUNDS")]
    f = one(of_type(_silo_world(), edges, SILO))
    assert f.severity == "medium"
    assert f.suggestion.startswith("Mayor of London, which already works with both")
    edges = [rel("alpha", "forum", "RUNS"), rel("zeta", "forum", "RUNS", status="planned")]
    f = one(of_type(_silo_world(), edges, SILO))
    assert f.mitigation == "A planned link would close this: Zeta Trust RUNS Hate Forum (planned)."


# -- theme.uncovered_threat ----------------------------------------------------------------


def _threat_world(**kw):
    return [
        city("london", name="Mayor of London", threats=["hate", "disinformation"], **kw),
        cso("cst", name="Community Security Trust", city="london", themes=["hate"]),
        cso("factcheck", name="Fact Checkers", city="london", themes=["disinformation"]),
        initiative("ireportit", name="IREPORTIT", themes=["hate"]),
        initiative("debunk", name="Debunk Lab", themes=["disinformation"], country="GB"),
        initiative("old", name="Old Campaign", themes=["disinformation"], status="ended"),
    ]


def test_uncovered_threat_fires_per_threat_with_city_then_theme_subjects() -> None:
    found = of_type(_threat_world(), [rel("london", "ireportit", "RUNS")], THREAT)
    f = one(found)
    assert f.subjects == ("london", "disinformation") and f.country == "GB"
    assert "Mayor of London reports disinformation" in f.explanation
    assert f.severity == "medium"
    assert "Debunk Lab" in f.suggestion and "Fact Checkers" in f.suggestion
    assert "Old Campaign" not in f.suggestion


def test_uncovered_threat_covered_by_a_local_partner_but_not_a_stranger() -> None:
    # a local actor running Debunk Lab covers it only once the city works with it
    edges = [rel("london", "ireportit", "RUNS"), rel("factcheck", "debunk", "PARTICIPATES_IN")]
    assert subjects(of_type(_threat_world(), edges, THREAT)) == [("london", "disinformation")]
    edges.append(rel("factcheck", "london", "SHARES_INFORMATION_WITH"))
    assert of_type(_threat_world(), edges, THREAT) == []
    # MEMBER_OF is no partnership
    edges[-1] = rel("factcheck", "london", "MEMBER_OF")
    assert subjects(of_type(_threat_world(), edges, THREAT)) == [("london", "disinformation")]


def test_uncovered_threat_ignores_ended_initiatives_and_participation() -> None:
    edges = [rel("london", "old", "RUNS"), rel("london", "ireportit", "RUNS", status="ended")]
    found = of_type(_threat_world(), edges, THREAT)
    assert subjects(found) == [("london", "disinformation"), ("london", "hate")]


def test_uncovered_threat_planned_participation_mitigates() -> None:
    edges = [
        rel("london", "ireportit", "RUNS"),
        rel("london", "debunk", "PARTICIPATES_IN", status="planned"),
    ]
    f = one(of_type(_threat_world(), edges, THREAT))
    assert f.mitigation == (
        "A planned link would close this: Mayor of London PARTICIPATES_IN Debunk Lab (planned)."
    )


def test_uncovered_threat_low_when_nothing_to_join() -> None:
    nodes = [city("york", name="York", threats=["conspiracy"])]
    f = one(of_type(nodes, [], THREAT))
    assert f.severity == "low" and f.subjects == ("york", "conspiracy")


def test_no_threats_no_finding() -> None:
    assert [f for f in gaps([city("york")], []) if f.type == THREAT] == []
