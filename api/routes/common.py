"""Query parameters shared by several routes."""

from __future__ import annotations

from fastapi import Query

from graph.read import MAX_LIMIT

COUNTRY_PATTERN = r"^[A-Za-z]{2}$"


def limit_query(default: int = 50) -> int:
    return Query(default, ge=1, le=MAX_LIMIT, description=f"Items per page (1–{MAX_LIMIT}).")


def offset_query() -> int:
    return Query(0, ge=0, le=10_000_000, description="Items to skip (for the next pages).")


def country_query(what: str = "Only this country") -> str | None:
    return Query(
        None,
        pattern=COUNTRY_PATTERN,
        description=f"{what}: an ISO 3166-1 alpha-2 code, e.g. GB (any case).",
        examples=["GB"],
    )
