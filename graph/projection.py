"""Project the store into networkx for analysis.

The projection is a `networkx.MultiDiGraph`:

* node key = the node's `id`; attributes are its stored properties plus
  `family` ("actor" or "initiative") and `kind`. Lists (`themes`, `threats`,
  `sources`) are Python lists. Actors always have `level`; cities may have
  `lat`/`lon`/`threats`; CSOs have `grassroots`.
* edge key = relationship type; attributes: `type`, `status`, `confidential`,
  `since`, `note`, `symmetric` (True for PARTNERS_WITH, COORDINATES_WITH,
  SHARES_INFORMATION_WITH, TWINNED_WITH — read them without direction), and
  for actor–actor edges `axis`, `cross_border`, `cross_sector`.

All statuses are projected; the graph attribute `G.graph["statuses"]` says
which. Analyses count only `active` relationships and initiatives themselves
and look at `planned` ones to say when a planned link would close a gap.

`build_graph` is pure, so analyses can be tested on hand-built node and edge
lists as well as on what `project` reads from a store.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from graph import schema
from graph.store.base import Store

NODE_FIELDS = (
    "id",
    "kind",
    "name",
    "country",
    "nation",
    "level",
    "city",
    "themes",
    "threats",
    "grassroots",
    "sector",
    "lat",
    "lon",
    "status",
    "start",
    "end",
    "published",
    "url",
    "note",
    "sources",
)
EDGE_FIELDS = ("type", "status", "confidential", "since", "note", "sources")


def build_graph(
    nodes: Iterable[Mapping[str, Any]],
    edges: Iterable[Mapping[str, Any]],
    *,
    include_confidential: bool = True,
) -> nx.MultiDiGraph:
    """Build the analysis graph from node property maps and edge maps.

    Each edge map needs `source`, `target`, `type`; other fields optional.
    Edges whose endpoints are not among `nodes` are dropped (a subset
    projection keeps only what it loaded).
    """
    G = nx.MultiDiGraph()
    for n in nodes:
        attrs = {k: n.get(k) for k in NODE_FIELDS if n.get(k) is not None}
        kind = attrs.get("kind")
        attrs["family"] = schema.family_of(kind) if kind else None
        for lst in ("themes", "threats", "sources"):
            attrs[lst] = list(attrs.get(lst) or [])
        if attrs["family"] == schema.ACTOR:
            attrs.setdefault("level", schema.default_level(kind).value)
            if kind == "cso":
                attrs["grassroots"] = bool(attrs.get("grassroots"))
        else:
            attrs.setdefault("status", schema.Status.ACTIVE.value)
        G.add_node(attrs["id"], **attrs)
    for e in edges:
        s, t, typ = e["source"], e["target"], e["type"]
        if s not in G or t not in G:
            continue
        confidential = bool(e.get("confidential"))
        if confidential and not include_confidential:
            continue
        attrs = {k: e.get(k) for k in EDGE_FIELDS if k != "type"}
        attrs["status"] = attrs.get("status") or schema.Status.ACTIVE.value
        attrs["confidential"] = confidential
        attrs["sources"] = list(attrs.get("sources") or [])
        attrs["symmetric"] = typ in schema.SYMMETRIC_TYPES
        attrs.update(schema.classify(G.nodes[s], G.nodes[t]))
        G.add_edge(s, t, key=typ, type=typ, **attrs)
    G.graph["include_confidential"] = include_confidential
    return G


_NODES_ALL = "MATCH (n:Entity) RETURN properties(n) AS p"
_EDGES_ALL = (
    "MATCH (a:Entity)-[r]->(b:Entity) "
    "RETURN a.id AS source, type(r) AS type, b.id AS target, properties(r) AS p"
)
_NODES_COUNTRY = "MATCH (n:Entity) WHERE n.country IN $countries RETURN properties(n) AS p"
_EDGES_AMONG = (
    "UNWIND $ids AS sid MATCH (a:Entity {id: sid})-[r]->(b:Entity) WHERE b.id IN $ids "
    "RETURN a.id AS source, type(r) AS type, b.id AS target, properties(r) AS p"
)


def _edge_rows(rows: list[list[Any]]) -> list[dict[str, Any]]:
    return [{**(p or {}), "source": s, "type": t, "target": tg} for s, t, tg, p in rows]


def project(
    store: Store,
    *,
    countries: Iterable[str] | None = None,
    include_confidential: bool = True,
) -> nx.MultiDiGraph:
    """Read the store (or only the given countries' nodes) into a graph.

    A country subset also keeps the nodes with no country (international
    actors, vague collectives) that are directly linked to it, so a city's
    links to its networks are not lost; it never reads the whole graph.
    """
    if countries is None:
        nodes = [r[0] for r in store.run(_NODES_ALL, read_only=True).rows]
        edges = _edge_rows(store.run(_EDGES_ALL, read_only=True).rows)
        return build_graph(nodes, edges, include_confidential=include_confidential)
    codes = sorted({c.upper() for c in countries})
    nodes = [r[0] for r in store.run(_NODES_COUNTRY, {"countries": codes}, read_only=True).rows]
    ids = [n["id"] for n in nodes]
    nodes += _linked_without_country(store, ids)
    all_ids = [n["id"] for n in nodes]
    edges = _edge_rows(store.run(_EDGES_AMONG, {"ids": all_ids}, read_only=True).rows)
    return build_graph(nodes, edges, include_confidential=include_confidential)


def project_neighbourhood(
    store: Store, actor_id: str, depth: int = 1, *, include_confidential: bool = True
) -> nx.MultiDiGraph:
    """The nodes within `depth` hops of one node (either direction) and the edges among them."""
    ids = neighbourhood_ids(store, actor_id, depth, include_confidential=include_confidential)
    nodes = [
        r[0]
        for r in store.run(
            "UNWIND $ids AS i MATCH (n:Entity {id: i}) RETURN properties(n) AS p",
            {"ids": ids},
            read_only=True,
        ).rows
    ]
    edges = _edge_rows(store.run(_EDGES_AMONG, {"ids": ids}, read_only=True).rows)
    return build_graph(nodes, edges, include_confidential=include_confidential)


def neighbourhood_ids(
    store: Store, node_id: str, depth: int, *, include_confidential: bool = True
) -> list[str]:
    """Ids within `depth` hops, found breadth-first one hop per query (bounded work)."""
    seen = {node_id}
    frontier = [node_id]
    conf = "" if include_confidential else "AND coalesce(r.confidential, false) = false "
    q = (
        "UNWIND $ids AS i MATCH (a:Entity {id: i})-[r]-(b:Entity) "
        f"WHERE true {conf}RETURN DISTINCT b.id"
    )
    for _ in range(depth):
        if not frontier:
            break
        found = [r[0] for r in store.run(q, {"ids": frontier}, read_only=True).rows]
        frontier = [i for i in found if i not in seen]
        seen.update(frontier)
    return sorted(seen)


def _linked_without_country(store: Store, ids: list[str]) -> list[dict[str, Any]]:
    rows = store.run(
        "UNWIND $ids AS i MATCH (a:Entity {id: i})-[]-(b:Entity) "
        "WHERE b.country IS NULL "
        "RETURN DISTINCT properties(b) AS p",
        {"ids": ids},
        read_only=True,
    ).rows
    return [r[0] for r in rows]


def active_view(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A subgraph view with only active relationships and non-inactive initiatives."""

    def node_ok(n: str) -> bool:
        d = G.nodes[n]
        return d.get("family") != schema.INITIATIVE or d.get("status") == "active"

    def edge_ok(u: str, v: str, k: str) -> bool:
        return G.edges[u, v, k].get("status") == "active"

    return nx.subgraph_view(G, filter_node=node_ok, filter_edge=edge_ok)
