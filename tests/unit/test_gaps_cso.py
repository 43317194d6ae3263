"""Civil-society and private-sector gaps: cso.no_cso_partner, cso.no_grassroots_partner,
cso.unsupported_grassroots, cso.single_government_funder, private.no_private_partner."""

from __future__ import annotations

import pytest

from tests.support.graphs import actor, city, cso, initiative, of_type, one, rel, subjects

NO_CSO = "cso.no_cso_partner"
NO_GR = "cso.no_grassroots_partner"
UNSUP = "cso.unsupported_grassroots"
SINGLE = "cso.single_government_funder"
NO_PRIV = "private.no_private_partner"


# -- cso.no_cso_partner / private.no_private_partner ----------------------------


@pytest.mark.parametrize(
    "edge",
    [
        rel("london", "cst"),
        rel("cst", "london"),  # symmetric, stored from the CSO's side
        rel("cst", "london", "SHARES_INFORMATION_WITH"),
        rel("london", "cst", "FUNDS"),
        rel("london", "cst", "SUPPORTS_CAPACITY"),
    ],
)
def test_no_cso_partner_closed_by_any_relationship(edge) -> None:
    nodes = [city("london"), cso("cst")]
    assert of_type(nodes, [edge], NO_CSO) == []


@pytest.mark.parametrize(
    "edge",
    [
        rel("cst", "london", "LOCATED_IN"),
        rel("london", "cst", "MEMBER_OF"),
        rel("london", "cst", status="ended"),
    ],
)
def test_no_cso_partner_not_closed_by(edge) -> None:
    nodes = [city("london", name="Mayor of London"), cso("cst", name="Community Security Trust")]
    f = one(of_type(nodes, [edge], NO_CSO))
    assert f.subjects == ("london",) and f.country == "GB"
    assert "Mayor of London" in f.explanation and "london" not in f.explanation


def test_no_cso_partner_severity_and_candidates() -> None:
    nodes = [
        city("london", name="Mayor of London"),
        city("leeds", name="Leeds City Council"),
        cso("here", name="London Trust", city="london"),
        cso("located", name="Southwark Youth"),
        cso("elsewhere", name="Leeds Forum", city="leeds"),
        cso("abroad", "FR", name="Association Paris"),
    ]
    by = {
        f.subjects[0]: f for f in of_type(nodes, [rel("located", "london", "LOCATED_IN")], NO_CSO)
    }
    # London has CSOs of its own (city attribute or LOCATED_IN): named first
    assert by["london"].severity == "medium"
    s = by["london"].suggestion
    assert "London Trust" in s and "Southwark Youth" in s and "Association Paris" not in s
    assert by["leeds"].severity == "medium"
    assert by["leeds"].suggestion.index("Leeds Forum") < by["leeds"].suggestion.index("London")
    only_country = [city("york"), cso("x", city="london")]
    assert one(of_type(only_country, [], NO_CSO)).severity == "medium"
    assert one(of_type([city("york"), cso("x", "FR")], [], NO_CSO)).severity == "low"


def test_no_cso_partner_planned_partnership_is_mitigation() -> None:
    nodes = [city("london", name="Mayor of London"), cso("cst", name="CST")]
    f = one(of_type(nodes, [rel("cst", "london", "COORDINATES_WITH", status="planned")], NO_CSO))
    assert f.mitigation == (
        "A planned link would close this: CST COORDINATES_WITH Mayor of London (planned)."
    )


def test_no_private_partner() -> None:
    nodes = [
        city("london", name="Mayor of London"),
        city("paris", "FR"),
        actor("techco", "private_sector", name="TechCo", sector="tech"),
    ]
    found = of_type(nodes, [], NO_PRIV)
    assert subjects(found) == [("london",), ("paris",)]
    london, paris = found
    assert london.severity == "medium" and "TechCo" in london.suggestion
    assert paris.severity == "low" and "TechCo" not in paris.suggestion
    assert of_type(nodes[:1] + nodes[2:], [rel("techco", "london")], NO_PRIV) == []
    local = [*nodes, actor("app", "private_sector", city="london", level="local")]
    assert of_type(local, [], NO_PRIV)[0].severity == "medium"
    f = one(of_type(nodes[:1] + nodes[2:], [rel("london", "techco", status="planned")], NO_PRIV))
    assert "Mayor of London PARTNERS_WITH TechCo (planned)" in f.mitigation
    ended = of_type(nodes[:1] + nodes[2:], [rel("london", "techco", status="ended")], NO_PRIV)
    assert one(ended).mitigation is None


# -- cso.no_grassroots_partner ----------------------------------------------------


def _gr_world():
    return [
        city("london", name="Mayor of London"),
        cso("cst", name="Community Security Trust"),
        cso("youth", name="Youth Voices", grassroots=True, city="london"),
        cso("far", name="Far Away Group", grassroots=True, country="FR"),
    ]


def test_no_grassroots_partner_fires_when_all_csos_are_established() -> None:
    f = one(of_type(_gr_world(), [rel("cst", "london")], NO_GR))
    assert f.subjects == ("london",) and f.severity == "medium"
    assert "Community Security Trust" in f.explanation
    assert "Youth Voices" in f.suggestion and "Far Away Group" not in f.suggestion


def test_no_grassroots_partner_not_fired_without_csos_or_with_a_grassroots_one() -> None:
    assert of_type(_gr_world(), [], NO_GR) == []  # reported as cso.no_cso_partner instead
    edges = [rel("cst", "london"), rel("youth", "london", "SHARES_INFORMATION_WITH")]
    assert of_type(_gr_world(), edges, NO_GR) == []
    # membership is no partnership
    edges = [rel("cst", "london"), rel("youth", "london", "MEMBER_OF")]
    assert subjects(of_type(_gr_world(), edges, NO_GR)) == [("london",)]


def test_no_grassroots_partner_mitigation_and_severity() -> None:
    edges = [rel("cst", "london"), rel("london", "youth", status="planned")]
    f = one(of_type(_gr_world(), edges, NO_GR))
    assert f.mitigation == (
        "A planned link would close this: Mayor of London PARTNERS_WITH Youth Voices (planned)."
    )
    nodes = [city("london"), cso("cst"), cso("y", grassroots=True, city="leeds")]
    assert one(of_type(nodes, [rel("cst", "london")], NO_GR)).severity == "medium"
    nodes = [city("london"), cso("cst")]
    assert one(of_type(nodes, [rel("cst", "london")], NO_GR)).severity == "low"


# -- cso.unsupported_grassroots ----------------------------------------------------


def _sup_world():
    return [
        city("london", name="Mayor of London"),
        cso("youth", name="Youth Voices", grassroots=True, city="london"),
        cso("cst", name="Community Security Trust"),
        actor("lottery", "international_org", "GB", name="Lottery Fund", level="national"),
        actor("gcerf", "international_org", None, name="GCERF"),
        actor("mairie", "city", "FR", name="Mairie"),
        initiative("club", name="Youth Club"),
        initiative("other", name="Other Program"),
    ]


def test_unsupported_grassroots_fires_only_for_grassroots() -> None:
    found = of_type(_sup_world(), [rel("lottery", "other", "FUNDS")], UNSUP)
    f = one(found)
    assert f.subjects == ("youth",) and f.country == "GB" and f.severity == "medium"
    assert "Youth Voices" in f.explanation
    assert "Lottery Fund" in f.suggestion and "Mairie" not in f.suggestion


@pytest.mark.parametrize(
    "edges",
    [
        [rel("lottery", "youth", "FUNDS")],
        [rel("london", "youth", "SUPPORTS_CAPACITY")],
        [rel("youth", "club", "RUNS"), rel("lottery", "club", "FUNDS")],  # its program funded
    ],
)
def test_unsupported_grassroots_closed_by_funding_or_capacity(edges) -> None:
    assert of_type(_sup_world(), edges, UNSUP) == []


@pytest.mark.parametrize(
    "edges",
    [
        [rel("lottery", "youth", "FUNDS", status="ended")],
        [rel("youth", "lottery", "FUNDS")],  # giving is not receiving
        [rel("youth", "club", "PARTICIPATES_IN"), rel("lottery", "club", "FUNDS")],
        [rel("youth", "club", "RUNS", status="ended"), rel("lottery", "club", "FUNDS")],
        [rel("youth", "london", "LOCATED_IN"), rel("youth", "london", "MEMBER_OF")],
    ],
)
def test_unsupported_grassroots_not_closed_by(edges) -> None:
    assert subjects(of_type(_sup_world(), edges, UNSUP)) == [("youth",)]


def test_unsupported_grassroots_severity_and_mitigation() -> None:
    edges = [rel("youth", "club", "RUNS"), rel("gcerf", "youth", "FUNDS", status="planned")]
    f = one(of_type(_sup_world(), edges, UNSUP))
    assert f.severity == "low"  # a planned link would close it
    assert f.mitigation == "A planned link would close this: GCERF FUNDS Youth Voices (planned)."


# -- cso.single_government_funder ---------------------------------------------------


def test_single_government_funder_fires_for_one_government_funder() -> None:
    edges = [
        rel("london", "youth", "FUNDS"),
        rel("london", "cst", "FUNDS"),
        rel("lottery", "other", "FUNDS"),
    ]
    found = of_type(_sup_world(), edges, SINGLE)
    assert subjects(found) == [("cst",), ("youth",)]  # same severity: by subject
    cst, youth = found
    assert youth.severity == cst.severity == "medium"  # the Lottery Fund could fund both
    assert "Mayor of London" in youth.explanation and "Youth Voices" in youth.explanation
    assert "Lottery Fund" in youth.suggestion  # a non-government funder in the country


@pytest.mark.parametrize(
    "edges",
    [
        [rel("london", "youth", "FUNDS"), rel("lottery", "youth", "FUNDS")],
        [rel("lottery", "youth", "FUNDS")],  # its only funder is not government
        [
            rel("london", "youth", "FUNDS"),
            rel("youth", "club", "RUNS"),
            rel("gcerf", "club", "FUNDS"),
        ],
        [rel("london", "youth", "FUNDS", status="ended")],
        [rel("london", "youth", "FUNDS"), rel("mairie", "youth", "FUNDS")],  # two funders
    ],
)
def test_single_government_funder_not_fired(edges) -> None:
    assert of_type(_sup_world(), edges, SINGLE) == []


def test_single_government_funder_mitigation() -> None:
    edges = [rel("london", "cst", "FUNDS"), rel("gcerf", "cst", "FUNDS", status="planned")]
    f = one(of_type(_sup_world(), edges, SINGLE))
    assert f.mitigation == (
        "A planned link would close this: GCERF FUNDS Community Security Trust (planned)."
    )
