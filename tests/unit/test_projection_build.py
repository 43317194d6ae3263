"""`build_graph` writes networkx's dicts directly: the same graph as `add_node` /
`add_edge` built, attribute for attribute and in the same order, with less memory."""

from __future__ import annotations

import pytest

from graph import schema
from graph.projection import build_graph
from tests.support.projection_reference import (
    as_content,
    every_kind_of_edge,
    every_kind_of_node,
    reference_build_graph,
)


@pytest.mark.parametrize("include_confidential", [False, True])
def test_the_same_graph_as_add_node_and_add_edge(include_confidential: bool) -> None:
    nodes = every_kind_of_node()
    edges = every_kind_of_edge(nodes)
    assert {e["type"] for e in edges} == set(schema.REL_TYPES)
    got = build_graph(nodes, edges, include_confidential=include_confidential)
    want = reference_build_graph(nodes, edges, include_confidential=include_confidential)
    assert as_content(got) == as_content(want)
    # networkx shares one key dict between the two directions; so must we
    for u, v in got.edges():
        assert got._succ[u][v] is got._pred[v][u]
    assert any(d["confidential"] for *_, d in got.edges(data=True)) == include_confidential
    assert {d["basis"] for *_, d in got.edges(data=True)} == {None, "inferred"}


def test_edges_hold_the_nodes_own_id_objects_not_copies() -> None:
    """A million edges read from a store come with two fresh id strings each; the graph
    keeps the node's own key instead, so the ids are not stored twice over."""
    nodes = every_kind_of_node()
    G = build_graph(nodes, every_kind_of_edge(nodes), include_confidential=True)
    keys = {id(n) for n in G}
    for adjacency in (G._succ, G._pred):
        for nbrs in adjacency.values():
            assert all(id(other) in keys for other in nbrs)
    # and the type strings, a handful of values on a million edges, are one object each
    types = {id(k) for *_, k in G.edges(keys=True)}
    assert len(types) == len({k for *_, k in G.edges(keys=True)})


def test_no_garbage_collection_while_building_and_the_collector_is_back_after() -> None:
    """Every dict made while building survives; collecting then frees nothing and cost a
    third of the build on a million edges."""
    import gc

    nodes = [{"id": f"c{i}", "kind": "city", "name": f"C{i}", "country": "DE"} for i in range(3000)]
    edges = [
        {"source": f"c{i}", "target": f"c{(i * 7 + 1) % 3000}", "type": "PARTNERS_WITH"}
        for i in range(3000)
    ]
    started: list[int] = []

    def record(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started.append(info["generation"])

    gc.collect()  # counts from zero, so nothing is due as the build starts
    gc.callbacks.append(record)
    try:
        G = build_graph(nodes, edges)
    finally:
        gc.callbacks.remove(record)
    assert G.number_of_edges() == 3000
    # at most the one young collection due at once when the collector is back
    assert started in ([], [0])
    assert gc.isenabled()


def test_the_edge_adder_takes_the_columns_the_projection_reads() -> None:
    """Rows are unpacked by position: a property added to the schema must reach the adder."""
    from graph.projection import ADDER_COLUMNS
    from graph.queries.projection import EDGE_COLUMNS

    assert ADDER_COLUMNS == EDGE_COLUMNS
