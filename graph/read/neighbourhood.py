"""The one neighbourhood search: the nodes within a number of hops of one node, in
either direction, through visible relationships only.

`breadth_first` is the rule (nearest first, ties by id, an optional cap on
the nodes); `search` runs it against the store one hop per query, and
`in_memory` over a projection. The API's neighbourhood, the projection's
(`graph.projection.project_neighbourhood`, used by exports) and the pages'
actor view all use it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import networkx as nx

from graph.queries import neighbourhood as queries
from graph.read.shaping import node_dict, relationship_dict
from graph.store.base import Store

#: Deepest neighbourhood searched in the store (the API, exports).
MAX_DEPTH = 3
#: Deepest neighbourhood a page draws: it walks a projection already in memory, so one
#: more hop is cheap; beyond this almost any node reaches everything.
MAX_PAGE_DEPTH = MAX_DEPTH + 1
#: A neighbourhood stops growing at this many nodes (nearest first) and says so.
MAX_NEIGHBOURHOOD_NODES = 2000

T = TypeVar("T")


def check_depth(depth: int, limit: int = MAX_DEPTH) -> None:
    """ValueError unless 1 <= depth <= limit."""
    if not 1 <= depth <= limit:
        raise ValueError(f"depth must be between 1 and {limit}, not {depth}")


def breadth_first(
    centre: str,
    depth: int,
    expand: Callable[[list[str]], Mapping[str, T]],
    *,
    max_nodes: int | None = None,
    first_hop: Mapping[str, T] | None = None,
) -> tuple[dict[str, int], dict[str, T], bool]:
    """The nodes within `depth` hops of `centre`: ({id: hops}, {id: what `expand` gave
    for it}, truncated).

    `expand(frontier)` returns the neighbours of the frontier's nodes (id -> anything,
    e.g. their properties); `first_hop`, when already known, saves the first call.
    New nodes join in id order, so with `max_nodes` the nearest are kept, ties by id.
    """
    hops: dict[str, int] = {centre: 0}
    kept: dict[str, T] = {}
    frontier = [centre]
    truncated = False
    for d in range(1, depth + 1):
        if not frontier or truncated:
            break
        found = first_hop if d == 1 and first_hop is not None else expand(frontier)
        frontier = []
        for n in sorted(found):
            if n in hops:
                continue
            if max_nodes is not None and len(hops) >= max_nodes:
                truncated = True
                break
            hops[n] = d
            kept[n] = found[n]
            frontier.append(n)
    return hops, kept, truncated


def in_memory(G: nx.MultiDiGraph, centre: str, depth: int) -> dict[str, int]:
    """{id: hops} within `depth` (at most `MAX_PAGE_DEPTH`) of `centre` in a projection,
    whose relationships are the visible ones already."""
    check_depth(depth, MAX_PAGE_DEPTH)

    def expand(frontier: list[str]) -> dict[str, None]:
        return {m: None for n in frontier for adj in (G.succ[n], G.pred[n]) for m in adj}

    return breadth_first(centre, depth, expand)[0]


@dataclass
class Found:
    """What `search` found: hops and properties of each node, whether the cap left some
    out, and the centre's own links as the first query returned them."""

    hops: dict[str, int]
    nodes: dict[str, dict[str, Any]]
    truncated: bool
    centre_links: list[list[Any]]


def search(
    store: Store,
    node_id: str,
    depth: int,
    *,
    include_confidential: bool = False,
    max_nodes: int | None = None,
) -> Found | None:
    """The neighbourhood of `node_id` in the store, one hop per query, or None if the node
    is not there. The centre, its links and its first hop come in one round trip."""
    check_depth(depth)
    rows = queries.centre(include_confidential=include_confidential).read(store, id=node_id).rows
    if not rows:
        return None
    props, first = rows[0]
    step = queries.step(include_confidential=include_confidential)
    hops, nodes, truncated = breadth_first(
        node_id,
        depth,
        lambda frontier: dict(step.read(store, ids=frontier).rows),
        max_nodes=max_nodes,
        first_hop={b: bp for _, typ, _, b, bp in first if typ is not None},
    )
    nodes[node_id] = props
    return Found(hops, nodes, truncated, first)


def neighbourhood(
    store: Store,
    node_id: str,
    depth: int = 1,
    *,
    include_confidential: bool = False,
    max_nodes: int = MAX_NEIGHBOURHOOD_NODES,
) -> dict[str, Any] | None:
    """The nodes within `depth` hops (1–3, either direction, through visible relationships
    only) and the relationships among them, or None if `node_id` is not in the graph.

    Nodes carry `hops` (their distance). At most `max_nodes` nodes are returned,
    nearest first (ties by id); `truncated` says whether some were left out.
    """
    max_nodes = max(1, int(max_nodes))
    found = search(
        store, node_id, depth, include_confidential=include_confidential, max_nodes=max_nodes
    )
    if found is None:
        return None
    hops, nodes = found.hops, found.nodes
    links: list[tuple[str, str, str, dict[str, Any]]] = []
    if depth == 1:
        # The centre's own links came with the first query: only links between two
        # neighbours are left to ask for, and there are none with fewer than two.
        links = [
            (node_id, typ, b, rp) if out else (b, typ, node_id, rp)
            for out, typ, rp, b, _ in found.centre_links
            if typ is not None and b in hops
        ]
        among = [i for i in hops if i != node_id]
    else:
        among = list(hops)
    if len(among) > 1:
        links += (
            queries.links_among(include_confidential=include_confidential)
            .read(store, ids=among)
            .rows
        )
    edges = [relationship_dict(s, typ, t, rp, nodes[s], nodes[t]) for s, typ, t, rp in links]
    edges.sort(key=lambda e: (e["source"], e["type"], e["target"]))
    out_nodes = [
        {**node_dict(nodes[i]), "hops": hops[i]}
        for i in sorted(hops, key=lambda i: (hops[i], i))
        if i in nodes
    ]
    return {
        "center": node_id,
        "depth": depth,
        "truncated": found.truncated,
        "max_nodes": max_nodes,
        "nodes": out_nodes,
        "edges": edges,
    }
