"""A view registered in one place is selectable and served from a real store (the
registry's other checks are in tests/unit/test_viz_registry.py).
"""

from __future__ import annotations

from collections.abc import Iterator

import networkx as nx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from graph.projection import build_graph
from tests.support.store import load
from viz.routes import make_router
from viz.views import VIEWS, ViewGraph, page_view, select_view

#: An invented graph: the test view below draws its one CSO, not its city.
TINY = {
    "actors": [
        {"id": "solo", "kind": "cso", "name": "Solo", "country": "DE"},
        {"id": "town", "kind": "city", "name": "Town", "country": "DE"},
    ],
    "relationships": [{"source": "solo", "type": "PARTNERS_WITH", "target": "town"}],
}


@pytest.fixture
def extra_view() -> Iterator[str]:
    """A view added the way a new one would be: one decorated function."""

    @page_view(
        "kind_cso",
        title="Civil-society organisations",
        description="Civil-society organisations only.",
        route="/viz/csos",
    )
    def cso_view(G: nx.MultiDiGraph) -> ViewGraph:
        keep = [n for n, d in G.nodes(data=True) if d.get("kind") == "cso"]
        return ViewGraph(G.subgraph(keep), "kind_cso", "Civil-society organisations")

    try:
        yield "kind_cso"
    finally:
        del VIEWS["kind_cso"]


def test_a_registered_view_is_selectable_and_served(store, extra_view: str) -> None:  # type: ignore[no-untyped-def]
    G = build_graph(TINY["actors"], TINY["relationships"])
    assert set(select_view(G, extra_view).graph) == {"solo"}
    load(store, TINY)
    app = FastAPI()
    app.include_router(make_router(lambda: store, lambda: False))
    res = TestClient(app).get("/viz/csos")
    assert res.status_code == 200, res.text[:300]
    assert res.headers["x-node-count"] == "1"
    assert "Civil-society organisations" in res.text
