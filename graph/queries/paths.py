"""Shortest paths: one hop of the bidirectional search, and the links along a path found."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from graph.queries.fragments import VISIBILITIES, rel_label, shown, visible
from graph.queries.statement import Statement, statement


def _hop_match(types: tuple[str, ...]) -> str:
    return f"UNWIND $ids AS i MATCH (a:Entity {{id: i}})-[r{rel_label(list(types))}]-(b:Entity) "


def _name(
    kind: str, types: tuple[str, ...], *extra: str, include_confidential: bool = False
) -> str:
    parts = ["|".join(types) or "any", shown(include_confidential=include_confidential), *extra]
    return f"paths.{kind}[{','.join(parts)}]"


@cache
def hop(
    types: tuple[str, ...], *, include_confidential: bool = False, actors_only: bool = False
) -> Statement:
    """(a, b) for every relationship of `types` (any if empty) from a node a of `$ids` to
    a node b; with `actors_only`, b must be an actor."""
    through = "AND b:Actor " if actors_only else ""
    return statement(
        _name(
            "hop",
            types,
            *(["actors"] if actors_only else []),
            include_confidential=include_confidential,
        ),
        f"{_hop_match(types)}WHERE {visible('r', include_confidential=include_confidential)} "
        f"{through}RETURN DISTINCT a.id, b.id",
        "ids",
    )


@cache
def hop_to_ends(types: tuple[str, ...], *, include_confidential: bool = False) -> Statement:
    """`hop` to the path's two ends `$ends` only (which may be initiatives when the middle
    of the path may not)."""
    return statement(
        _name("hop_to_ends", types, include_confidential=include_confidential),
        f"{_hop_match(types)}WHERE {visible('r', include_confidential=include_confidential)} "
        "AND b.id IN $ends RETURN DISTINCT a.id, b.id",
        "ids",
        "ends",
    )


@cache
def links(types: tuple[str, ...], *, include_confidential: bool = False) -> Statement:
    """Per pair [a, b] of `$pairs`: a, b and each relationship joining them (stored source
    id, type, properties)."""
    return statement(
        _name("links", types, include_confidential=include_confidential),
        f"UNWIND $pairs AS p MATCH (a:Entity {{id: p[0]}})-[r{rel_label(list(types))}]-"
        f"(b:Entity {{id: p[1]}}) WHERE {visible('r', include_confidential=include_confidential)} "
        "RETURN p[0], p[1], startNode(r).id, type(r), properties(r)",
        "pairs",
    )


def statements() -> Iterator[Statement]:
    for types in ((), ("MEMBER_OF",), ("PARTNERS_WITH", "TWINNED_WITH")):
        for v in VISIBILITIES:
            yield hop(types, include_confidential=v, actors_only=False)
            yield hop(types, include_confidential=v, actors_only=True)
            yield hop_to_ends(types, include_confidential=v)
            yield links(types, include_confidential=v)
