"""The gap catalogue: which partnerships are missing, why it matters, what to do.

Each gap type is a concern raised at the Strong Cities Network workshop
"Strengthening Local Partnerships, Programs and Policies on Prevention"
(London, 9–10 March 2022); `docs/gaps.md` explains each one. The type strings
are public interface (API, CLI, report, tests).

`find_gaps(G)` reads a projection from `graph.projection` (all statuses; only
`active` relationships and initiatives count, `planned` ones become the
finding's `mitigation`), builds the shared indexes once (`GapIndex`) and runs
the detectors in catalogue order. Detectors live in `gaps_vertical`,
`gaps_horizontal`, `gaps_cso`, `gaps_me` and `gaps_local`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graph.analysis import gaps_cso, gaps_horizontal, gaps_local, gaps_me, gaps_vertical
from graph.analysis.findings import SEVERITIES, Finding
from graph.analysis.gaps_index import GapIndex

__all__ = ["GAP_TYPES", "SEVERITIES", "Finding", "GapType", "find_gaps", "summarise"]


@dataclass(frozen=True)
class GapType:
    """Documentation of one gap type, shown by the API and the report."""

    type: str
    title: str
    why: str
    severity_rule: str


_CATALOGUE: tuple[tuple[GapType, Callable[[GapIndex], Iterable[Finding]]], ...] = (
    (
        GapType(
            "vertical.no_national_link",
            "City with no national link",
            "A city has no relationship with any national body of its country and neither "
            "contributes to nor implements any national framework of its country. The workshop "
            "found national-local channels 'either non-existent or ineffective'.",
            "high when national bodies or national frameworks of the city's country are in the "
            "graph (a partner is within reach); medium otherwise. Cities without a country are "
            "not assessed.",
        ),
        gaps_vertical.no_national_link,
    ),
    (
        GapType(
            "vertical.framework_without_local_input",
            "National framework without local input",
            "A national framework has no CONTRIBUTES_TO from any local actor of its country. "
            "Local authorities 'should be invited to contribute to the development of such a "
            "framework'.",
            "high when local actors of the framework's country are in the graph (they could be "
            "consulted); medium otherwise.",
        ),
        gaps_vertical.framework_without_local_input,
    ),
    (
        GapType(
            "vertical.framework_not_implemented",
            "National framework not implemented locally",
            "A national framework has no IMPLEMENTS from any local actor of its country: 'a "
            "comprehensive national prevention framework alone is insufficient'.",
            "high when local actors of the framework's country are in the graph; medium otherwise.",
        ),
        gaps_vertical.framework_not_implemented,
    ),
    (
        GapType(
            "horizontal.isolated_city",
            "Isolated city",
            "A city has no horizontal link (PARTNERS_WITH, COORDINATES_WITH, "
            "SHARES_INFORMATION_WITH, TWINNED_WITH or a shared initiative) with any other city; "
            "the workshop asked for more 'city-to-city sharing and learning'.",
            "high when other cities of its country are in the graph or it shares a network with "
            "other cities; medium when the only other cities are abroad; low when it is the only "
            "city in the graph.",
        ),
        gaps_horizontal.isolated_city,
    ),
    (
        GapType(
            "horizontal.no_domestic_link",
            "City linked only abroad",
            "A city has city links, but only abroad, while other cities of its country are in "
            "the graph; the workshop asked for city-to-city learning 'within a country' too.",
            "high when a domestic city shares a network, a theme or a partner city with it (an "
            "obvious introduction exists); medium otherwise.",
        ),
        gaps_horizontal.no_domestic_link,
    ),
    (
        GapType(
            "horizontal.unlinked_countries",
            "Countries whose cities share a network but no link",
            "Cities of two countries are members of the same network, yet no city of one has a "
            "city-to-city link with a city of the other: a missed 'exchange of experience and "
            "partnership-building' across borders.",
            "high when the two countries' cities share two or more networks; medium when they "
            "share one.",
        ),
        gaps_horizontal.unlinked_countries,
    ),
    (
        GapType(
            "cso.no_cso_partner",
            "City with no CSO partner",
            "A city has no relationship with any civil-society organisation, although CSOs are "
            "'an essential partner in local prevention'.",
            "high when CSOs are among the city's local actors; medium when CSOs of its country "
            "are in the graph; low when none are (possibly a gap in the data).",
        ),
        gaps_cso.no_cso_partner,
    ),
    (
        GapType(
            "cso.no_grassroots_partner",
            "City with no grassroots CSO partner",
            "A city works with CSOs but with no grassroots CSO; support 'should go beyond "
            "well-established organisations' to smaller grassroots ones.",
            "high when grassroots CSOs are among the city's local actors; medium when grassroots "
            "CSOs of its country are in the graph; low otherwise.",
        ),
        gaps_cso.no_grassroots_partner,
    ),
    (
        GapType(
            "cso.unsupported_grassroots",
            "Unsupported grassroots CSO",
            "A grassroots CSO receives neither FUNDS nor SUPPORTS_CAPACITY (funding of an "
            "initiative it runs counts as funding it); governments 'should invest in the "
            "institutional development of these CSOs'.",
            "high when the CSO runs or takes part in an active initiative (live work with no "
            "support); medium otherwise.",
        ),
        gaps_cso.unsupported_grassroots,
    ),
    (
        GapType(
            "cso.single_government_funder",
            "CSO funded by a single government body",
            "A CSO's only funder (of itself or of initiatives it runs) is a government body "
            "(city, national body or statutory service): 'too close an association with local "
            "authorities' can undermine its credibility.",
            "high when the CSO is grassroots (its credibility is its asset); medium otherwise.",
        ),
        gaps_cso.single_government_funder,
    ),
    (
        GapType(
            "private.no_private_partner",
            "City with no private-sector partner",
            "A city has no relationship with any private-sector actor; the private sector "
            "'remains an untapped resource in local prevention'.",
            "high when private-sector actors are among the city's local actors; medium when "
            "private-sector actors of its country are in the graph; low when none are.",
        ),
        gaps_cso.no_private_partner,
    ),
    (
        GapType(
            "me.program_unevaluated",
            "Program without evaluation",
            "An active program has no EVALUATES; few 'locally-led prevention programs … have "
            "been properly evaluated'.",
            "high when a local actor runs the program (locally-led work, the workshop's focus); "
            "medium otherwise.",
        ),
        gaps_me.program_unevaluated,
    ),
    (
        GapType(
            "me.evaluation_unpublished",
            "Unpublished evaluation",
            "An active evaluation has `published: false` (a missing value counts as false); "
            "'funders should insist that program implementers publish their evaluations'.",
            "high when the evaluation or the program it evaluates has a funder in the graph (who "
            "can insist on publication); medium otherwise.",
        ),
        gaps_me.evaluation_unpublished,
    ),
    (
        GapType(
            "me.no_capacity_support",
            "Program-running CSO without capacity support",
            "A CSO runs an active program but receives no SUPPORTS_CAPACITY; CSOs lack 'resource "
            "and in-house technical M&E capacity'.",
            "high when the CSO is grassroots ('especially hyper-local organisations'); medium "
            "otherwise.",
        ),
        gaps_me.no_capacity_support,
    ),
    (
        GapType(
            "local.silo",
            "Local silo",
            "Two local actors of the same city work on a shared theme and have no relationship "
            "and no shared initiative; local authorities can 'connect service providers with one "
            "another'.",
            "high when someone (the city or another actor) already works with both and can "
            "connect them; medium otherwise.",
        ),
        gaps_local.silo,
    ),
    (
        GapType(
            "theme.uncovered_threat",
            "Uncovered local threat",
            "A city lists a threat that no active initiative it or its local partners run or "
            "take part in addresses; local programs 'need to reflect … how [the threat] "
            "manifests locally'.",
            "high when there is something to join or someone to work with (an initiative on the "
            "theme run by a local actor, in the country or internationally, or a local actor "
            "working on it); medium otherwise.",
        ),
        gaps_local.uncovered_threat,
    ),
)

#: All gap types, in the order of the design brief's catalogue table.
GAP_TYPES: dict[str, GapType] = {g.type: g for g, _ in _CATALOGUE}
_DETECTORS: dict[str, Callable[[GapIndex], Iterable[Finding]]] = {
    g.type: fn for g, fn in _CATALOGUE
}
_TYPE_ORDER = {t: n for n, t in enumerate(GAP_TYPES)}
_SEVERITY_ORDER = {s: n for n, s in enumerate(SEVERITIES)}


def _check_types(types: Iterable[str] | str | None) -> list[str]:
    if types is None:
        return list(GAP_TYPES)
    wanted = [types] if isinstance(types, str) else list(types)
    for t in wanted:
        if t not in GAP_TYPES:
            raise ValueError(f"unknown gap type {t!r}; expected one of: {', '.join(GAP_TYPES)}")
    return [t for t in GAP_TYPES if t in set(wanted)]


def _check_severity(severity: str | None) -> str | None:
    if severity is not None and severity not in SEVERITIES:
        raise ValueError(f"unknown severity {severity!r}; expected one of: {', '.join(SEVERITIES)}")
    return severity


def sort_key(f: Finding) -> tuple[Any, ...]:
    """Severity (high first), catalogue order, country (none last), subjects."""
    return (
        _SEVERITY_ORDER.get(f.severity, len(SEVERITIES)),
        _TYPE_ORDER.get(f.type, len(_TYPE_ORDER)),
        f.country is None,
        f.country or "",
        f.subjects,
    )


def _in_country(f: Finding, cc: str) -> bool:
    if f.country is not None:
        return f.country.upper() == cc
    # a pair of countries concerns both of them
    return f.type == "horizontal.unlinked_countries" and cc in f.subjects


def iter_gaps(G: nx.MultiDiGraph, types: Iterable[str] | None = None) -> Iterator[Finding]:
    """All findings of the given types, unsorted and unfiltered, in catalogue order."""
    idx = GapIndex(G)
    for t in _check_types(types):
        yield from _DETECTORS[t](idx)


def find_gaps(
    G: nx.MultiDiGraph,
    *,
    types: Iterable[str] | None = None,
    country: str | None = None,
    severity: str | None = None,
) -> list[Finding]:
    """Find the partnership gaps in a projected graph.

    `types` limits the gap types (a single string is accepted too); `country`
    (ISO code, any case) keeps findings about that country, including the
    `horizontal.unlinked_countries` pairs it is part of; `severity` keeps one
    severity. Unknown types or severities raise ValueError naming the value.
    Sorted by severity (high first), catalogue order, country, subjects.
    """
    wanted = _check_types(types)
    sev = _check_severity(severity)
    cc = country.strip().upper() if country else None
    found = [
        f
        for f in iter_gaps(G, wanted)
        if (sev is None or f.severity == sev) and (cc is None or _in_country(f, cc))
    ]
    found.sort(key=sort_key)
    return found


def summarise(findings: Iterable[Finding]) -> dict[str, Any]:
    """Counts for charts and tables.

    `by_type` lists every catalogue type in table order (zero when absent);
    `by_severity` lists every severity; `by_country` counts each finding under
    its country, a country pair (`horizontal.unlinked_countries`) under both
    of its countries, and findings with no country under "none"; most
    findings first.
    """
    findings = list(findings)
    by_type: Counter[str] = Counter(f.type for f in findings)
    by_sev: Counter[str] = Counter(f.severity for f in findings)
    by_country: Counter[str] = Counter()
    for f in findings:
        if f.country is not None:
            by_country[f.country] += 1
        elif f.type == "horizontal.unlinked_countries":
            by_country.update(set(f.subjects))
        else:
            by_country["none"] += 1
    types = {t: by_type.get(t, 0) for t in GAP_TYPES}
    types.update({t: n for t, n in sorted(by_type.items()) if t not in types})
    return {
        "total": len(findings),
        "by_type": types,
        "by_country": dict(sorted(by_country.items(), key=lambda kv: (-kv[1], kv[0]))),
        "by_severity": {s: by_sev.get(s, 0) for s in SEVERITIES},
    }
