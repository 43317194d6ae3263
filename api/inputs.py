"""What a caller types in a URL, read the same way by every route: FastAPI dependencies.

* `country_query(what)`: a `country` query parameter that takes an English name,
  an ISO alpha-2 or alpha-3 code in any case, or a UK nation
  (`graph.countries`); the route gets the alpha-2 code. An unknown country is
  422 with the resolver's "did you mean", never an empty answer.
* `countries(values)`: the same for a repeatable `country`.
* `actor_path()` / `node_query(name)`: an actor id in the path, or a node id in a
  query parameter, that also takes the exact name in any case
  (`graph.read.lookup`); the route gets the id. An unknown one is 404 "no actor
  with id 'x'; did you mean <id> (<name>)?"; a name several nodes share is 422
  listing their ids.
* enumerated parameters (`severity`, `kind`, `format`, …) match in any case:
  `graph.choices.any_case`, used by the vocabulary types of `api.models`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fastapi import Depends, Path, Query

from api.errors import ApiError
from api.state import StoreDep
from graph.countries import UnknownCountry, country_code
from graph.read.lookup import AmbiguousName, NoSuchNode, resolve_node

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

    def country(
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


def _resolved(store: Any, value: str, label: str) -> str:
    try:
        return resolve_node(store, value, label=label)
    except NoSuchNode as exc:
        raise ApiError(404, str(exc)) from None
    except AmbiguousName as exc:
        raise ApiError(422, str(exc)) from None


def _actor_id(
    store: StoreDep,
    actor_id: str = Path(
        ...,
        min_length=1,
        max_length=200,
        description="The actor's id (e.g. london) or its exact name in any case.",
    ),
) -> str:
    return _resolved(store, actor_id, "Actor")


def actor_path() -> Any:
    """The `{actor_id}` path segment, resolved to the id of the actor it names."""
    return Depends(_actor_id)


def node_query(
    name: str, description: str, *, required: bool = False, label: str = "Entity"
) -> Any:
    """A query parameter `name` naming a node (of `label`) by id or exact name."""

    def node(
        store: StoreDep,
        value: str | None = Query(
            ... if required else None,
            alias=name,
            min_length=1,
            max_length=200,
            description=f"{description} Its id, or its exact name in any case.",
        ),
    ) -> str | None:
        return _resolved(store, value, label) if value is not None else None

    return Depends(node)
