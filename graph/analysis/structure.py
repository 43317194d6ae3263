"""Structure metrics of the actor network: brokers, single points of failure,
communities and per-country vertical / horizontal coverage.

Everything is computed on the **actor graph** (`actor_graph`): an undirected
simple graph of all actors, where two actors are linked when an active
relationship other than MEMBER_OF / LOCATED_IN joins them (either direction)
or when both RUN or PARTICIPATE_IN the same active initiative of at most
`MAX_SHARED_INITIATIVE_ACTORS` actors (see `graph.analysis.undirected`).
A link's weight is the number of relationship types joining the pair.

Engines and thresholds (all reported in the output):

* up to `IGRAPH_MIN_NODES` actors, networkx computes everything; above it,
  the heavy parts (betweenness, communities, biconnected components) run in
  igraph, which was 45× faster for sampled betweenness and used a quarter of
  the memory per edge (DESIGN, "networkx compared with igraph"). Converting
  takes well under a second.
* betweenness is exact up to `EXACT_BETWEENNESS_MAX_NODES` actors. Above,
  it is estimated from `k` seeded random source actors (Brandes with
  pivots, scaled by n/k), with ``k = betweenness_sample_size(n, m)`` between
  `BETWEENNESS_MIN_SAMPLE` and `BETWEENNESS_MAX_SAMPLE`, so that
  k·m stays near `BETWEENNESS_EDGE_BUDGET`. Betweenness uses hop counts
  (weights are strengths, not distances) and is normalised to [0, 1].
* communities: networkx Louvain (`louvain_communities`, seed `SEED`) in the
  networkx range; igraph Leiden with the modularity objective above it.
  igraph's Louvain (`community_multilevel`) took 139 s on a 100k-node /
  1M-edge random graph where Leiden took 4 s for a higher modularity, so
  the igraph range uses Leiden (a refinement of Louvain, DESIGN allows
  either). igraph's random generator is seeded for the call and restored
  (`graph.analysis.seeded`).

Single points of failure come from one pass of biconnected components and
the block–cut tree: removing an articulation point splits its component into
the pieces hanging off it in the tree; the piece with the most cities is
"the rest", and the cities in the other pieces are *cut off*. A bridge is a
two-actor block; the side with fewer cities is cut off. Linear time: no node
is removed and nothing recomputed.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Sequence
from typing import Any

import networkx as nx

from graph import schema
from graph.analysis.seeded import seeded_igraph
from graph.analysis.undirected import (
    EXCLUDED_TYPES,
    MAX_SHARED_INITIATIVE_ACTORS,
    TAKES_PART,
    ActorNet,
    actor_graph,
    actor_net,
    edge_type,
    types_of,
)

__all__ = [
    "BETWEENNESS_EDGE_BUDGET",
    "BETWEENNESS_MAX_SAMPLE",
    "BETWEENNESS_MIN_SAMPLE",
    "EXACT_BETWEENNESS_MAX_NODES",
    "IGRAPH_MIN_NODES",
    "MAX_SHARED_INITIATIVE_ACTORS",
    "SEED",
    "actor_graph",
    "betweenness_sample_size",
    "country_subgraph",
    "coverage",
    "metrics",
]

#: Exact betweenness up to this many actors; sampled above.
EXACT_BETWEENNESS_MAX_NODES = 2000
#: Above this many actors, betweenness, communities and biconnected components run in igraph.
IGRAPH_MIN_NODES = 300
#: Sampled betweenness: k·m is kept near this many edge visits ...
BETWEENNESS_EDGE_BUDGET = 20_000_000
#: ... with at least this many sources ...
BETWEENNESS_MIN_SAMPLE = 50
#: ... and at most this many.
BETWEENNESS_MAX_SAMPLE = 1000
#: Seed of every random choice (betweenness sources, Louvain / Leiden).
SEED = 42
#: How many communities are described in detail, with how many member ids each.
COMMUNITIES_SHOWN = 5
COMMUNITY_MEMBERS_CAP = 25
#: How many community pairs are listed under crossing links.
CROSSING_PAIRS_SHOWN = 5
#: How many cut-off cities are named per single point of failure.
EXAMPLE_CITIES = 5

_ACTIVE = schema.Status.ACTIVE.value
_PRECISION = 6


def betweenness_sample_size(n: int, m: int) -> int:
    """Number of source actors sampled for approximate betweenness on n actors, m links."""
    k = BETWEENNESS_EDGE_BUDGET // max(m, 1)
    return min(n, max(BETWEENNESS_MIN_SAMPLE, min(BETWEENNESS_MAX_SAMPLE, k)))


# --------------------------------------------------------------------------- country subset


def _norm_country(c: Any) -> str | None:
    return str(c).upper() if c else None


def country_subgraph(G: nx.MultiDiGraph, country: str) -> nx.MultiDiGraph:
    """The nodes of `country` plus the country-less nodes linked to them.

    This matches what `graph.projection.project(store, countries=[country])`
    reads, so metrics on a projected country and on `country=` agree.
    """
    code = _norm_country(country)
    own = {n for n, d in G.nodes(data=True) if _norm_country(d.get("country")) == code}
    extra = set()
    for n in own:
        for adj in (G.succ[n], G.pred[n]):
            for v in adj:
                if v not in own and not G.nodes[v].get("country"):
                    extra.add(v)
    return G.subgraph(own | extra)


# --------------------------------------------------------------------------- engines


class _Engine:
    """The heavy algorithms on an `ActorNet`, in networkx or igraph."""

    name = "networkx"

    def __init__(self, net: ActorNet):
        self.net = net
        self.H = net.to_networkx()

    def components(self) -> list[int]:
        return [len(c) for c in nx.connected_components(self.H)]

    def betweenness(self, k: int | None) -> list[float]:
        n = self.net.n
        if k is None:
            bc = nx.betweenness_centrality(self.H, normalized=True)
        else:
            bc = nx.betweenness_centrality(self.H, k=k, normalized=True, seed=SEED)
        return [bc[i] for i in range(n)]

    def blocks(self) -> list[list[int]]:
        return [list(b) for b in nx.biconnected_components(self.H)]

    def communities(self) -> tuple[list[list[int]], float | None]:
        if self.net.m == 0:
            return [[i] for i in range(self.net.n)], None
        comms = nx.community.louvain_communities(self.H, weight="weight", seed=SEED)
        q = nx.community.modularity(self.H, comms, weight="weight")
        return [list(c) for c in comms], q


class _IgraphEngine(_Engine):
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


def _engine_for(net: ActorNet) -> _Engine:
    return _IgraphEngine(net) if net.n > IGRAPH_MIN_NODES else _Engine(net)


# --------------------------------------------------------------------------- block-cut tree


class _BlockCutTree:
    """Block–cut tree of an undirected graph given its biconnected components.

    Tree vertices 0..B-1 are blocks, B.. are articulation points. Each graph
    vertex is counted once: an articulation point at its own tree vertex, any
    other vertex in its only block. Subtree sums of cities and of vertices
    give, for every cut, the size of each piece in O(1).
    """

    def __init__(self, n: int, blocks: list[list[int]], is_city: Sequence[bool]):
        self.blocks = blocks
        self.is_city = is_city
        membership = [0] * n
        for b in blocks:
            for v in b:
                membership[v] += 1
        self.aps = [v for v in range(n) if membership[v] >= 2]
        nb = len(blocks)
        self.ap_node = {v: nb + i for i, v in enumerate(self.aps)}
        size = nb + len(self.aps)
        self.adj: list[list[int]] = [[] for _ in range(size)]
        own_c = [0] * size
        own_n = [0] * size
        for bi, b in enumerate(blocks):
            for v in b:
                t = self.ap_node.get(v)
                if t is None:
                    own_n[bi] += 1
                    own_c[bi] += 1 if is_city[v] else 0
                else:
                    self.adj[bi].append(t)
                    self.adj[t].append(bi)
        for v, t in self.ap_node.items():
            own_n[t] = 1
            own_c[t] = 1 if is_city[v] else 0
        self.own_c, self.own_n = own_c, own_n
        self.parent = [-1] * size
        self.root = [-1] * size
        sub_c, sub_n = own_c[:], own_n[:]
        seen = [False] * size
        for r in range(size):
            if seen[r]:
                continue
            order = [r]
            seen[r] = True
            self.root[r] = r
            i = 0
            while i < len(order):
                x = order[i]
                i += 1
                for y in self.adj[x]:
                    if not seen[y]:
                        seen[y] = True
                        self.parent[y] = x
                        self.root[y] = r
                        order.append(y)
            for x in reversed(order):
                p = self.parent[x]
                if p >= 0:
                    sub_c[p] += sub_c[x]
                    sub_n[p] += sub_n[x]
        self.sub_c, self.sub_n = sub_c, sub_n

    def _outside(self, t: int) -> tuple[int, int]:
        """Cities and vertices of t's component outside t's subtree."""
        r = self.root[t]
        return self.sub_c[r] - self.sub_c[t], self.sub_n[r] - self.sub_n[t]

    def articulation_cuts(self) -> Iterable[tuple[int, int, list[tuple[int, int]]]]:
        """(vertex, cities cut off, [(start, blocked) of each cut-off piece])."""
        for v, t in self.ap_node.items():
            pieces = [
                ((self.sub_c[c], self.sub_n[c]), (c, t)) for c in self.adj[t] if c != self.parent[t]
            ]
            if self.parent[t] >= 0:
                pieces.append((self._outside(t), (self.parent[t], t)))
            # "the rest" is the piece with most actors (ties: the one with more cities)
            rest = max(range(len(pieces)), key=lambda i: (pieces[i][0][1], pieces[i][0][0]))
            cut = [p for i, p in enumerate(pieces) if i != rest and p[0][0] > 0]
            yield v, sum(p[0][0] for p in cut), [p[1] for p in cut]

    def bridge_cuts(self) -> Iterable[tuple[int, int, int, list[tuple[int, int]]]]:
        """(u, v, cities cut off, [(start, blocked)] or [(-1, vertex)] for a lone vertex)."""
        for bi, b in enumerate(self.blocks):
            if len(b) != 2:
                continue
            sides = []
            for x in b:
                t = self.ap_node.get(x)
                if t is None:
                    sides.append(((1 if self.is_city[x] else 0, 1), (-1, x)))
                elif t == self.parent[bi]:
                    sides.append((self._outside(bi), (t, bi)))
                else:
                    sides.append(((self.sub_c[t], self.sub_n[t]), (t, bi)))
            key0, key1 = (sides[0][0][1], sides[0][0][0]), (sides[1][0][1], sides[1][0][0])
            cut = sides[0] if key0 < key1 else sides[1]
            yield b[0], b[1], cut[0][0], [cut[1]]

    def example_cities(self, pieces: list[tuple[int, int]], limit: int) -> list[int]:
        """Up to `limit` cities in the given pieces (walked from start, never through blocked)."""
        found: list[int] = []
        for start, blocked in pieces:
            if start == -1:
                if self.is_city[blocked]:
                    found.append(blocked)
                continue
            queue, seen = deque([start]), {start, blocked}
            while queue and len(found) < limit:
                x = queue.popleft()
                if x < len(self.blocks):
                    found.extend(
                        v for v in self.blocks[x] if v not in self.ap_node and self.is_city[v]
                    )
                else:
                    v = self.aps[x - len(self.blocks)]
                    if self.is_city[v]:
                        found.append(v)
                for y in self.adj[x]:
                    if y not in seen:
                        seen.add(y)
                        queue.append(y)
            if len(found) >= limit:
                break
        return sorted(set(found[:limit]))


# --------------------------------------------------------------------------- sections


def _actor_ref(G: nx.MultiDiGraph, n: Any) -> dict[str, Any]:
    d = G.nodes[n]
    return {"id": n, "name": d.get("name", n), "kind": d.get("kind"), "country": d.get("country")}


def _brokers(G: nx.MultiDiGraph, net: ActorNet, eng: _Engine, top: int) -> tuple[list[dict], dict]:
    n, m = net.n, net.m
    exact = n <= EXACT_BETWEENNESS_MAX_NODES
    k = None if exact else betweenness_sample_size(n, m)
    if k is not None and k >= n:
        exact, k = True, None
    bc = eng.betweenness(k) if n else []
    order = sorted((i for i in range(n) if bc[i] > 0), key=lambda i: (-bc[i], net.ids[i]))
    brokers = [
        {**_actor_ref(G, net.ids[i]), "betweenness": round(bc[i], _PRECISION)} for i in order[:top]
    ]
    method = {"exact": exact, "sample_size": k, "engine": eng.name, "seed": None if exact else SEED}
    return brokers, method


def _single_points_of_failure(
    G: nx.MultiDiGraph, net: ActorNet, eng: _Engine, top: int
) -> dict[str, Any]:
    ids = net.ids
    is_city = [G.nodes[a].get("kind") == "city" for a in ids]
    tree = _BlockCutTree(net.n, eng.blocks(), is_city)

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
        {**_actor_ref(G, ids[v]), "cities_cut_off": cut, "example_cities": examples(pieces)}
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


def _communities(G: nx.MultiDiGraph, net: ActorNet, eng: _Engine) -> dict[str, Any]:
    groups, q = eng.communities()
    ids = net.ids
    strength = [0] * net.n
    for (i, j), mask in net.pairs.items():
        w = mask.bit_count()
        strength[i] += w
        strength[j] += w
    for g in groups:
        g.sort(key=lambda i: (-strength[i], ids[i]))
    groups.sort(key=lambda g: (-len(g), ids[g[0]] if g else ""))
    member_of = [0] * net.n
    for ci, g in enumerate(groups):
        for i in g:
            member_of[i] = ci
    crossing: Counter[tuple[int, int]] = Counter()
    for i, j in net.pairs:
        a, b = member_of[i], member_of[j]
        if a != b:
            crossing[(a, b) if a < b else (b, a)] += 1
    total_crossing = sum(crossing.values())
    largest = []
    for ci, g in enumerate(groups[:COMMUNITIES_SHOWN]):
        if len(g) < 2:
            break
        kinds = Counter(G.nodes[ids[i]].get("kind") for i in g)
        countries = Counter(G.nodes[ids[i]].get("country") for i in g)
        countries.pop(None, None)
        largest.append(
            {
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
        )
    pairs = sorted(crossing.items(), key=lambda kv: (-kv[1], kv[0]))[:CROSSING_PAIRS_SHOWN]
    return {
        "algorithm": "louvain" if eng.name == "networkx" else "leiden",
        "engine": eng.name,
        "seed": SEED,
        "count": len(groups),
        "singletons": sum(1 for g in groups if len(g) == 1),
        "modularity": None if q is None else round(q, _PRECISION),
        "largest": largest,
        "crossing_links": total_crossing,
        "crossing_share": round(total_crossing / net.m, _PRECISION) if net.m else 0.0,
        "crossing_pairs": [
            {"communities": [a, b], "sizes": [len(groups[a]), len(groups[b])], "links": k}
            for (a, b), k in pairs
        ],
    }


def _national_framework_of(d: dict[str, Any], country: str) -> bool:
    return (
        d.get("kind") == "framework"
        and d.get("status") == _ACTIVE
        and (
            d.get("level") == schema.Level.NATIONAL.value
            or (not d.get("level") and bool(d.get("country")))
        )
        and _norm_country(d.get("country")) == country
    )


def coverage(G: nx.MultiDiGraph, country: str | None = None) -> dict[str, dict[str, Any]]:
    """Per-country vertical and horizontal coverage ratios of the cities.

    For the cities of each country (or only `country`):

    * `share_with_national_link`: an active relationship (other than
      LOCATED_IN / MEMBER_OF, either direction) with a national_body of the
      same country, or an active CONTRIBUTES_TO / IMPLEMENTS to an active
      national framework of the same country;
    * `share_with_domestic_city_link`: an active PARTNERS_WITH,
      COORDINATES_WITH, SHARES_INFORMATION_WITH or TWINNED_WITH with another
      city of the same country, or both RUN / PARTICIPATE_IN the same active
      initiative (any size);
    * `city_density`: distinct domestic city pairs joined by one of those
      four relationship types, over all possible pairs (None under 2 cities;
      shared initiatives are not counted as pairs);
    * `cso_engagement` / `private_engagement`: share of cities with an
      active relationship (other than LOCATED_IN / MEMBER_OF) with any CSO /
      private_sector actor.
    """
    code = _norm_country(country)
    nodes = G._node  # raw dicts: the public views cost ~2x on 1M edges
    city_country: dict[Any, str] = {}
    for n, d in G.nodes(data=True):
        if d.get("kind") == "city" and d.get("country"):
            c = _norm_country(d["country"])
            if code is None or c == code:
                city_country[n] = c
    national, domestic, cso, private = set(), set(), set(), set()
    domestic_pairs: set[tuple[Any, Any]] = set()
    initiative_cities: dict[Any, list[Any]] = defaultdict(list)
    for c, cc in city_country.items():
        for outgoing, adj in ((True, G._succ[c]), (False, G._pred[c])):
            for x, keydict in adj.items():
                if x == c:
                    continue
                xd = nodes[x]
                for k, d in keydict.items():
                    if d.get("status") != _ACTIVE:
                        continue
                    t = edge_type(k, d)
                    if xd.get("family") == schema.INITIATIVE:
                        if not outgoing or xd.get("status") != _ACTIVE:
                            continue
                        if t in TAKES_PART:
                            initiative_cities[x].append(c)
                        elif t in ("CONTRIBUTES_TO", "IMPLEMENTS") and _national_framework_of(
                            xd, cc
                        ):
                            national.add(c)
                        continue
                    if t in EXCLUDED_TYPES or xd.get("family") != schema.ACTOR:
                        continue
                    kind = xd.get("kind")
                    if kind == "national_body" and _norm_country(xd.get("country")) == cc:
                        national.add(c)
                    elif kind == "cso":
                        cso.add(c)
                    elif kind == "private_sector":
                        private.add(c)
                    elif (
                        kind == "city"
                        and t in schema.HORIZONTAL_LINK_TYPES
                        and _norm_country(xd.get("country")) == cc
                    ):
                        domestic.add(c)
                        domestic_pairs.add((c, x) if str(c) < str(x) else (x, c))
    for cities in initiative_cities.values():
        by_country: dict[str, set[Any]] = defaultdict(set)
        for c in cities:
            by_country[city_country[c]].add(c)
        for group in by_country.values():
            if len(group) >= 2:
                domestic.update(group)
    per_country: dict[str, list[Any]] = defaultdict(list)
    for c, cc in city_country.items():
        per_country[cc].append(c)
    pairs_per_country: Counter[str] = Counter(city_country[a] for a, _b in domestic_pairs)

    def share(cities: list[Any], flagged: set[Any]) -> float:
        return round(sum(1 for c in cities if c in flagged) / len(cities), 4)

    out: dict[str, dict[str, Any]] = {}
    for cc in sorted(per_country):
        cities = per_country[cc]
        n = len(cities)
        possible = n * (n - 1) // 2
        out[cc] = {
            "cities": n,
            "share_with_national_link": share(cities, national),
            "share_with_domestic_city_link": share(cities, domestic),
            "city_density": round(pairs_per_country[cc] / possible, _PRECISION)
            if possible
            else None,
            "cso_engagement": share(cities, cso),
            "private_engagement": share(cities, private),
        }
    return out


# --------------------------------------------------------------------------- entry point


def metrics(G: nx.MultiDiGraph, *, country: str | None = None, top: int = 10) -> dict[str, Any]:
    """Structure metrics of the actor network of `G` (or of one country's subgraph).

    Returns JSON-ready data with sections `graph`, `brokers` (+
    `betweenness_method`), `single_points_of_failure`, `communities`,
    `coverage` and `parameters` (the thresholds in force). See the module
    docstring for definitions, engines and thresholds.
    """
    H = country_subgraph(G, country) if country else G
    net = actor_net(H)
    eng = _engine_for(net)
    sizes = eng.components() if net.n else []
    n, m = net.n, net.m
    graph_section = {
        "nodes": n,
        "edges": m,
        "components": len(sizes),
        "largest_component": max(sizes, default=0),
        "isolated": sum(1 for s in sizes if s == 1),
        "density": round(2 * m / (n * (n - 1)), _PRECISION) if n > 1 else 0.0,
        "cities": sum(1 for a in net.ids if H.nodes[a].get("kind") == "city"),
        "engine": eng.name,
    }
    brokers, method = _brokers(H, net, eng, top)
    return {
        "country": _norm_country(country),
        "graph": graph_section,
        "brokers": brokers,
        "betweenness_method": method,
        "single_points_of_failure": _single_points_of_failure(H, net, eng, top),
        "communities": _communities(H, net, eng),
        "coverage": coverage(G, country),
        "parameters": {
            "exact_betweenness_max_nodes": EXACT_BETWEENNESS_MAX_NODES,
            "igraph_min_nodes": IGRAPH_MIN_NODES,
            "max_shared_initiative_actors": MAX_SHARED_INITIATIVE_ACTORS,
            "seed": SEED,
            "top": top,
        },
    }
