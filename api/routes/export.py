"""Export of the whole graph or a filtered part, in every registered format
(`graph.export.FORMATS`: GraphML, GEXF, and JSON, YAML, CSV and XLSX, which are
ingest input)."""

from __future__ import annotations

import re

from fastapi import APIRouter, Query
from fastapi.responses import Response

import ingest.export_formats  # noqa: F401  (registers the formats that are ingest input)
from api.auth import Reader
from api.errors import ApiError, not_found
from api.inputs import countries, node_query
from api.models import KindName, RelTypeName, StatusName, errors
from api.state import AnalysisDep, StoreDep
from graph import export as writers
from graph.choices import any_case
from graph.read.export import export_graph
from graph.read.neighbourhood import MAX_DEPTH

router = APIRouter(tags=["export"])

# The `format` parameter, its wording and the response types, from the registry.
FormatName = any_case(writers.FORMATS)
TableName = any_case(tuple(dict.fromkeys(t for f in writers.FORMATS.values() for t in f.tables)))
_WITH_TABLES = [f.name for f in writers.FORMATS.values() if f.tables]


def _either(words: list[str]) -> str:
    return ", ".join(words[:-1]) + f" or {words[-1]}" if len(words) > 1 else "".join(words)


def _schema(f: writers.ExportFormat) -> dict[str, str]:
    if f.media_type == "application/json":
        return {"type": "object"}
    return {"type": "string", "format": "binary"} if f.binary else {"type": "string"}


_CONTENT = {f.media_type: {"schema": _schema(f)} for f in writers.FORMATS.values()} | {
    f.table_media_type.split(";")[0]: {"schema": {"type": "string"}}
    for f in writers.FORMATS.values()
    if f.table_media_type
}


@router.get(
    "/api/export",
    response_class=Response,
    summary="Download the graph (or part of it) as "
    + _either([f.title for f in writers.FORMATS.values()]),
    responses={
        200: {"description": "The file, as an attachment.", "content": _CONTENT},
        **errors(401, 404, 422, 503),
    },
)
def export(
    who: Reader,
    store: StoreDep,
    analysis: AnalysisDep,
    format: FormatName = Query(
        writers.DEFAULT_FORMAT,
        description=_either([f.described for f in writers.FORMATS.values()]) + ".",
    ),
    country: list[str] | None = Query(
        None,
        max_length=100,
        description="Only these countries (repeatable; ISO codes or English names, any "
        "case), with the country-less nodes linked to them.",
    ),
    kind: list[KindName] | None = Query(None, description="Only nodes of these kinds."),
    type: list[RelTypeName] | None = Query(None, description="Only these relationship types."),
    status: list[StatusName] | None = Query(
        None, description="Only relationships with these statuses."
    ),
    actor: str | None = node_query("actor", "Only this node's neighbourhood (with `depth`)."),
    depth: int = Query(1, ge=1, le=MAX_DEPTH, description="Hops around `actor`."),
    table: TableName | None = Query(  # type: ignore[valid-type]
        None, description="CSV only: one section file as text/csv instead of the ZIP."
    ),
) -> Response:
    """Only what the caller may see is exported: for readers and anonymous callers,
    confidential relationships are left out of every format."""
    country = countries(country)
    if table is not None and format not in _WITH_TABLES:
        raise ApiError(422, f"`table` applies to format={' or '.join(_WITH_TABLES)} only")
    visible = who.sees_confidential
    # the whole graph is exported from the cached projection
    cached = analysis.graph(include_confidential=visible) if not country and actor is None else None
    try:
        content, media, ext = export_graph(
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
            graph=cached,
        )
    except KeyError:
        raise not_found("node", str(actor)) from None
    name = "scn-graph"
    if country:
        name += "-" + "-".join(sorted(set(country)))
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
