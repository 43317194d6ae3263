"""Counts of what is stored (`graph.read.stats`)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from graph.queries.fragments import VISIBILITIES, shown, visible
from graph.queries.statement import Statement, statement

NODES_BY_KIND = statement("stats.nodes_by_kind", "MATCH (n:Entity) RETURN n.kind, count(n)")
COUNTRIES = statement(
    "stats.countries",
    "MATCH (n:Entity) WHERE n.country IS NOT NULL RETURN count(DISTINCT n.country)",
)


@cache
def relationships_by_type(*, include_confidential: bool = False) -> Statement:
    """Relationships counted by type, confidential ones only if asked for."""
    return statement(
        f"stats.relationships_by_type[{shown(include_confidential=include_confidential)}]",
        "MATCH (:Entity)-[r]->(:Entity) "
        f"WHERE {visible('r', include_confidential=include_confidential)} RETURN type(r), count(r)",
    )


def statements() -> Iterator[Statement]:
    yield NODES_BY_KIND
    yield COUNTRIES
    for v in VISIBILITIES:
        yield relationships_by_type(include_confidential=v)
