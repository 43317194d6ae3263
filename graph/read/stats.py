"""Counts of what is stored, for `scn-graph stats` and `GET /api/stats`."""

from __future__ import annotations

from typing import Any

from graph import schema
from graph.queries import stats as queries
from graph.store.base import Store


def stats(store: Store, *, include_confidential: bool = False) -> dict[str, Any]:
    """Integer totals (`actors`, `initiatives`, `relationships`, `countries`) and breakdowns
    by kind and type, counting only visible relationships unless `include_confidential`.

    All from one query (`graph.queries.stats.counts`), so the figures belong together
    even while another process writes."""
    row = queries.counts(include_confidential=include_confidential).read(store).rows[0]
    kinds, country_lists, types = row
    by_kind = {str(k): int(n) for k, n in kinds if k is not None and n}
    by_type = {str(t): int(n) for t, n in types if t is not None and n}
    countries = len({c for cs in country_lists for c in cs if c is not None})
    return {
        "actors": sum(n for k, n in by_kind.items() if k in schema.ACTOR_KINDS),
        "initiatives": sum(n for k, n in by_kind.items() if k in schema.INITIATIVE_KINDS),
        "relationships": sum(by_type.values()),
        "countries": countries,
        "actors_by_kind": {k: by_kind[k] for k in schema.ACTOR_KINDS if k in by_kind},
        "initiatives_by_kind": {k: by_kind[k] for k in schema.INITIATIVE_KINDS if k in by_kind},
        "relationships_by_type": {t: by_type[t] for t in schema.REL_TYPES if t in by_type},
    }
