"""Cypher fragments several families share: visibility, an actor's sector and level."""

from __future__ import annotations

from graph import schema


def visible(alias: str, *, include_confidential: bool = False) -> str:
    """A WHERE condition hiding confidential relationships (or "true")."""
    if include_confidential:
        return "true"
    return f"coalesce({alias}.confidential, false) = false"


def sector_of(alias: str) -> str:
    """Cypher for the sector of an actor (see `schema.classify`)."""
    by_sector: dict[str, list[str]] = {}
    for k in schema.ACTOR_KINDS.values():
        by_sector.setdefault(k.sector.value, []).append(k.name)
    whens = " ".join(
        f"WHEN {alias}.kind IN [{', '.join(repr(x) for x in kinds)}] THEN '{sector}'"
        for sector, kinds in by_sector.items()
    )
    return f"CASE {whens} ELSE null END"


def level_of(alias: str) -> str:
    """Cypher for an actor's level, falling back to its kind's default level."""
    whens = " ".join(
        f"WHEN '{k.name}' THEN '{k.default_level.value}'" for k in schema.ACTOR_KINDS.values()
    )
    return f"coalesce({alias}.level, CASE {alias}.kind {whens} ELSE null END)"


def rel_label(types: list[str]) -> str:
    """The relationship-type part of a pattern (`:A|B`), empty for any type."""
    return ":" + "|".join(types) if types else ""


def shown(*, include_confidential: bool = False) -> str:
    """How a statement's name says which relationships it sees."""
    return "all" if include_confidential else "visible"


#: Both answers to "include confidential relationships?", for listing every variant.
VISIBILITIES = (False, True)
