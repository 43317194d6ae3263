"""The evidence-basis filter: analyse every record, or only what the sources state.

A node or relationship may be `inferred` (the editor's reading rather than the
source's words; `graph.predicates.is_inferred`). `--basis stated` (API
`basis=stated`) asks an analysis to leave those out: `stated_only` drops the
inferred nodes, their relationships, and the inferred relationships, before
any gap, metric or recommendation is computed. `any` (the default) keeps all.
"""

from __future__ import annotations

import networkx as nx

from graph import predicates

STATED = "stated"
ANY = "any"
#: The values `--basis` and `basis=` take (any case).
BASIS_CHOICES = (STATED, ANY)


def check_basis(value: str | None) -> str:
    """`stated` or `any` (None means any; any case); ValueError names another value."""
    if value is None:
        return ANY
    norm = str(value).strip().lower()
    if norm not in BASIS_CHOICES:
        raise ValueError(f"unknown basis {value!r}; expected one of: {', '.join(BASIS_CHOICES)}")
    return norm


def edge_label(u: str, typ: str, v: str) -> str:
    """How a relationship is named where ids are listed: "source TYPE target"."""
    return f"{u} {typ} {v}"


def inferred_nodes(G: nx.MultiDiGraph) -> set[str]:
    """The ids of the inferred nodes of `G`."""
    return {n for n, d in G.nodes(data=True) if predicates.is_inferred(d)}


def inferred_edges(G: nx.MultiDiGraph) -> set[tuple[str, str, str]]:
    """The inferred relationships of `G`, as (source, type, target).

    Walks networkx's adjacency dicts (the order `G.edges` gives): its edge view costs
    about as much again per edge on a million relationships."""
    inferred = predicates.is_inferred
    return {
        (u, k, v)
        for u, nbrs in G._succ.items()
        for v, keys in nbrs.items()
        for k, d in keys.items()
        if d.get("basis") is not None and inferred(d)
    }


def stated_only(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """`G` without its inferred nodes (and their relationships) and inferred relationships.

    `G` itself when it has nothing inferred (no copy); otherwise a new graph with the
    same graph attributes, so the caller's projection is never changed.
    """
    nodes, edges = inferred_nodes(G), inferred_edges(G)
    if not nodes and not edges:
        return G
    H = G.copy()
    H.remove_edges_from((u, v, k) for u, k, v in edges)
    H.remove_nodes_from(nodes)
    H.graph["basis"] = STATED
    return H


def for_basis(G: nx.MultiDiGraph, basis: str | None) -> nx.MultiDiGraph:
    """The graph an analysis with this basis reads (`stated_only` for stated)."""
    return stated_only(G) if check_basis(basis) == STATED else G
