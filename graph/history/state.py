"""The data as it was at a past revision: today's graph with the later revisions undone.

Undoing a revision puts every record it touched back as it was before it (`before`;
a record it added goes), newest revision first, so after undoing every revision
later than REV each record is as REV left it. The result is built with
`graph.projection.build_graph`, so every analysis runs on it unchanged, with the
same visibility rule: today's projection for the role is enough, since a record no
later revision touched is today as it was then, and `build_graph` leaves out the
confidential relationships a role may not see whichever revision they come from.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx

from graph.history.model import RelKey, Revision
from graph.projection import EDGE_FIELDS, NODE_FIELDS, build_graph

NodeMaps = dict[str, dict[str, Any]]
EdgeMaps = dict[RelKey, dict[str, Any]]


def maps_of(G: nx.MultiDiGraph) -> tuple[NodeMaps, EdgeMaps]:
    """The data property maps of a projection's nodes (by id) and relationships (by
    source, type, target), as `build_graph` takes them back."""
    nodes = {n: {k: d[k] for k in NODE_FIELDS if k in d} for n, d in G.nodes(data=True)}
    rels = G.edges(keys=True, data=True)
    edges = {(u, k, v): {f: d.get(f) for f in EDGE_FIELDS} for u, v, k, d in rels}
    return nodes, edges


def undo(nodes: NodeMaps, edges: EdgeMaps, revision: Revision) -> None:
    """Put back, in place, every record `revision` touched as it was before it."""
    for n in revision.change.nodes:
        if n.before is None:
            nodes.pop(n.id, None)
        else:
            nodes[n.id] = dict(n.before)
    for r in revision.change.relationships:
        if r.before is None:
            edges.pop(r.key, None)
        else:
            edges[r.key] = {**r.before, "type": r.type}


def undo_all(nodes: NodeMaps, edges: EdgeMaps, later: Iterable[Revision]) -> None:
    """Undo `later` (any order given; undone newest first)."""
    for rev in sorted(later, key=lambda r: r.id, reverse=True):
        undo(nodes, edges, rev)


def build_state(
    nodes: NodeMaps, edges: EdgeMaps, *, include_confidential: bool = False
) -> nx.MultiDiGraph:
    """The analysis graph of these maps (relationships with an end missing are dropped)."""
    return build_graph(
        nodes.values(),
        ({"source": s, "target": t, "type": typ, **p} for (s, typ, t), p in edges.items()),
        include_confidential=include_confidential,
    )


def graph_as_of(
    now: nx.MultiDiGraph, later: Iterable[Revision], *, include_confidential: bool = False
) -> nx.MultiDiGraph:
    """The graph as it was before the `later` revisions: `now` (today's projection, made
    with at least this visibility) with them undone."""
    nodes, edges = maps_of(now)
    undo_all(nodes, edges, later)
    return build_state(nodes, edges, include_confidential=include_confidential)
