"""The fields of each input section and the values they allow, as every reader sees them.

The sections are read in `SECTIONS` order (countries first, relationships
last). Each section's fields, and which are required, come from its record
model (`ingest.records`); the vocabularies come from `graph.schema`. The
readers check field names and the pydantic models check values against
these; `ingest.template` builds its drop-down lists from `ALLOWED`.
"""

from __future__ import annotations

from pydantic import BaseModel

from graph import schema
from graph.countries import UK_NATIONS
from ingest.records import Actor, Country, Initiative, Relationship

#: Sections in the order they are read (countries first, relationships last).
SECTIONS = ("countries", "actors", "initiatives", "relationships")

MODELS: dict[str, type[BaseModel]] = {
    "countries": Country,
    "actors": Actor,
    "initiatives": Initiative,
    "relationships": Relationship,
}
FIELDS: dict[str, tuple[str, ...]] = {s: tuple(m.model_fields) for s, m in MODELS.items()}
REQUIRED: dict[str, tuple[str, ...]] = {
    s: tuple(f for f, info in m.model_fields.items() if info.is_required())
    for s, m in MODELS.items()
}

BOOL_FIELDS = frozenset({"grassroots", "published", "confidential"})
LIST_FIELDS = frozenset({"themes", "threats", "sources"})
#: Vocabulary fields compared case-insensitively (spaces and hyphens read as '_').
VOCAB_FIELDS = frozenset({"kind", "level", "status", "basis", "sector"})
NUMBER_FIELDS = frozenset({"lat", "lon"})
#: Date fields: text, a year or a spreadsheet date cell, checked by `ingest.records.iso_date`.
DATE_FIELDS = frozenset({"since", "start", "end"})
UK_NATION_NAMES = tuple(UK_NATIONS.values())
KNOWN_THEMES_TEXT = ", ".join(schema.KNOWN_THEMES)

ALLOWED: dict[str, tuple[str, ...]] = {
    "actors.kind": tuple(schema.ACTOR_KINDS),
    "initiatives.kind": tuple(schema.INITIATIVE_KINDS),
    "relationships.type": tuple(schema.REL_TYPES),
    "level": tuple(lv.value for lv in schema.Level),
    "status": schema.STATUSES,
    "basis": schema.BASES,
    "sector": schema.PRIVATE_SECTORS,
    "nation": UK_NATION_NAMES,
    "boolean": ("true", "false", "yes", "no", "1", "0"),
}
