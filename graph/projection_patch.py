"""Patch a projection after a write instead of projecting the whole store again.

A write touches a few nodes (`graph.history.model.Change.touched_ids`: the nodes
changed and both ends of every relationship changed). The projection of the next
generation differs from the previous one only there: the touched nodes' attributes
and every relationship with a touched end (an edge's classification, `axis`,
`cross_border`, `cross_sector`, reads both ends, so it is rebuilt with them).
`patch_projection` re-reads just those nodes and relationships
(`graph.queries.projection.NODES_BY_IDS`, `EDGES_TOUCHING`) and `patched` writes them
into a new graph.

The new graph shares every untouched part with the old one and never changes it: its
outer dicts are copies, and each inner dict it must change (a touched node's
attributes and adjacency, an untouched neighbour's adjacency) is a fresh copy. A
reader of the previous generation's projection, which the analysis cache still
serves while the next one is computed, never sees it move. Shared parts are never
written afterwards: no analysis changes a projection in place.

The result equals `project(store)` in nodes, edges, keys and attributes. Orders may
differ where they do for a fresh projection between runs: a touched node keeps its
place, a new one comes last, and a touched node's neighbours come in the order the
patch read them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from graph.collector import collector_paused
from graph.projection import _edge_adder, _node_attrs
from graph.queries import projection as queries
from graph.store.base import Store

_Adjacency = dict[Any, dict[Any, dict[str, Any]]]


def patch_projection(G: nx.MultiDiGraph, store: Store, touched: Iterable[str]) -> nx.MultiDiGraph:
    """The projection of `store` now, made from `G` (its projection at an earlier
    generation) and the ids touched by every write since (`touched_since`)."""
    ids = sorted(set(touched))
    if not ids:
        return G
    nodes = [r[0] for r in queries.NODES_BY_IDS.read(store, ids=ids).rows]
    rows = queries.EDGES_TOUCHING.read(store, ids=ids).rows
    columns = queries.EDGE_COLUMNS
    edges = [
        {"source": s, "type": typ, "target": t, **dict(zip(columns, values, strict=True))}
        for s, typ, t, *values in rows
    ]
    return patched(G, ids, nodes, edges)


def patched(
    G: nx.MultiDiGraph,
    touched: Iterable[str],
    nodes: Iterable[Mapping[str, Any]],
    edges: Iterable[Mapping[str, Any]],
) -> nx.MultiDiGraph:
    """`G` with the `touched` nodes replaced by `nodes` (a touched id without a map is
    gone) and their relationships by `edges` (every relationship with a touched end,
    as `build_graph` takes them). `G` itself is left as it was."""
    touched = set(touched)
    with collector_paused():
        H = _sharing_copy(G)
        node, succ, pred = H._node, H._succ, H._pred
        copied: set[tuple[int, Any]] = set()
        for t in touched & G._node.keys():
            _drop_links(G, H, t, touched, copied)
        new = {m["id"]: _node_attrs(m) for m in nodes}
        for t in touched:
            if t in new:
                node[t], succ[t], pred[t] = new[t], {}, {}
                copied.update(((id(succ), t), (id(pred), t)))
            elif t in node:
                del node[t], succ[t], pred[t]
        add = _edge_adder(H)
        columns = queries.EDGE_COLUMNS
        for e in edges:
            s, t = e["source"], e["target"]
            if s in node and t in node:
                _own(succ, s, copied)
                _own(pred, t, copied)
                add(e["type"], [(s, t, *[e.get(c) for c in columns])])
    return H


def _sharing_copy(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A new graph whose outer dicts are copies of `G`'s, sharing every inner dict."""
    H = nx.MultiDiGraph()
    H.graph.update(G.graph)
    H._node = dict(G._node)
    H._succ = H._adj = dict(G._succ)
    H._pred = dict(G._pred)
    return H


def _own(side: _Adjacency, n: Any, copied: set[tuple[int, Any]]) -> None:
    """Make `side[n]` a dict of the new graph's own before it is written."""
    mark = (id(side), n)
    if mark not in copied:
        side[n] = dict(side[n])
        copied.add(mark)


def _drop_links(
    G: nx.MultiDiGraph,
    H: nx.MultiDiGraph,
    t: Any,
    touched: set[str],
    copied: set[tuple[int, Any]],
) -> None:
    """Remove touched node `t` from its untouched neighbours' adjacency in `H` (the
    touched ones get fresh adjacency anyway)."""
    for v in G._succ[t]:
        if v not in touched:
            _own(H._pred, v, copied)
            H._pred[v].pop(t, None)
    for u in G._pred[t]:
        if u not in touched:
            _own(H._succ, u, copied)
            H._succ[u].pop(t, None)
