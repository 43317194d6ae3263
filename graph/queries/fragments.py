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


def stored_pair(rel: str = "e", rel_type: str | None = None) -> str:
    """MATCH the relationship `rel` (of `rel_type` if given) from `r.s` to `r.t`, for each
    row `r`, both ends looked up by their id index first.

    The WITHs keep the planner from walking every relationship of the source and
    filtering on the target's id (FalkorDB plans `(a {id})-[e]->(b {id})` that way):
    with both ends known it checks the one pair (`Expand Into`). On a city with 1,540
    relationships in the 1m graph, reading its stored links took 7 s that way and
    0.03 s this way.
    """
    typed = f":{rel_type}" if rel_type else ""
    return (
        "MATCH (a:Entity {id: r.s}) WITH r, a MATCH (b:Entity {id: r.t}) "
        f"WITH r, a, b MATCH (a)-[{rel}{typed}]->(b)"
    )
