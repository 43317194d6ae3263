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

Cost on large graphs (docs/benchmarks.md, "Projection"): `project` reads
scalar columns one relationship type at a time (`graph.queries.projection`),
and the graph is written into networkx's own dicts rather than through
`add_node`/`add_edge`, with each edge's endpoints the nodes' own key objects
and its repeated strings shared. The result is the graph `add_edge` would
build, attribute order included (tests/unit/test_projection_build.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import groupby
from operator import itemgetter
from typing import Any

import networkx as nx

from graph import schema
from graph.collector import collector_paused
from graph.predicates import norm_country
from graph.queries import projection as queries
from graph.queries.statement import read_each
from graph.read.neighbourhood import search
from graph.store.base import Store

#: The properties a projected node and edge keep (the schema's data properties).
NODE_FIELDS = schema.NODE_PROPERTIES
EDGE_FIELDS = schema.RELATIONSHIP_PROPERTIES

_ACTIVE = schema.Status.ACTIVE.value
#: Adds relationships of one type: (type, rows of source, target, *`ADDER_COLUMNS`).
EdgeAdder = Callable[[str, Iterable[Sequence[Any]]], None]


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
    with collector_paused():
        G = _graph_of(nodes, include_confidential=include_confidential)
        add = _edge_adder(G)
        columns = queries.EDGE_COLUMNS
        for e in edges:
            add(e["type"], [(e["source"], e["target"], *[e.get(c) for c in columns])])
    return G


def _node_attrs(n: Mapping[str, Any]) -> dict[str, Any]:
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
        attrs.setdefault("status", _ACTIVE)
    return attrs


def _graph_of(nodes: Iterable[Mapping[str, Any]], *, include_confidential: bool) -> nx.MultiDiGraph:
    """The graph of `nodes` alone, written into networkx's own dicts as `add_node` would
    (a node given twice has its attributes updated)."""
    G = nx.MultiDiGraph()
    G.graph["include_confidential"] = include_confidential
    node, succ, pred = G._node, G._succ, G._pred
    for n in nodes:
        attrs = _node_attrs(n)
        nid = attrs["id"]
        if nid is None:
            raise ValueError("None cannot be a node")
        if nid in succ:
            node[nid].update(attrs)
        else:
            succ[nid], pred[nid], node[nid] = {}, {}, attrs
    return G


#: The relationship columns the edge adder unpacks, in `queries.EDGE_COLUMNS` order (a
#: property added to the schema must be added to `_edge_adder` too; a test says so).
ADDER_COLUMNS = ("status", "basis", "confidential", "since", "note", "sources")


def _edge_adder(G: nx.MultiDiGraph) -> EdgeAdder:
    """A function adding rows of relationships of one type to `G` (whose nodes are all
    there), each as `G.add_edge(source, target, key=type, **attributes)` would, but
    cheaper on a million edges: networkx's dicts are written directly, one loop runs
    over a whole type's rows, the classification is computed once per pair of endpoint
    (kind, level, country), each endpoint is the node's own key object, and repeated
    strings are one object. Relationships with an endpoint not in `G`, and
    confidential ones unless `G` includes them, are skipped.

    The function takes `(type, rows)`, each row `(source, target, *ADDER_COLUMNS)`.
    """
    include_confidential = bool(G.graph["include_confidential"])
    node, succ, pred = G._node, G._succ, G._pred
    # node id -> (its key object, its endpoint class: one tuple per distinct triple)
    triples: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    ends: dict[Any, tuple[Any, tuple[Any, ...]]] = {}
    for n, d in node.items():
        triple = (d.get("kind"), d.get("level"), d.get("country"))
        ends[n] = (n, triples.setdefault(triple, triple))
    classes: dict[tuple[Any, ...], dict[str, Any]] = {}
    shared: dict[str, str] = {}
    symmetric = schema.SYMMETRIC_TYPES

    def add_rows(typ: str, rows: Iterable[Sequence[Any]]) -> None:
        typ = shared.setdefault(typ, typ)
        is_symmetric = typ in symmetric
        end_of, one = ends.get, shared.setdefault  # one: the first equal string seen
        for s, t, status, basis, confidential, since, note, sources in rows:
            a, b = end_of(s), end_of(t)
            if a is None or b is None:
                continue
            confidential = bool(confidential)
            if confidential and not include_confidential:
                continue
            (u, ku), (v, kv) = a, b
            found = classes.get((ku, kv))
            if found is None:
                found = classes[ku, kv] = schema.classify(node[u], node[v])
            d = {
                "type": typ,
                "status": (one(status, status) if type(status) is str else status)
                if status
                else _ACTIVE,
                "basis": basis,
                "confidential": confidential,
                "since": one(since, since) if type(since) is str else since,
                "note": note,
                "sources": [one(x, x) if type(x) is str else x for x in sources] if sources else [],
                "symmetric": is_symmetric,
                **found,
            }
            nbrs = succ[u]
            keydict = nbrs.get(v)
            if keydict is None:
                nbrs[v] = pred[v][u] = {typ: d}
            elif typ in keydict:
                keydict[typ].update(d)
            else:
                keydict[typ] = d

    return add_rows


def _node_maps(rows: Sequence[Sequence[Any]]) -> list[dict[str, Any]]:
    """Node rows (one property map each) as property maps."""
    return [r[0] for r in rows]


def _add_edge_rows(add: EdgeAdder, rows: Iterable[Sequence[Any]]) -> None:
    """Rows of source, type, target, then `queries.EDGE_COLUMNS`, in their order."""
    for typ, same_type in groupby(rows, key=itemgetter(1)):
        add(typ, [(s, t, *values) for s, _, t, *values in same_type])


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

    The whole graph is read as its nodes, then one relationship type at a time (in
    type order), the server reading the next while this one is added
    (`Store.read_each`); each result is dropped once added, so the read holds at most
    two of them.
    """
    if countries is None:
        types = {r[0] for r in queries.RELATIONSHIP_TYPES.read(store).rows}
        types = sorted(types - queries.NOT_BETWEEN_ENTITIES)
        with collector_paused():
            reads = read_each(store, [queries.NODES_ALL, *map(queries.edges_of_type, types)])
            G = _graph_of(_node_maps(next(reads).rows), include_confidential=include_confidential)
            add = _edge_adder(G)
            for typ, result in zip(types, reads, strict=True):
                add(typ, result.rows)
                del result
        return G
    codes = sorted({cc for c in countries if (cc := norm_country(c))})
    nodes = _node_maps(queries.NODES_IN_COUNTRIES.read(store, countries=codes).rows)
    ids = [n["id"] for n in nodes]
    linked = queries.LINKED_WITHOUT_COUNTRY.read(
        store, ids=ids, include_confidential=include_confidential
    )
    nodes += _node_maps(linked.rows)
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
    rows = queries.EDGES_AMONG.read(store, ids=[n["id"] for n in nodes]).rows
    with collector_paused():
        G = _graph_of(nodes, include_confidential=include_confidential)
        _add_edge_rows(_edge_adder(G), rows)
    return G


def active_view(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A subgraph view with only active relationships and non-inactive initiatives."""

    def node_ok(n: str) -> bool:
        d = G.nodes[n]
        return d.get("family") != schema.INITIATIVE or d.get("status") == "active"

    def edge_ok(u: str, v: str, k: str) -> bool:
        return G.edges[u, v, k].get("status") == "active"

    return nx.subgraph_view(G, filter_node=node_ok, filter_edge=edge_ok)
