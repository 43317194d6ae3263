"""A view registered in one place is selectable and served from a real store, and a
view with an option no other view takes is served and drawn by the CLI with no other
module changed (the registry's other checks are in tests/unit/test_viz_registry.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
import typer
import typer.main
from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from graph.projection import build_graph
from tests.support.store import load
from viz.routes import make_router
from viz.views import VIEWS, ViewError, ViewGraph, ViewOption, page_view, select_view

#: An invented graph: the test view below draws its one CSO, not its city.
TINY = {
    "actors": [
        {"id": "solo", "kind": "cso", "name": "Solo", "country": "DE"},
        {"id": "town", "kind": "city", "name": "Town", "country": "DE"},
    ],
    "relationships": [{"source": "solo", "type": "PARTNERS_WITH", "target": "town"}],
}

#: An option no registered view takes: the kind of the actors to draw.
KIND_OPTION = ViewOption(
    "kind",
    required=True,
    needs="an actor kind",
    example="cso",
    help="The kind of the actors drawn.",
    flag_help="Actor kind",
    short="k",
    placeholder="KIND",
)


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


@pytest.fixture
def kind_view() -> Iterator[str]:
    """A view with an option of its own, added the way a new one would be: one decorated
    function, with no change to `select_view`, `viz.network`, `viz.service`, the routes or
    the CLI."""

    @page_view(
        "by_kind",
        title="Actors of one kind",
        description="The actors of one kind (--kind).",
        route="/viz/kinds",
        options=(KIND_OPTION,),
    )
    def kind_view_builder(G: nx.MultiDiGraph, kind: str) -> ViewGraph:
        keep = [n for n, d in G.nodes(data=True) if d.get("kind") == kind]
        if not keep:
            raise ViewError(f"No actor of kind {kind!r}.")
        return ViewGraph(G.subgraph(keep), "by_kind", f"Actors of kind {kind}", subject=kind)

    try:
        yield "by_kind"
    finally:
        del VIEWS["by_kind"]


def _viz_cli() -> typer.Typer:
    """The `viz` command built from the registry as it is now (as `cli.cmd_viz` builds it
    on import, when every view of `viz.views` is registered)."""
    from cli.cmd_viz import viz
    from cli.view_flags import with_view_flags

    cli = typer.Typer()
    cli.command()(with_view_flags(viz.__wrapped__))  # type: ignore[attr-defined]
    return cli


def test_a_view_with_a_new_option_is_selected_served_and_drawn(  # type: ignore[no-untyped-def]
    store, store_uri: str, tmp_path: Path, kind_view: str
) -> None:
    G = build_graph(TINY["actors"], TINY["relationships"])
    assert set(select_view(G, kind_view, {"kind": "city"}).graph) == {"town"}
    with pytest.raises(ViewError, match="needs an actor kind"):
        select_view(G, kind_view, {})

    load(store, TINY)
    app = FastAPI()
    app.include_router(make_router(lambda: store, lambda: False))
    client = TestClient(app)
    res = client.get("/viz/kinds", params={"kind": "cso"})
    assert res.status_code == 200, res.text[:300]
    assert res.headers["x-node-count"] == "1" and "Actors of kind cso" in res.text
    missing = client.get("/viz/kinds")
    assert missing.status_code == 400 and "needs an actor kind" in missing.json()["detail"]

    cli, runner = _viz_cli(), CliRunner()
    flag = next(p for p in typer.main.get_command(cli).params if p.name == "kind")
    assert flag.opts == ["--kind", "-k"] and flag.help == "Actor kind for --view by_kind."
    out = tmp_path / "kind.html"
    for args in (["--view", "by_kind", "--kind", "cso"], ["-k", "cso"]):
        res = runner.invoke(cli, ["-o", str(out), "--store", store_uri, *args])
        assert res.exit_code == 0, res.output
        assert "Actors of kind cso — 1 nodes" in res.output
    res = runner.invoke(cli, ["-o", str(out), "--store", store_uri, "--view", "by_kind"])
    assert res.exit_code == 2 and "--view by_kind needs --kind KIND" in res.output
