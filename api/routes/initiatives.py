"""Initiatives: list with filters; one with who runs, funds, implements, evaluates it;
its neighbourhood (what a page adds when the initiative is double-clicked)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Path, Query

from api.auth import Reader
from api.errors import not_found
from api.inputs import node_query
from api.models import (
    InitiativeDetail,
    InitiativeKind,
    InitiativePage,
    Neighbourhood,
    StatusName,
    errors,
)
from api.routes.common import (
    blocking,
    country_query,
    depth_query,
    family_neighbourhood,
    limit_query,
    max_nodes_query,
    offset_query,
)
from api.state import StoreDep
from graph.read.initiatives import get_initiative as read_initiative
from graph.read.initiatives import list_initiatives as read_initiatives

router = APIRouter(prefix="/api/initiatives", tags=["initiatives"])

InitiativeId = Path(..., min_length=1, max_length=200, description="The initiative's id.")


@router.get(
    "",
    response_model=InitiativePage,
    response_model_exclude_unset=True,
    summary="List initiatives",
    responses=errors(401, 404, 422, 503),
)
@blocking
def list_initiatives(
    who: Reader,
    store: StoreDep,
    kind: InitiativeKind | None = Query(None, description="program, framework, evaluation, …"),
    country: str | None = country_query(),
    status: StatusName | None = Query(None, description="planned, active or ended."),
    theme: str | None = Query(None, max_length=100, description="Only those on this theme."),
    q: str | None = Query(None, min_length=1, max_length=200, description="Text in the name."),
    actor: str | None = node_query(
        "actor", "Only those this actor has a relationship with.", label="Actor"
    ),
    limit: int = limit_query(),
    offset: int = offset_query(),
) -> dict[str, Any]:
    """Initiatives matching every filter, ordered by name, with the `total` over all pages."""
    return read_initiatives(
        store,
        kind=kind,
        country=country,
        status=status,
        theme=theme,
        q=q,
        actor=actor,
        limit=limit,
        offset=offset,
        include_confidential=who.sees_confidential,
    )


@router.get(
    "/{initiative_id}",
    response_model=InitiativeDetail,
    response_model_exclude_unset=True,
    summary="One initiative and who runs, funds, implements and evaluates it",
    responses=errors(401, 404, 422, 503),
)
@blocking
def get_initiative(
    who: Reader,
    store: StoreDep,
    initiative_id: str = InitiativeId,
) -> dict[str, Any]:
    """Its properties and the actors (and initiatives) around it, grouped by role:
    `run_by`, `published_by`, `funded_by`, `implemented_by`, `evaluated_by`,
    `participants`, `contributors`, `informs`, `informed_by`, `evaluates`."""
    found = read_initiative(store, initiative_id, include_confidential=who.sees_confidential)
    if found is None:
        raise not_found("initiative", initiative_id)
    return found


@router.get(
    "/{initiative_id}/neighbourhood",
    response_model=Neighbourhood,
    response_model_exclude_unset=True,
    summary="The initiative's neighbourhood as nodes and edges",
    responses=errors(401, 404, 422, 503),
)
@blocking
def neighbourhood(
    who: Reader,
    store: StoreDep,
    initiative_id: str = InitiativeId,
    depth: int = depth_query("initiative"),
    max_nodes: int = max_nodes_query(),
) -> dict[str, Any]:
    """The nodes within `depth` hops of the initiative (its runners, funders, participants
    and so on, either direction) and the relationships among them, as for an actor."""
    found = family_neighbourhood(
        store, initiative_id, "initiative", depth, max_nodes, visible=who.sees_confidential
    )
    if found is None:
        raise not_found("initiative", initiative_id)
    return found
