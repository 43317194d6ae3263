"""Revisions made by hand: each is the difference of two states of node and relationship
maps, as the write path records it, so the history tests can replay a sequence of
edits without a store, and graphs compared as the analyses see them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import networkx as nx

from graph.history.model import Change, NodeChange, RelChange, Revision
from graph.history.state import EdgeMaps, NodeMaps, build_state

RelMap = dict[str, Any]


def edges_of(rels: Sequence[RelMap]) -> EdgeMaps:
    """Relationship maps (with source, type, target) keyed as a revision keys them."""
    return {(r["source"], r["type"], r["target"]): dict(r) for r in rels}


def _data(props: dict[str, Any], drop: tuple[str, ...] = ()) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k not in drop}


def change_between(old: tuple[NodeMaps, EdgeMaps], new: tuple[NodeMaps, EdgeMaps]) -> Change:
    """What a write taking the data from `old` to `new` records."""
    (on, oe), (nn, ne) = old, new
    nodes = tuple(
        NodeChange(i, on.get(i), nn.get(i))
        for i in sorted(set(on) | set(nn))
        if on.get(i) != nn.get(i)
    )
    ends = ("source", "type", "target")
    rels = tuple(
        RelChange(
            *k,
            _data(oe[k], ends) if k in oe else None,
            _data(ne[k], ends) if k in ne else None,
        )
        for k in sorted(set(oe) | set(ne))
        if oe.get(k) != ne.get(k)
    )
    return Change(nodes, rels)


def replay(
    states: Sequence[tuple[list[dict[str, Any]], list[RelMap]]],
) -> tuple[list[tuple[NodeMaps, EdgeMaps]], list[Revision]]:
    """The states as maps, and revision k taking state k-1 to state k (state 0 is where
    the history starts: revision 0)."""
    maps = [({n["id"]: dict(n) for n in nodes}, edges_of(rels)) for nodes, rels in states]
    revs = [
        Revision(
            k,
            100 + k,
            f"2026-12-01T10:{k:02d}:00+00:00",
            "ana",
            f"round{k}.yaml",
            change_between(maps[k - 1], maps[k]),
        )
        for k in range(1, len(maps))
    ]
    return maps, revs


def graph_of(
    maps: tuple[NodeMaps, EdgeMaps], *, include_confidential: bool = False
) -> nx.MultiDiGraph:
    nodes, edges = maps
    return build_state(dict(nodes), dict(edges), include_confidential=include_confidential)


def as_seen(G: nx.MultiDiGraph) -> tuple[list[Any], list[Any]]:
    """A graph's nodes and relationships with every attribute, sorted: equal for two
    graphs the analyses cannot tell apart."""
    nodes = sorted((n, sorted(d.items())) for n, d in G.nodes(data=True))
    edges = sorted(
        (u, k, v, sorted((a, repr(b)) for a, b in d.items()))
        for u, v, k, d in G.edges(keys=True, data=True)
    )
    return nodes, edges
