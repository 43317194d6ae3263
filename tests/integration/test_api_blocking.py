"""`api.routes.common.blocking`: a plain handler made a coroutine that runs it in the pool.

The wrapped handler must still run off the event loop (a store call on the loop
would stall every other request) and must look to FastAPI exactly like the
plain `def` it wraps: same parameters, dependencies, validation, response
model, OpenAPI schema and errors. A small app, over real HTTP (LiveServer).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Annotated, Any

import httpx
import pytest
from fastapi import Depends, FastAPI, Header, HTTPException, Query
from pydantic import BaseModel

from api.routes.common import blocking
from api.server import LiveServer


class Item(BaseModel):
    id: int
    name: str


def label(x_label: Annotated[str, Header(max_length=10)] = "item") -> str:
    return x_label


@dataclass
class Calls:
    """What the handlers saw, for the test to check."""

    threads: list[int] = field(default_factory=list)
    started: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)


def make_app(calls: Calls) -> FastAPI:
    app = FastAPI()

    def item(
        item_id: int,
        name: Annotated[str, Depends(label)],
        n: Annotated[int, Query(ge=1, le=10, description="A factor.")] = 1,
    ) -> dict[str, Any]:
        """An item; the extra key is not in the response model."""
        calls.threads.append(threading.get_ident())
        if item_id == 404:
            raise HTTPException(404, detail=f"no item {item_id}")
        return {"id": item_id * n, "name": f"{name}-{item_id}", "internal": "secret"}

    app.get("/plain/{item_id}", response_model=Item)(item)
    app.get("/pooled/{item_id}", response_model=Item)(blocking(item))

    @app.get("/thread/pooled")
    @blocking
    def pooled_thread() -> dict[str, int]:
        return {"thread": threading.get_ident()}

    @app.get("/thread/loop")
    async def loop_thread() -> dict[str, int]:
        return {"thread": threading.get_ident()}

    @app.get("/wait")
    @blocking
    def wait() -> dict[str, bool]:
        calls.started.set()
        return {"released": calls.release.wait(10)}

    @app.get("/release")
    async def release() -> dict[str, bool]:
        calls.release.set()
        return {"released": True}

    return app


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[httpx.Client, Calls]]:
    calls = Calls()
    with LiveServer(make_app(calls)) as server, httpx.Client(base_url=server.url) as client:
        yield client, calls


@pytest.fixture
def api(served: tuple[httpx.Client, Calls]) -> httpx.Client:
    return served[0]


@pytest.fixture
def calls(served: tuple[httpx.Client, Calls]) -> Calls:
    served[1].threads.clear()
    return served[1]


def test_the_handler_runs_once_off_the_event_loop(api: httpx.Client, calls: Calls) -> None:
    """The point of the wrapper: store calls never run on the loop's thread."""
    loop = api.get("/thread/loop").json()["thread"]
    for _ in range(3):
        assert api.get("/thread/pooled").json()["thread"] != loop
    assert api.get("/pooled/3").status_code == 200
    assert len(calls.threads) == 1 and calls.threads[0] != loop


def test_the_loop_answers_while_a_wrapped_handler_blocks(api: httpx.Client, calls: Calls) -> None:
    """`/wait` blocks until `/release` (a coroutine, on the loop) has been answered: on the
    loop it would hold the loop and `/release` would wait for it, 10 s, in vain."""
    calls.started.clear()
    calls.release.clear()
    with ThreadPoolExecutor(1) as pool:
        waiting = pool.submit(api.get, "/wait", timeout=20)
        assert calls.started.wait(10)
        assert api.get("/release", timeout=5).json() == {"released": True}
        assert waiting.result().json() == {"released": True}


@pytest.mark.parametrize("route", ["plain", "pooled"])
def test_parameters_dependencies_and_response_model(api: httpx.Client, route: str) -> None:
    r = api.get(f"/{route}/7", params={"n": 3}, headers={"X-Label": "thing"})
    assert r.status_code == 200
    assert r.json() == {"id": 21, "name": "thing-7"}  # `internal` filtered out by the model
    assert api.get(f"/{route}/7").json() == {"id": 7, "name": "item-7"}  # defaults
    for params, headers in [
        ({"n": 0}, {}),  # Query(ge=1)
        ({"n": 11}, {}),  # Query(le=10)
        ({"n": "x"}, {}),
        ({}, {"X-Label": "much-too-long"}),  # the dependency's Header(max_length=10)
    ]:
        r = api.get(f"/{route}/7", params=params, headers=headers)
        assert r.status_code == 422, (params, headers, r.text)
    assert api.get(f"/{route}/seven").status_code == 422  # path parameter: int


def test_errors_are_the_same_as_undecorated(api: httpx.Client) -> None:
    plain, pooled = api.get("/plain/404"), api.get("/pooled/404")
    assert plain.status_code == pooled.status_code == 404
    assert plain.json() == pooled.json() == {"detail": "no item 404"}
    plain, pooled = api.get("/plain/1?n=0"), api.get("/pooled/1?n=0")
    assert plain.status_code == pooled.status_code == 422
    assert plain.json() == pooled.json()


def test_openapi_schema_is_the_same_as_undecorated(api: httpx.Client) -> None:
    paths = api.get("/openapi.json").json()["paths"]
    plain, pooled = paths["/plain/{item_id}"]["get"], paths["/pooled/{item_id}"]["get"]
    names = {(p["name"], p["in"]) for p in pooled["parameters"]}
    assert names == {("item_id", "path"), ("n", "query"), ("x-label", "header")}
    assert plain.pop("operationId") != pooled.pop("operationId")  # named after the path
    assert pooled == plain
    assert pooled["description"] == "An item; the extra key is not in the response model."
