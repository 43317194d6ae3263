"""The labels, relationship types and property keys the product writes, as the Neo4j
Cypher front end's database schema (from `graph.schema`).
"""

from __future__ import annotations

from typing import Any

from graph import schema
from graph.queries.history import PROPERTY_KEYS as REVISION_KEYS
from graph.queries.load import DERIVED_LINKS, UPDATED_AT
from graph.store.dialect import FULLTEXT, INDEXES


def property_keys() -> list[str]:
    from ingest.records import Actor, Country, Initiative, Relationship

    keys = {k for model in (Actor, Initiative, Relationship, Country) for k in model.model_fields}
    keys -= {"source", "target", "type"}  # a relationship's endpoints and type, not properties
    keys |= {"code", "key", "generation", UPDATED_AT, schema.FINGERPRINT, schema.LOADED_FROM}
    keys |= {"axis", "cross_border", "cross_sector"}  # schema.classify
    keys |= set(REVISION_KEYS)  # graph.history
    return sorted(keys)


def db_schema() -> dict[str, Any]:
    """Labels, relationship types and property keys the product writes, from `graph.schema`
    (and the index list, which names the bookkeeping labels Country, Theme and ScnMeta)."""
    kinds = [*schema.ACTOR_KINDS, *schema.INITIATIVE_KINDS]
    labels = {schema.kind_label(k) for k in kinds}
    labels |= {family.capitalize() for family in (schema.ACTOR, schema.INITIATIVE)}
    labels |= {"Entity"} | {label for label, _ in (*INDEXES, *FULLTEXT)}
    return {
        "labels": sorted(labels),
        "relationshipTypes": sorted({*schema.REL_TYPES, *DERIVED_LINKS}),
        "propertyKeys": property_keys(),
    }
