"""OPTIONS, HEAD and 405 over every route of the app, over real HTTP.

For each path the app serves, the expected methods are worked out here from the
routes themselves (every route whose pattern matches the path, HEAD where GET
is served, OPTIONS): OPTIONS must answer with exactly those in `Allow`, a wrong
method must get 405 with the same `Allow`, and HEAD must answer as GET does,
without a body.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.routing import iter_route_contexts
from starlette.routing import Mount

from tests.support.api import DATA, Api, running_api

WRONG_FIRST = ("DELETE", "PUT", "PATCH", "POST", "GET")


@pytest.fixture(scope="module")
def api(server_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    work = tmp_path_factory.mktemp("api-methods")
    with running_api(server_dir, work, data=DATA, anonymous_read=True) as running:
        yield running


def served_paths(api: Api) -> dict[str, set[str]]:
    """Each concrete path the app's routes serve, and the methods expected for it."""
    contexts = list(iter_route_contexts(api.server.app.routes))
    paths: dict[str, set[str]] = {}
    for rc in contexts:
        if isinstance(rc.original_route, Mount):
            paths.setdefault(rc.path.rstrip("/") + "/x", set()).update({"GET"})
            continue
        concrete = re.sub(r"\{[^}]+\}", "x", rc.path)
        for other in contexts:
            if not isinstance(other.original_route, Mount) and other.path_regex.match(concrete):
                paths.setdefault(concrete, set()).update(other.methods or ())
    for methods in paths.values():
        if "GET" in methods:
            methods.add("HEAD")
        methods.add("OPTIONS")
    return paths


def allow(r: httpx.Response) -> set[str]:
    return {m.strip() for m in r.headers.get("allow", "").split(",") if m.strip()}


def test_options_lists_exactly_the_methods_of_every_route(api: Api) -> None:
    paths = served_paths(api)
    assert "/api/actors" in paths and {"GET", "POST"} <= paths["/api/actors"]
    with api.client() as client:
        for path, expected in paths.items():
            r = client.options(path)
            assert r.status_code in (200, 204), (path, r.status_code, r.text)
            assert allow(r) == expected, path
            assert not any(h.lower().startswith("access-control-") for h in r.headers), path
        assert client.options("/no/such/path").status_code == 404


def test_a_wrong_method_gets_405_with_the_routes_allow_header(api: Api) -> None:
    with api.client("editor") as client:
        for path, expected in served_paths(api).items():
            wrong = next(m for m in WRONG_FIRST if m not in expected)
            r = client.request(wrong, path)
            assert r.status_code == 405, (wrong, path, r.status_code)
            assert allow(r) == expected, (wrong, path)
            assert r.json()["error"]["status"] == 405


def test_head_answers_as_get_without_a_body(api: Api) -> None:
    with api.client("reader", follow_redirects=False) as client:
        for path, expected in served_paths(api).items():
            if "GET" not in expected:
                continue
            got, head = client.get(path), client.head(path)
            assert head.status_code == got.status_code, path
            assert head.content == b"", path
            assert head.headers.get("content-type") == got.headers.get("content-type"), path
