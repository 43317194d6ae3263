"""What a caller types in a URL, read the same way by every route: FastAPI dependencies.

* `country_query(what)`: a `country` query parameter that takes an English name,
  an ISO alpha-2 or alpha-3 code in any case, or a UK nation
  (`graph.countries`); the route gets the alpha-2 code. An unknown country is
  422 with the resolver's "did you mean", never an empty answer.
* `countries(values)`: the same for a repeatable `country`.
* `actor_path()` / `node_query(name)`: an actor id in the path, or a node id in a
  query parameter, that also takes the exact name in any case
  (`graph.read.lookup`). A query parameter is resolved to the id before the
  route runs; a path's actor is found by the route with `by_id_or_name`, which
  tries the id first so that a request by id pays nothing for names. An
  unknown one is 404 "no actor with id 'x'; did you mean <id> (<name>)?"; a
  name several nodes share is 422 listing their ids.
* enumerated parameters (`severity`, `kind`, `format`, …) match in any case:
  `graph.choices.any_case`, used by the vocabulary types of `api.models`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from fastapi import Depends, Path, Query
from starlette.concurrency import run_in_threadpool

from api.errors import ApiError
from api.state import StoreDep
from graph.countries import UnknownCountry, country_code
from graph.read.lookup import AmbiguousName, NoSuchNode, resolve_node

T = TypeVar("T")

COUNTRY_HELP = "an ISO 3166-1 alpha-2 or alpha-3 code or an English name, any case, e.g. GB"


def _code(value: str) -> str:
    try:
        return country_code(value)
    except UnknownCountry as exc:
        raise ApiError(422, f"country: {exc}") from None


def countries(values: Iterable[str] | None) -> list[str] | None:
    """Each country typed, as its alpha-2 code (422 for one that names no country)."""
    return [_code(v) for v in values] if values else None


def country_query(what: str = "Only this country") -> Any:
    """The `country` query parameter of a route, resolved to an alpha-2 code."""

    async def country(  # pure and cached: no worker thread needed
        country: str | None = Query(
            None,
            min_length=1,
            max_length=100,
            description=f"{what}: {COUNTRY_HELP} or 'United Kingdom'.",
            examples=["GB"],
        ),
    ) -> str | None:
        return _code(country) if country and country.strip() else None

    return Depends(country)


def named(store: Any, value: str, label: str = "Actor") -> str:
    """The id of the node of `label` that `value` names (by id or exact name); 404 with
    a "did you mean" when none does, 422 when several share the name. Blocking: call it
    from a route's worker thread, on the path where the id was not found."""
    try:
        return resolve_node(store, value, label=label)
    except NoSuchNode as exc:
        raise ApiError(404, str(exc)) from None
    except AmbiguousName as exc:
        raise ApiError(422, str(exc)) from None


def by_id_or_name(store: Any, value: str, find: Callable[[str], T | None]) -> T:
    """`find(value)` for the actor `value`; when it finds nothing (None, KeyError or a
    404), `find` again for the actor `value` names, or the 404 with a "did you mean".

    The id is tried first, as before, so a request by id costs nothing more; the
    lookup by name runs only when the id is not found.
    """
    try:
        found = find(value)
    except KeyError:
        found = None
    except ApiError as exc:  # a write's own "no actor with id"
        if exc.status != 404:
            raise
        found = None
    if found is not None:
        return found
    node_id = named(store, value)
    again = find(node_id) if node_id != value else None
    if again is None:
        raise ApiError(404, f"no actor with id {value!r}")
    return again


async def _actor_id(
    actor_id: str = Path(
        ...,
        min_length=1,
        max_length=200,
        description="The actor's id (e.g. london) or its exact name in any case.",
    ),
) -> str:
    return actor_id


def actor_path() -> Any:
    """The `{actor_id}` path segment: the route finds it with `by_id_or_name`."""
    return Depends(_actor_id)


def node_query(
    name: str, description: str, *, required: bool = False, label: str = "Entity"
) -> Any:
    """A query parameter `name` naming a node (of `label`) by id or exact name, resolved
    to its id before the route runs (in a worker thread, and only when it is given)."""

    async def node(
        store: StoreDep,
        value: str | None = Query(
            ... if required else None,
            alias=name,
            min_length=1,
            max_length=200,
            description=f"{description} Its id, or its exact name in any case.",
        ),
    ) -> str | None:
        if value is None:
            return None
        return await run_in_threadpool(named, store, value, label)

    return Depends(node)
