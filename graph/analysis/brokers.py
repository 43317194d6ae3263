"""Brokers: the actors that lie on the most shortest paths between others.

An actor's *betweenness* is the share of shortest paths between two other
actors that pass through it (hop counts on the actor graph, normalised to
[0, 1]). A high value marks a broker: the cities, CSOs and national bodies
through which most of the network's connections run.

Betweenness is exact up to `EXACT_BETWEENNESS_MAX_NODES` actors. Above, it
is estimated from `k` seeded random source actors (Brandes with pivots,
scaled by n/k), with ``k = betweenness_sample_size(n, m)`` between
`BETWEENNESS_MIN_SAMPLE` and `BETWEENNESS_MAX_SAMPLE`, so that k·m stays near
`BETWEENNESS_EDGE_BUDGET` edge visits. The method used (exact or sampled,
k, engine, seed) is reported beside the ranking.

Example: in a path of five cities the middle one is the broker.

>>> from graph.analysis.engine import engine_for
>>> from graph.analysis.undirected import actor_net
>>> from graph.projection import build_graph
>>> ids = ["a", "b", "c", "d", "e"]
>>> G = build_graph(
...     [{"id": i, "kind": "city", "name": i.upper(), "country": "DE"} for i in ids],
...     [{"source": u, "target": v, "type": "PARTNERS_WITH"} for u, v in zip(ids, ids[1:])],
... )
>>> net = actor_net(G)
>>> ranking, method = rank_brokers(G, net, engine_for(net), top=2)
>>> [(b["id"], b["betweenness"]) for b in ranking]
[('c', 0.666667), ('b', 0.5)]
>>> method
{'exact': True, 'sample_size': None, 'engine': 'networkx', 'seed': None}
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from graph.analysis import engine
from graph.analysis.undirected import PRECISION, ActorNet, actor_ref

__all__ = [
    "BETWEENNESS_EDGE_BUDGET",
    "BETWEENNESS_MAX_SAMPLE",
    "BETWEENNESS_MIN_SAMPLE",
    "EXACT_BETWEENNESS_MAX_NODES",
    "betweenness_sample_size",
    "rank_brokers",
]

#: Exact betweenness up to this many actors; sampled above.
EXACT_BETWEENNESS_MAX_NODES = 2000
#: Sampled betweenness: k·m is kept near this many edge visits ...
BETWEENNESS_EDGE_BUDGET = 20_000_000
#: ... with at least this many sources ...
BETWEENNESS_MIN_SAMPLE = 50
#: ... and at most this many.
BETWEENNESS_MAX_SAMPLE = 1000


def betweenness_sample_size(n: int, m: int) -> int:
    """Number of source actors sampled for approximate betweenness on n actors, m links."""
    k = BETWEENNESS_EDGE_BUDGET // max(m, 1)
    return min(n, max(BETWEENNESS_MIN_SAMPLE, min(BETWEENNESS_MAX_SAMPLE, k)))


def rank_brokers(
    G: nx.MultiDiGraph, net: ActorNet, eng: engine.Engine, top: int
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The `top` actors with betweenness above 0, highest first (ties by id), and the method."""
    n, m = net.n, net.m
    exact = n <= EXACT_BETWEENNESS_MAX_NODES
    k = None if exact else betweenness_sample_size(n, m)
    if k is not None and k >= n:
        exact, k = True, None
    bc = eng.betweenness(k) if n else []
    order = sorted((i for i in range(n) if bc[i] > 0), key=lambda i: (-bc[i], net.ids[i]))
    brokers = [
        {**actor_ref(G, net.ids[i]), "betweenness": round(bc[i], PRECISION)} for i in order[:top]
    ]
    seed = None if exact else engine.SEED
    method = {"exact": exact, "sample_size": k, "engine": eng.name, "seed": seed}
    return brokers, method
