"""Liveness, counts, and who the caller is."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api import __version__
from api.auth import Reader
from api.models import Health, Me, Stats, errors
from api.routes.common import blocking
from api.state import State, StoreDep
from graph.read.stats import stats as read_stats

router = APIRouter()


@router.get(
    "/health",
    response_model=Health,
    tags=["system"],
    summary="Liveness and a store ping",
    responses={503: {"model": Health, "description": "The graph store does not answer."}},
)
def health(state: State) -> JSONResponse:
    """Always answers without a key. 200 when the graph store answers a ping, 503 when not."""
    store = state.store
    reachable = bool(store is not None and store.ping())
    body = Health(
        status="ok" if reachable else "unavailable",
        store={"engine": getattr(store, "engine", "unknown"), "reachable": reachable},
        version=__version__,
    )
    return JSONResponse(body.model_dump(), status_code=200 if reachable else 503)


@router.get(
    "/api/stats",
    response_model=Stats,
    tags=["system"],
    summary="Counts by kind and type",
    responses=errors(401, 503),
)
@blocking
def stats(who: Reader, store: StoreDep) -> dict:
    """Actors and initiatives by kind, relationships by type (only those the caller may see)."""
    return read_stats(store, include_confidential=who.sees_confidential)


@router.get(
    "/api/me",
    response_model=Me,
    tags=["system"],
    summary="Who the key belongs to",
    responses=errors(401),
)
def me(who: Reader, state: State) -> Me:
    """The caller's key name and role, and whether confidential relationships are shown."""
    return Me(
        name=who.name,
        role=who.role,  # type: ignore[arg-type]
        anonymous=who.anonymous,
        sees_confidential=who.sees_confidential,
        anonymous_read_allowed=state.settings.allows_anonymous_read,
    )
