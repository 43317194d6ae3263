"""Counts of what is stored, for `scn-graph stats` and `GET /api/stats`."""

from __future__ import annotations

from typing import Any

from graph import schema
from graph.queries import stats as queries
from graph.store.base import Store


def stats(store: Store, *, include_confidential: bool = False) -> dict[str, Any]:
    """Integer totals (`actors`, `initiatives`, `relationships`, `countries`) and breakdowns
    by kind and type, counting only visible relationships unless `include_confidential`."""
    by_kind: dict[str, int] = {}
    for kind, n in queries.NODES_BY_KIND.read(store).rows:
        by_kind[str(kind)] = int(n)
    by_type: dict[str, int] = {}
    for typ, n in (
        queries.relationships_by_type(include_confidential=include_confidential).read(store).rows
    ):
        by_type[str(typ)] = int(n)
    countries = queries.COUNTRIES.read(store).scalar()
    return {
        "actors": sum(n for k, n in by_kind.items() if k in schema.ACTOR_KINDS),
        "initiatives": sum(n for k, n in by_kind.items() if k in schema.INITIATIVE_KINDS),
        "relationships": sum(by_type.values()),
        "countries": int(countries or 0),
        "actors_by_kind": {k: by_kind[k] for k in schema.ACTOR_KINDS if k in by_kind},
        "initiatives_by_kind": {k: by_kind[k] for k in schema.INITIATIVE_KINDS if k in by_kind},
        "relationships_by_type": {t: by_type[t] for t in schema.REL_TYPES if t in by_type},
    }
