"""The severity rule of every gap type (docs/gaps.md, "Severity rules"), on hand-built graphs.

One rule for all: low when a planned link would close the gap or the graph holds no
candidate; high only where the subject lacks a whole axis (a city with neither a
national nor a city-to-city link; a national framework no local actor takes part
in); medium otherwise. One test per type, each level its rule allows.
"""

from __future__ import annotations

import pytest

from graph.analysis.gaps import GAP_TYPES
from graph.analysis.severity import grade
from tests.support.graphs import actor, city, cso, framework, gaps, initiative, rel, world


def severity(nodes, edges, gap: str, *subject: str) -> str:
    """The severity of the one finding of type `gap` about `subject`."""
    found = [f for f in gaps(nodes, edges, types=[gap]) if f.subjects == subject]
    assert len(found) == 1, found
    return found[0].severity


def test_grade_is_low_first_then_high_only_for_a_whole_axis() -> None:
    assert grade(candidates=True, mitigated=False) == "medium"
    assert grade(candidates=True, mitigated=False, whole_axis=True) == "high"
    assert grade(candidates=True, mitigated=True, whole_axis=True) == "low"
    assert grade(candidates=False, mitigated=False, whole_axis=True) == "low"


# -- vertical ------------------------------------------------------------------------


def test_no_national_link_high_only_without_a_city_link_either() -> None:
    gap = "vertical.no_national_link"
    uk = [city("london"), city("leeds"), actor("home", "national_body")]
    assert severity(uk, [], gap, "london") == "high"  # no vertical and no horizontal link
    twinned = [rel("london", "leeds", "TWINNED_WITH")]
    assert severity(uk, twinned, gap, "london") == "medium"
    planned = [rel("london", "home", status="planned")]
    assert severity(uk, planned, gap, "london") == "low"
    abroad = [city("lyon", "FR"), actor("home", "national_body")]
    assert severity(abroad, [], gap, "lyon") == "low"  # no national body of France


@pytest.mark.parametrize(
    "gap,own,other",
    [
        ("vertical.framework_without_local_input", "CONTRIBUTES_TO", "IMPLEMENTS"),
        ("vertical.framework_not_implemented", "IMPLEMENTS", "CONTRIBUTES_TO"),
    ],
)
def test_framework_gap_high_only_when_no_local_actor_takes_any_part(gap, own, other) -> None:
    nodes = [framework("plan"), city("london"), actor("home", "national_body")]
    assert severity(nodes, [], gap, "plan") == "high"
    assert severity(nodes, [rel("london", "plan", other)], gap, "plan") == "medium"
    assert severity(nodes, [rel("london", "plan", own, status="planned")], gap, "plan") == "low"
    no_locals = [framework("plan"), actor("home", "national_body")]
    assert severity(no_locals, [], gap, "plan") == "low"


# -- horizontal ----------------------------------------------------------------------


def test_isolated_city_high_only_without_a_national_link_either() -> None:
    gap = "horizontal.isolated_city"
    nodes = [city("a"), city("b"), actor("home", "national_body")]
    assert severity(nodes, [], gap, "a") == "high"
    assert severity(nodes, [rel("a", "home")], gap, "a") == "medium"
    assert severity(nodes, [rel("a", "b", "TWINNED_WITH", status="planned")], gap, "a") == "low"
    only_foreign = [city("a"), city("p", "FR"), city("q", "FR")]
    assert severity(only_foreign, [rel("p", "q", "TWINNED_WITH")], gap, "a") == "low"


def test_no_domestic_link_medium_or_low_never_high() -> None:
    gap = "horizontal.no_domestic_link"
    nodes = [city("london", themes=["hate"]), city("bristol", themes=["hate"]), city("paris", "FR")]
    abroad = [rel("london", "paris", "TWINNED_WITH")]
    assert severity(nodes, abroad, gap, "london") == "medium"  # Bristol shares its theme
    planned = [*abroad, rel("london", "bristol", "PARTNERS_WITH", status="planned")]
    assert severity(nodes, planned, gap, "london") == "low"


def test_unlinked_countries_medium_or_low_never_high() -> None:
    gap = "horizontal.unlinked_countries"
    nodes = [
        city("london"),
        city("paris", "FR"),
        actor("n1", "international_org", None),
        actor("n2", "international_org", None),
    ]
    edges = [rel(c, n, "MEMBER_OF") for c in ("london", "paris") for n in ("n1", "n2")]
    assert severity(nodes, edges, gap, "FR", "GB") == "medium"  # two shared networks
    planned = [*edges, rel("london", "paris", "TWINNED_WITH", status="planned")]
    assert severity(nodes, planned, gap, "FR", "GB") == "low"


# -- civil society and private sector ------------------------------------------------


@pytest.mark.parametrize(
    "gap,partner,stranger",
    [
        (
            "cso.no_cso_partner",
            cso("trust", city="london"),
            cso("trust", "FR"),
        ),
        (
            "private.no_private_partner",
            actor("app", "private_sector", city="london", level="local"),
            actor("app", "private_sector", "FR"),
        ),
    ],
    ids=["cso", "private"],
)
def test_partner_gap_medium_with_a_partner_in_reach_low_without_never_high(
    gap, partner, stranger
) -> None:
    assert severity([city("london"), partner], [], gap, "london") == "medium"
    planned = [rel("london", partner["id"], status="planned")]
    assert severity([city("london"), partner], planned, gap, "london") == "low"
    assert severity([city("london"), stranger], [], gap, "london") == "low"  # none in GB


def test_no_grassroots_partner_medium_or_low_never_high() -> None:
    gap = "cso.no_grassroots_partner"
    nodes = [city("london"), cso("big"), cso("small", grassroots=True, city="london")]
    works = [rel("big", "london")]
    assert severity(nodes, works, gap, "london") == "medium"
    planned = [*works, rel("london", "small", status="planned")]
    assert severity(nodes, planned, gap, "london") == "low"
    assert severity(nodes[:2], works, gap, "london") == "low"  # no grassroots CSO in GB


def test_unsupported_grassroots_medium_with_a_funder_to_suggest() -> None:
    gap = "cso.unsupported_grassroots"
    nodes = [
        cso("small", grassroots=True),
        actor("fund", "international_org", name="Fund", level="national"),
        initiative("club"),
        initiative("other"),
    ]
    runs = [rel("small", "club", "RUNS"), rel("fund", "other", "FUNDS")]
    assert severity(nodes, runs, gap, "small") == "medium"
    planned = [*runs, rel("fund", "small", "FUNDS", status="planned")]
    assert severity(nodes, planned, gap, "small") == "low"
    assert severity(nodes, [rel("small", "club", "RUNS")], gap, "small") == "low"  # no funder


def test_single_government_funder_medium_with_another_funder_to_suggest() -> None:
    gap = "cso.single_government_funder"
    nodes = [
        city("london"),
        cso("small", grassroots=True),
        actor("fund", "international_org", level="national"),
        initiative("other"),
    ]
    funded = [rel("london", "small", "FUNDS")]
    assert severity(nodes, [*funded, rel("fund", "other", "FUNDS")], gap, "small") == "medium"
    assert severity(nodes, funded, gap, "small") == "low"  # no other funder in the graph
    planned = [*funded, rel("fund", "small", "FUNDS", status="planned")]
    assert severity(nodes, planned, gap, "small") == "low"


# -- monitoring and evaluation -------------------------------------------------------


def test_program_unevaluated_medium_with_an_evaluator_to_suggest() -> None:
    gap = "me.program_unevaluated"
    nodes = [cso("small", grassroots=True, city="london"), city("london"), initiative("club")]
    runs = [rel("small", "club", "RUNS")]
    assert severity(nodes, runs, gap, "club") == "low"  # nobody to evaluate it
    with_research = [*nodes, actor("uni", "research")]
    assert severity(with_research, runs, gap, "club") == "medium"
    planned = [*runs, rel("uni", "club", "EVALUATES", status="planned")]
    assert severity(with_research, planned, gap, "club") == "low"


def test_evaluation_unpublished_medium_when_someone_can_be_asked() -> None:
    gap = "me.evaluation_unpublished"
    nodes = [city("london"), initiative("club"), initiative("e1", "evaluation", published=False)]
    evaluates = [rel("e1", "club", "EVALUATES")]
    assert severity(nodes, [*evaluates, rel("london", "club", "FUNDS")], gap, "e1") == "medium"
    assert severity(nodes, evaluates, gap, "e1") == "low"  # nobody runs or funds it


def test_no_capacity_support_medium_with_a_provider_to_suggest() -> None:
    gap = "me.no_capacity_support"
    nodes = [cso("small", grassroots=True), initiative("club")]
    runs = [rel("small", "club", "RUNS")]
    assert severity(nodes, runs, gap, "small") == "low"  # no provider, no M&E expert
    with_trainer = [*nodes, actor("hub", "international_org", None), cso("other")]
    helps = [*runs, rel("hub", "other", "SUPPORTS_CAPACITY")]
    assert severity(with_trainer, helps, gap, "small") == "medium"
    planned = [*helps, rel("hub", "small", "SUPPORTS_CAPACITY", status="planned")]
    assert severity(with_trainer, planned, gap, "small") == "low"


# -- inside a city -------------------------------------------------------------------


def test_silo_medium_or_low_never_high() -> None:
    gap = "local.silo"
    nodes = [
        city("london"),
        cso("a", city="london", themes=["hate"]),
        cso("b", city="london", themes=["hate"]),
    ]
    both = [rel("london", "a"), rel("london", "b")]
    assert severity(nodes, both, gap, "a", "b") == "medium"  # the city works with both
    assert severity(nodes, [rel("a", "b", status="planned")], gap, "a", "b") == "low"


def test_uncovered_threat_medium_with_something_to_join_low_without() -> None:
    gap = "theme.uncovered_threat"
    york = city("york", threats=["conspiracy"])
    assert severity([york], [], gap, "york", "conspiracy") == "low"  # nothing, no one
    nodes = [york, initiative("talks", themes=["conspiracy"], country="GB")]
    assert severity(nodes, [], gap, "york", "conspiracy") == "medium"
    planned = [rel("york", "talks", "PARTICIPATES_IN", status="planned")]
    assert severity(nodes, planned, gap, "york", "conspiracy") == "low"


# -- across the catalogue ------------------------------------------------------------


def test_every_rule_says_when_it_is_high_and_when_low() -> None:
    for gap in GAP_TYPES.values():
        rule = gap.severity_rule.lower()
        assert rule.startswith("low when"), gap.type
        assert "high" in rule and "medium" in rule, gap.type


def test_a_mitigated_finding_is_low_and_high_is_a_minority_in_the_world() -> None:
    found = gaps(*world())
    assert all(f.severity == "low" for f in found if f.mitigation), [
        f for f in found if f.mitigation and f.severity != "low"
    ]
    high = [f for f in found if f.severity == "high"]
    assert {f.type for f in high} <= {
        "vertical.no_national_link",
        "vertical.framework_without_local_input",
        "vertical.framework_not_implemented",
        "horizontal.isolated_city",
    }
    assert len(high) * 4 <= len(found), [(f.type, f.subjects) for f in high]
