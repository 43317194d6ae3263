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
which. What each status means to the analyses is one table, docs/gaps.md
"Status": current links are `active` ones, `proposed` and `planned` ones are
named as mitigation, `ended` ones are history.

`build_graph` is pure, so analyses can be tested on hand-built node and edge
lists as well as on what `project` reads from a store.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from graph import schema
from graph.predicates import norm_country
from graph.queries import projection as queries
from graph.read.neighbourhood import search
from graph.store.base import Store

#: The properties a projected node and edge keep (the schema's data properties).
NODE_FIELDS = schema.NODE_PROPERTIES
EDGE_FIELDS = schema.RELATIONSHIP_PROPERTIES


def build_graph(
    nodes: Iterable[Mapping[str, Any]],
    edges: Iterable[Mapping[str, Any]],
    *,
    include_confidential: bool = False,
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


def _edge_rows(rows: list[list[Any]]) -> list[dict[str, Any]]:
    return [{**(p or {}), "source": s, "type": t, "target": tg} for s, t, tg, p in rows]


def project(
    store: Store,
    *,
    countries: Iterable[str] | None = None,
    include_confidential: bool = False,
) -> nx.MultiDiGraph:
    """Read the store (or only the given countries' nodes) into a graph.

    A country subset also keeps the nodes with no country (international
    actors, vague collectives) that are directly linked to it, so a city's
    links to its networks are not lost; it never reads the whole graph. Without
    `include_confidential`, a node linked to the subset only by confidential links
    is not brought in (its presence would reveal the link).
    """
    if countries is None:
        nodes = [r[0] for r in queries.NODES_ALL.read(store).rows]
        edges = _edge_rows(queries.EDGES_ALL.read(store).rows)
        return build_graph(nodes, edges, include_confidential=include_confidential)
    codes = sorted({cc for c in countries if (cc := norm_country(c))})
    nodes = [r[0] for r in queries.NODES_IN_COUNTRIES.read(store, countries=codes).rows]
    ids = [n["id"] for n in nodes]
    linked = queries.LINKED_WITHOUT_COUNTRY.read(
        store, ids=ids, include_confidential=include_confidential
    )
    nodes += [r[0] for r in linked.rows]
    return _with_edges_among(store, nodes, include_confidential=include_confidential)


def project_neighbourhood(
    store: Store, actor_id: str, depth: int = 1, *, include_confidential: bool = False
) -> nx.MultiDiGraph:
    """The nodes within `depth` hops of one node (either direction; see
    `graph.read.neighbourhood`) and the edges among them; empty if it is not there."""
    found = search(store, actor_id, depth, include_confidential=include_confidential)
    nodes = [found.nodes[i] for i in sorted(found.hops)] if found else []
    return _with_edges_among(store, nodes, include_confidential=include_confidential)


def _with_edges_among(
    store: Store, nodes: list[dict[str, Any]], *, include_confidential: bool = False
) -> nx.MultiDiGraph:
    ids = [n["id"] for n in nodes]
    edges = _edge_rows(queries.EDGES_AMONG.read(store, ids=ids).rows)
    return build_graph(nodes, edges, include_confidential=include_confidential)


def active_view(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A subgraph view with only active relationships and non-inactive initiatives."""

    def node_ok(n: str) -> bool:
        d = G.nodes[n]
        return d.get("family") != schema.INITIATIVE or d.get("status") == "active"

    def edge_ok(u: str, v: str, k: str) -> bool:
        return G.edges[u, v, k].get("status") == "active"

    return nx.subgraph_view(G, filter_node=node_ok, filter_edge=edge_ok)
