"""Undirected actor-to-actor views of the projection.

The structure metrics and the recommendations both look at "who works with
whom" without direction. Two actors are *partners* when an **active**
relationship joins them in either direction, whatever its type, except
``LOCATED_IN`` (a place, not a partnership) and ``MEMBER_OF`` (a network
membership: an SCN-wide membership would join everyone to one hub).
Symmetric types (PARTNERS_WITH, COORDINATES_WITH, SHARES_INFORMATION_WITH,
TWINNED_WITH) are stored once and read both ways like every other type here.

`actor_graph` adds one more kind of link, a *shared initiative*: two actors
that both RUN or PARTICIPATE_IN the same active initiative work together even
without a formal relationship (the gap catalogue counts it as horizontal
cooperation). Initiatives with more than `MAX_SHARED_INITIATIVE_ACTORS`
actors are left out: a network-wide event or programme behaves like a
membership, and its clique (n·(n−1)/2 links) would swamp brokers and
communities. Recommendations use the partnership graph only (no shared
initiatives), because "existing partner" is defined by direct relationships.

Status (docs/gaps.md, "Status"): only *current* links count. A `proposed`,
`planned` or `ended` relationship links no one, and neither does taking part
in an initiative that is not `active`: an ended event or program is history,
and a pending one is not a channel yet.

Everything here reads the `networkx.MultiDiGraph` of `graph.projection`
directly (no `active_view`, whose per-edge filter is slow on large graphs),
through the graph's raw dicts (`_node`, `_succ`, `_pred`): the public views
wrap every access and cost about twice as much on a million edges. Subgraph
views (`G.subgraph(...)`) provide the same attributes, filtered.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graph import schema

#: Relationship types that never make two actors partners.
EXCLUDED_TYPES = schema.NON_PARTNERSHIP_TYPES
#: Pseudo-type of an actor graph link created by a shared initiative.
SHARED_INITIATIVE = "SHARED_INITIATIVE"
#: Initiatives with more actors than this create no shared-initiative links.
MAX_SHARED_INITIATIVE_ACTORS = 30
#: Relationship types by which an actor takes part in an initiative.
TAKES_PART = schema.PARTICIPATION_TYPES

#: Decimal places of every ratio and centrality in the structure output.
PRECISION = 6

_ACTIVE = schema.Status.ACTIVE.value
#: One bit per link type, so a pair's set of types is a small int.
TYPE_BITS: dict[str, int] = {
    t: 1 << i for i, t in enumerate([*sorted(schema.REL_TYPES), SHARED_INITIATIVE])
}


def actor_ref(G: nx.MultiDiGraph, n: Any) -> dict[str, Any]:
    """How the structure output names an actor: id, name, kind and country."""
    d = G.nodes[n]
    return {"id": n, "name": d.get("name", n), "kind": d.get("kind"), "country": d.get("country")}


def is_actor(G: nx.MultiDiGraph, n: Any) -> bool:
    return G._node[n].get("family") == schema.ACTOR


def is_active_initiative(G: nx.MultiDiGraph, n: Any) -> bool:
    d = G._node[n]
    return d.get("family") == schema.INITIATIVE and d.get("status") == _ACTIVE


def edge_type(key: Any, data: dict[str, Any]) -> str:
    return data.get("type") or key


def iter_partnerships(G: nx.MultiDiGraph) -> Iterator[tuple[Any, Any, str]]:
    """Every active actor–actor relationship that makes partners: (u, v, type)."""
    nodes = G._node  # raw dicts: much faster than the public views on large graphs
    for u, nbrs in G._succ.items():
        if nodes[u].get("family") != schema.ACTOR:
            continue
        for v, keydict in nbrs.items():
            if v == u or nodes[v].get("family") != schema.ACTOR:
                continue
            for k, d in keydict.items():
                t = edge_type(k, d)
                if d.get("status") == _ACTIVE and t not in EXCLUDED_TYPES:
                    yield u, v, t


def partners(G: nx.MultiDiGraph, n: Any) -> set[Any]:
    """The actors joined to `n` by an active partnership relationship, either direction."""
    nodes = G._node
    found: set[Any] = set()
    for adj in (G._succ[n], G._pred[n]):
        for v, keydict in adj.items():
            if v == n or v in found or nodes[v].get("family") != schema.ACTOR:
                continue
            for k, d in keydict.items():
                if d.get("status") == _ACTIVE and edge_type(k, d) not in EXCLUDED_TYPES:
                    found.add(v)
                    break
    return found


def initiatives_of(G: nx.MultiDiGraph, n: Any) -> set[Any]:
    """Active initiatives that actor `n` RUNS or PARTICIPATES_IN (active relationship)."""
    out = set()
    for i, keydict in G._succ[n].items():
        if not is_active_initiative(G, i):
            continue
        for k, d in keydict.items():
            if d.get("status") == _ACTIVE and edge_type(k, d) in TAKES_PART:
                out.add(i)
                break
    return out


def initiative_actors(G: nx.MultiDiGraph, i: Any) -> list[Any]:
    """Actors that RUN or PARTICIPATE_IN initiative `i` through an active relationship."""
    out = []
    nodes = G._node
    for a, keydict in G._pred[i].items():
        if nodes[a].get("family") != schema.ACTOR:
            continue
        for k, d in keydict.items():
            if d.get("status") == _ACTIVE and edge_type(k, d) in TAKES_PART:
                out.append(a)
                break
    return out


def iter_shared_initiatives(
    G: nx.MultiDiGraph, max_actors: int = MAX_SHARED_INITIATIVE_ACTORS
) -> Iterator[tuple[Any, list[Any]]]:
    """(initiative, actors) for each active initiative with 2..max_actors actors."""
    for i, d in G._node.items():
        if d.get("family") != schema.INITIATIVE or d.get("status") != _ACTIVE:
            continue
        actors = initiative_actors(G, i)
        if 2 <= len(actors) <= max_actors:
            yield i, actors


@dataclass
class ActorNet:
    """A compact undirected actor graph: integer vertices and one bit mask per pair.

    `ids[i]` is the node id of vertex i; `pairs[(i, j)]` (i < j) is the
    OR of `TYPE_BITS` of the link types joining them. The weight of a link
    is the number of types (a pair that partners and coordinates weighs 2).
    """

    ids: list[Any] = field(default_factory=list)
    index: dict[Any, int] = field(default_factory=dict)
    pairs: dict[tuple[int, int], int] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def m(self) -> int:
        return len(self.pairs)

    def add_link(self, u: Any, v: Any, typ: str) -> None:
        i, j = self.index[u], self.index[v]
        if i == j:
            return
        key = (i, j) if i < j else (j, i)
        self.pairs[key] = self.pairs.get(key, 0) | TYPE_BITS[typ]

    def edge_list(self) -> list[tuple[int, int]]:
        return list(self.pairs)

    def weights(self) -> list[int]:
        return [mask.bit_count() for mask in self.pairs.values()]

    def to_networkx(self) -> nx.Graph:
        """Integer-labelled nx.Graph with `weight` on each edge."""
        H = nx.Graph()
        H.add_nodes_from(range(self.n))
        H.add_edges_from(
            (i, j, {"weight": mask.bit_count()}) for (i, j), mask in self.pairs.items()
        )
        return H

    def to_igraph(self) -> Any:
        """igraph.Graph with the same integer vertices and a `weight` edge attribute."""
        import igraph as ig

        g = ig.Graph(n=self.n, edges=self.edge_list(), directed=False)
        g.es["weight"] = self.weights()
        return g


def types_of(mask: int) -> tuple[str, ...]:
    """The link type names in a bit mask, sorted."""
    return tuple(t for t, bit in TYPE_BITS.items() if mask & bit)


def actor_net(G: nx.MultiDiGraph, *, shared_initiatives: bool = True) -> ActorNet:
    """Build the compact actor graph of `G` (see the module docstring for what links)."""
    net = ActorNet()
    for n, d in G._node.items():
        if d.get("family") == schema.ACTOR:
            net.index[n] = len(net.ids)
            net.ids.append(n)
    for u, v, t in iter_partnerships(G):
        net.add_link(u, v, t)
    if shared_initiatives:
        for _i, actors in iter_shared_initiatives(G):
            for a_pos, a in enumerate(actors):
                for b in actors[a_pos + 1 :]:
                    net.add_link(a, b, SHARED_INITIATIVE)
    return net


def actor_graph(G: nx.MultiDiGraph, *, shared_initiatives: bool = True) -> nx.Graph:
    """Undirected simple graph of all actors of `G`, keyed by id.

    Nodes carry `name`, `kind`, `country`. Edges join actors with an active
    relationship other than MEMBER_OF and LOCATED_IN (either direction) and,
    when `shared_initiatives`, actors that both RUN or PARTICIPATE_IN the
    same active initiative of at most `MAX_SHARED_INITIATIVE_ACTORS` actors.
    Edge attributes: `types` (sorted tuple of relationship types, plus
    "SHARED_INITIATIVE") and `weight` (how many types).
    """
    net = actor_net(G, shared_initiatives=shared_initiatives)
    H = nx.Graph()
    for n in net.ids:
        d = G.nodes[n]
        H.add_node(n, name=d.get("name", n), kind=d.get("kind"), country=d.get("country"))
    ids = net.ids
    for (i, j), mask in net.pairs.items():
        H.add_edge(ids[i], ids[j], types=types_of(mask), weight=mask.bit_count())
    return H
