"""The FastAPI application: `create_app()` builds it, `scn-graph serve` runs it.

    from api.app import create_app
    app = create_app("embedded:/data?graph=scn")

The store is opened when the app starts (lifespan) and closed when it stops,
unless a `store` object is handed in, which the caller then owns. The pages
(`viz.routes`) are mounted when the viz package is importable; they get the
store and the caller's visibility through `api.state.get_store` and
`api.auth.visibility`, so they follow the same keys and roles. The
documentation pages, `/docs` and `/redoc`, are served from the package by
`api.docs_pages` (FastAPI's own load them from a CDN).
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import RedirectResponse

from api import __version__, docs_pages, errors
from api.audit import AuditLog
from api.auth import visibility
from api.body_limit import BodyLimit
from api.errors import ApiError
from api.keys import KeyStore
from api.methods import MethodsMiddleware
from api.models import errors as error_responses
from api.routes import (
    actors,
    analysis,
    audit,
    export,
    history,
    ingest,
    initiatives,
    login,
    paths,
    query,
    relationships,
    system,
)
from api.sessions import session_store
from api.settings import ENV_HOST, ENV_REQUEST_KB, ENV_UPLOAD_MB, Settings
from api.state import AppState, get_analysis, get_store
from api.upload_files import remove_stale_uploads
from graph.analysis.cache import ResultCache
from graph.store import open_store
from graph.store.base import Store, StoreError

log = logging.getLogger("scn_graph.api")

DESCRIPTION = """
A knowledge graph of who works with whom in locally-led prevention of hate,
extremism and polarisation: actors (cities, CSOs, national bodies, private
sector, research, international organisations), their initiatives, and the
relationships between them — with the partnership **gaps** they leave and
**recommended partners**.

**Keys and roles.** Send an API key as `Authorization: Bearer <key>` (or
`X-API-Key: <key>`); create one with `scn-graph keys add NAME --role ROLE`.

| role | may |
|---|---|
| anonymous | read, if the server allows it (on by default only on 127.0.0.1) |
| reader | read; confidential relationships are never shown |
| analyst | read, including confidential relationships; `POST /api/query` |
| editor | all that, plus uploads, actor edits and the audit log |

**Errors** are JSON: `{"error": {"status": 404, "message": "no actor with id 'x'"}}`,
with `problems` listing every problem for invalid input.

Gap, metric and recommendation results are cached until the next write.
"""

TAGS = [
    {"name": "system", "description": "Liveness, counts, who you are."},
    {"name": "actors", "description": "Actors, their relationships, neighbourhoods, partners."},
    {"name": "initiatives", "description": "Programs, frameworks, evaluations, resources."},
    {"name": "relationships", "description": "Relationships by type, axis, country, sector."},
    {"name": "paths", "description": "Shortest paths between actors."},
    {"name": "analysis", "description": "Gaps, their summary and catalogue, structure."},
    {"name": "history", "description": "Revisions, diffs between them, gaps as of or since one."},
    {"name": "export", "description": "The graph as JSON, GraphML, GEXF or CSV."},
    {"name": "query", "description": "Read-only Cypher for analysts."},
    {"name": "write", "description": "Uploads and actor edits for editors (audited)."},
    {"name": "audit", "description": "The audit log."},
    {"name": "pages", "description": "The network and report pages (HTML)."},
]


def create_app(
    store_uri: str | None = None,
    settings: Settings | None = None,
    *,
    store: Store | None = None,
) -> FastAPI:
    """The API app for a store (URI, or an open `store` the caller keeps ownership of)."""
    settings = settings or Settings.from_env()
    if store_uri is not None:
        settings = settings.with_(store_uri=store_uri)
    if store is not None and settings.store_uri is None:
        settings = settings.with_(store_uri=store.uri)
    store_id = settings.store_id
    state = AppState(
        settings=settings,
        keys=KeyStore(settings.resolved_keys_file, store_id),
        audit=AuditLog(settings.resolved_audit_file, store_id),
        cache=ResultCache(settings.cache_entries),
        sessions=session_store(settings),
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        remove_stale_uploads(settings.upload_tmp_dir)
        owned = store is None
        if store is not None:
            state.attach(store)
        else:
            try:
                state.attach(open_store(settings.store_uri))
            except StoreError as exc:
                state.store_error = str(exc)
                log.error("cannot open the graph store: %s", exc)
        try:
            yield
        finally:
            if owned and state.store is not None:
                state.store.close()

    app = FastAPI(
        title="scn-graph API",
        version=__version__,
        description=DESCRIPTION,
        openapi_tags=TAGS,
        lifespan=lifespan,
        dependencies=[Depends(single_valued_query)],
        docs_url=None,  # docs_pages serves /docs and /redoc from the package, offline
        redoc_url=None,
    )
    app.state.scn = state
    app.add_middleware(
        BodyLimit,
        upload_max_bytes=settings.upload_max_bytes,
        request_max_bytes=settings.request_max_bytes,
        upload_setting=ENV_UPLOAD_MB,
        request_setting=ENV_REQUEST_KB,
    )
    errors.install(app)
    docs_pages.install(app)
    app.add_middleware(MethodsMiddleware, routes=app.router.routes)
    for module in (
        system,
        actors,
        initiatives,
        relationships,
        paths,
        analysis,
        history,
        export,
        query,
        ingest,
        audit,
        login,
    ):
        app.include_router(module.router)
    if settings.mount_pages:
        _mount_pages(app)

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/docs")

    return app


async def single_valued_query(request: Request) -> None:
    """Refuse a query parameter given twice where it takes one value.

    Frameworks usually keep the last value silently, so `?country=GB&country=FR`
    would answer for France alone; here it is a 422 that says so. Which parameters
    take lists is read from the app's own OpenAPI document.
    """
    counts = Counter(k for k, _ in request.query_params.multi_items())
    repeated = {k: n for k, n in counts.items() if n > 1}
    if not repeated:
        return
    route = request.scope.get("route")
    path = getattr(route, "path", None)
    if path is None:
        return
    scalars = _scalar_query_params(request.app).get((request.method.lower(), path), set())
    bad = sorted(k for k in repeated if k in scalars)
    if bad:
        raise ApiError(
            422,
            f"query parameter {bad[0]!r} was given {repeated[bad[0]]} times; it takes one value",
            problems=[
                {"location": f"query {k}", "message": f"given {repeated[k]} times; takes one value"}
                for k in bad
            ],
        )


def _scalar_query_params(app: FastAPI) -> dict[tuple[str, str], set[str]]:
    cached = getattr(app.state, "scalar_query_params", None)
    if cached is None:
        cached = {}
        for path, ops in app.openapi().get("paths", {}).items():
            for method, op in ops.items():
                if not isinstance(op, dict):
                    continue
                names = set()
                for p in op.get("parameters", []):
                    if p.get("in") == "query" and not _is_array(p.get("schema", {})):
                        names.add(p["name"])
                cached[(method, path)] = names
        app.state.scalar_query_params = cached
    return cached  # type: ignore[no-any-return]


def _is_array(schema: dict[str, Any]) -> bool:
    if schema.get("type") == "array":
        return True
    return any(_is_array(s) for s in schema.get("anyOf", []) + schema.get("oneOf", []))


def _mount_pages(app: FastAPI) -> None:
    try:
        from viz.routes import make_router
    except ImportError as exc:  # the pages are optional; the API works without them
        log.info("pages not mounted: %s", exc)
        return
    app.include_router(
        make_router(get_store, visibility, get_analysis=get_analysis),
        responses=error_responses(401, 404, 422, 503, html_route=True),
    )


def app_from_env() -> FastAPI:
    """The app as `scn-graph serve` runs it with several workers (uvicorn factory).

    Started this way the app cannot see which address uvicorn listens on, so
    unless SCN_GRAPH_HOST says it is a loopback address, anonymous reading is
    off (fail closed) — `uvicorn --factory api.app:app_from_env --host 0.0.0.0`
    must not open the graph to everyone.
    """
    settings = Settings.from_env()
    if not os.environ.get(ENV_HOST):
        settings = settings.with_(host="unknown")
    return create_app(settings=settings)


def openapi_schema(**kwargs: Any) -> dict[str, Any]:
    """The OpenAPI document (for docs and tests), without opening a store."""
    return create_app(**kwargs).openapi()
