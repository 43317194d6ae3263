"""Gap findings placed on a page: which findings concern which node or country.

Findings are computed on the whole graph (a city whose only link is abroad
is not isolated just because a country view leaves the partner out) and
then shown for the nodes, or the countries of an aggregated view, on the page.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Hashable, Iterable
from functools import lru_cache
from typing import Any

import networkx as nx

from graph.analysis.gaps import countries_of, subjects_are_countries
from graph.predicates import norm_country
from viz.aggregate import NO_COUNTRY


def find_findings(G: nx.MultiDiGraph) -> list[Any]:
    """Every gap finding of `G` (the default when a page is not given its findings)."""
    from graph.analysis.gaps import find_gaps

    return find_gaps(G)


def findings_by_node(findings: Iterable[Any], ids: set[Hashable]) -> dict[Hashable, list[Any]]:
    """The findings about each of `ids`, in the order given."""
    out: dict[Hashable, list[Any]] = defaultdict(list)
    for f in findings:
        if subjects_are_countries(f):
            continue  # subjects are countries, not nodes
        for s in f.subjects:
            if s in ids:
                out[s].append(f)
    return out


def findings_by_country(
    findings: Iterable[Any], countries: Collection[str]
) -> tuple[dict[str, Counter[str]], Counter[str]]:
    """For each of `countries` (upper-case codes or `NO_COUNTRY`): its findings counted
    by type, and how many of them are high severity."""
    per_country: dict[str, Counter[str]] = defaultdict(Counter)
    high: Counter[str] = Counter()
    for f in findings:
        for c in countries_of(f) or [None]:
            key = norm_country(c) or NO_COUNTRY
            if key in countries:
                per_country[key][f.type] += 1
                if f.severity == "high":
                    high[key] += 1
    return per_country, high


@lru_cache(maxsize=1)
def _gap_titles() -> dict[str, str]:
    try:
        from graph.analysis.gaps import GAP_TYPES
    except ImportError:  # pragma: no cover - analysis package not installed
        return {}
    return {t: g.title for t, g in GAP_TYPES.items()}


def gap_title(gap_type: str) -> str:
    """The catalogue title of a gap type (the type itself if the catalogue lacks it)."""
    return _gap_titles().get(gap_type, gap_type)
