"""Actors: list, one, neighbourhood, recommendations; editors create, change, delete."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Query, Request, Response

from api import writes
from api.analysis import answer
from api.auth import Editor, Reader
from api.errors import ApiError
from api.inputs import actor_path, by_id_or_name, named, node_query
from api.models import (
    Actor,
    ActorDetail,
    ActorIn,
    ActorKind,
    ActorPage,
    ActorPatch,
    ActorReplace,
    ActorWriteOut,
    DeleteOut,
    LevelName,
    Neighbourhood,
    Recommendations,
    errors,
)
from api.routes.common import (
    basis_query,
    blocking,
    country_query,
    depth_query,
    family_neighbourhood,
    limit_query,
    max_nodes_query,
    offset_query,
)
from api.state import AnalysisDep, State, StoreDep
from graph.read.actors import get_actor as read_actor
from graph.read.actors import list_actors as read_actors

router = APIRouter(prefix="/api/actors", tags=["actors"])

#: The actor in the path: its id or its exact name (`by_id_or_name`; 404 with a hint).
ActorId = actor_path()


@router.get(
    "",
    response_model=ActorPage,
    response_model_exclude_unset=True,
    summary="List actors",
    responses=errors(401, 404, 422, 503),
)
@blocking
def list_actors(
    who: Reader,
    store: StoreDep,
    kind: ActorKind | None = Query(None, description="Only this kind."),
    country: str | None = country_query(),
    level: LevelName | None = Query(None, description="local, national or international."),
    theme: str | None = Query(None, max_length=100, description="Only actors working on it."),
    q: str | None = Query(
        None, min_length=1, max_length=200, description="Text in the name (any case)."
    ),
    city: str | None = node_query("city", "Only actors of this city.", label="Actor"),
    limit: int = limit_query(),
    offset: int = offset_query(),
) -> dict[str, Any]:
    """Actors matching every filter given, ordered by name, with the `total` over all pages."""
    return read_actors(
        store,
        kind=kind,
        country=country,
        level=level,
        theme=theme,
        q=q,
        city=city,
        limit=limit,
        offset=offset,
        include_confidential=who.sees_confidential,
    )


@router.get(
    "/{actor_id}",
    response_model=ActorDetail,
    response_model_exclude_unset=True,
    summary="One actor, its relationships and gaps",
    responses=errors(401, 404, 422, 503),
)
@blocking
def get_actor(
    who: Reader,
    store: StoreDep,
    analysis: AnalysisDep,
    response: Response,
    actor_id: str = ActorId,
    gaps: bool = Query(True, description="Include the gap findings about this actor."),
) -> dict[str, Any]:
    """The actor's properties, every relationship the caller may see (with the node at the
    other end) and, unless `gaps=false`, the gap findings it is a subject of — from the last
    complete analysis while a newer one is computed (`gaps_generation`, `gaps_stale`)."""
    visible = who.sees_confidential
    actor = by_id_or_name(
        store, actor_id, lambda i: read_actor(store, i, include_confidential=visible)
    )
    actor_id = actor["id"]
    actor["gaps"] = None
    if gaps:
        found = answer(analysis, response, visible=visible)
        mine = analysis.gaps_of(actor_id, include_confidential=visible, generation=found.generation)
        actor.update(
            gaps=[f.to_dict() for f in mine],
            gaps_generation=found.generation,
            gaps_stale=found.stale,
        )
    return actor


@router.get(
    "/{actor_id}/neighbourhood",
    response_model=Neighbourhood,
    response_model_exclude_unset=True,
    summary="The actor's neighbourhood as nodes and edges",
    responses=errors(401, 404, 422, 503),
)
@blocking
def neighbourhood(
    who: Reader,
    store: StoreDep,
    actor_id: str = ActorId,
    depth: int = depth_query("actor"),
    max_nodes: int = max_nodes_query(),
) -> dict[str, Any]:
    """Nodes within `depth` hops (either direction) and the relationships among them. Hops
    go only through relationships the caller may see."""
    return by_id_or_name(
        store,
        actor_id,
        lambda i: family_neighbourhood(
            store, i, "actor", depth, max_nodes, visible=who.sees_confidential
        ),
    )


@router.get(
    "/{actor_id}/recommendations",
    response_model=Recommendations,
    summary="Recommended partners for the actor",
    responses=errors(401, 404, 422, 503),
)
@blocking
def recommendations(
    who: Reader,
    analysis: AnalysisDep,
    response: Response,
    actor_id: str = ActorId,
    limit: int = Query(10, ge=1, le=100, description="How many partners."),
    basis: str = basis_query(),
) -> dict[str, Any]:
    """Candidate partners ranked by the score of docs/recommendations.md, each with its
    score's components (a number and a reason each), and in `pending` the actors it
    already has a proposed or planned tie with. Cached per generation; from the last
    complete analysis while a newer one is computed (header `X-Analysis-Generation`)."""
    visible = who.sees_confidential
    found = answer(analysis, response, visible=visible, basis=basis)
    return by_id_or_name(
        analysis.store,
        actor_id,
        lambda i: analysis.recommendations(
            i,
            limit=limit,
            include_confidential=visible,
            generation=found.generation,
            basis=basis,
        ),
    )


# --------------------------------------------------------------------------- writes

DryRun = Query(False, description="Validate and report what would change; write nothing.")


@router.post(
    "",
    response_model=ActorWriteOut,
    response_model_exclude_unset=True,
    status_code=201,
    summary="Create an actor (editor)",
    responses=errors(400, 401, 403, 409, 422, 503),
)
@blocking
def create_actor(
    request: Request,
    who: Editor,
    state: State,
    store: StoreDep,
    body: ActorIn = Body(...),
    dry_run: bool = DryRun,
) -> dict[str, Any]:
    """Validated exactly as an ingested record (countries normalised, `city` must be a city,
    likely duplicates warned about). 409 if the id is taken."""
    return writes.create_actor(state, store, who, body, dry_run=dry_run, request=request)


@router.put(
    "/{actor_id}",
    response_model=ActorWriteOut,
    response_model_exclude_unset=True,
    summary="Replace an actor (editor)",
    responses=errors(400, 401, 403, 404, 409, 422, 503),
)
@blocking
def replace_actor(
    request: Request,
    who: Editor,
    state: State,
    store: StoreDep,
    actor_id: str = ActorId,
    body: ActorReplace = Body(...),
    dry_run: bool = DryRun,
) -> dict[str, Any]:
    """Every field as given (fields left out are removed; `sources` accumulate). Its
    relationships are re-classified and re-checked: a change of kind that would make one
    invalid (e.g. a TWINNED_WITH that is not city–city) is refused with 422."""
    if body.id is not None and body.id != actor_id:
        named_id = named(store, actor_id)  # a name in the path may name the body's id
        if body.id != named_id:
            raise ApiError(
                422, f"the body's id {body.id!r} differs from the id in the path {actor_id!r}"
            )
        actor_id = named_id
    record = body.model_dump(exclude_none=True)

    def replace(node_id: str) -> dict[str, Any]:
        return writes.update_actor(
            state, store, who, node_id, record | {"id": node_id}, replace=True,
            dry_run=dry_run, request=request,
        )  # fmt: skip

    return by_id_or_name(store, actor_id, replace)


@router.patch(
    "/{actor_id}",
    response_model=ActorWriteOut,
    response_model_exclude_unset=True,
    summary="Change some fields of an actor (editor)",
    responses=errors(400, 401, 403, 404, 409, 422, 503),
)
@blocking
def patch_actor(
    request: Request,
    who: Editor,
    state: State,
    store: StoreDep,
    actor_id: str = ActorId,
    body: ActorPatch = Body(...),
    dry_run: bool = DryRun,
) -> dict[str, Any]:
    """Only the fields sent change; `null` removes an optional field."""
    changes = {k: getattr(body, k) for k in body.model_fields_set}
    for required in ("name", "kind"):
        if required in changes and changes[required] is None:
            raise ApiError(422, f"{required} cannot be removed")
    return by_id_or_name(
        store,
        actor_id,
        lambda i: writes.update_actor(
            state, store, who, i, changes, replace=False, dry_run=dry_run, request=request
        ),
    )


@router.delete(
    "/{actor_id}",
    response_model=DeleteOut,
    summary="Delete an actor and its relationships (editor)",
    responses=errors(401, 403, 404, 409, 503),
)
@blocking
def delete_actor(
    request: Request, who: Editor, state: State, store: StoreDep, actor_id: str = ActorId
) -> dict[str, Any]:
    """Deletes the actor with all its relationships, in one transaction. 409 if other actors
    name it as their `city` (change those first)."""
    return by_id_or_name(
        store, actor_id, lambda i: writes.delete_actor(state, store, who, i, request=request)
    )


__all__ = ["Actor", "router"]
