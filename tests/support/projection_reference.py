"""The projection's reference construction and a graph with every kind, type, status and
property: what `graph.projection` must equal (unit and integration tests)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from graph import schema
from graph.projection import EDGE_FIELDS, NODE_FIELDS


def reference_build_graph(
    nodes: Iterable[Mapping[str, Any]],
    edges: Iterable[Mapping[str, Any]],
    *,
    include_confidential: bool = False,
) -> nx.MultiDiGraph:
    """The construction `build_graph` replaced (through networkx's public API), kept
    here as the reference its output must equal."""
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


def _fresh(s: str) -> str:
    """An equal string that is a new object (as every value read from a store is)."""
    return "".join(list(s))


ACTOR_KINDS = sorted(schema.ACTOR_KINDS)
INITIATIVE_KINDS = sorted(schema.INITIATIVE_KINDS)
STATUSES = [s.value for s in schema.Status]


def every_kind_of_node() -> list[dict[str, Any]]:
    """One node of every kind, every property set on some, the others missing or empty."""
    nodes: list[dict[str, Any]] = []
    for i, kind in enumerate(ACTOR_KINDS + INITIATIVE_KINDS):
        n: dict[str, Any] = {"id": _fresh(f"{kind}-{i}"), "kind": kind, "name": f"N{i}"}
        if i % 3:
            n["country"] = ("DE", "FR", "GB")[i % 3]
        if i % 2:
            n.update(themes=["hate", "polarisation"], sources=["a.csv", "b"], note="x")
        if i % 4 == 1:
            n.update(basis="inferred", url="https://example.org", nation="GB-SCT")
        if kind == "city":
            n.update(lat=52.52, lon=13.405, threats=["hate"], city=None)
        if kind == "cso":
            n["grassroots"] = i % 2 == 0 or None
        if kind == "private_sector":
            n.update(sector="tech", level="local")
        if kind in schema.INITIATIVE_KINDS:
            n.update(status=STATUSES[i % len(STATUSES)], start="2020", end="2024")
            n["published"] = i % 2 == 0
        nodes.append(n)
    nodes.append({"id": "dup", "kind": "city", "name": "First", "country": "DE"})
    nodes.append({"id": "dup", "kind": "city", "name": "Again", "country": "DE", "lat": 1.0})
    return nodes


def every_kind_of_edge(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every type between every pair of kinds it allows, with every property and
    status, some confidential, some inferred, one duplicate, one to a missing node."""
    kind_of = {n["id"]: n["kind"] for n in nodes}  # two cities: one of them "dup"
    edges: list[dict[str, Any]] = []
    i = 0
    for typ, rt in sorted(schema.REL_TYPES.items()):
        for s, sk in kind_of.items():
            for t, tk in kind_of.items():
                if s == t or not rt.allows(sk, tk):
                    continue
                i += 1
                e: dict[str, Any] = {"source": _fresh(s), "target": _fresh(t), "type": _fresh(typ)}
                if i % 2:
                    e["status"] = STATUSES[i % len(STATUSES)]
                if i % 3 == 0:
                    e.update(since="2019", note="met twice", sources=["s1", "s2"])
                if i % 5 == 0:
                    e["basis"] = "inferred"
                if i % 7 == 0:
                    e["confidential"] = True
                edges.append(e)
    edges.append({**edges[0], "note": "the same relationship again"})
    edges.append({"source": "nowhere", "target": edges[0]["target"], "type": "FUNDS"})
    return edges


def as_content(G: nx.MultiDiGraph) -> Any:
    """Everything in G, orders included (node order, neighbour order, attribute order)."""
    return (
        dict(G.graph),
        [(n, list(d.items())) for n, d in G.nodes(data=True)],
        [(u, v, k, list(d.items())) for u, v, k, d in G.edges(keys=True, data=True)],
        [(v, list(G.pred[v])) for v in G],
    )


def every_property_and_type() -> dict[str, Any]:
    """A dataset with every node kind, relationship type, status and property (basis too)."""
    nodes = [n for n in every_kind_of_node() if n["id"] != "dup"]
    nodes.append({"id": "city-b", "kind": "city", "name": "B", "country": "DE"})
    for n in nodes:
        n.pop("nation", None)
        n.pop("city", None)
    edges = [
        e
        for e in every_kind_of_edge(nodes)[:-2]  # not the duplicate or the missing end
        if e["type"] not in schema.SYMMETRIC_TYPES or e["source"] < e["target"]
    ]
    actors = [n for n in nodes if n["kind"] in schema.ACTOR_KINDS]
    initiatives = [n for n in nodes if n["kind"] in schema.INITIATIVE_KINDS]
    return {"actors": actors, "initiatives": initiatives, "relationships": edges}
