"""The projection of the store into networkx: whole graph, one country, one neighbourhood."""

from __future__ import annotations

from typing import Any

import pytest

from graph.projection import active_view, project, project_neighbourhood
from graph.read.neighbourhood import MAX_DEPTH, MAX_PAGE_DEPTH, in_memory, search
from graph.store import Store
from tests.support.projection_reference import every_property_and_type
from tests.support.store import load

DATA = {
    "actors": [
        {"id": "paris", "kind": "city", "name": "Paris", "country": "FR"},
        {"id": "lyon", "kind": "city", "name": "Lyon", "country": "FR"},
        {"id": "leeds", "kind": "city", "name": "Leeds", "country": "GB"},
        {"id": "york", "kind": "city", "name": "York", "country": "GB"},
        {"id": "efus", "kind": "international_org", "name": "EFUS"},
        {"id": "hull", "kind": "city", "name": "Hull", "country": "GB"},
    ],
    "initiatives": [
        {"id": "plan", "kind": "program", "name": "A plan", "country": "FR", "status": "planned"},
    ],
    "relationships": [
        {"source": "lyon", "type": "TWINNED_WITH", "target": "paris"},
        {"source": "paris", "type": "MEMBER_OF", "target": "efus"},
        {"source": "leeds", "type": "MEMBER_OF", "target": "efus"},
        {"source": "paris", "type": "PARTNERS_WITH", "target": "leeds"},
        {"source": "leeds", "type": "PARTNERS_WITH", "target": "york", "status": "ended"},
        {"source": "york", "type": "PARTNERS_WITH", "target": "hull", "confidential": True},
        {"source": "lyon", "type": "RUNS", "target": "plan"},
    ],
}


def test_whole_projection_has_everything_classified(store: Store) -> None:
    load(store, DATA)
    G = project(store)
    assert set(G) == {"paris", "lyon", "leeds", "york", "efus", "hull", "plan"}
    # Symmetric types are stored once, in sorted order, and marked symmetric.
    assert G.has_edge("lyon", "paris", "TWINNED_WITH")
    e = G.edges["leeds", "paris", "PARTNERS_WITH"]
    assert e["symmetric"] and e["cross_border"] and e["axis"] == "horizontal"
    assert G.edges["paris", "efus", "MEMBER_OF"]["axis"] == "vertical"
    assert G.nodes["efus"]["level"] == "international"


def test_country_projection_reads_only_that_country(store: Store) -> None:
    load(store, DATA)
    G = project(store, countries=["fr"])
    # FR nodes, plus the country-less network they link to; no GB city.
    assert set(G) == {"paris", "lyon", "plan", "efus"}
    assert G.has_edge("paris", "efus", "MEMBER_OF")


def neighbourhood_ids(store: Store, node_id: str, depth: int, **kw: bool) -> list[str]:
    found = search(store, node_id, depth, **kw)
    assert found is not None
    return sorted(found.hops)


def test_neighbourhood_projection_is_bounded_by_depth(store: Store) -> None:
    load(store, DATA)
    assert neighbourhood_ids(store, "lyon", 1) == ["lyon", "paris", "plan"]
    assert set(neighbourhood_ids(store, "lyon", 2)) == {"lyon", "paris", "plan", "efus", "leeds"}
    G = project_neighbourhood(store, "lyon", 1)
    assert set(G) == {"lyon", "paris", "plan"}


def test_confidential_links_can_be_left_out(store: Store) -> None:
    load(store, DATA)
    assert project(store, include_confidential=True).has_edge("hull", "york", "PARTNERS_WITH")
    assert "hull" in neighbourhood_ids(store, "york", 1, include_confidential=True)
    # left out by default
    assert not project(store).has_edge("hull", "york", "PARTNERS_WITH")
    hidden = project(store, include_confidential=False)
    assert not hidden.has_edge("hull", "york", "PARTNERS_WITH")
    assert "hull" not in neighbourhood_ids(store, "york", 1, include_confidential=False)


def test_active_view_drops_ended_links_and_inactive_initiatives(store: Store) -> None:
    load(store, DATA)
    A = active_view(project(store))
    assert not A.has_edge("leeds", "york", "PARTNERS_WITH")
    assert "plan" not in A
    assert A.has_edge("leeds", "paris", "PARTNERS_WITH")


def test_one_neighbourhood_rule_in_the_store_and_in_memory(store: Store) -> None:
    """The API's search (one query per hop) and the pages' (over a projection) agree on
    every node and depth, for both visibilities; only the page may go one hop deeper."""
    load(store, DATA)
    for visible in (False, True):
        G = project(store, include_confidential=visible)
        for node in G:
            for depth in range(1, MAX_DEPTH + 1):
                found = search(store, node, depth, include_confidential=visible)
                assert found is not None
                assert in_memory(G, node, depth) == found.hops, (node, depth, visible)
    assert search(store, "nobody", 1, include_confidential=False) is None
    # lyon -> paris -> leeds -> york -> hull (a confidential link, seen here)
    assert in_memory(G, "lyon", MAX_PAGE_DEPTH)["hull"] == 4
    assert "hull" not in in_memory(G, "lyon", MAX_DEPTH)
    with pytest.raises(ValueError, match=f"between 1 and {MAX_DEPTH}"):
        search(store, "lyon", MAX_PAGE_DEPTH, include_confidential=False)
    with pytest.raises(ValueError, match=f"between 1 and {MAX_PAGE_DEPTH}"):
        in_memory(G, "lyon", MAX_PAGE_DEPTH + 1)


OLD_NODES = "MATCH (n:Entity) RETURN properties(n)"
OLD_EDGES = "MATCH (a:Entity)-[r]->(b:Entity) RETURN a.id, type(r), b.id, properties(r)"


@pytest.mark.parametrize("include_confidential", [False, True])
def test_projection_equals_the_property_map_read(store: Store, include_confidential: bool) -> None:
    """Scalar columns, one type at a time, give exactly what the property maps gave."""
    from graph.projection import build_graph
    from tests.support.projection_reference import as_content, reference_build_graph

    data = every_property_and_type()
    load(store, data)
    nodes = [r[0] for r in store.run(OLD_NODES, read_only=True).rows]
    edges = [
        {**p, "source": s, "type": t, "target": tg}
        for s, t, tg, p in store.run(OLD_EDGES, read_only=True).rows
    ]
    assert len(edges) == len(data["relationships"])
    want = reference_build_graph(nodes, edges, include_confidential=include_confidential)
    got = project(store, include_confidential=include_confidential)
    # the same content; edges come grouped by type, so compare them in one order
    content = as_content(got)
    expected = as_content(build_graph(nodes, edges, include_confidential=include_confidential))
    assert content[:2] == expected[:2] == as_content(want)[:2]
    assert sorted(map(repr, content[2])) == sorted(map(repr, expected[2]))
    assert {e["basis"] for *_, e in got.edges(data=True)} == {None, "inferred"}


class RowCounter:
    """A real store that also counts the rows of the largest relationship result it gave."""

    def __init__(self, store: Store) -> None:
        self.store, self.largest = store, 0

    def run(self, cypher: str, params: Any = None, **kw: Any) -> Any:
        res = self.store.run(cypher, params, **kw)
        self._count(res)
        return res

    def read_each(self, queries: Any) -> Any:
        for res in self.store.read_each(queries):
            self._count(res)
            yield res

    def _count(self, res: Any) -> None:
        if "source" in res.columns:
            self.largest = max(self.largest, len(res.rows))


def test_the_whole_graph_is_read_one_relationship_type_at_a_time(store: Store) -> None:
    """On a million relationships one result set of all of them was the read's memory peak."""
    load(store, DATA)
    counter = RowCounter(store)
    G = project(counter, include_confidential=True)  # type: ignore[arg-type]
    by_type: dict[str, int] = {}
    for *_, k in G.edges(keys=True):
        by_type[k] = by_type.get(k, 0) + 1
    assert G.number_of_edges() == len(DATA["relationships"]) == 7
    assert counter.largest == max(by_type.values()) == by_type["PARTNERS_WITH"] == 3
