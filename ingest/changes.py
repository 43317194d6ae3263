"""The change a load makes, as its revision records it (`graph.history.model.Change`).

The loader knows what it writes (the merged properties of every node and
relationship it creates or overwrites) and which of them were stored before; this
reads the full stored properties of only those it overwrites, so the cost follows
the size of the change, and pairs them up as before/after data maps. A record whose
data does not change (only bookkeeping or the derived classification moves) is left
out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from graph.edits import stored_node_properties, stored_relationship_properties
from graph.history.model import Change, CountryChange, NodeChange, RelChange
from graph.history.record import node_data, relationship_data
from graph.store.base import Store

RelKey = tuple[str, str, str]


def load_change(
    store: Store,
    node_writes: Mapping[str, Mapping[str, Any]],
    rel_writes: Mapping[RelKey, Mapping[str, Any]],
    *,
    stored_nodes: set[str],
    stored_rels: set[RelKey],
    removed_nodes: Mapping[str, Mapping[str, Any]] | None = None,
    removed_rels: Mapping[RelKey, Mapping[str, Any]] | None = None,
    countries: Sequence[CountryChange] = (),
) -> Change:
    """The change of writing `node_writes` and `rel_writes` (those in `stored_*` were
    stored before: their before-properties are read now), removing `removed_*`
    (given with their stored properties) and naming `countries`."""
    before_nodes = stored_node_properties(
        store, sorted(k for k in node_writes if k in stored_nodes)
    )
    before_rels = stored_relationship_properties(
        store, sorted(k for k in rel_writes if k in stored_rels)
    )
    nodes = [
        NodeChange(rid, node_data(before_nodes.get(rid)), node_data(props))
        for rid, props in node_writes.items()
    ]
    nodes += [NodeChange(rid, node_data(p), None) for rid, p in (removed_nodes or {}).items()]
    rels = [
        RelChange(s, typ, t, relationship_data(before_rels.get((s, typ, t))), relationship_data(p))
        for (s, typ, t), p in rel_writes.items()
    ]
    rels += [
        RelChange(s, typ, t, relationship_data(p), None)
        for (s, typ, t), p in (removed_rels or {}).items()
    ]
    return Change(
        nodes=tuple(sorted((n for n in nodes if n.before != n.after), key=lambda n: n.id)),
        relationships=tuple(sorted((r for r in rels if r.before != r.after), key=lambda r: r.key)),
        countries=tuple(sorted(countries, key=lambda c: c.code)),
    )
