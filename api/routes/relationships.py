"""Relationships: list by type, axis, country, cross-border, cross-sector."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from api.auth import Reader
from api.inputs import node_query
from api.models import Axis, RelationshipPage, RelTypeName, StatusName, errors
from api.routes.common import blocking, country_query, limit_query, offset_query
from api.state import StoreDep
from graph.read.relationships import list_relationships as read_relationships

router = APIRouter(prefix="/api/relationships", tags=["relationships"])


@router.get(
    "",
    response_model=RelationshipPage,
    response_model_exclude_unset=True,
    summary="List relationships",
    responses=errors(401, 404, 422, 503),
)
@blocking
def list_relationships(
    who: Reader,
    store: StoreDep,
    type: list[RelTypeName] | None = Query(None, description="Only these types (repeatable)."),
    axis: Axis | None = Query(
        None, description="vertical (different levels) or horizontal (same level)."
    ),
    country: str | None = country_query("With an endpoint in this country"),
    cross_border: bool | None = Query(None, description="Endpoints in different countries."),
    cross_sector: bool | None = Query(
        None, description="Endpoints in different sectors (public, civil, private, international)."
    ),
    status: StatusName | None = Query(None, description="planned, active or ended."),
    node: str | None = node_query("node", "Touching this node."),
    limit: int = limit_query(),
    offset: int = offset_query(),
) -> dict[str, Any]:
    """Relationships matching every filter, by source, type, target. `axis`, `cross_border`
    and `cross_sector` concern actor–actor relationships, so they keep only those."""
    return read_relationships(
        store,
        types=type,
        axis=axis,
        country=country,
        cross_border=cross_border,
        cross_sector=cross_sector,
        status=status,
        node=node,
        limit=limit,
        offset=offset,
        include_confidential=who.sees_confidential,
    )
