"""Status semantics by kind (docs/gaps.md, "Status"): one test per rule, on hand-built
graphs, through the gap detectors and the structure metrics.

proposed = suggested, not committed; planned = committed, not started; active; ended =
history. Pending (proposed or planned) records are mitigation, worded with their own
status; ended ones make no current link, except that a past evaluation still evaluates.
"""

from __future__ import annotations

import pytest

from graph.analysis.gaps import find_gaps
from graph.analysis.registry import catalogue, node
from graph.analysis.structure import actor_graph, coverage, metrics
from graph.analysis.wording import mitigation_text
from graph.projection import build_graph
from tests.support.graphs import (
    actor,
    city,
    cso,
    framework,
    initiative,
    of_type,
    one,
    rel,
    subjects,
)

NO_NATIONAL = "vertical.no_national_link"
ISOLATED = "horizontal.isolated_city"
NO_DOMESTIC = "horizontal.no_domestic_link"
UNLINKED = "horizontal.unlinked_countries"
UNEVAL = "me.program_unevaluated"
UNPUB = "me.evaluation_unpublished"
SILO = "local.silo"
THREAT = "theme.uncovered_threat"


# -- proposed counts like planned, worded "proposed" ---------------------------------------


def _uk() -> list[dict]:
    return [
        city("london", name="Mayor of London"),
        actor("home_office", "national_body", name="Home Office"),
        actor("dluhc", "national_body", name="DLUHC"),
    ]


def test_a_proposed_link_is_a_mitigation_worded_proposed() -> None:
    edges = [rel("london", "home_office", "COORDINATES_WITH", status="proposed")]
    f = one(of_type(_uk(), edges, NO_NATIONAL))
    assert f.mitigation == (
        "A proposed link would close this: Mayor of London COORDINATES_WITH Home Office (proposed)."
    )


def test_planned_and_proposed_links_are_both_named_planned_first() -> None:
    edges = [
        rel("london", "home_office", "COORDINATES_WITH", status="proposed"),
        rel("london", "dluhc", "PARTNERS_WITH", status="planned"),
    ]
    f = one(of_type(_uk(), edges, NO_NATIONAL))
    assert f.mitigation == (
        "Planned and proposed links would close this: Mayor of London PARTNERS_WITH DLUHC "
        "(planned); Mayor of London COORDINATES_WITH Home Office (proposed)."
    )


def test_mitigation_heads_name_the_statuses_present() -> None:
    assert mitigation_text([("proposed", "a"), ("proposed", "b")]) == (
        "Proposed links would close this: a; b."
    )
    assert mitigation_text([("planned", "a"), ("planned", "b")]) == (
        "Planned links would close this: a; b."
    )
    assert mitigation_text([]) is None


#: Per gap type, a proposed relationship that would close the finding of its registered
#: example (docs/gaps.md), and any node the example lacks for it.
_PROPOSED_CLOSER = {
    "vertical.no_national_link": (("london", "COORDINATES_WITH", "home_office"), ()),
    "vertical.framework_without_local_input": (("london", "CONTRIBUTES_TO", "cohesion"), ()),
    "vertical.framework_not_implemented": (("london", "IMPLEMENTS", "prevent"), ()),
    "horizontal.isolated_city": (("berlin", "PARTNERS_WITH", "london"), ()),
    "horizontal.no_domestic_link": (("paris", "PARTNERS_WITH", "lyon"), ()),
    "horizontal.unlinked_countries": (("paris", "COORDINATES_WITH", "berlin"), ()),
    "cso.no_cso_partner": (("manchester", "PARTNERS_WITH", "cst"), ()),
    "cso.no_grassroots_partner": (("london", "PARTNERS_WITH", "mums"), ()),
    "cso.unsupported_grassroots": (("london", "FUNDS", "mums"), ()),
    "cso.single_government_funder": (
        ("fund", "FUNDS", "youth"),
        (node("fund", "international_org", "Peace Fund"),),
    ),
    "private.no_private_partner": (("london", "PARTNERS_WITH", "techco"), ()),
    "me.program_unevaluated": (("rusi", "EVALUATES", "exchange"), ()),
    "me.no_capacity_support": (("rusi", "SUPPORTS_CAPACITY", "youth"), ()),
    "local.silo": (("cst", "PARTNERS_WITH", "mums"), ()),
    "theme.uncovered_threat": (("london", "PARTICIPATES_IN", "ireportit"), ()),
}


def test_every_type_with_a_mitigation_keeps_a_proposed_link_aside_worded_proposed() -> None:
    types = {r.gap.type for r in catalogue()} - {UNPUB}  # publication is no relationship
    assert set(_PROPOSED_CLOSER) == types
    for r in catalogue():
        if r.gap.type not in _PROPOSED_CLOSER:
            continue
        (source, typ, target), extra = _PROPOSED_CLOSER[r.gap.type]
        ex = r.gap.example
        proposed = {"source": source, "type": typ, "target": target, "status": "proposed"}
        G = build_graph([*ex.nodes, *extra], [*ex.edge_maps(), proposed])
        found = {f.subjects: f for f in find_gaps(G, types=[r.gap.type])}
        assert ex.subjects in found, r.gap.type  # a proposed link closes nothing
        mitigation = found[ex.subjects].mitigation or ""
        assert f" {typ} " in mitigation and "(proposed)" in mitigation, r.gap.type
        assert mitigation.startswith(("A proposed link", "Planned and proposed links")), r.gap.type


def _threat_world(program_status: str) -> list[dict]:
    return [
        city("london", name="Mayor of London", threats=["hate"]),
        initiative("club", name="Youth Club", themes=["hate"], status=program_status),
    ]


@pytest.mark.parametrize(
    ("link_status", "program_status", "why"),
    [
        ("active", "proposed", "proposed initiative"),
        ("planned", "proposed", "proposed initiative"),  # the weaker status names it
        ("proposed", "planned", "proposed"),
        ("proposed", "proposed", "proposed"),  # a tie: the relationship's own status
    ],
)
def test_a_proposed_initiative_is_worded_proposed(link_status, program_status, why) -> None:
    edges = [rel("london", "club", "PARTICIPATES_IN", status=link_status)]
    f = one(of_type(_threat_world(program_status), edges, THREAT))
    assert f.mitigation == (
        f"A proposed link would close this: Mayor of London PARTICIPATES_IN Youth Club ({why})."
    )


def test_a_pending_link_to_an_ended_initiative_is_no_mitigation() -> None:
    edges = [rel("london", "club", "PARTICIPATES_IN", status="planned")]
    f = one(of_type(_threat_world("ended"), edges, THREAT))
    assert f.mitigation is None


# -- evaluations: ongoing or completed ones evaluate; pending ones are mitigation -----------


def _shared_endeavour(eval_status: str, published: object = True) -> list[dict]:
    """The user's workbook case: MOPAC runs the Shared Endeavour Fund; an evaluation of it
    was completed (status ended) and published."""
    return [
        city("london", name="London"),
        actor("mopac", "statutory_service", name="MOPAC", city="london", level="local"),
        actor("ci", "research", name="Cohesion Institute"),
        initiative("sef", name="Shared Endeavour Fund", country="GB"),
        initiative(
            "sef_eval",
            "evaluation",
            name="Shared Endeavour Fund evaluation",
            status=eval_status,
            published=published,
        ),
    ]


@pytest.mark.parametrize("published", [True, "TRUE"])
@pytest.mark.parametrize("link_status", ["active", "ended"])
def test_a_completed_published_evaluation_evaluates_its_program(published, link_status) -> None:
    edges = [
        rel("mopac", "sef", "RUNS"),
        rel("ci", "sef_eval", "RUNS", status=link_status),
        rel("sef_eval", "sef", "EVALUATES", status=link_status),
    ]
    nodes = _shared_endeavour("ended", published)
    assert of_type(nodes, edges, UNEVAL) == []
    assert of_type(nodes, edges, UNPUB) == []


def test_a_past_evaluation_by_an_actor_evaluates_its_program() -> None:
    edges = [rel("mopac", "sef", "RUNS"), rel("ci", "sef", "EVALUATES", status="ended")]
    assert of_type(_shared_endeavour("active"), edges, UNEVAL) == []


@pytest.mark.parametrize("status", ["planned", "proposed"])
def test_a_pending_evaluation_does_not_evaluate_and_is_the_mitigation(status) -> None:
    edges = [rel("mopac", "sef", "RUNS"), rel("sef_eval", "sef", "EVALUATES")]
    f = one(of_type(_shared_endeavour(status), edges, UNEVAL))
    assert f.subjects == ("sef",)
    assert f.mitigation == (
        f"A {status} link would close this: Shared Endeavour Fund evaluation EVALUATES "
        f"Shared Endeavour Fund ({status} initiative)."
    )


@pytest.mark.parametrize("status", ["planned", "proposed"])
def test_a_pending_evaluation_is_never_unpublished(status) -> None:
    edges = [rel("sef_eval", "sef", "EVALUATES")]
    assert of_type(_shared_endeavour(status, published=False), edges, UNPUB) == []


def test_a_completed_unpublished_evaluation_is_reported_with_its_authors() -> None:
    edges = [
        rel("mopac", "sef", "RUNS"),
        rel("ci", "sef_eval", "RUNS", status="ended"),
        rel("sef_eval", "sef", "EVALUATES", status="ended"),
    ]
    f = one(of_type(_shared_endeavour("ended", published=False), edges, UNPUB))
    assert f.subjects == ("sef_eval",)
    assert "of Shared Endeavour Fund" in f.explanation
    assert "Cohesion Institute" in f.suggestion  # ran the completed evaluation


# -- an ended event or program is history -----------------------------------------------------


def _event_world() -> list[dict]:
    return [
        city("lyon", "FR", name="Ville de Lyon"),
        city("paris", "FR", name="Ville de Paris"),
        city("berlin", "DE", name="Land Berlin"),
        initiative("forum", "event", name="Peace Forum 2019", status="ended", end="2019"),
        initiative("summit", "event", name="Summit 2021", status="ended", end="2021-05"),
    ]


def test_an_ended_event_makes_no_city_link_and_is_mentioned() -> None:
    edges = [rel("lyon", "forum", "PARTICIPATES_IN"), rel("paris", "forum", "RUNS")]
    found = {f.subjects: f for f in of_type(_event_world(), edges, ISOLATED)}
    assert set(found) == {("berlin",), ("lyon",), ("paris",)}
    assert found[("lyon",)].explanation.endswith(
        " It last met Ville de Paris at Peace Forum 2019 (ended)."
    )
    assert "last met" not in found[("berlin",)].explanation


def test_the_latest_ended_event_is_the_one_named() -> None:
    edges = [
        rel("lyon", "forum", "PARTICIPATES_IN"),
        rel("paris", "forum", "PARTICIPATES_IN"),
        rel("lyon", "summit", "PARTICIPATES_IN"),
        rel("berlin", "summit", "PARTICIPATES_IN"),
    ]
    found = {f.subjects: f for f in of_type(_event_world(), edges, ISOLATED)}
    assert found[("lyon",)].explanation.endswith(" It last met Land Berlin at Summit 2021 (ended).")


def test_an_ended_participation_in_an_ongoing_initiative_is_no_meeting() -> None:
    nodes = [*_event_world(), initiative("net", "program", name="Exchange")]
    edges = [
        rel("lyon", "net", "PARTICIPATES_IN", status="ended"),
        rel("paris", "net", "PARTICIPATES_IN", status="ended"),
    ]
    found = {f.subjects: f for f in of_type(nodes, edges, ISOLATED)}
    assert "last met" not in found[("lyon",)].explanation


def test_linked_only_abroad_mentions_the_domestic_city_met_at_an_ended_event() -> None:
    edges = [
        rel("lyon", "berlin", "TWINNED_WITH"),
        rel("lyon", "forum", "PARTICIPATES_IN"),
        rel("paris", "forum", "PARTICIPATES_IN"),
        rel("lyon", "summit", "PARTICIPATES_IN"),  # met Berlin there: not domestic
        rel("berlin", "summit", "PARTICIPATES_IN"),
    ]
    f = one(of_type(_event_world(), edges, NO_DOMESTIC))
    assert f.subjects == ("lyon",)
    assert f.explanation.endswith(" It last met Ville de Paris at Peace Forum 2019 (ended).")


def test_an_ended_event_links_no_countries() -> None:
    nodes = [*_event_world(), actor("scn", "international_org", None, name="SCN")]
    edges = [
        rel("lyon", "scn", "MEMBER_OF"),
        rel("berlin", "scn", "MEMBER_OF"),
        rel("lyon", "summit", "PARTICIPATES_IN"),
        rel("berlin", "summit", "PARTICIPATES_IN"),
    ]
    assert subjects(of_type(nodes, edges, UNLINKED)) == [("DE", "FR")]


def test_an_ended_program_is_no_shared_initiative_between_local_actors() -> None:
    nodes = [
        city("london", name="London"),
        cso("cst", name="CST", city="london", themes=["hate"]),
        cso("mums", name="Mothers Together", city="london", themes=["hate"]),
        initiative("old", name="Old Program", status="ended"),
    ]
    edges = [rel("cst", "old", "RUNS"), rel("mums", "old", "PARTICIPATES_IN")]
    assert subjects(of_type(nodes, edges, SILO)) == [("cst", "mums")]


# -- a city's threat is covered by what it or its local partners run, join or implement -----


def _manchester() -> list[dict]:
    """The user's case: Manchester IMPLEMENTS Prevent, whose themes include its threat
    (spelled differently)."""
    return [
        city("manchester", name="Manchester", threats=["Violent extremism"]),
        cso("mcso", name="Manchester CSO", city="manchester"),
        framework("prevent", name="Prevent", themes=["violent_extremism", "radicalisation"]),
        initiative("other", name="Other Program", country="GB", themes=["violent_extremism"]),
    ]


def test_manchester_implements_prevent_so_its_threat_is_covered() -> None:
    edges = [rel("manchester", "prevent", "IMPLEMENTS")]
    assert of_type(_manchester(), edges, THREAT) == []


@pytest.mark.parametrize(
    "edges",
    [
        [rel("manchester", "prevent", "CONTRIBUTES_TO")],
        # a local partner implementing it covers it too
        [rel("manchester", "mcso", "FUNDS"), rel("mcso", "prevent", "IMPLEMENTS")],
    ],
)
def test_contributing_or_a_local_partner_implementing_covers_the_threat(edges) -> None:
    assert of_type(_manchester(), edges, THREAT) == []


@pytest.mark.parametrize(
    ("edge", "mitigation"),
    [
        (rel("manchester", "prevent", "IMPLEMENTS", status="ended"), None),
        (
            rel("manchester", "prevent", "IMPLEMENTS", status="proposed"),
            "A proposed link would close this: Manchester IMPLEMENTS Prevent (proposed).",
        ),
    ],
)
def test_an_ended_or_pending_implementation_does_not_cover(edge, mitigation) -> None:
    f = one(of_type(_manchester(), [edge], THREAT))
    assert f.subjects == ("manchester", "violent_extremism")
    assert f.mitigation == mitigation


# -- the metrics count current links only ---------------------------------------------------


def _metrics_world() -> tuple[list[dict], list[dict]]:
    nodes = [
        city("a", "DE", name="A"),
        city("b", "DE", name="B"),
        city("c", "DE", name="C"),
        actor("bmi", "national_body", "DE", name="BMI"),
        framework("nat", "DE", name="National Strategy"),
        initiative("old", "event", name="Old Event", status="ended"),
        initiative("next", "event", name="Next Event", status="planned"),
        initiative("idea", "program", name="Idea", status="proposed"),
    ]
    edges = [
        rel("a", "b", "PARTNERS_WITH", status="ended"),
        rel("a", "c", "PARTNERS_WITH", status="proposed"),
        rel("b", "c", "COORDINATES_WITH", status="planned"),
        rel("a", "old", "PARTICIPATES_IN"),
        rel("b", "old", "PARTICIPATES_IN"),
        rel("b", "next", "PARTICIPATES_IN"),
        rel("c", "next", "PARTICIPATES_IN"),
        rel("a", "idea", "RUNS"),
        rel("c", "idea", "RUNS"),
        rel("a", "bmi", "COORDINATES_WITH", status="ended"),
        rel("b", "nat", "IMPLEMENTS", status="ended"),
        rel("c", "nat", "CONTRIBUTES_TO", status="proposed"),
    ]
    return nodes, edges


def test_metrics_count_no_ended_or_pending_link() -> None:
    G = build_graph(*_metrics_world())
    assert actor_graph(G).number_of_edges() == 0
    cov = coverage(G)["DE"]
    assert cov["share_with_national_link"] == 0.0
    assert cov["share_with_domestic_city_link"] == 0.0
    assert cov["city_density"] == 0.0
    assert metrics(G)["graph"]["components"] == 4  # a, b, c and BMI stand alone
