"""A node's neighbourhood, one hop per query (`graph.read.neighbourhood`)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from graph.queries.fragments import VISIBILITIES, shown, visible
from graph.queries.statement import Statement, statement


@cache
def centre(*, include_confidential: bool = False) -> Statement:
    """The centre `$id`, its links and its first hop in one round trip: its properties and,
    per link, [leaves the centre, type, properties, other id, other's properties]. A node
    with no visible link comes back with one row of nulls from the OPTIONAL MATCH."""
    return statement(
        f"neighbourhood.centre[{shown(include_confidential=include_confidential)}]",
        "MATCH (n:Entity {id: $id}) OPTIONAL MATCH (n)-[r]-(b:Entity) "
        f"WHERE {visible('r', include_confidential=include_confidential)} RETURN properties(n), "
        "collect([startNode(r) = n, type(r), properties(r), b.id, properties(b)])",
        "id",
    )


@cache
def step(*, include_confidential: bool = False) -> Statement:
    """The nodes one hop from any of `$ids`, with their properties."""
    return statement(
        f"neighbourhood.step[{shown(include_confidential=include_confidential)}]",
        "UNWIND $ids AS i MATCH (a:Entity {id: i})-[r]-(b:Entity) "
        f"WHERE {visible('r', include_confidential=include_confidential)} "
        "RETURN DISTINCT b.id, properties(b)",
        "ids",
    )


@cache
def links_among(*, include_confidential: bool = False) -> Statement:
    """The relationships between two of `$ids`, checked in the engine so that links
    leaving the neighbourhood never cross the socket. `b IN ns` compares nodes;
    `b.id IN $ids` re-reads the parameter list per row and was 6x slower."""
    return statement(
        f"neighbourhood.links_among[{shown(include_confidential=include_confidential)}]",
        "UNWIND $ids AS i MATCH (a:Entity {id: i}) WITH collect(a) AS ns "
        "UNWIND ns AS a MATCH (a)-[r]->(b:Entity) "
        f"WHERE b IN ns AND {visible('r', include_confidential=include_confidential)} "
        "RETURN a.id, type(r), b.id, properties(r)",
        "ids",
    )


def statements() -> Iterator[Statement]:
    for v in VISIBILITIES:
        yield centre(include_confidential=v)
        yield step(include_confidential=v)
        yield links_among(include_confidential=v)
