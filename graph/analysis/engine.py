"""The heavy graph algorithms of the structure metrics, in networkx or igraph.

Every structure section (brokers, single points of failure, communities) asks
an engine for the same four things on an `ActorNet`: component sizes,
betweenness, biconnected components and communities. `engine_for` picks the
engine by size:

* up to `IGRAPH_MIN_NODES` actors, networkx computes everything (no
  conversion, and small graphs are fast in either);
* above it, igraph: on the analysis benchmark (docs/benchmarks.md, "Analysis")
  its betweenness was 27× to 137× faster than networkx's on the same actor
  graph, and a whole `metrics()` just above the threshold took 0.14 s against
  3.84 s. The conversion from the compact `ActorNet` takes well under a second.

Both engines answer alike: betweenness uses hop counts (weights are
strengths, not distances) and is normalised to [0, 1] as networkx does;
sampled betweenness draws its `k` source actors with `random.Random(SEED)`.
Communities are networkx Louvain (seed `SEED`) or igraph Leiden with the
modularity objective: igraph's own Louvain (`community_multilevel`) took
139 s on a 100k-node / 1M-edge random graph where Leiden, a refinement of
Louvain, took 4 s for a higher modularity. igraph's random generator is
seeded for the call and restored (`graph.analysis.seeded`).

Example
-------
>>> from graph.analysis.undirected import ActorNet
>>> net = ActorNet(ids=["a", "b", "c"], index={"a": 0, "b": 1, "c": 2})
>>> net.add_link("a", "b", "PARTNERS_WITH"); net.add_link("b", "c", "PARTNERS_WITH")
>>> eng = engine_for(net)
>>> eng.name, sorted(eng.components()), eng.betweenness(None)
('networkx', [3], [0.0, 1.0, 0.0])
"""

from __future__ import annotations

import random
from typing import Protocol

import networkx as nx

from graph.analysis.seeded import seeded_igraph
from graph.analysis.undirected import ActorNet

__all__ = ["IGRAPH_MIN_NODES", "SEED", "Engine", "IgraphEngine", "NetworkxEngine", "engine_for"]

#: Above this many actors, betweenness, communities and biconnected components run in igraph.
IGRAPH_MIN_NODES = 300
#: Seed of every random choice (betweenness sources, Louvain / Leiden).
SEED = 42


class Engine(Protocol):
    """What the structure sections need from a graph library, on vertices 0..n-1."""

    name: str
    net: ActorNet

    def components(self) -> list[int]:
        """Sizes of the connected components."""
        ...

    def betweenness(self, k: int | None) -> list[float]:
        """Normalised betweenness per vertex: exact (k None) or from k seeded sources."""
        ...

    def blocks(self) -> list[list[int]]:
        """The biconnected components, as vertex lists."""
        ...

    def communities(self) -> tuple[list[list[int]], float | None]:
        """The communities and their weighted modularity (None without links)."""
        ...


class NetworkxEngine:
    """The algorithms in networkx, on an integer-labelled copy of the net."""

    name = "networkx"

    def __init__(self, net: ActorNet):
        self.net = net
        self.H = net.to_networkx()

    def components(self) -> list[int]:
        return [len(c) for c in nx.connected_components(self.H)]

    def betweenness(self, k: int | None) -> list[float]:
        if k is None:
            bc = nx.betweenness_centrality(self.H, normalized=True)
        else:
            bc = nx.betweenness_centrality(self.H, k=k, normalized=True, seed=SEED)
        return [bc[i] for i in range(self.net.n)]

    def blocks(self) -> list[list[int]]:
        return [list(b) for b in nx.biconnected_components(self.H)]

    def communities(self) -> tuple[list[list[int]], float | None]:
        if self.net.m == 0:
            return [[i] for i in range(self.net.n)], None
        comms = nx.community.louvain_communities(self.H, weight="weight", seed=SEED)
        q = nx.community.modularity(self.H, comms, weight="weight")
        return [list(c) for c in comms], q


class IgraphEngine:
    """The algorithms in igraph, for large nets."""

    name = "igraph"

    def __init__(self, net: ActorNet):
        self.net = net
        self.g = net.to_igraph()

    def components(self) -> list[int]:
        return list(self.g.connected_components().sizes())

    def betweenness(self, k: int | None) -> list[float]:
        n = self.net.n
        if n < 3:
            return [0.0] * n
        scale = 2.0 / ((n - 1) * (n - 2))  # undirected, normalised like networkx
        if k is None:
            raw = self.g.betweenness(directed=False)
        else:
            sources = random.Random(SEED).sample(range(n), k)
            raw = self.g.betweenness(directed=False, sources=sources)
            scale *= n / k
        return [b * scale for b in raw]

    def blocks(self) -> list[list[int]]:
        return [list(b) for b in self.g.biconnected_components()]

    def communities(self) -> tuple[list[list[int]], float | None]:
        if self.net.m == 0:
            return [[i] for i in range(self.net.n)], None
        with seeded_igraph(SEED):
            cl = self.g.community_leiden(
                objective_function="modularity", weights="weight", n_iterations=2
            )
        q = self.g.modularity(cl.membership, weights="weight")
        return [list(c) for c in cl], q


def engine_for(net: ActorNet) -> Engine:
    """igraph above `IGRAPH_MIN_NODES` actors, networkx up to it."""
    return IgraphEngine(net) if net.n > IGRAPH_MIN_NODES else NetworkxEngine(net)
