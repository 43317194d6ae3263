"""Shortest path between two actors, with the relationship types on the way."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from api.auth import Reader
from api.errors import not_found
from api.inputs import named
from api.models import PathOut, RelTypeName, errors
from api.routes.common import blocking
from api.state import AnalysisDep, StoreDep
from graph.read.paths import DEFAULT_MAX_HOPS, MAX_HOPS
from graph.read.paths import shortest_path as read_path

router = APIRouter(tags=["paths"])


@router.get(
    "/api/path",
    response_model=PathOut,
    summary="Shortest path between two actors",
    responses=errors(401, 404, 422, 503),
)
@blocking
def shortest_path(
    who: Reader,
    store: StoreDep,
    analysis: AnalysisDep,
    source: str = Query(
        ...,
        min_length=1,
        max_length=200,
        description="Start, e.g. leeds: its id, or its exact name in any case.",
    ),
    target: str = Query(
        ..., min_length=1, max_length=200, description="End: its id, or its exact name."
    ),
    max_hops: int = Query(DEFAULT_MAX_HOPS, ge=1, le=MAX_HOPS),
    type: list[RelTypeName] | None = Query(
        None, description="Walk only these relationship types (repeatable)."
    ),
    actors_only: bool = Query(False, description="Keep initiatives out of the middle of the path."),
) -> dict[str, Any]:
    """One shortest path (fewest hops), ignoring direction, through relationships the caller
    may see. Each step names the relationship type and whether it runs forward (stored
    from→to) or backward. `found: false` when there is none within `max_hops`.

    The search walks the graph one Cypher hop at a time, or the in-memory projection
    when the analyses have one cached (same result, much faster)."""
    visible = who.sees_confidential
    ends = [source, target]
    for _ in range(3):  # by id first; an end not found is looked up by name (each once)
        try:
            return read_path(
                store,
                *ends,
                include_confidential=visible,
                graph=analysis.cached_graph(include_confidential=visible),
                max_hops=max_hops,
                types=type,
                actors_only=actors_only,
            )
        except KeyError as exc:
            missing = str(exc.args[0])
            node_id = named(store, missing, "Entity")  # 404 with a "did you mean"
            if node_id == missing:
                raise not_found("node", missing) from None
            ends = [node_id if e == missing else e for e in ends]
    raise not_found("node", source)
