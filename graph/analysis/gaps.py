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

A type whose needed kinds the graph lacks is not run (`not_assessed` says
which and why; `graph.analysis.applicability`), and each finding is marked
with the inferred records it rests on (`graph.analysis.resting`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import networkx as nx

from graph import predicates
from graph.analysis import applicability, registry
from graph.analysis.applicability import NotAssessed
from graph.analysis.findings import SEVERITIES, Finding
from graph.analysis.gaps_index import GapIndex
from graph.analysis.reach import Scope
from graph.analysis.registry import Detector, GapType
from graph.analysis.resting import BasisMarker
from graph.collector import collector_paused

__all__ = [
    "GAP_TYPES",
    "SEVERITIES",
    "Finding",
    "GapType",
    "NotAssessed",
    "find_gaps",
    "not_assessed",
    "summarise",
]


_CATALOGUE = registry.catalogue()
#: All gap types, in the order of the design brief's catalogue table.
GAP_TYPES: dict[str, GapType] = {r.gap.type: r.gap for r in _CATALOGUE}
_DETECTORS: dict[str, Detector] = {r.gap.type: r.detect for r in _CATALOGUE}
_TYPE_ORDER = {t: n for n, t in enumerate(GAP_TYPES)}
_SEVERITY_ORDER = {s: n for n, s in enumerate(SEVERITIES)}


def check_types(types: Iterable[str] | str | None) -> list[str]:
    """The gap types asked for, in catalogue order (all for None); ValueError names an
    unknown one."""
    if types is None:
        return list(GAP_TYPES)
    wanted = [types] if isinstance(types, str) else list(types)
    for t in wanted:
        if t not in GAP_TYPES:
            raise ValueError(f"unknown gap type {t!r}; expected one of: {', '.join(GAP_TYPES)}")
    return [t for t in GAP_TYPES if t in set(wanted)]


def check_severity(severity: str | None) -> str | None:
    """The severity asked for, or None; ValueError names an unknown one."""
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


def subjects_are_countries(f: Finding) -> bool:
    """Are the finding's subjects country codes (a gap between two countries)?"""
    gap = GAP_TYPES.get(f.type)
    return gap is not None and gap.country_subjects


def countries_of(f: Finding) -> list[str]:
    """The countries a finding is about, as normalised codes: its country, or both
    countries of a gap between two; none for a subject without a country."""
    if f.country is not None:
        return [str(predicates.norm_country(f.country))]
    if subjects_are_countries(f):
        return list(dict.fromkeys(str(predicates.norm_country(s)) for s in f.subjects))
    return []


def _in_country(f: Finding, cc: str) -> bool:
    return cc in countries_of(f)


def not_assessed(
    G: nx.MultiDiGraph, types: Iterable[str] | None = None, present: frozenset[str] | None = None
) -> list[NotAssessed]:
    """The given types (all for None) that `G` lacks the needed kinds for, with the reason,
    in catalogue order (`present`: the kinds of `G`, when the caller knows them)."""
    return applicability.not_assessed(G, [GAP_TYPES[t] for t in check_types(types)], present)


def not_assessed_text(n: NotAssessed) -> str:
    """One sentence for a type that was not assessed, naming it and the reason."""
    gap = GAP_TYPES.get(n.type)
    title = f"{gap.title} ({n.type})" if gap else n.type
    return f"{title} was not assessed: {n.reason}."


def basis_text(f: Finding) -> str:
    """ "stated", or "inferred: " and the inferred records the finding rests on."""
    return f"inferred: {', '.join(f.inferred)}" if f.inferred else f.basis


def prepare(G: nx.MultiDiGraph) -> tuple[BasisMarker, GapIndex]:
    """What the detectors read about `G`: its basis marker and its gap index."""
    marker = BasisMarker(G)
    return marker, marker.index()


def iter_gaps(
    G: nx.MultiDiGraph,
    types: Iterable[str] | None = None,
    *,
    scopes: Mapping[str, Scope] | None = None,
    prepared: tuple[BasisMarker, GapIndex] | None = None,
    skipped: set[str] | None = None,
) -> Iterator[Finding]:
    """All findings of the given types that `G` can be assessed for, unsorted and
    unfiltered, in catalogue order, each marked with the inferred records it rests on.

    `scopes` (type -> countries, `graph.analysis.reach`) lets a type's detector skip
    the subjects of other countries; it may still yield findings outside its scope.
    `prepared` is `prepare(G)` when the caller has it already (`graph.analysis.incremental`
    patches the previous generation's); `skipped`, the types `not_assessed(G)` names,
    when the caller has them."""
    wanted = check_types(types)
    if skipped is None:
        skipped = {n.type for n in not_assessed(G, wanted)}
    marker, idx = prepared or prepare(G)
    for t in wanted:
        if t not in skipped:
            idx.scope = (scopes or {}).get(t)
            for f in _DETECTORS[t](idx):
                yield marker.mark(idx, f)
    idx.scope = None


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
    Types the graph cannot be assessed for yield nothing (see `not_assessed`).
    Sorted by severity (high first), catalogue order, country, subjects.
    The cyclic garbage collector is paused meanwhile: the index and the findings all
    survive the run, and on large graphs collections walking them were a large part of
    its time (docs/benchmarks.md).
    """
    wanted = check_types(types)
    sev = check_severity(severity)
    cc = predicates.norm_country(country)
    with collector_paused():
        found = [
            f
            for f in iter_gaps(G, wanted)
            if (sev is None or f.severity == sev) and (cc is None or _in_country(f, cc))
        ]
    found.sort(key=sort_key)
    return found


def summarise(
    findings: Iterable[Finding], not_assessed: Iterable[NotAssessed] | None = None
) -> dict[str, Any]:
    """Counts for charts and tables (with `not_assessed`, its types and reasons too).

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
        by_country.update(countries_of(f) or ["none"])
    types = {t: by_type.get(t, 0) for t in GAP_TYPES}
    types.update({t: n for t, n in sorted(by_type.items()) if t not in types})
    out: dict[str, Any] = {
        "total": len(findings),
        "by_type": types,
        "by_country": dict(sorted(by_country.items(), key=lambda kv: (-kv[1], kv[0]))),
        "by_severity": {s: by_sev.get(s, 0) for s in SEVERITIES},
    }
    if not_assessed is not None:
        out["not_assessed"] = [n.to_dict() for n in not_assessed]
    return out
