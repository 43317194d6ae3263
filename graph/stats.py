"""Counts of what is in the store, for `scn-graph stats` and `GET /api/stats`."""

from __future__ import annotations

from typing import Any

from graph import schema
from graph.store.base import Store


def graph_stats(store: Store) -> dict[str, Any]:
    """Integer totals (`actors`, `initiatives`, `relationships`) and breakdowns by kind/type."""
    by_kind: dict[str, int] = {}
    for kind, n in store.run("MATCH (n:Entity) RETURN n.kind, count(n)", read_only=True).rows:
        by_kind[str(kind)] = int(n)
    by_type: dict[str, int] = {}
    for typ, n in store.run(
        "MATCH (:Entity)-[r]->(:Entity) RETURN type(r), count(r)", read_only=True
    ).rows:
        by_type[str(typ)] = int(n)
    countries = store.run(
        "MATCH (n:Entity) WHERE n.country IS NOT NULL RETURN count(DISTINCT n.country)",
        read_only=True,
    ).scalar()
    actors = sum(n for k, n in by_kind.items() if k in schema.ACTOR_KINDS)
    initiatives = sum(n for k, n in by_kind.items() if k in schema.INITIATIVE_KINDS)
    return {
        "actors": actors,
        "initiatives": initiatives,
        "relationships": sum(by_type.values()),
        "countries": int(countries or 0),
        "actors_by_kind": {k: by_kind[k] for k in schema.ACTOR_KINDS if k in by_kind},
        "initiatives_by_kind": {k: by_kind[k] for k in schema.INITIATIVE_KINDS if k in by_kind},
        "relationships_by_type": {t: by_type[t] for t in schema.REL_TYPES if t in by_type},
    }
