"""One vocabulary (graph.schema) and one set of node predicates (graph.predicates).

The ingest records, the API models, the export filter and the page styles take
their value lists from the schema; these tests fail if one of them keeps a copy
that drifts, and pin the rules the predicates answer for every analysis.
"""

from __future__ import annotations

import typing

import pytest
from pydantic import ValidationError

from api import models
from api.routes import export
from graph import predicates, schema
from ingest import records
from viz import style


def _values(literal: object) -> tuple[str, ...]:
    """A Literal's values, or the choices of a type that takes them in any case."""
    return getattr(literal, "choices", None) or typing.get_args(literal)


def test_api_and_ingest_types_are_built_from_the_schema_in_its_order() -> None:
    assert _values(models.ActorKind) == tuple(schema.ACTOR_KINDS)
    assert _values(models.InitiativeKind) == tuple(schema.INITIATIVE_KINDS)
    assert _values(models.RelTypeName) == tuple(schema.REL_TYPES)
    assert _values(models.LevelName) == tuple(x.value for x in schema.Level)
    assert _values(models.StatusName) == tuple(x.value for x in schema.Status)
    assert _values(models.Severity) == ("high", "medium", "low") == schema.SEVERITIES
    assert _values(models.PrivateSector) == schema.PRIVATE_SECTORS
    assert _values(export.KindName) == (*schema.ACTOR_KINDS, *schema.INITIATIVE_KINDS)
    assert _values(records.ActorKindName) == tuple(schema.ACTOR_KINDS)
    assert _values(records.InitiativeKindName) == tuple(schema.INITIATIVE_KINDS)
    assert _values(records.PrivateSectorName) == schema.PRIVATE_SECTORS


def test_ingest_rejects_a_kind_outside_the_schema_naming_the_allowed_ones() -> None:
    with pytest.raises(ValidationError, match="international_org"):
        records.Actor(id="x", name="X", kind="ngo")
    assert records.Actor(
        id="x", name="X", kind="research", themes=" Violent Extremism "
    ).themes == ("violent_extremism",)


def test_every_schema_kind_has_its_own_page_style_in_schema_order() -> None:
    kinds = [k for k in style.KIND_STYLES if k != "country"]
    assert kinds == list(schema.KIND_NAMES)
    colours = [style.KIND_STYLES[k].colour for k in kinds]
    assert len(set(colours)) == len(colours)


@pytest.mark.parametrize(
    ("node", "country", "expected"),
    [
        ({"kind": "framework", "level": "national", "country": "GB"}, None, True),
        ({"kind": "framework", "level": "national", "country": "GB"}, "gb", True),
        ({"kind": "framework", "level": "national", "country": "GB"}, "FR", False),
        ({"kind": "framework", "country": "gb "}, "GB", True),  # no level, but a country
        ({"kind": "framework"}, None, False),  # no level, no country
        ({"kind": "framework", "level": "international", "country": "GB"}, None, False),
        ({"kind": "framework", "level": "local", "country": "GB"}, "GB", False),
        ({"kind": "program", "level": "national", "country": "GB"}, None, False),
        ({"kind": "framework", "level": "national"}, "GB", False),  # of no country
    ],
)
def test_national_framework_rule(node: dict, country: str | None, expected: bool) -> None:
    assert predicates.is_national_framework(node, country) is expected


def test_a_planned_national_framework_is_still_one_but_not_active() -> None:
    planned = {"kind": "framework", "level": "national", "country": "GB", "status": "planned"}
    assert predicates.is_national_framework(planned, "GB")
    assert not predicates.is_active(planned)
    assert predicates.is_active({"kind": "city"})  # actors have no status
    assert predicates.is_active({"kind": "program", "status": "active"})


def test_government_local_actor_and_grassroots_rules() -> None:
    assert [k for k in schema.ACTOR_KINDS if predicates.is_government_body({"kind": k})] == [
        "city",
        "statutory_service",
        "national_body",
    ]
    local = {"kind": "cso", "level": "local", "country": "DE"}
    assert predicates.is_local_actor(local) and predicates.is_local_actor(local, "de")
    assert not predicates.is_local_actor(local, "FR")
    assert not predicates.is_local_actor({"kind": "national_body", "level": "national"})
    assert not predicates.is_local_actor({"kind": "program", "level": "local"})  # not an actor
    assert predicates.is_grassroots({"kind": "cso", "grassroots": True})
    assert not predicates.is_grassroots({"kind": "city", "grassroots": True})


def test_country_theme_and_city_normalisation() -> None:
    assert predicates.norm_country(" gb ") == "GB"
    assert predicates.norm_country("") is None and predicates.norm_country("  ") is None
    assert predicates.norm_country(None) is None
    assert predicates.node_country({"country": "fr"}) == "FR"
    assert predicates.in_country({"country": "fr"}, "FR")
    assert not predicates.in_country({}, None)
    assert predicates.norm_theme(" Hate Crime Reporting") == "hate_crime_reporting"
    assert predicates.node_themes({"themes": ["Hate", "hate "]}) == frozenset({"hate"})
    assert predicates.actor_city({"id": "cst", "city": "london"}) == "london"
    assert predicates.actor_city({"id": "london", "city": "london"}) is None


def test_family_of_is_strict_unless_asked() -> None:
    assert schema.family_of("city") == schema.ACTOR
    assert schema.family_of("event") == schema.INITIATIVE
    with pytest.raises(KeyError):
        schema.family_of("ngo")
    assert schema.family_of("ngo", strict=False) is None


def test_the_schemas_property_lists_are_what_ingest_records_hold() -> None:
    """Projection, exports and pages keep `schema.NODE_PROPERTIES` and
    `RELATIONSHIP_PROPERTIES`; a field added to an ingest record must be added there."""
    node_fields = set(records.Actor.model_fields) | set(records.Initiative.model_fields)
    assert node_fields == set(schema.NODE_PROPERTIES)
    rel_fields = set(records.Relationship.model_fields) - {"source", "target"}
    assert rel_fields == set(schema.RELATIONSHIP_PROPERTIES)
    empty = {"kind": "city", "level": "local"}
    assert set(schema.classify(empty, empty)) == set(schema.CLASSIFICATION)
