"""Structure metrics of the actor network: one report from the structure modules.

`metrics` puts together, for the whole network or one country:

* `graph`: size, components, density, cities;
* `brokers` and `betweenness_method` (`graph.analysis.brokers`);
* `single_points_of_failure` (`graph.analysis.cut_points`, on the block–cut
  tree of `graph.analysis.block_cut`);
* `communities` (`graph.analysis.communities`);
* `coverage`, per country (`graph.analysis.coverage`);
* `parameters`: the thresholds in force.

Everything but coverage is computed on the **actor graph**
(`graph.analysis.undirected`): an undirected simple graph of all actors,
where two actors are linked when an active relationship other than
MEMBER_OF / LOCATED_IN joins them (either direction) or when both RUN or
PARTICIPATE_IN the same active initiative of at most
`MAX_SHARED_INITIATIVE_ACTORS` actors (proposed, planned and ended links are
not current: docs/gaps.md, "Status"). A link's weight is the number of
relationship types joining the pair. The heavy algorithms run in networkx or
igraph, by size (`graph.analysis.engine`); the engine used is reported in
every section.

Example: a path of three cities, b in the middle.

>>> from graph.projection import build_graph
>>> G = build_graph(
...     [{"id": i, "kind": "city", "name": i.upper(), "country": "DE"} for i in "abc"],
...     [{"source": "a", "target": "b", "type": "PARTNERS_WITH"},
...      {"source": "b", "target": "c", "type": "PARTNERS_WITH"}],
... )
>>> m = metrics(G)
>>> m["graph"]["components"], m["brokers"][0]["id"], m["communities"]["algorithm"]
(1, 'b', 'louvain')
>>> [p["id"] for p in m["single_points_of_failure"]["articulation_points"]]
['b']
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from graph.analysis import brokers, engine
from graph.analysis.communities import describe_communities
from graph.analysis.coverage import coverage
from graph.analysis.cut_points import single_points_of_failure
from graph.analysis.undirected import (
    MAX_SHARED_INITIATIVE_ACTORS,
    PRECISION,
    ActorNet,
    actor_graph,
    actor_net,
)
from graph.predicates import norm_country

__all__ = [
    "MAX_SHARED_INITIATIVE_ACTORS",
    "actor_graph",
    "country_subgraph",
    "coverage",
    "metrics",
]


def country_subgraph(G: nx.MultiDiGraph, country: str) -> nx.MultiDiGraph:
    """The nodes of `country` plus the country-less nodes linked to them.

    This matches what `graph.projection.project(store, countries=[country])`
    reads, so metrics on a projected country and on `country=` agree.
    """
    code = norm_country(country)
    own = {n for n, d in G.nodes(data=True) if norm_country(d.get("country")) == code}
    keep = set(own)
    for n in own:
        for adj in (G.succ[n], G.pred[n]):
            keep.update(v for v in adj if not G.nodes[v].get("country"))
    # A copy in G's own order, not a subgraph view: a view of a large graph walks the
    # kept set, in hash order, so actor numbering and ties would change between runs.
    H = nx.MultiDiGraph(**G.graph)
    H.add_nodes_from((n, d) for n, d in G.nodes(data=True) if n in keep)
    H.add_edges_from(
        (u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True) if u in keep and v in keep
    )
    return H


def _graph_section(H: nx.MultiDiGraph, net: ActorNet, eng: engine.Engine) -> dict[str, Any]:
    sizes = eng.components() if net.n else []
    n, m = net.n, net.m
    return {
        "nodes": n,
        "edges": m,
        "components": len(sizes),
        "largest_component": max(sizes, default=0),
        "isolated": sum(1 for s in sizes if s == 1),
        "density": round(2 * m / (n * (n - 1)), PRECISION) if n > 1 else 0.0,
        "cities": sum(1 for a in net.ids if H.nodes[a].get("kind") == "city"),
        "engine": eng.name,
    }


def metrics(G: nx.MultiDiGraph, *, country: str | None = None, top: int = 10) -> dict[str, Any]:
    """Structure metrics of the actor network of `G` (or of one country's subgraph).

    Returns JSON-ready data with sections `graph`, `brokers` (+
    `betweenness_method`), `single_points_of_failure`, `communities`,
    `coverage` and `parameters` (the thresholds in force). See the module
    docstring for where each is defined.
    """
    H = country_subgraph(G, country) if country else G
    net = actor_net(H)
    eng = engine.engine_for(net)
    graph_section = _graph_section(H, net, eng)
    ranking, method = brokers.rank_brokers(H, net, eng, top)
    return {
        "country": norm_country(country),
        "graph": graph_section,
        "brokers": ranking,
        "betweenness_method": method,
        "single_points_of_failure": single_points_of_failure(H, net, eng, top),
        "communities": describe_communities(H, net, eng),
        "coverage": coverage(G, country),
        "parameters": {
            "exact_betweenness_max_nodes": brokers.EXACT_BETWEENNESS_MAX_NODES,
            "igraph_min_nodes": engine.IGRAPH_MIN_NODES,
            "max_shared_initiative_actors": MAX_SHARED_INITIATIVE_ACTORS,
            "seed": engine.SEED,
            "top": top,
        },
    }
