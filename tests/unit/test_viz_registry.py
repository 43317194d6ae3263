"""The page-view registry (`viz.views.VIEWS`) is the one list of views: `select_view`,
the pages' routes, the CLI's `--view` and docs/visualisation.md all follow it.
"""

from __future__ import annotations

import re
from typing import Any

import networkx as nx
import pytest

from cli.cmd_viz import VIEW_HELP, View
from tests.support.paths import ROOT
from viz.routes import make_router
from viz.views import VIEWS, ViewError, page_view, select_view

DOC = ROOT / "docs" / "visualisation.md"


def _section(title: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    m = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", text, re.M | re.S)
    assert m, f"docs/visualisation.md has no section {title!r}"
    return m.group(1)


def _normalise(path: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", path)


def _router_paths(router: Any) -> list[str]:
    return [r.path for r in router.routes]


def test_the_docs_views_table_is_the_registry() -> None:
    names = re.findall(r"^\| `([a-z_]+)` \|", _section("Views"), re.M)
    assert names == list(VIEWS)


def test_the_docs_routes_table_has_every_view_route() -> None:
    routes = re.findall(r"^\| `GET (/[^`\s]*)` \|", _section("Over HTTP"), re.M)
    assert [_normalise(r) for r in routes if r != "/report"] == [
        _normalise(v.route) for v in VIEWS.values()
    ]


def test_routes_are_the_registry() -> None:
    router = make_router(lambda: None, lambda: False)
    assert _router_paths(router) == [v.route for v in VIEWS.values()] + ["/report"]
    summaries = {r.path: r.summary for r in router.routes}
    assert all(summaries[v.route] == f"{v.title} (HTML page)" for v in VIEWS.values())


def test_cli_view_choices_are_the_registry() -> None:
    assert [v.value for v in View] == list(VIEWS)
    assert all(name in VIEW_HELP for name in VIEWS)


def test_required_options_come_from_the_registry() -> None:
    G = nx.MultiDiGraph()
    for view in VIEWS.values():
        for option in view.options:
            if option.required:
                with pytest.raises(ViewError, match=re.escape(f"needs {option.needs}")) as exc:
                    select_view(G, view.name)
                assert exc.value.status == 400


def test_a_view_is_registered_once() -> None:
    with pytest.raises(ValueError, match="registered twice"):
        page_view("network", title="x", description="x", route="/viz/x")(lambda G: None)
