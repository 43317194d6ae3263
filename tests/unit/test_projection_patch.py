"""A projection patched with the nodes and relationships a write touched equals a fresh
projection, and the graph it was made from does not move (a reader may still use it)."""

from __future__ import annotations

import pytest

from graph.projection import build_graph
from graph.projection_patch import patched
from tests.support.graphs import city, cso, rel
from tests.support.projection_reference import (
    as_content,
    every_kind_of_edge,
    every_kind_of_node,
)
from tests.support.random_edits import World, graph_content


def _patch(G, nodes, edges, touched):  # type: ignore[no-untyped-def]
    ids = set(touched)
    return patched(
        G,
        ids,
        [n for n in nodes if n["id"] in ids],
        [e for e in edges if e["source"] in ids or e["target"] in ids],
    )


def test_a_renamed_node_moving_country_rebuilds_its_edges_classification() -> None:
    nodes = [city("a", "GB"), city("b", "GB"), cso("c", "GB")]
    edges = [rel("a", "b"), rel("c", "a"), rel("b", "c", "COORDINATES_WITH")]
    G = build_graph(nodes, edges)
    before = as_content(G)
    moved = [city("a", "FR", name="Alpha"), city("b", "GB"), cso("c", "GB")]
    H = _patch(G, moved, edges, {"a"})
    assert graph_content(H) == graph_content(build_graph(moved, edges))
    assert H.edges["a", "b", "PARTNERS_WITH"]["cross_border"] is True
    assert as_content(G) == before  # the earlier generation's graph is untouched


def test_removed_and_added_nodes_and_relationships() -> None:
    nodes = [city("a"), city("b"), city("c"), cso("d")]
    edges = [rel("a", "b"), rel("b", "c", "TWINNED_WITH"), rel("d", "c")]
    G = build_graph(nodes, edges)
    before = as_content(G)
    after_nodes = [city("a"), city("c"), cso("d"), city("e", "DE")]
    after_edges = [rel("d", "c", status="planned"), rel("e", "a", "TWINNED_WITH")]
    H = _patch(G, after_nodes, after_edges, {"b", "a", "c", "d", "e"})
    assert graph_content(H) == graph_content(build_graph(after_nodes, after_edges))
    assert as_content(G) == before


@pytest.mark.parametrize("include_confidential", [False, True])
def test_every_kind_of_node_and_edge_re_read(include_confidential: bool) -> None:
    nodes = every_kind_of_node()
    edges = every_kind_of_edge(nodes)
    G = build_graph(nodes, edges, include_confidential=include_confidential)
    before = as_content(G)
    touched = {n["id"] for n in nodes[::3]}
    H = _patch(G, nodes, edges, touched)
    fresh = build_graph(nodes, edges, include_confidential=include_confidential)
    assert graph_content(H) == graph_content(fresh)
    assert as_content(G) == before


def test_untouched_parts_are_shared_not_copied() -> None:
    nodes = [city(f"c{i}") for i in range(6)]
    edges = [rel(f"c{i}", f"c{i + 1}") for i in range(5)]
    G = build_graph(nodes, edges)
    H = _patch(G, nodes, edges, {"c0"})
    assert H._node["c4"] is G._node["c4"] and H._succ["c4"] is G._succ["c4"]
    assert H._pred["c1"] is not G._pred["c1"]  # c0's neighbour: its own copy


@pytest.mark.parametrize("seed", range(12))
def test_random_edits_patch_to_the_fresh_projection(seed: int) -> None:
    world = World(seed)
    vis = seed % 2 == 1
    G = world.graph(include_confidential=vis)
    for _ in range(25):
        snapshot = as_content(G)
        touched = world.edits(world.rng.randint(1, 3))
        H = patched(G, touched, world.node_maps(touched), world.edges_touching(touched))
        assert graph_content(H) == graph_content(world.graph(include_confidential=vis))
        assert as_content(G) == snapshot
        G = H
