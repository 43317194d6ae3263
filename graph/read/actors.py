"""Actors: a filtered page of them, and one with its relationships."""

from __future__ import annotations

from typing import Any

from graph import schema
from graph.queries import nodes as queries
from graph.read.nodes import filter_values, node_page, node_with_relationships
from graph.read.shaping import DEFAULT_LIMIT, page_bounds
from graph.store.base import Store


def list_actors(
    store: Store,
    *,
    kind: str | None = None,
    country: str | None = None,
    level: str | None = None,
    theme: str | None = None,
    q: str | None = None,
    city: str | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
    include_confidential: bool = False,
) -> dict[str, Any]:
    """Actors matching every filter given, by name; `q` is a case-insensitive substring of
    the name. Returns {total, limit, offset, items}. (Nodes are never confidential;
    `include_confidential` is accepted for a uniform interface.)"""
    del include_confidential
    limit, offset = page_bounds(limit, offset)
    if kind and kind not in schema.ACTOR_KINDS:
        raise ValueError(
            f"unknown actor kind {kind!r}; expected one of {', '.join(schema.ACTOR_KINDS)}"
        )
    values = filter_values(kind=kind, country=country, level=level, theme=theme, city=city, q=q)
    return node_page(store, queries.actors_page(frozenset(values)), values, limit, offset)


def get_actor(
    store: Store, actor_id: str, *, include_confidential: bool = False
) -> dict[str, Any] | None:
    """One actor's properties and relationships (under `relationships`), or None."""
    node, rels = node_with_relationships(
        store, "Actor", actor_id, include_confidential=include_confidential
    )
    if node is None:
        return None
    node["relationships"] = rels
    return node
