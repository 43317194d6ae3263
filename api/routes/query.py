"""Read-only Cypher for analysts, with a row cap and a time limit."""

from __future__ import annotations

import math
import time
from typing import Any

from fastapi import APIRouter

from api.auth import Analyst
from api.errors import ApiError
from api.models import QueryIn, QueryOut, errors
from api.routes.common import blocking
from api.state import State, StoreDep
from graph.store.base import QueryTimeout, ReadOnlyViolation, StoreError

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
    responses=errors(400, 401, 403, 408, 422, 503),
)
@blocking
def run_query(body: QueryIn, who: Analyst, state: State, store: StoreDep) -> dict[str, Any]:
    """The database runs the query in its read-only mode (GRAPH.RO_QUERY on FalkorDB, a
    READ session on Neo4j), so any write — CREATE, MERGE, SET, DELETE, REMOVE, index
    changes, write procedures — is refused by the engine itself with 403 and changes
    nothing. At most `limit` rows (capped by the server's row cap) are returned; `truncated`
    says when there were more. A query running past its time limit is stopped (408).
    `LOAD CSV` is refused: it would read files or URLs from the database server."""
    settings = state.settings
    cap = min(body.limit or settings.query_row_cap, settings.query_row_cap)
    timeout = min(body.timeout_ms or settings.query_timeout_ms, settings.query_max_timeout_ms)
    try:
        # The engine's own plan, not the text, says whether the query reads files or URLs.
        operations = store.plan_operations(body.cypher, body.params)
    except StoreError:
        operations = []  # not a valid query: running it below gives the precise error
    if "loadcsv" in operations:
        raise ApiError(
            403,
            "LOAD CSV is not allowed over the API: it reads files and URLs "
            "from the database server",
        )
    started = time.perf_counter()
    try:
        res = store.run(body.cypher, body.params, read_only=True, timeout_ms=timeout)
    except ReadOnlyViolation:
        raise ApiError(403, READ_ONLY_MESSAGE) from None
    except QueryTimeout:
        raise ApiError(
            408,
            f"the query ran past its time limit of {timeout} ms and was stopped; add a "
            "LIMIT or a more selective MATCH, or ask for a longer timeout_ms "
            f"(at most {settings.query_max_timeout_ms})",
        ) from None
    except StoreError as exc:
        if not store.ping():
            raise
        raise ApiError(400, f"the query could not run: {exc}") from None
    elapsed = (time.perf_counter() - started) * 1000
    rows = res.rows[:cap]
    return {
        "columns": [str(c) for c in res.columns],
        "rows": [[_plain(v) for v in row] for row in rows],
        "row_count": len(rows),
        "truncated": len(res.rows) > cap,
        "row_cap": cap,
        "timeout_ms": timeout,
        "elapsed_ms": round(elapsed, 2),
    }
