"""Export of the whole graph or a filtered part: JSON, GraphML, GEXF (Gephi), CSV."""

from __future__ import annotations

import re
from typing import Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.auth import Reader
from api.errors import ApiError, not_found
from api.models import RelTypeName, StatusName, errors
from api.routes.common import COUNTRY_PATTERN
from api.state import AnalysisDep, StoreDep
from graph import export as writers
from graph import read

router = APIRouter(tags=["export"])

KindName = Literal[
    "city",
    "cso",
    "statutory_service",
    "national_body",
    "private_sector",
    "research",
    "international_org",
    "program",
    "framework",
    "evaluation",
    "resource",
    "event",
]

_CONTENT = {
    "application/json": {"schema": {"type": "object"}},
    "application/graphml+xml": {"schema": {"type": "string"}},
    "application/gexf+xml": {"schema": {"type": "string"}},
    "application/zip": {"schema": {"type": "string", "format": "binary"}},
    "text/csv": {"schema": {"type": "string"}},
}


@router.get(
    "/api/export",
    response_class=Response,
    summary="Download the graph (or part of it) as JSON, GraphML, GEXF or CSV",
    responses={
        200: {"description": "The file, as an attachment.", "content": _CONTENT},
        **errors(401, 404, 422, 503),
    },
)
def export(
    who: Reader,
    store: StoreDep,
    analysis: AnalysisDep,
    format: Literal["json", "graphml", "gexf", "csv"] = Query(
        "json",
        description="json, graphml, gexf (Gephi) or csv (a ZIP of nodes.csv and "
        "edges.csv, or one table with `table`).",
    ),
    country: list[str] | None = Query(
        None,
        description="Only these countries (repeatable ISO codes), with the "
        "country-less nodes linked to them.",
    ),
    kind: list[KindName] | None = Query(None, description="Only nodes of these kinds."),
    type: list[RelTypeName] | None = Query(None, description="Only these relationship types."),
    status: list[StatusName] | None = Query(
        None, description="Only relationships with these statuses."
    ),
    actor: str | None = Query(
        None, max_length=200, description="Only this node's neighbourhood (with `depth`)."
    ),
    depth: int = Query(1, ge=1, le=read.MAX_DEPTH, description="Hops around `actor`."),
    table: Literal["nodes", "edges"] | None = Query(
        None, description="CSV only: one table as text/csv instead of the ZIP."
    ),
) -> Response:
    """Only what the caller may see is exported: for readers and anonymous callers,
    confidential relationships are left out of every format."""
    for c in country or ():
        if not re.match(COUNTRY_PATTERN, c):
            raise ApiError(422, f"country {c!r}: expected an ISO 3166-1 alpha-2 code, e.g. GB")
    if table is not None and format != "csv":
        raise ApiError(422, "`table` applies to format=csv only")
    visible = who.sees_confidential
    try:
        if not country and actor is None:
            G = writers.select(analysis.graph(visible), kinds=kind, types=type, statuses=status)
            meta = {
                "include_confidential": visible,
                "filters": {
                    "countries": [],
                    "kinds": sorted(set(kind or ())),
                    "types": sorted(set(type or ())),
                    "statuses": sorted(set(status or ())),
                    "actor": None,
                    "depth": None,
                },
            }
            content, media, ext = writers.export(G, format, table=table, meta=meta)
        else:
            content, media, ext = read.export_graph(
                store,
                format,
                include_confidential=visible,
                countries=country,
                kinds=kind,
                types=type,
                statuses=status,
                actor=actor,
                depth=depth,
                table=table,
            )
    except KeyError:
        raise not_found("node", str(actor)) from None
    name = "scn-graph"
    if country:
        name += "-" + "-".join(sorted({c.upper() for c in country}))
    if actor:
        name += "-" + re.sub(r"[^a-z0-9_.-]", "_", actor)
    if table:
        name += f"-{table}"
    return Response(
        content,
        media_type=media,
        headers={
            "Content-Disposition": f'attachment; filename="{name}.{ext}"',
            "Cache-Control": "no-store",
        },
    )
