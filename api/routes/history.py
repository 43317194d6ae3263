"""History: the revisions, the diff between two, and the gaps as of or since one.

The confidential rule of every read holds here too (`graph.history.visibility`): a
role that may not see confidential relationships never sees one, in a diff, a past
state or a revision's counts, while it was confidential. An unknown revision, or a
range given the wrong way round, is a 422 naming the value.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import APIRouter, Query

from api.auth import Principal, Reader
from api.errors import ApiError
from api.models import DiffOut, HistoryPage, errors
from api.routes.common import MAX_REVISION, blocking, limit_query, offset_query, revision_query
from api.state import AnalysisDep
from graph.analysis.applicability import NotAssessed
from graph.analysis.findings import Finding
from graph.analysis.service import AnalysisService
from graph.history.checks import HistoryError
from graph.history.service import Filters, HistoryService

router = APIRouter(tags=["history"])


@contextmanager
def answered() -> Iterator[None]:
    """A question the history cannot answer (an unknown revision ...) is a 422, in words."""
    try:
        yield
    except HistoryError as exc:
        raise ApiError(422, str(exc)) from None


@router.get(
    "/api/history",
    response_model=HistoryPage,
    summary="The revisions: every write is one",
    responses=errors(401, 422, 503),
)
@blocking
def history(
    who: Reader,
    analysis: AnalysisDep,
    limit: int = limit_query(100),
    offset: int = offset_query(),
) -> dict[str, Any]:
    """As `scn-graph history --format json`, a page of it: each revision's id, time, who,
    source and counts of nodes and relationships added, removed and changed, oldest
    first. A change to a confidential relationship is counted only for roles that see them."""
    revisions = HistoryService(analysis).history(include_confidential=who.sees_confidential)
    return {
        "total": len(revisions),
        "limit": limit,
        "offset": offset,
        "items": revisions[offset : offset + limit],
        "latest": revisions[-1]["id"] if revisions else 0,
    }


@router.get(
    "/api/diff",
    response_model=DiffOut,
    summary="What changed between two revisions",
    responses=errors(401, 422, 503),
)
@blocking
def diff(
    who: Reader,
    analysis: AnalysisDep,
    start: int = Query(
        ..., alias="from", ge=0, le=MAX_REVISION, description="The older revision (0: the start)."
    ),
    to: int | None = revision_query("The newer revision (default: the newest)."),
) -> dict[str, Any]:
    """As `scn-graph diff A B --format json`: nodes and relationships added, removed and
    changed (with the changed properties before and after) from `from` to `to`. A record
    added and removed again in between, or changed back, is not listed."""
    hist = HistoryService(analysis)
    with answered():
        end = hist.latest() if to is None else to
        return hist.diff(start, end, include_confidential=who.sees_confidential).to_dict()


def gaps_since(
    who: Principal, analysis: AnalysisService, since: int, filters: Filters, *, basis: str
) -> dict[str, Any]:
    """`GET /api/gaps?since=`: the gaps closed, new and persisting since revision `since`."""
    view = {"include_confidential": who.sees_confidential, "basis": basis}
    with answered():
        return HistoryService(analysis).since(since, filters=filters, **view).to_dict()


def gaps_at(
    who: Principal, analysis: AnalysisService, at: int, filters: Filters, *, basis: str
) -> tuple[list[Finding], list[NotAssessed], int]:
    """`GET /api/gaps?at=`: the findings as of revision `at`, the asked-for types not
    assessed then, and the store generation revision `at` produced."""
    hist = HistoryService(analysis)
    view = {"include_confidential": who.sees_confidential, "basis": basis}
    with answered():
        found = hist.findings_at(at, filters=filters, **view)
        skipped = hist.not_assessed_at(at, types=filters.types, **view)
        rev = hist.revision(at)
    return found, skipped, rev.generation if rev else 0
