"""The routes the docs name are the routes the app serves, both ways.

docs/api.md and docs/visualisation.md list routes in tables whose first cell
is `METHOD /path`. Every such route must be in the app's OpenAPI document or,
for the routes kept out of it (sign-in, the framework's own documentation
pages), in the app's route table; and every route the app serves must be in
one of the two tables. Path parameters are compared by position only
(`{id}` in the docs is `{actor_id}` in the app), and a query string in the
docs (`/api/path?source=&target=`) is not part of the route.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi import FastAPI

from api.app import create_app
from api.settings import Settings
from tests.support.paths import ROOT

DOCS = ROOT / "docs"
ROUTE_DOCS = ("api.md", "visualisation.md")
#: A table row whose first cell is a route: | `GET /api/actors/{id}` | ...
ROUTE_ROW = re.compile(r"^\|\s*`(GET|POST|PUT|PATCH|DELETE) (/[^`\s]*)`\s*\|", re.M)
#: Methods the framework answers by itself for every GET route.
IMPLIED_METHODS = {"HEAD", "OPTIONS"}

Routes = set[tuple[str, str]]

try:  # FastAPI that keeps included routers as such lists their routes through this
    from fastapi.routing import iter_route_contexts as _routes_of
except ImportError:  # older FastAPI: app.routes holds every route itself

    def _routes_of(routes: Any) -> Any:
        return iter(routes)


def _normalise(path: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", path.split("?", 1)[0])


def documented(name: str) -> Routes:
    text = (DOCS / name).read_text(encoding="utf-8")
    return {(method, _normalise(path)) for method, path in ROUTE_ROW.findall(text)}


@pytest.fixture(scope="module")
def app() -> FastAPI:
    """The app as `scn-graph serve` builds it, pages mounted (no store is opened)."""
    return create_app(settings=Settings.from_env().with_(mount_pages=True))


def openapi_routes(app: FastAPI) -> Routes:
    return {
        (method.upper(), _normalise(path))
        for path, ops in app.openapi()["paths"].items()
        for method in ops
    }


def served_routes(app: FastAPI) -> Routes:
    """Every route of the app's route table, in the OpenAPI document or not."""
    out: Routes = set()
    for route in _routes_of(app.routes):
        methods = set(getattr(route, "methods", None) or ()) - IMPLIED_METHODS
        out |= {(m, _normalise(route.path)) for m in methods}
    return out


def test_the_docs_list_routes() -> None:
    """The parser finds the tables (a reworded table must not make the checks vacuous)."""
    assert ("GET", "/api/actors/{}") in documented("api.md")
    assert ("GET", "/viz/actors/{}") in documented("visualisation.md")


def test_every_documented_route_exists(app: FastAPI) -> None:
    served, in_schema = served_routes(app), openapi_routes(app)
    assert in_schema <= served
    for name in ROUTE_DOCS:
        missing = documented(name) - served
        assert not missing, f"docs/{name} lists routes the app does not serve: {sorted(missing)}"


def test_every_served_route_is_documented(app: FastAPI) -> None:
    docs: Routes = set().union(*(documented(name) for name in ROUTE_DOCS))
    missing = served_routes(app) - docs
    assert not missing, (
        f"routes in neither docs/api.md nor docs/visualisation.md: {sorted(missing)}"
    )


def test_every_openapi_route_is_in_a_routes_table(app: FastAPI) -> None:
    docs: Routes = set().union(*(documented(name) for name in ROUTE_DOCS))
    missing = openapi_routes(app) - docs
    assert not missing, f"OpenAPI operations without a docs row: {sorted(missing)}"


def test_pages_are_documented_with_the_pages(app: FastAPI) -> None:
    """The HTML pages' routes are the table of docs/visualisation.md, and only those."""
    pages = {
        (method.upper(), _normalise(path))
        for path, ops in app.openapi()["paths"].items()
        for method, op in ops.items()
        if "pages" in op.get("tags", [])
    }
    assert pages and documented("visualisation.md") == pages
    assert not documented("api.md") & pages
