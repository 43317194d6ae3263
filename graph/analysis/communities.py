"""Communities: groups of actors that work more with each other than with the rest.

Communities maximise weighted modularity on the actor graph (a link weighs
the number of relationship types joining the pair): networkx Louvain up to
`graph.analysis.engine.IGRAPH_MIN_NODES` actors, igraph Leiden above, both
seeded with `SEED`. The output lists the `COMMUNITIES_SHOWN` largest
communities of two or more actors (size, cities, kinds, top countries, the
first `COMMUNITY_MEMBERS_CAP` members by strength) and the *crossing links*
between communities: how many, what share of all links, and the
`CROSSING_PAIRS_SHOWN` community pairs with the most of them. Few crossing
links mean separate worlds that a broker could join.

Example: two triangles of cities joined by one link are two communities.

>>> from graph.analysis.engine import engine_for
>>> from graph.analysis.undirected import actor_net
>>> from graph.projection import build_graph
>>> links = [("a", "b"), ("b", "c"), ("a", "c"), ("c", "d"), ("d", "e"), ("e", "f"), ("d", "f")]
>>> G = build_graph(
...     [{"id": i, "kind": "city", "name": i, "country": "DE"} for i in "abcdef"],
...     [{"source": u, "target": v, "type": "PARTNERS_WITH"} for u, v in links],
... )
>>> net = actor_net(G)
>>> com = describe_communities(G, net, engine_for(net))
>>> com["count"], [c["members"] for c in com["largest"]], com["crossing_links"]
(2, [['c', 'a', 'b'], ['d', 'e', 'f']], 1)
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import networkx as nx

from graph.analysis.engine import SEED, Engine
from graph.analysis.undirected import PRECISION, ActorNet

__all__ = [
    "COMMUNITIES_SHOWN",
    "COMMUNITY_MEMBERS_CAP",
    "CROSSING_PAIRS_SHOWN",
    "describe_communities",
]

#: How many communities are described in detail, with how many member ids each.
COMMUNITIES_SHOWN = 5
COMMUNITY_MEMBERS_CAP = 25
#: How many community pairs are listed under crossing links.
CROSSING_PAIRS_SHOWN = 5


def _ordered_groups(net: ActorNet, groups: list[list[int]]) -> list[list[int]]:
    """Members by strength (then id), communities by size (then first member's id)."""
    ids = net.ids
    strength = [0] * net.n
    for (i, j), mask in net.pairs.items():
        w = mask.bit_count()
        strength[i] += w
        strength[j] += w
    for g in groups:
        g.sort(key=lambda i: (-strength[i], ids[i]))
    groups.sort(key=lambda g: (-len(g), ids[g[0]] if g else ""))
    return groups


def _crossing(net: ActorNet, groups: list[list[int]]) -> Counter[tuple[int, int]]:
    """Links between two communities, per (smaller, larger) community index."""
    member_of = [0] * net.n
    for ci, g in enumerate(groups):
        for i in g:
            member_of[i] = ci
    crossing: Counter[tuple[int, int]] = Counter()
    for i, j in net.pairs:
        a, b = member_of[i], member_of[j]
        if a != b:
            crossing[(a, b) if a < b else (b, a)] += 1
    return crossing


def _describe(G: nx.MultiDiGraph, ids: list[Any], ci: int, g: list[int]) -> dict[str, Any]:
    kinds = Counter(G.nodes[ids[i]].get("kind") for i in g)
    countries = Counter(G.nodes[ids[i]].get("country") for i in g)
    countries.pop(None, None)
    return {
        "index": ci,
        "size": len(g),
        "cities": kinds.get("city", 0),
        "kinds": dict(sorted(kinds.items(), key=lambda kv: (-kv[1], str(kv[0])))),
        "top_countries": [
            {"country": c, "actors": k}
            for c, k in sorted(countries.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
        ],
        "members": [ids[i] for i in g[:COMMUNITY_MEMBERS_CAP]],
        "members_truncated": len(g) > COMMUNITY_MEMBERS_CAP,
    }


def describe_communities(G: nx.MultiDiGraph, net: ActorNet, eng: Engine) -> dict[str, Any]:
    """The communities of the actor net: count, modularity, the largest, crossing links."""
    found, q = eng.communities()
    groups = _ordered_groups(net, found)
    crossing = _crossing(net, groups)
    total_crossing = sum(crossing.values())
    largest = []
    for ci, g in enumerate(groups[:COMMUNITIES_SHOWN]):
        if len(g) < 2:
            break
        largest.append(_describe(G, net.ids, ci, g))
    pairs = sorted(crossing.items(), key=lambda kv: (-kv[1], kv[0]))[:CROSSING_PAIRS_SHOWN]
    return {
        "algorithm": "louvain" if eng.name == "networkx" else "leiden",
        "engine": eng.name,
        "seed": SEED,
        "count": len(groups),
        "singletons": sum(1 for g in groups if len(g) == 1),
        "modularity": None if q is None else round(q, PRECISION),
        "largest": largest,
        "crossing_links": total_crossing,
        "crossing_share": round(total_crossing / net.m, PRECISION) if net.m else 0.0,
        "crossing_pairs": [
            {"communities": [a, b], "sizes": [len(groups[a]), len(groups[b])], "links": k}
            for (a, b), k in pairs
        ],
    }
