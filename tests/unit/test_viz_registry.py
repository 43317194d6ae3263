"""The page-view registry (`viz.views.VIEWS`) is the one list of views: `select_view`,
the pages' routes, the CLI's `--view` and view flags, and docs/visualisation.md all
follow it.
"""

from __future__ import annotations

import re
from typing import Any

import networkx as nx
import pytest
import typer.main

from cli.cmd_viz import VIEW_HELP, View
from cli.main import app
from cli.view_flags import either
from tests.support.paths import ROOT
from viz.routes import make_router
from viz.views import (
    MAX_DEPTH,
    VIEWS,
    ViewError,
    ViewOption,
    page_view,
    select_view,
    view_options,
)

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


def test_cli_view_flags_are_the_registrys_options() -> None:
    """One `scn-graph viz` flag per view option: name, alias, default, bounds and help all
    from its `ViewOption` (the depth limit is `MAX_DEPTH`, not a number of the CLI's)."""
    command = typer.main.get_command(app).commands["viz"]  # type: ignore[attr-defined]
    params = {p.name: p for p in command.params}
    for name, (option, views) in view_options().items():
        flag = params[name]
        assert flag.opts[0] == f"--{name}"
        assert (f"-{option.short}" in flag.opts) == bool(option.short)
        assert flag.default == option.default
        assert flag.help == f"{option.flag_help} for --view {either(list(views))}."
        if option.maximum is not None:
            assert (flag.min, flag.max) == (option.minimum, option.maximum)
    assert params["depth"].max == MAX_DEPTH
    names = [p.name for p in command.params]
    assert names[names.index("view") + 1 : names.index("size_by")] == list(view_options())


def test_a_view_refuses_an_option_it_does_not_take() -> None:
    G = nx.MultiDiGraph()
    G.add_node("x", kind="city", name="X")
    with pytest.raises(ViewError, match="The network view has no option 'depth'") as exc:
        select_view(G, "network", {"depth": 2})
    assert exc.value.status == 400
    assert set(select_view(G, "network", {}).graph) == {"x"}


def test_options_declared_twice_differently_are_refused() -> None:
    taken = next(iter(view_options()))
    page_view(
        "clash",
        title="x",
        description="x",
        route="/viz/clash",
        options=(ViewOption(taken, help="another"),),
    )(lambda G, **_: None)
    try:
        with pytest.raises(ValueError, match=f"declare option {taken!r} differently"):
            view_options()
    finally:
        del VIEWS["clash"]
