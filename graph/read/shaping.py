"""How stored nodes and relationships become answers, and how lists are paged.

* a **node** is its stored properties (`id`, `name`, `kind`, `country`,
  `themes`, `sources`, `updated_at`, …) plus `family` ("actor" or
  "initiative") and `basis` ("stated" unless stored as "inferred");
* a **relationship** is `source`, `target`, `type`, `symmetric` and its
  stored properties (`status`, `basis`, `confidential`, `since`, `note`,
  `sources`; status and basis filled with their defaults),
  with `axis`, `cross_border`, `cross_sector` classified from the endpoints
  when read (None when an initiative is involved), so they are right even if
  an endpoint changed country or level after the relationship was written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graph import schema
from graph.predicates import basis_of

DEFAULT_LIMIT = 50
MAX_LIMIT = 1000

_ACTOR_RELATIONSHIP_KEYS = ("axis", "cross_border", "cross_sector")
#: Loader bookkeeping kept out of what is returned.
INTERNAL_PROPERTIES = schema.INTERNAL_PROPERTIES


def node_dict(props: Mapping[str, Any] | None) -> dict[str, Any]:
    """A stored node as returned by every read: its properties plus `family`."""
    out = {
        k: v for k, v in (props or {}).items() if k != "_labels" and k not in INTERNAL_PROPERTIES
    }
    out["family"] = schema.family_of(out.get("kind"), strict=False)
    out["basis"] = basis_of(out)
    return out


def node_ref(props: Mapping[str, Any]) -> dict[str, Any]:
    """The short form of a node: id, name, kind, family, country."""
    return {
        "id": props.get("id"),
        "name": props.get("name"),
        "kind": props.get("kind"),
        "family": schema.family_of(props.get("kind"), strict=False),
        "country": props.get("country"),
    }


def relationship_dict(
    source: str,
    rel_type: str,
    target: str,
    props: Mapping[str, Any] | None,
    source_node: Mapping[str, Any] | None = None,
    target_node: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A relationship with its classification computed from the endpoints' properties."""
    out: dict[str, Any] = {
        k: v
        for k, v in (props or {}).items()
        if not k.startswith("_") and k not in INTERNAL_PROPERTIES
    }
    out.update(
        {
            "source": source,
            "target": target,
            "type": rel_type,
            "symmetric": rel_type in schema.SYMMETRIC_TYPES,
            "status": out.get("status") or schema.Status.ACTIVE.value,
            "basis": basis_of(out),
            "confidential": bool(out.get("confidential")),
        }
    )
    if source_node is not None and target_node is not None:
        out.update(schema.classify(dict(source_node), dict(target_node)))
    else:
        for k in _ACTOR_RELATIONSHIP_KEYS:
            out.setdefault(k, None)
    return out


def page_bounds(limit: int, offset: int) -> tuple[int, int]:
    """`limit` within 1..MAX_LIMIT and `offset` at least 0."""
    limit = max(1, min(int(limit), MAX_LIMIT))
    return limit, max(0, int(offset))


def paged(total: Any, limit: int, offset: int, items: list[dict[str, Any]]) -> dict[str, Any]:
    """One page of a list: {total, limit, offset, items}."""
    return {"total": int(total or 0), "limit": limit, "offset": offset, "items": items}
