"""Shortest paths between two nodes, ignoring direction, through visible relationships.

A bidirectional breadth-first search over the store (one Cypher query per
hop) or over a projection already in memory, with the same answers.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise
from typing import Any, Protocol

import networkx as nx

from graph import schema
from graph.queries import nodes as node_queries
from graph.queries import paths as queries
from graph.read.nodes import node_exists
from graph.read.relationships import check_types
from graph.read.shaping import node_ref, relationship_dict
from graph.store.base import Store

#: Shortest paths are searched up to this many hops.
DEFAULT_MAX_HOPS = 6
MAX_HOPS = 12


def shortest_path(
    store: Store,
    source: str,
    target: str,
    *,
    include_confidential: bool = False,
    max_hops: int = DEFAULT_MAX_HOPS,
    types: Iterable[str] | None = None,
    actors_only: bool = False,
    graph: nx.MultiDiGraph | None = None,
) -> dict[str, Any]:
    """A shortest path between two nodes, ignoring direction, through visible relationships.

    Bidirectional breadth-first search, one hop at a time from the smaller side,
    so the work is bounded by the nodes within `max_hops` / 2 of either end
    (FalkorDB's `shortestPath` is directed only and allowed only in RETURN).
    Each hop is one Cypher query; or, when `graph` is given — a projection of
    the whole store made with the same `include_confidential` (e.g. one a
    cache already holds) — a lookup in memory, with the same result.
    `types` limits the relationship types walked; `actors_only` keeps
    initiatives out of the middle of the path.

    Returns {source, target, found, length, nodes, steps}; each step is
    {from, to, type, direction ("forward" when stored from→to, else
    "backward"), symmetric, status, confidential, since, also (other types
    joining the same pair)}. Raises KeyError naming an id not in the graph.
    """
    if graph is not None and graph.graph.get("include_confidential") != include_confidential:
        graph = None  # never walk a projection made for another visibility
    if not 1 <= max_hops <= MAX_HOPS:
        raise ValueError(f"max_hops must be between 1 and {MAX_HOPS}, not {max_hops}")
    wanted = check_types(sorted(set(types or [])))
    walk: _Walk = (
        _GraphWalk(graph, wanted, actors_only, (source, target))
        if graph is not None
        else _CypherWalk(
            store,
            wanted,
            (source, target),
            include_confidential=include_confidential,
            actors_only=actors_only,
        )
    )
    for node_id in (source, target):
        if not walk.exists(node_id):
            raise KeyError(node_id)
    result: dict[str, Any] = {
        "source": source,
        "target": target,
        "found": False,
        "length": None,
        "max_hops": max_hops,
        "nodes": [],
        "steps": [],
    }
    ids = _bidirectional_bfs(walk, source, target, max_hops)
    if ids is None:
        return result
    props = walk.nodes(ids)
    pairs = list(pairwise(ids))
    found = walk.links(pairs)
    steps = []
    for a, b in pairs:
        options = sorted(
            found.get((a, b), []),
            key=lambda o: ((o[2] or {}).get("status", "active") != "active", o[1], o[0] != a),
        )
        s, typ, rp = options[0]
        rel = relationship_dict(s, typ, b if s == a else a, rp)
        steps.append(
            {
                "from": a,
                "to": b,
                "type": typ,
                "direction": "forward" if s == a else "backward",
                "symmetric": rel["symmetric"],
                "status": rel["status"],
                "basis": rel["basis"],
                "confidential": rel["confidential"],
                "since": rel.get("since"),
                "also": sorted({o[1] for o in options[1:]} - {typ}),
            }
        )
    result.update(
        {
            "found": True,
            "length": len(ids) - 1,
            "nodes": [node_ref(props.get(i, {"id": i})) for i in ids],
            "steps": steps,
        }
    )
    return result


#: A relationship between two path nodes: (stored source id, type, properties).
_Link = tuple[str, str, dict[str, Any]]


class _Walk(Protocol):
    def exists(self, node_id: str) -> bool: ...

    def hop(self, frontier: list[str]) -> list[tuple[str, str]]:
        """(a, b) for every visible relationship from a frontier node a to a node b."""
        ...

    def nodes(self, ids: list[str]) -> dict[str, dict[str, Any]]: ...

    def links(self, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], list[_Link]]: ...


class _CypherWalk:
    def __init__(
        self,
        store: Store,
        types: list[str],
        ends: tuple[str, str],
        *,
        include_confidential: bool = False,
        actors_only: bool = False,
    ) -> None:
        self.store = store
        key = tuple(types)
        self.hop_query = queries.hop(
            key, include_confidential=include_confidential, actors_only=actors_only
        )
        # the far end may be an initiative even when the middle may not
        self.to_ends = (
            queries.hop_to_ends(key, include_confidential=include_confidential)
            if actors_only
            else None
        )
        self.links_query = queries.links(key, include_confidential=include_confidential)
        self.ends = list(ends)

    def exists(self, node_id: str) -> bool:
        return node_exists(self.store, node_id)

    def hop(self, frontier: list[str]) -> list[tuple[str, str]]:
        rows = self.hop_query.read(self.store, ids=frontier).rows
        if self.to_ends is not None:
            rows += self.to_ends.read(self.store, ids=frontier, ends=self.ends).rows
        return [(a, b) for a, b in rows]

    def nodes(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        rows = node_queries.NODES_BY_ID.read(self.store, ids=ids).rows
        return {r[0]["id"]: r[0] for r in rows}

    def links(self, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], list[_Link]]:
        found: dict[tuple[str, str], list[_Link]] = {}
        if not pairs:
            return found
        for a, b, s, typ, rp in self.links_query.read(
            self.store, pairs=[list(p) for p in pairs]
        ).rows:
            found.setdefault((a, b), []).append((s, typ, rp))
        return found


class _GraphWalk:
    """The same walk over a projection (`graph.projection.build_graph`) in memory."""

    def __init__(
        self, G: nx.MultiDiGraph, types: list[str], actors_only: bool, ends: tuple[str, str]
    ) -> None:
        self.G = G
        self.types = set(types)
        self.actors_only = actors_only
        self.ends = set(ends)

    def exists(self, node_id: str) -> bool:
        return node_id in self.G

    def _ok(self, keys: Iterable[str]) -> bool:
        return not self.types or any(k in self.types for k in keys)

    def hop(self, frontier: list[str]) -> list[tuple[str, str]]:
        G, out = self.G, set()
        for a in frontier:
            for adj in (G.succ[a], G.pred[a]):
                for b, keyed in adj.items():
                    if not self._ok(keyed):
                        continue
                    if (
                        self.actors_only
                        and G.nodes[b].get("family") != schema.ACTOR
                        and b not in self.ends
                    ):
                        continue
                    out.add((a, b))
        return list(out)

    def nodes(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        return {i: self.G.nodes[i] for i in ids}

    def links(self, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], list[_Link]]:
        G, found = self.G, {}
        for a, b in pairs:
            options: list[_Link] = []
            for s, t in ((a, b), (b, a)):
                for typ, d in G.succ[s].get(t, {}).items():
                    if not self.types or typ in self.types:
                        options.append((s, typ, d))
            found[(a, b)] = options
        return found


def _bidirectional_bfs(walk: _Walk, source: str, target: str, max_hops: int) -> list[str] | None:
    if source == target:
        return [source]
    parent: list[dict[str, str | None]] = [{source: None}, {target: None}]
    dist: list[dict[str, int]] = [{source: 0}, {target: 0}]
    frontier: list[list[str]] = [[source], [target]]
    for _ in range(max_hops):
        if not frontier[0] or not frontier[1]:
            return None
        side = 0 if len(frontier[0]) <= len(frontier[1]) else 1
        other = 1 - side
        rows = walk.hop(frontier[side])
        new: list[str] = []
        depth = dist[side][frontier[side][0]] + 1
        for a, b in sorted(rows):
            if b not in parent[side]:
                parent[side][b] = a
                dist[side][b] = depth
                new.append(b)
        frontier[side] = new
        meets = [n for n in new if n in parent[other]]
        if meets:
            meet = min(meets, key=lambda n: (dist[other][n], n))
            return _join(parent, meet)
    return None


def _join(parent: list[dict[str, str | None]], meet: str) -> list[str]:
    left, right = parent[0], parent[1]
    path_s: list[str] = []
    n: str | None = meet
    while n is not None:
        path_s.append(n)
        n = left[n]
    path_s.reverse()
    n = right[meet]
    while n is not None:
        path_s.append(n)
        n = right[n]
    return path_s
