"""Single points of failure: actors and links whose loss cuts cities off.

An *articulation point* is an actor whose removal splits its component; a
*bridge* is a link whose removal does. Each is reported with the number of
cities it cuts off from the rest of its component (see
`graph.analysis.block_cut` for what "the rest" is) and a few of those cities
by name. Cuts that cut off no city are left out: a CSO hanging off one city
is not a single point of failure of the city network. One pass of
biconnected components (in the engine) and the block–cut tree find all of
them in linear time.

Example: in a path of five cities, b, c and d are articulation points and
every link is a bridge; c cuts off two cities (either side is as large).

>>> from graph.analysis.engine import engine_for
>>> from graph.analysis.undirected import actor_net
>>> from graph.projection import build_graph
>>> ids = ["a", "b", "c", "d", "e"]
>>> G = build_graph(
...     [{"id": i, "kind": "city", "name": i.upper(), "country": "DE"} for i in ids],
...     [{"source": u, "target": v, "type": "PARTNERS_WITH"} for u, v in zip(ids, ids[1:])],
... )
>>> net = actor_net(G)
>>> spof = single_points_of_failure(G, net, engine_for(net), top=10)
>>> [(p["id"], p["cities_cut_off"]) for p in spof["articulation_points"]]
[('c', 2), ('b', 1), ('d', 1)]
>>> [(b["source"], b["target"], b["cities_cut_off"]) for b in spof["bridges"]][:2]
[('b', 'c', 2), ('c', 'd', 2)]
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from graph.analysis.block_cut import BlockCutTree
from graph.analysis.engine import Engine
from graph.analysis.undirected import ActorNet, actor_ref, types_of

__all__ = ["EXAMPLE_CITIES", "single_points_of_failure"]

#: How many cut-off cities are named per single point of failure.
EXAMPLE_CITIES = 5


def single_points_of_failure(
    G: nx.MultiDiGraph, net: ActorNet, eng: Engine, top: int
) -> dict[str, Any]:
    """The `top` articulation points and bridges by cities cut off (ties by id), and totals."""
    ids = net.ids
    is_city = [G.nodes[a].get("kind") == "city" for a in ids]
    tree = BlockCutTree(net.n, eng.blocks(), is_city)

    def examples(pieces: list[tuple[int, int]]) -> list[dict[str, Any]]:
        return [
            {"id": ids[c], "name": G.nodes[ids[c]].get("name", ids[c])}
            for c in tree.example_cities(pieces, EXAMPLE_CITIES)
        ]

    aps = sorted(
        (cut for cut in tree.articulation_cuts() if cut[1] > 0),
        key=lambda c: (-c[1], ids[c[0]]),
    )
    bridges = sorted(
        (cut for cut in tree.bridge_cuts() if cut[2] > 0),
        key=lambda c: (-c[2], *sorted((ids[c[0]], ids[c[1]]))),
    )
    ap_out = [
        {**actor_ref(G, ids[v]), "cities_cut_off": cut, "example_cities": examples(pieces)}
        for v, cut, pieces in aps[:top]
    ]
    br_out = []
    for u, v, cut, pieces in bridges[:top]:
        s, t = sorted((ids[u], ids[v]))
        key = (u, v) if u < v else (v, u)
        br_out.append(
            {
                "source": s,
                "target": t,
                "types": list(types_of(net.pairs[key])),
                "cities_cut_off": cut,
                "example_cities": examples(pieces),
            }
        )
    return {
        "articulation_points": ap_out,
        "articulation_points_total": len(aps),
        "bridges": br_out,
        "bridges_total": len(bridges),
        "engine": eng.name,
    }
