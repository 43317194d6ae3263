"""Initiatives: a filtered page of them, and one with who runs, funds and joins it."""

from __future__ import annotations

from typing import Any

from graph import schema
from graph.queries import nodes as queries
from graph.read.nodes import filter_values, node_page, node_with_relationships
from graph.read.shaping import DEFAULT_LIMIT, page_bounds
from graph.store.base import Store

#: How an initiative's relationships are grouped in `get_initiative`:
#: (type, direction seen from the initiative) -> key.
INITIATIVE_ROLES: dict[tuple[str, str], str] = {
    ("RUNS", "in"): "run_by",
    ("PUBLISHES", "in"): "published_by",
    ("FUNDS", "in"): "funded_by",
    ("IMPLEMENTS", "in"): "implemented_by",
    ("EVALUATES", "in"): "evaluated_by",
    ("PARTICIPATES_IN", "in"): "participants",
    ("CONTRIBUTES_TO", "in"): "contributors",
    ("INFORMS", "out"): "informs",
    ("INFORMS", "in"): "informed_by",
    ("EVALUATES", "out"): "evaluates",
}


def list_initiatives(
    store: Store,
    *,
    kind: str | None = None,
    country: str | None = None,
    status: str | None = None,
    theme: str | None = None,
    q: str | None = None,
    actor: str | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
    include_confidential: bool = False,
) -> dict[str, Any]:
    """Initiatives matching every filter, by name. `actor` keeps those the actor has a
    visible relationship with (runs, funds, implements, …)."""
    limit, offset = page_bounds(limit, offset)
    if kind and kind not in schema.INITIATIVE_KINDS:
        raise ValueError(
            f"unknown initiative kind {kind!r}; expected one of "
            f"{', '.join(schema.INITIATIVE_KINDS)}"
        )
    values = filter_values(kind=kind, country=country, status=status, theme=theme, q=q)
    page = queries.initiatives_page(
        frozenset(values), by_actor=bool(actor), include_confidential=include_confidential
    )
    if actor:
        values["actor"] = actor
    return node_page(store, page, values, limit, offset)


def get_initiative(
    store: Store, initiative_id: str, *, include_confidential: bool = False
) -> dict[str, Any] | None:
    """One initiative with who runs, funds, implements, evaluates, takes part in and
    contributes to it, what it informs / is informed by, and (for an evaluation) what it
    evaluates — each a list of {id, name, kind, family, country, type, status, since,
    confidential, note}; plus every visible relationship under `relationships`."""
    node, rels = node_with_relationships(
        store, "Initiative", initiative_id, include_confidential=include_confidential
    )
    if node is None:
        return None
    groups: dict[str, list[dict[str, Any]]] = {
        k: [] for k in dict.fromkeys(INITIATIVE_ROLES.values())
    }
    for rel in rels:
        key = INITIATIVE_ROLES.get((rel["type"], rel["direction"]))
        if key is None:
            continue
        groups[key].append(
            {
                **rel["other"],
                "type": rel["type"],
                "status": rel["status"],
                "basis": rel["basis"],
                "since": rel.get("since"),
                "confidential": rel["confidential"],
                "note": rel.get("note"),
            }
        )
    node.update(groups)
    node["relationships"] = rels
    return node
