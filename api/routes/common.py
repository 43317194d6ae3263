"""Query parameters shared by several routes."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import ParamSpec, TypeVar

from fastapi import Query
from starlette.concurrency import run_in_threadpool

from api.inputs import country_query
from graph.read.shaping import MAX_LIMIT

P = ParamSpec("P")
T = TypeVar("T")

__all__ = ["blocking", "country_query", "limit_query", "offset_query"]


def limit_query(default: int = 50) -> int:
    return Query(default, ge=1, le=MAX_LIMIT, description=f"Items per page (1–{MAX_LIMIT}).")


def offset_query() -> int:
    return Query(0, ge=0, le=10_000_000, description="Items to skip (for the next pages).")


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
