"""What a sync removes: the records a source held that its files no longer have.

A sync says the files are the whole truth for their sources (`labels`). A stored
node or relationship whose `loaded_from` names one of them, and which the files no
longer have, loses those labels: if no other source holds it, it is removed (a node
with all its relationships), else it only loses the labels. Records without
`loaded_from` (loaded before source bookkeeping existed, or made through the API)
belong to no source, and a sync never removes them.

The plan is read before the write and applied in the loader's one transaction; a
sync taking away more than half of a source's records is refused unless allowed.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from graph import edits
from graph.edits import Removal
from graph.queries import load as queries
from ingest.problems import Problem
from ingest.records import Dataset

RelKey = tuple[str, str, str]


class SyncRefused(Exception):
    """The sync would take away more than half of a source's records; nothing was written."""


@dataclass
class SyncPlan:
    labels: tuple[str, ...]
    removal: Removal = field(default_factory=Removal)
    #: Records other sources still hold, with their labels left: {id, labels} and
    #: {s, type, t, labels}.
    relabel_nodes: list[dict[str, Any]] = field(default_factory=list)
    relabel_rels: list[dict[str, Any]] = field(default_factory=list)
    #: Per label: how many records it held, and how many of them the files no longer have.
    held: dict[str, int] = field(default_factory=dict)
    lost: dict[str, int] = field(default_factory=dict)

    def too_large(self) -> list[str]:
        """Why the sync is refused without `--yes`: one line per source losing over half."""
        return [
            f"the sync would take {self.lost[label]} of the {self.held[label]} records of "
            f"source {label!r} away from it (more than half)"
            for label in self.labels
            if self.lost.get(label, 0) * 2 > self.held.get(label, 0)
        ]


def plan_sync(
    store: Any,
    labels: Collection[str],
    node_ids: Collection[str],
    rel_keys: Collection[RelKey],
) -> SyncPlan:
    """The plan for files holding `node_ids` and `rel_keys` that are the whole truth for
    `labels`."""
    synced = frozenset(labels)
    plan = SyncPlan(tuple(sorted(synced)))
    wanted = sorted(synced)
    node_rows = queries.HELD_NODES.read(store, labels=wanted).rows
    rel_rows = queries.HELD_RELATIONSHIPS.read(store, labels=wanted).rows
    present_nodes, present_rels = set(node_ids), set(rel_keys)
    gone_nodes: dict[str, list[str]] = {}
    for rid, held in node_rows:
        _count(plan, held, synced, rid in present_nodes)
        if rid not in present_nodes:
            gone_nodes[rid] = sorted(set(held) - synced)
    gone_rels: dict[RelKey, list[str]] = {}
    for s, typ, t, held in rel_rows:
        _count(plan, held, synced, (s, typ, t) in present_rels)
        if (s, typ, t) not in present_rels:
            gone_rels[(s, typ, t)] = sorted(set(held) - synced)
    node_props = edits.stored_node_properties(store, sorted(gone_nodes))
    removed = {rid: node_props[rid] for rid, rest in gone_nodes.items() if not rest}
    # Most relationships that go are those of removed nodes, read from the nodes (cheap).
    cascade = edits.relationships_of(store, removed)
    rel_props = edits.stored_relationship_properties(
        store, sorted(k for k in gone_rels if k not in cascade)
    )
    direct = {k: p for k, p in rel_props.items() if not gone_rels[k]}
    plan.removal = edits.with_relationships(store, Removal(removed, direct), cascade)
    plan.relabel_rels = [
        {"s": s, "type": typ, "t": t, "labels": rest}
        for (s, typ, t), rest in gone_rels.items()
        if rest and (s, typ, t) not in plan.removal.relationships
    ]
    plan.relabel_nodes = [{"id": rid, "labels": rest} for rid, rest in gone_nodes.items() if rest]
    return plan


def _count(plan: SyncPlan, held: list[str], synced: frozenset[str], present: bool) -> None:
    for label in set(held) & synced:
        plan.held[label] = plan.held.get(label, 0) + 1
        if not present:
            plan.lost[label] = plan.lost.get(label, 0) + 1


def sync_problems(
    store: Any, plan: SyncPlan, dataset: Dataset, present: Collection[str]
) -> list[Problem]:
    """What the removal would break: a relationship of the files, or an actor's `city`
    (in the files, or stored and kept), naming a node the sync removes."""
    gone = plan.removal.nodes
    if not gone:
        return []
    why = f"is removed by this sync (no file of {', '.join(plan.labels)} has it any more)"
    problems = [
        Problem(dataset.origin(rel), end, getattr(rel, end), f"{getattr(rel, end)!r} {why}")
        for rel in dataset.relationships
        for end in ("source", "target")
        if getattr(rel, end) in gone
    ]
    problems += [
        Problem(dataset.origin(a), "city", a.city, f"{a.city!r} {why}")
        for a in dataset.actors
        if a.city in gone
    ]
    problems += [
        Problem(None, "city", city, f"stored actor {actor!r} has it as its city, and it {why}")
        for city, actor in edits.city_dependants_of(store, gone)
        if actor not in present
    ]
    return problems
