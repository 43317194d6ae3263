"""What actor and initiative reads share: existence, one node with its relationships,
a filtered page of nodes."""

from __future__ import annotations

from typing import Any

from graph.predicates import norm_country, norm_theme
from graph.queries import nodes as queries
from graph.read.shaping import node_dict, node_ref, paged, relationship_dict
from graph.store.base import Store


def node_exists(store: Store, node_id: str, label: str = "Entity") -> bool:
    return bool(queries.node_exists(label).read(store, id=node_id).scalar())


def node_with_relationships(
    store: Store, label: str, node_id: str, *, include_confidential: bool = False
) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """A node's properties and its relationships to other entities, each with `direction`
    ("out" or "in", seen from the node) and `other` (the node at the other end)."""
    res = queries.with_relationships(label, include_confidential=include_confidential).read(
        store, id=node_id
    )
    if not res.rows:
        return None, []
    me, found = res.rows[0]
    rels: list[dict[str, Any]] = []
    for outgoing, typ, props, other in found:
        if typ is None or other is None:
            continue
        s, t = (me, other) if outgoing else (other, me)
        rel = relationship_dict(s["id"], typ, t["id"], props, s, t)
        rel["direction"] = "out" if outgoing else "in"
        rel["other"] = node_ref(other)
        rels.append(rel)
    rels.sort(key=lambda r: (r["type"], r["direction"], str(r["other"]["id"])))
    return node_dict(me), rels


def node_page(
    store: Store, page: queries.Page, values: dict[str, Any], limit: int, offset: int
) -> dict[str, Any]:
    """One page of the nodes `page` selects with the filter `values`, and their count."""
    total = page.count.read(store, **values).scalar()
    rows = page.items.read(store, **values, offset=offset, limit=limit).rows
    return paged(total, limit, offset, [node_dict(r[0]) for r in rows])


#: How a filter's value is compared with what is stored.
_NORMALISE = {
    "country": norm_country,
    "theme": norm_theme,
    "q": lambda text: text.strip().lower(),
}


def filter_values(**given: Any) -> dict[str, Any]:
    """The filters given (not None or empty), normalised as stored: the parameters of a
    `graph.queries.nodes` page, which picks its conditions by their names."""
    return {k: _NORMALISE.get(k, lambda v: v)(v) for k, v in given.items() if v}
