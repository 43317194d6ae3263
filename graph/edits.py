"""The store side of the editor's actor endpoints (`api.writes`) and of removals
(`scn-graph delete`, a sync): an actor as stored, its stored relationships, the actors
naming it as their city, and deleting nodes and relationships as one revision.

Creating and changing actors goes through the loader (`ingest.load`), so it is
validated exactly as an ingest file; only what the loader does not do is here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from graph import schema
from graph.history.model import Change, NodeChange, RelChange
from graph.history.record import node_data, record_revision, relationship_data
from graph.queries import load as load_queries
from graph.queries import writes as queries
from graph.store.base import Store, Tx

RelKey = tuple[str, str, str]
BATCH = 5_000


def _chunks(items: list[Any], size: int = BATCH) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def stored_node_properties(store: Store, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Every stored property of the nodes `ids` (absent ones are left out)."""
    out: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(ids):
        for rid, props in load_queries.STORED_NODE_PROPERTIES.read(store, ids=chunk).rows:
            out[rid] = props or {}
    return out


def stored_relationship_properties(
    store: Store, keys: list[RelKey]
) -> dict[RelKey, dict[str, Any]]:
    """Every stored property of the relationships `keys` (absent ones are left out)."""
    out: dict[RelKey, dict[str, Any]] = {}
    rows = [{"i": i, "s": s, "type": typ, "t": t} for i, (s, typ, t) in enumerate(keys)]
    for chunk in _chunks(rows):
        for i, props in load_queries.STORED_RELATIONSHIP_PROPERTIES.read(store, rows=chunk).rows:
            out[keys[i]] = props or {}
    return out


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


def city_dependants_of(store: Store, ids: Iterable[str]) -> list[tuple[str, str]]:
    """(city id, actor id) of the actors outside `ids` naming one of them as their city."""
    wanted = set(ids)
    out: list[tuple[str, str]] = []
    for chunk in _chunks(sorted(wanted)):
        rows = queries.CITY_DEPENDANTS_OF.read(store, ids=chunk).rows
        out += [(c, a) for c, a in rows if a not in wanted]
    return out


def relationships_of(store: Store, ids: Iterable[str]) -> dict[RelKey, dict[str, Any]]:
    """Every stored relationship of the nodes `ids`, by key, with its properties."""
    out: dict[RelKey, dict[str, Any]] = {}
    for chunk in _chunks(sorted(set(ids))):
        for s, typ, t, props in queries.RELATIONSHIPS_OF.read(store, ids=chunk).rows:
            out[(s, typ, t)] = props or {}
    return out


@dataclass
class Removal:
    """Nodes and relationships to remove, with their stored properties (a relationship
    of a removed node is removed with it)."""

    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    relationships: dict[RelKey, dict[str, Any]] = field(default_factory=dict)
    #: Names of the relationships' ends that stay, to list them by name.
    names: dict[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.nodes or self.relationships)

    def __len__(self) -> int:
        return len(self.nodes) + len(self.relationships)

    def change(self) -> Change:
        """The revision's change: every record removed, its data before, nothing after."""
        return Change(
            nodes=tuple(
                NodeChange(rid, node_data(p), None) for rid, p in sorted(self.nodes.items())
            ),
            relationships=tuple(
                RelChange(s, typ, t, relationship_data(p), None)
                for (s, typ, t), p in sorted(self.relationships.items())
            ),
        )

    def listing(self) -> list[dict[str, Any]]:
        """Every removal, by id and name: nodes first, then relationships."""
        names = {**self.names, **{rid: str(p.get("name", "")) for rid, p in self.nodes.items()}}
        out: list[dict[str, Any]] = [
            {"id": rid, "name": p.get("name"), "kind": p.get("kind")}
            for rid, p in sorted(self.nodes.items())
        ]
        out += [
            {
                "source": s,
                "type": typ,
                "target": t,
                "source_name": names.get(s),
                "target_name": names.get(t),
            }
            for s, typ, t in sorted(self.relationships)
        ]
        return out


def removal_lines(listing: list[dict[str, Any]]) -> list[str]:
    """`Removal.listing()` as text, one line per record."""
    out = []
    for r in listing:
        if "id" in r:
            out.append(f"  {r['kind']:<14} {r['id']}  ({r['name']})")
        else:
            ends = f"({r['source_name'] or r['source']} → {r['target_name'] or r['target']})"
            out.append(f"  relationship   {r['source']} {r['type']} {r['target']}  {ends}")
    return out


def with_relationships(
    store: Store, removal: Removal, known: dict[RelKey, dict[str, Any]] | None = None
) -> Removal:
    """`removal` and every stored relationship of its nodes (`known`: already read by
    `relationships_of`), with the names of the ends that stay."""
    of_nodes = relationships_of(store, removal.nodes) if known is None else known
    rels = {**removal.relationships, **of_nodes}
    ends = sorted({i for s, _, t in rels for i in (s, t)} - set(removal.nodes))
    names = {i: str(p.get("name", "")) for i, p in stored_node_properties(store, ends).items()}
    return Removal(dict(removal.nodes), rels, names)


def write_removal(tx: Tx, removal: Removal) -> None:
    """Delete the relationships, then the nodes with whatever links they still have."""
    rows = [{"s": s, "type": typ, "t": t} for s, typ, t in sorted(removal.relationships)]
    for chunk in _chunks(rows):
        queries.DELETE_RELATIONSHIPS.write(tx, rows=chunk)
    for chunk in _chunks(sorted(removal.nodes)):
        queries.DELETE_NODES.write(tx, ids=chunk)


def remove(store: Store, removal: Removal, *, who: str, source: str) -> None:
    """Apply `removal` (complete: see `with_relationships`) in one transaction, recorded
    as one revision. The caller has read it just before (and holds the editor's write
    lock on the API): the store applies a small change in place, which reads nothing."""
    change = removal.change()
    with store.transaction(records=len(removal)) as tx:
        write_removal(tx, removal)
        record_revision(tx, change, who=who, source=source)


def delete_actor(store: Store, actor_id: str, *, who: str, source: str = "api") -> int:
    """Delete the actor and its relationships as one revision; how many it had."""
    stored = stored_actor(store, actor_id)
    removal = with_relationships(store, Removal({actor_id: stored} if stored else {}))
    remove(store, removal, who=who, source=source)
    return len(removal.relationships)


def relationship_key(source: str, rel_type: str, target: str) -> RelKey:
    """How a relationship is stored: a symmetric type with its ends in sorted order."""
    if rel_type in schema.SYMMETRIC_TYPES and target < source:
        return (target, rel_type, source)
    return (source, rel_type, target)


def plan_delete(
    store: Store, ids: Iterable[str], relationships: Iterable[RelKey] = ()
) -> tuple[Removal, list[str]]:
    """What deleting the nodes `ids` and the `relationships` (source, type, target)
    removes, and why it cannot (unknown ids, a missing relationship, an actor kept
    that names a deleted city as its `city`): nothing is written."""
    wanted = sorted(set(ids))
    nodes = stored_node_properties(store, wanted)
    problems = [f"no actor or initiative has the id {rid!r}" for rid in wanted if rid not in nodes]
    keys = []
    for s, typ, t in relationships:
        if typ not in schema.REL_TYPES:
            problems.append(f"{typ!r} is not a relationship type ({', '.join(schema.REL_TYPES)})")
            continue
        keys.append(relationship_key(s, typ, t))
    rels = stored_relationship_properties(store, keys)
    problems += [
        f"there is no {typ} relationship from {s!r} to {t!r}"
        for s, typ, t in keys
        if (s, typ, t) not in rels
    ]
    problems += [
        f"{actor!r} names {city!r} as its city: change its city or delete it too"
        for city, actor in city_dependants_of(store, nodes)
    ]
    return with_relationships(store, Removal(nodes, rels)), problems
