"""The audit log of writes, for editors."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from api.auth import Editor
from api.models import AuditPage, errors
from api.routes.common import blocking, offset_query
from api.state import State

router = APIRouter(tags=["audit"])


@router.get(
    "/api/audit",
    response_model=AuditPage,
    summary="Who wrote what, when (editor)",
    responses=errors(401, 403, 422),
)
@blocking
def audit(
    who: Editor,
    state: State,
    limit: int = Query(100, ge=1, le=1000, description="Entries per page."),
    offset: int = offset_query(),
) -> dict[str, Any]:
    """Every write through the API on this store, newest first: who (key name), when, what
    (method, path, action and a summary of the change)."""
    total, items = state.audit.entries(limit=limit, offset=offset)
    return {"total": total, "limit": limit, "offset": offset, "items": items}
