"""The store side of the editor's actor endpoints (`api.writes`): an actor as stored,
its stored relationships, the actors naming it as their city, and its deletion.

Creating and changing actors goes through the loader (`ingest.load`), so it is
validated exactly as an ingest file; only what the loader does not do is here.
"""

from __future__ import annotations

from typing import Any

from graph.history.model import Change, NodeChange, RelChange
from graph.history.record import node_data, record_revision, relationship_data
from graph.queries import writes as queries
from graph.store.base import Store


def stored_actor(store: Store, actor_id: str) -> dict[str, Any] | None:
    """The actor's stored properties, or None."""
    return queries.STORED_ACTOR.read(store, id=actor_id).scalar()


def stored_relationships(store: Store, actor_id: str) -> list[tuple[str, str, str, dict[str, Any]]]:
    """Every stored relationship of the actor: (source id, type, target id, properties)."""
    rows = queries.ACTOR_RELATIONSHIPS.read(store, id=actor_id).rows
    return [(s, typ, t, props or {}) for s, typ, t, props in rows]


def city_dependants(store: Store, city_id: str) -> list[str]:
    """Ids of the other actors that name `city_id` as their city, in order."""
    return [r[0] for r in queries.CITY_DEPENDANTS.read(store, id=city_id).rows]


def delete_actor(store: Store, actor_id: str, *, who: str, source: str = "api") -> int:
    """Delete the actor and its relationships in one transaction, recorded as one
    revision (`who`, `source`); how many relationships it had.

    What goes is read first: the delete is a small change the store applies in place
    (one query), which reports nothing back. The caller holds the editor's write lock."""
    stored = stored_actor(store, actor_id)
    rels = stored_relationships(store, actor_id)
    change = Change(
        nodes=(NodeChange(actor_id, node_data(stored), None),) if stored is not None else (),
        relationships=tuple(
            RelChange(s, typ, t, relationship_data(props), None) for s, typ, t, props in rels
        ),
    )
    with store.transaction(records=1 + len(rels)) as tx:
        queries.DELETE_ACTOR.write(tx, id=actor_id)
        record_revision(tx, change, who=who, source=source)
    return len(rels)
