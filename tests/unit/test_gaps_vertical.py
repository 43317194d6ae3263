"""Vertical gaps: vertical.no_national_link, vertical.framework_without_local_input,
vertical.framework_not_implemented."""

from __future__ import annotations

import pytest

from tests.support.graphs import actor, city, cso, framework, of_type, one, rel, subjects

NNL = "vertical.no_national_link"
NO_INPUT = "vertical.framework_without_local_input"
NOT_IMPL = "vertical.framework_not_implemented"


def _uk(*extra):
    return [
        city("london", name="Mayor of London"),
        actor("home_office", "national_body", name="Home Office"),
        actor("ministere", "national_body", "FR", name="Ministère de l'Intérieur"),
        framework("prevent", name="Prevent Strategy"),
        *extra,
    ]


# -- vertical.no_national_link -----------------------------------------------


def test_no_national_link_fires_and_names_the_national_partners() -> None:
    f = one(of_type(_uk(), [], NNL))
    assert f.subjects == ("london",) and f.country == "GB"
    assert f.severity == "high"  # the Home Office and Prevent are within reach
    assert "Mayor of London" in f.explanation and "london" not in f.explanation
    assert "Home Office" in f.suggestion and "Prevent Strategy" in f.suggestion
    assert "Ministère" not in f.suggestion  # another country's body is no candidate
    assert f.mitigation is None


@pytest.mark.parametrize(
    "edge",
    [
        rel("london", "home_office"),
        rel("home_office", "london"),  # symmetric: stored the other way round
        rel("home_office", "london", "COORDINATES_WITH"),
        rel("london", "home_office", "SHARES_INFORMATION_WITH"),
        rel("home_office", "london", "FUNDS"),  # any actor-actor relationship counts
        rel("home_office", "london", "SUPPORTS_CAPACITY"),
        rel("london", "prevent", "CONTRIBUTES_TO"),
        rel("london", "prevent", "IMPLEMENTS"),
    ],
)
def test_no_national_link_closed_by_any_relationship_or_framework_work(edge) -> None:
    assert of_type(_uk(), [edge], NNL) == []


@pytest.mark.parametrize(
    "edge",
    [
        rel("london", "home_office", "MEMBER_OF"),
        rel("home_office", "london", "LOCATED_IN"),
        rel("london", "home_office", status="ended"),
        rel("london", "ministere"),  # a national body of another country
        rel("london", "prevent", "RUNS"),  # running is not contributing/implementing
    ],
)
def test_no_national_link_not_closed_by(edge) -> None:
    assert subjects(of_type(_uk(), [edge], NNL)) == [("london",)]


def test_planned_link_is_noted_as_mitigation_not_counted() -> None:
    f = one(of_type(_uk(), [rel("london", "home_office", status="planned")], NNL))
    assert f.mitigation == (
        "A planned link would close this: Mayor of London PARTNERS_WITH Home Office (planned)."
    )
    # stored from the other side, and to a framework
    f = one(
        of_type(
            _uk(),
            [
                rel("home_office", "london", status="planned"),
                rel("london", "prevent", "IMPLEMENTS", status="planned"),
            ],
            NNL,
        )
    )
    assert f.mitigation.startswith("Planned links would close this:")
    assert "Home Office PARTNERS_WITH Mayor of London (planned)" in f.mitigation
    assert "Mayor of London IMPLEMENTS Prevent Strategy (planned)" in f.mitigation


def test_framework_status_and_level() -> None:
    base = [city("london")]
    # an ended framework does not count, a planned one only mitigates
    ended = [*base, framework("fw", status="ended")]
    assert of_type(ended, [rel("london", "fw", "IMPLEMENTS")], NNL)[0].mitigation is None
    planned = [*base, framework("fw", status="planned", name="Draft Strategy")]
    f = one(of_type(planned, [rel("london", "fw", "IMPLEMENTS")], NNL))
    assert "LONDON IMPLEMENTS Draft Strategy (planned initiative)" in f.mitigation
    # an international framework is not national (a French body keeps the type assessed)
    intl = [
        *base,
        framework("fw", None, level="international"),
        actor("dgs", "national_body", "FR"),
    ]
    assert subjects(of_type(intl, [rel("london", "fw", "IMPLEMENTS")], NNL)) == [("london",)]
    # level missing but country set: national
    implicit = [*base, framework("fw", level=None)]
    assert of_type(implicit, [rel("london", "fw", "IMPLEMENTS")], NNL) == []
    # another country's national framework does not count
    foreign = [*base, framework("fw", "FR")]
    assert subjects(of_type(foreign, [rel("london", "fw", "IMPLEMENTS")], NNL)) == [("london",)]


def test_no_national_link_severity_low_without_national_partners() -> None:
    # a national body of another country keeps the type assessed (none in France)
    lyon = [city("lyon", "FR", name="Ville de Lyon"), actor("ho", "national_body", "GB")]
    f = one(of_type(lyon, [], NNL))
    assert f.severity == "low" and f.country == "FR"
    assert "France" in f.explanation and "national body" in f.suggestion


def test_city_without_country_is_not_assessed() -> None:
    assert of_type([city("nowhere", None)], [], NNL) == []


# -- vertical.framework_without_local_input / framework_not_implemented -------


def _fw_world(*extra):
    return [
        framework("prevent", name="Prevent Strategy", themes=["violent_extremism"]),
        city("london", name="Mayor of London"),
        city("leeds", name="Leeds City Council", themes=["violent_extremism"]),
        cso("cst", name="Community Security Trust"),
        actor("home_office", "national_body", name="Home Office"),
        city("paris", "FR", name="Ville de Paris"),
        *extra,
    ]


@pytest.mark.parametrize("gap,typ", [(NO_INPUT, "CONTRIBUTES_TO"), (NOT_IMPL, "IMPLEMENTS")])
def test_framework_gap_fires_and_is_closed_by_a_local_actor(gap, typ) -> None:
    f = one(of_type(_fw_world(), [], gap))
    assert f.subjects == ("prevent",) and f.country == "GB" and f.severity == "high"
    assert "Prevent Strategy" in f.explanation and "the United Kingdom" in f.explanation
    # theme-sharing city first among the candidates
    assert f.suggestion.index("Leeds City Council") < f.suggestion.index("Mayor of London")
    assert "Ville de Paris" not in f.suggestion
    assert of_type(_fw_world(), [rel("london", "prevent", typ)], gap) == []
    assert of_type(_fw_world(), [rel("cst", "prevent", typ)], gap) == []  # a local CSO


@pytest.mark.parametrize("gap,typ", [(NO_INPUT, "CONTRIBUTES_TO"), (NOT_IMPL, "IMPLEMENTS")])
def test_framework_gap_not_closed_by_non_local_or_foreign_or_ended(gap, typ) -> None:
    for edge in (
        rel("home_office", "prevent", typ),  # national level, not local
        rel("paris", "prevent", typ),  # local, but of another country
        rel("london", "prevent", typ, status="ended"),
        rel("london", "prevent", "RUNS"),
    ):
        assert subjects(of_type(_fw_world(), [edge], gap)) == [("prevent",)], edge


@pytest.mark.parametrize("gap,typ", [(NO_INPUT, "CONTRIBUTES_TO"), (NOT_IMPL, "IMPLEMENTS")])
def test_framework_gap_planned_input_is_mitigation(gap, typ) -> None:
    f = one(of_type(_fw_world(), [rel("leeds", "prevent", typ, status="planned")], gap))
    assert f.mitigation == (
        f"A planned link would close this: Leeds City Council {typ} Prevent Strategy (planned)."
    )
    # planned input from a non-local actor is no mitigation
    f = one(of_type(_fw_world(), [rel("home_office", "prevent", typ, status="planned")], gap))
    assert f.mitigation is None


def test_framework_gaps_name_the_other_kind_of_local_involvement() -> None:
    f = one(of_type(_fw_world(), [rel("leeds", "prevent", "IMPLEMENTS")], NO_INPUT))
    assert "although Leeds City Council implements it" in f.explanation
    f = one(of_type(_fw_world(), [rel("leeds", "prevent", "CONTRIBUTES_TO")], NOT_IMPL))
    assert "Leeds City Council contributed to it" in f.explanation
    assert f.suggestion.startswith("Agree with Leeds City Council")


@pytest.mark.parametrize("gap", [NO_INPUT, NOT_IMPL])
def test_only_active_national_frameworks_with_a_country_are_subjects(gap) -> None:
    nodes = [
        framework("planned_fw", status="planned"),
        framework("ended_fw", status="ended"),
        framework("intl", None, level="international"),
        framework("no_country", None, level="national"),
        framework("implicit", level=None),
        city("london"),
    ]
    f = one(of_type(nodes, [], gap))
    assert f.subjects == ("implicit",)


@pytest.mark.parametrize("gap", [NO_INPUT, NOT_IMPL])
def test_framework_gap_low_without_local_actors(gap) -> None:
    nodes = [framework("prevent"), actor("home_office", "national_body")]
    assert one(of_type(nodes, [], gap)).severity == "low"
