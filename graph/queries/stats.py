"""Counts of what is stored (`graph.read.stats`)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from graph.queries.fragments import VISIBILITIES, shown, visible
from graph.queries.statement import Statement, statement


@cache
def counts(*, include_confidential: bool = False) -> Statement:
    """Every count of `stats` in ONE query, so they describe one state of the graph.

    Three separate counts could straddle a write and add up to a graph that never
    existed (e.g. the actors after a load beside the relationships before it). One row:
    `[kind, count]` pairs, the distinct countries, and `[type, count]` pairs of the
    relationships shown (confidential ones only if asked for).
    """
    return statement(
        f"stats.counts[{shown(include_confidential=include_confidential)}]",
        "OPTIONAL MATCH (n:Entity) "
        "WITH n.kind AS kind, count(n) AS c, collect(DISTINCT n.country) AS cs "
        "WITH collect([kind, c]) AS kinds, collect(cs) AS countries "
        "OPTIONAL MATCH (:Entity)-[r]->(:Entity) "
        f"WHERE {visible('r', include_confidential=include_confidential)} "
        "WITH kinds, countries, type(r) AS t, count(r) AS rc "
        "RETURN kinds, countries, collect([t, rc]) AS types",
    )


def statements() -> Iterator[Statement]:
    for v in VISIBILITIES:
        yield counts(include_confidential=v)
