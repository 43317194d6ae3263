"""Gaps (+ summary and catalogue), structure metrics; all cached until the next write."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Response

from api.analysis import answer
from api.auth import Principal, Reader
from api.errors import ApiError
from api.models import (
    FindingPage,
    GapChangesOut,
    GapSummary,
    GapTypeOut,
    Metrics,
    Severity,
    errors,
)
from api.routes.common import (
    basis_query,
    blocking,
    country_query,
    limit_query,
    offset_query,
    revision_query,
)
from api.routes.history import gaps_at, gaps_since
from api.state import AnalysisDep
from graph.analysis.applicability import NotAssessed
from graph.analysis.cache import Answer
from graph.analysis.findings import Finding
from graph.analysis.gaps import GAP_TYPES, summarise
from graph.analysis.registry import need_kinds
from graph.analysis.service import AnalysisService
from graph.choices import any_case
from graph.history.service import Filters

router = APIRouter(tags=["analysis"])

GapTypeName = any_case(GAP_TYPES)


def _visible_findings(
    who: Principal,
    analysis: AnalysisService,
    response: Response,
    types: list[str] | None,
    country: str | None,
    severity: str | None,
    basis: str,
) -> tuple[list[Finding], list[NotAssessed], Answer]:
    """The filtered findings the caller may see (the gaps and the summary count the same),
    and the asked-for types the graph could not be assessed for — from the last complete
    analysis while a newer one is computed (which one: the third item)."""
    found = answer(analysis, response, visible=who.sees_confidential, basis=basis)
    view = {
        "include_confidential": who.sees_confidential,
        "basis": basis,
        "generation": found.generation,
    }
    findings = analysis.gaps(types=types, country=country, severity=severity, **view)
    return findings, analysis.not_assessed(types=types, **view), found


@router.get(
    "/api/gaps",
    response_model=FindingPage | GapChangesOut,
    summary="Partnership gaps, ranked, each explained; as of a past revision; or since one",
    responses=errors(401, 422, 503),
)
@blocking
def gaps(
    who: Reader,
    analysis: AnalysisDep,
    response: Response,
    type: list[GapTypeName] | None = Query(  # type: ignore[valid-type]
        None, description="Only these gap types (repeatable); see /api/gaps/types."
    ),
    country: str | None = country_query("Only findings about this country"),
    severity: Severity | None = Query(None, description="high, medium or low."),
    basis: str = basis_query(),
    limit: int = limit_query(100),
    offset: int = offset_query(),
    at: int | None = revision_query("The findings as of this revision (GET /api/history)."),
    since: int | None = revision_query(
        "Instead of a page: {closed, new, persisting}, the gaps closed, new and persisting "
        "since this revision (a gap is the same one when its type and subjects are)."
    ),
) -> dict[str, Any]:
    """The findings of the gap catalogue (as `scn-graph gaps`), most severe first. A country
    keeps findings about it, including country pairs it is part of. `not_assessed` lists
    the types the graph lacks the needed kinds for, with the reason. `at` and `since` (one
    of them) look back, as `scn-graph gaps --at / --since`, with the same confidential
    rule: a link is never counted while it was confidential, unless the role sees those."""
    filters = Filters(tuple(type or ()), country, severity)
    if at is not None and since is not None:
        raise ApiError(422, "give at= or since=, not both")
    if since is not None:
        return gaps_since(who, analysis, since, filters, basis=basis)
    if at is not None:
        then, skipped, gen = gaps_at(who, analysis, at, filters, basis=basis)
        return finding_page(then, skipped, limit, offset, generation=gen, stale=False, at=at)
    found, skipped, source = _visible_findings(
        who, analysis, response, type, country, severity, basis
    )
    return finding_page(
        found, skipped, limit, offset, generation=source.generation, stale=source.stale
    )


def finding_page(
    found: list[Finding], skipped: list[NotAssessed], limit: int, offset: int, **more: Any
) -> dict[str, Any]:
    """One page of findings (`FindingPage`)."""
    return {
        "total": len(found),
        "limit": limit,
        "offset": offset,
        "items": [f.to_dict() for f in found[offset : offset + limit]],
        "not_assessed": [n.to_dict() for n in skipped],
        **more,
    }


@router.get(
    "/api/gaps/summary",
    response_model=GapSummary,
    summary="Gap counts by type, country and severity",
    responses=errors(401, 422, 503),
)
@blocking
def gap_summary(
    who: Reader,
    analysis: AnalysisDep,
    response: Response,
    type: list[GapTypeName] | None = Query(  # type: ignore[valid-type]
        None, description="Only these gap types (repeatable)."
    ),
    country: str | None = country_query("Only findings about this country"),
    severity: Severity | None = Query(None, description="high, medium or low."),
    basis: str = basis_query(),
) -> dict[str, Any]:
    """Counts of the (filtered) findings: every catalogue type, every severity, and each
    country (a country pair counts under both; findings without a country under "none");
    and the types not assessed, with the reason. The generation is in the headers only:
    the body is `scn-graph gaps --summary`'s."""
    found, skipped, _ = _visible_findings(who, analysis, response, type, country, severity, basis)
    return summarise(found, skipped)


@router.get(
    "/api/gaps/types",
    response_model=list[GapTypeOut],
    summary="The gap catalogue",
    responses=errors(401),
)
def gap_types(who: Reader) -> list[dict[str, Any]]:
    """Every gap type with its title, why it matters, how severity is decided and what the
    graph must hold for it to be assessed."""
    return [
        {
            "type": g.type,
            "title": g.title,
            "why": g.why,
            "severity_rule": g.severity_rule,
            "needs": [list(need_kinds(n)) for n in g.needs],
        }
        for g in GAP_TYPES.values()
    ]


@router.get(
    "/api/metrics",
    response_model=Metrics,
    summary="Structure: brokers, single points of failure, communities, coverage",
    responses=errors(401, 422, 503),
)
@blocking
def structure_metrics(
    who: Reader,
    analysis: AnalysisDep,
    response: Response,
    country: str | None = country_query("Only this country's actor network"),
    top: int = Query(10, ge=1, le=100, description="How many brokers etc. to list."),
    basis: str = basis_query(),
) -> dict[str, Any]:
    """As `scn-graph metrics --format json`: brokers (betweenness, with the method used),
    single points of failure, communities and the links across them, and per-country
    vertical and horizontal coverage."""
    visible = who.sees_confidential
    found = answer(analysis, response, visible=visible, basis=basis)
    return analysis.metrics(
        country=country,
        top=top,
        include_confidential=visible,
        generation=found.generation,
        basis=basis,
    )
