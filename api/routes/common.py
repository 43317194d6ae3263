"""Query parameters and helpers shared by several routes."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any, ParamSpec, TypeVar

from fastapi import Query
from starlette.concurrency import run_in_threadpool

from api.inputs import country_query
from graph.read.neighbourhood import MAX_DEPTH, MAX_NEIGHBOURHOOD_NODES
from graph.read.neighbourhood import neighbourhood as read_neighbourhood
from graph.read.shaping import MAX_LIMIT

P = ParamSpec("P")
T = TypeVar("T")

__all__ = [
    "blocking",
    "country_query",
    "depth_query",
    "family_neighbourhood",
    "limit_query",
    "max_nodes_query",
    "offset_query",
    "revision_query",
]


def limit_query(default: int = 50) -> int:
    return Query(default, ge=1, le=MAX_LIMIT, description=f"Items per page (1–{MAX_LIMIT}).")


def offset_query() -> int:
    return Query(0, ge=0, le=10_000_000, description="Items to skip (for the next pages).")


def depth_query(what: str = "actor") -> int:
    return Query(1, ge=1, le=MAX_DEPTH, description=f"Hops from the {what} (1–{MAX_DEPTH}).")


def max_nodes_query() -> int:
    return Query(
        MAX_NEIGHBOURHOOD_NODES,
        ge=1,
        le=10_000,
        description="Most nodes returned, nearest first; `truncated` says if some were left out.",
    )


def family_neighbourhood(
    store: Any, node_id: str, family: str, depth: int, max_nodes: int, *, visible: bool
) -> dict[str, Any] | None:
    """The neighbourhood of `node_id` when it is a node of `family` ("actor" or
    "initiative"), else None: each resource's route answers for its own nodes only."""
    result = read_neighbourhood(
        store, node_id, depth, include_confidential=visible, max_nodes=max_nodes
    )
    return result if result and result["nodes"][0].get("family") == family else None


#: The largest revision number a query may name (a larger one is a 422, never a 500).
MAX_REVISION = 2**53


def revision_query(description: str, default: int | None = None) -> int | None:
    """A revision number: 0 (the start) up to the newest; an unknown one is a 422."""
    return Query(default, ge=0, le=MAX_REVISION, description=description, examples=[3])


BASIS_PATTERN = r"^(?i:stated|any)$"


def basis_query() -> str:
    return Query(
        "any",
        pattern=BASIS_PATTERN,
        description=(
            "stated: analyse only what the sources state (inferred nodes, with their "
            "relationships, and inferred relationships left out); any (default): all. Any case."
        ),
        examples=["stated"],
    )


def blocking(handler: Callable[P, T]) -> Callable[P, Awaitable[T]]:
    """Run a handler that talks to the store in the worker pool, in one hop.

    FastAPI runs a plain `def` handler in its thread pool and then, for the
    response model, validates the answer in the pool again: two hand-offs
    between the event loop and a worker per request, each about 0.1 ms of CPU
    (measured on /api/actors/{id}). Wrapped, the handler is a coroutine to
    FastAPI: the store work still runs off the event loop, once, and the
    validation of the (small) answer runs on the loop. The signature is kept
    (`functools.wraps`), so parameters and the OpenAPI schema are unchanged.
    """

    @functools.wraps(handler)
    async def in_pool(*args: P.args, **kwargs: P.kwargs) -> T:
        return await run_in_threadpool(handler, *args, **kwargs)

    return in_pool
