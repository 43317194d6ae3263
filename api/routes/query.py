"""Read-only Cypher for analysts, bounded: rows, bytes, time, memory, queries at once."""

from __future__ import annotations

import json
import math
import time
from typing import Any

from fastapi import APIRouter

from api.auth import Analyst
from api.errors import ApiError
from api.models import QueryIn, QueryOut, errors
from api.routes.common import blocking
from api.state import State, StoreDep
from graph.store.analyst import reads_files
from graph.store.base import (
    QueryResult,
    QueryTimeout,
    QueryTooLarge,
    ReadOnlyViolation,
    Store,
    StoreError,
)

router = APIRouter(tags=["query"])


READ_ONLY_MESSAGE = (
    "this query would change the graph (CREATE, MERGE, SET, DELETE, REMOVE, index changes or "
    "a write procedure), and only read queries may run here; nothing was changed. Change "
    "data with POST /api/ingest or the /api/actors endpoints (editor key)"
)


def _plain(value: Any) -> Any:
    """JSON-safe: NaN and infinities become null, anything unknown its text."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


@router.post(
    "/api/query",
    response_model=QueryOut,
    summary="Run read-only Cypher (analyst)",
    responses=errors(400, 401, 403, 408, 422, 429, 503),
)
@blocking
def run_query(body: QueryIn, who: Analyst, state: State, store: StoreDep) -> dict[str, Any]:
    """The database runs the query in its read-only mode (GRAPH.RO_QUERY on FalkorDB, a
    READ session on Neo4j), so any write — CREATE, MERGE, SET, DELETE, REMOVE, index
    changes, write procedures — is refused by the engine itself with 403 and changes
    nothing. At most `limit` rows (capped by the server's row cap) are returned, and the
    engine stops producing rows past them; `truncated` says when there were more (or when
    the rows passed the largest answer, `truncated_by: "bytes"`). A query running past
    its time limit is stopped (408); one past the per-query memory limit too (422). At
    most `SCN_GRAPH_QUERY_CONCURRENCY` queries run at once; more get 429 with
    Retry-After. `LOAD CSV` is refused: it would read files or URLs from the database
    server."""
    settings = state.settings
    cap = min(body.limit or settings.query_row_cap, settings.query_row_cap)
    timeout = min(body.timeout_ms or settings.query_timeout_ms, settings.query_max_timeout_ms)
    if reads_files(body.cypher):
        raise ApiError(
            403,
            "LOAD CSV is not allowed over the API: it reads files and URLs "
            "from the database server",
        )
    if not state.analyst_slots.acquire(blocking=False):
        raise ApiError(
            429,
            f"{settings.query_concurrency} Cypher queries are already running, the most "
            "this server runs at once; try again shortly",
            headers={"Retry-After": "2"},
        )
    started = time.perf_counter()
    try:
        res = _bounded_read(store, body, timeout, cap + 1)
    finally:
        state.analyst_slots.release()
    elapsed = (time.perf_counter() - started) * 1000
    rows, by_bytes = _within(res.rows[:cap], settings.query_max_response_bytes)
    truncated_by = "bytes" if by_bytes else "rows" if len(res.rows) > cap else None
    return {
        "columns": [str(c) for c in res.columns],
        "rows": rows,
        "row_count": len(rows),
        "truncated": truncated_by is not None,
        "truncated_by": truncated_by,
        "row_cap": cap,
        "max_response_bytes": settings.query_max_response_bytes,
        "timeout_ms": timeout,
        "elapsed_ms": round(elapsed, 2),
    }


def _bounded_read(store: Store, body: QueryIn, timeout: int, row_limit: int) -> QueryResult:
    """The store's bounded read, its refusals turned into answers a person can act on."""
    try:
        return store.analyst_read(body.cypher, body.params, timeout_ms=timeout, row_limit=row_limit)
    except ReadOnlyViolation:
        raise ApiError(403, READ_ONLY_MESSAGE) from None
    except QueryTimeout:
        raise ApiError(
            408,
            f"the query ran past its time limit of {timeout} ms and was stopped; add a "
            "LIMIT or a more selective MATCH, or ask for a longer timeout_ms",
        ) from None
    except QueryTooLarge as exc:
        raise ApiError(
            422,
            f"the query was stopped because it needed too much memory ({exc}); nothing "
            "was changed. Aggregate or filter earlier, or use a smaller range()",
        ) from None
    except StoreError as exc:
        if not store.ping():
            raise
        raise ApiError(400, f"the query could not run: {exc}") from None


def _within(rows: list[list[Any]], max_bytes: int) -> tuple[list[list[Any]], bool]:
    """The JSON-safe rows that fit in `max_bytes` of JSON, and whether some did not."""
    out: list[list[Any]] = []
    size = 0
    for row in rows:
        plain = [_plain(v) for v in row]
        size += len(json.dumps(plain, ensure_ascii=False).encode()) + 1
        if size > max_bytes:
            return out, True
        out.append(plain)
    return out, False
