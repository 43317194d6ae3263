"""Relationships: a filtered page of them, each naming its endpoints."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graph import schema
from graph.queries import relationships as queries
from graph.read.nodes import filter_values
from graph.read.shaping import DEFAULT_LIMIT, page_bounds, paged, relationship_dict
from graph.store.base import Store


def check_types(types: Sequence[str]) -> list[str]:
    """`types` without repeats; ValueError naming one the schema does not know."""
    wanted = list(dict.fromkeys(types))
    for t in wanted:
        if t not in schema.REL_TYPES:
            raise ValueError(
                f"unknown relationship type {t!r}; expected one of {', '.join(schema.REL_TYPES)}"
            )
    return wanted


def list_relationships(
    store: Store,
    *,
    types: Sequence[str] | None = None,
    axis: str | None = None,
    country: str | None = None,
    cross_border: bool | None = None,
    cross_sector: bool | None = None,
    status: str | None = None,
    node: str | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
    include_confidential: bool = False,
) -> dict[str, Any]:
    """Relationships matching every filter, ordered by source, type, target.

    `axis`, `cross_border` and `cross_sector` are properties of actor–actor
    relationships, so filtering on any of them keeps only those. `country` keeps
    relationships with an endpoint in that country; `node` those touching that id.
    Each item also names its endpoints (`source_name`, `source_kind`, …).
    """
    limit, offset = page_bounds(limit, offset)
    wanted = check_types(types or [])
    values = filter_values(country=country, status=status, node=node)
    page = queries.page(
        queries.RelationshipFilter(
            types=tuple(wanted),
            axis=axis,
            cross_border=cross_border,
            cross_sector=cross_sector,
            country="country" in values,
            status="status" in values,
            node="node" in values,
            include_confidential=include_confidential,
        )
    )
    total = page.count.read(store, **values).scalar()
    rows = page.items.read(store, **values, offset=offset, limit=limit).rows
    items = []
    for s, typ, t, props, a, b in rows:
        rel = relationship_dict(s, typ, t, props, a, b)
        rel.update(
            {
                "source_name": a.get("name"),
                "source_kind": a.get("kind"),
                "target_name": b.get("name"),
                "target_kind": b.get("kind"),
            }
        )
        items.append(rel)
    return paged(total, limit, offset, items)
