"""A generation's findings with what an incremental update reads of each, worked out once.

An update (`graph.analysis.incremental.update_findings`) keeps most of the previous
generation's findings: it checks each against the targets of its type and merges the
few computed again into the sorted rest. On a large graph (a hundred thousand
findings) working out every finding's countries and sort key again on each update was
a large part of its time; `Filed` keeps them beside the findings, in their order, and
is remembered per graph (weakly) for the next generation.
"""

from __future__ import annotations

import bisect
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graph.analysis import gaps
from graph.analysis.findings import Finding
from graph.analysis.reach import Scope

_UNASSESSED = object()  # a type not in the scopes: the new graph cannot be assessed for it


@dataclass(frozen=True)
class Filed:
    """Findings sorted by `gaps.sort_key`, with each one's key and countries."""

    findings: list[Finding]
    keys: list[tuple[Any, ...]]
    countries: list[list[str]]

    @classmethod
    def of(cls, findings: Sequence[Finding]) -> Filed:
        """`findings` (sorted) filed."""
        return cls(
            findings, [gaps.sort_key(f) for f in findings], [gaps.countries_of(f) for f in findings]
        )

    def kept(self, scopes: Mapping[str, Scope]) -> Filed:
        """The findings no scope targets (those of a type computed in full, or not in
        `scopes`, go too), in their order."""
        findings: list[Finding] = []
        keys: list[tuple[Any, ...]] = []
        countries: list[list[str]] = []
        for f, k, ccs in zip(self.findings, self.keys, self.countries, strict=True):
            scope = scopes.get(f.type, _UNASSESSED)
            if scope is None or scope is _UNASSESSED or scope.wants(f.subjects, ccs):  # type: ignore[union-attr]
                continue
            findings.append(f)
            keys.append(k)
            countries.append(ccs)
        return Filed(findings, keys, countries)

    def merged(self, found: Sequence[Finding]) -> Filed:
        """These findings and `found` (any order), sorted as `find_gaps` sorts: a found
        finding after the kept ones of an equal key."""
        new = sorted(((gaps.sort_key(f), f) for f in found), key=lambda kf: kf[0])
        findings: list[Finding] = []
        keys: list[tuple[Any, ...]] = []
        countries: list[list[str]] = []
        start = 0
        for k, f in new:
            end = bisect.bisect_right(self.keys, k, lo=start)
            findings += self.findings[start:end]
            keys += self.keys[start:end]
            countries += self.countries[start:end]
            findings.append(f)
            keys.append(k)
            countries.append(gaps.countries_of(f))
            start = end
        findings += self.findings[start:]
        keys += self.keys[start:]
        countries += self.countries[start:]
        return Filed(findings, keys, countries)


_FILED: weakref.WeakKeyDictionary[nx.MultiDiGraph, Filed] = weakref.WeakKeyDictionary()


def remember(G: nx.MultiDiGraph, filed: Filed) -> None:
    """Keep `filed`, the findings of `G`, while `G` lives."""
    _FILED[G] = filed


def recall(G: nx.MultiDiGraph, findings: Sequence[Finding]) -> Filed:
    """`findings` of `G` filed: as remembered when they are the same list, else anew."""
    filed = _FILED.get(G)
    return filed if filed is not None and filed.findings is findings else Filed.of(findings)
