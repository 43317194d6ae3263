"""The history questions of one store, for the CLI, the API and the report, with the
visibility rule of every other read.

`HistoryService` sits on the analysis service (`graph.analysis.service`): today's
projection for the role comes from it, and what it computes (a past state, its
findings) is cached with it per store generation, so an API answering several
requests about one past revision builds it once per write. Revision numbers are
checked first (`graph.history.checks`): an unknown one, or a range given the wrong
way round, is a `HistoryError` naming the value.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graph.analysis.applicability import NotAssessed
from graph.analysis.basis import ANY, check_basis, stated_only
from graph.analysis.findings import Finding
from graph.analysis.service import AnalysisService
from graph.history.checks import HistoryError, check_range, check_revision
from graph.history.compare import GapChanges, compare_findings
from graph.history.diff import Diff, diff
from graph.history.model import Revision
from graph.history.state import build_state, maps_of, undo
from graph.history.visibility import visible_revision
from graph.predicates import norm_country

#: Revision 0: where the history starts, before the first recorded revision.
START = Revision(0, 0, "", "", "")


@dataclass(frozen=True)
class Filters:
    """Which findings a gaps question keeps (as `gaps --type/--country/--severity`)."""

    types: tuple[str, ...] = ()
    country: str | None = None
    severity: str | None = None

    def checked(self) -> Filters:
        """The same filters, validated (ValueError names an unknown type or severity)."""
        from graph.analysis.gaps import check_severity, check_types

        types = tuple(check_types(self.types)) if self.types else ()
        return Filters(types, norm_country(self.country), check_severity(self.severity))

    def keep(self, findings: Iterable[Finding]) -> list[Finding]:
        from graph.analysis.gaps import countries_of

        return [
            f
            for f in findings
            if (not self.types or f.type in self.types)
            and (self.severity is None or f.severity == self.severity)
            and (self.country is None or self.country in countries_of(f))
        ]


@dataclass(frozen=True)
class RevisionFindings:
    """How many findings the graph had as of one revision, by severity."""

    revision: Revision
    by_severity: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_severity.values())


class HistoryService:
    """History, diffs, past states and their findings, for one role at a time."""

    def __init__(self, analysis: AnalysisService) -> None:
        self.analysis = analysis
        self.store = analysis.store

    # -- the revisions ---------------------------------------------------------------

    def bounds(self) -> tuple[int, int]:
        """(earliest, latest): the revisions one may ask about (`graph.history.checks`)."""
        history = self.history(include_confidential=True)
        if not history:
            return 0, 0
        return int(history[0]["id"]) - 1, int(history[-1]["id"])

    def latest(self) -> int:
        """The newest revision's number (0 when none is recorded)."""
        return self.bounds()[1]

    def check(self, rev: int) -> int:
        earliest, latest = self.bounds()
        return check_revision(rev, latest, earliest=earliest)

    def revisions(self, *, after: int | None = None, upto: int | None = None) -> list[Revision]:
        from graph.history.read import revisions

        return list(revisions(self.store, after=after, upto=upto))

    def history(self, *, include_confidential: bool = False) -> list[dict[str, Any]]:
        """Every revision's `Revision.summary()`, oldest first, counting only what the role
        may see (a revision that only touched a confidential link counts nothing for
        others). Read without the changes when the role sees everything; cached until
        the next write."""
        from graph.history.read import summaries

        def compute() -> list[dict[str, Any]]:
            if include_confidential:
                return list(summaries(self.store))
            return [visible_revision(r).summary() for r in self.revisions()]

        key = ("history.summaries", include_confidential)
        return self.analysis.cache.get_or_compute(self.analysis.generation(), key, compute)

    def diff(self, start: int, end: int, *, include_confidential: bool = False) -> Diff:
        """What changed from revision `start` to revision `end`, as the role sees it."""
        earliest, latest = self.bounds()
        check_range(start, end, latest, earliest=earliest)
        changes = self.revisions(after=start, upto=end) if start < end else []
        return diff(changes, start, end, include_confidential=include_confidential)

    def revision(self, rev: int) -> Revision | None:
        """Revision `rev` (None for the start, before the oldest kept), after checking it."""
        self.check(rev)
        found = self.revisions(after=rev - 1, upto=rev) if rev else []
        return found[0] if found else None

    # -- past states -----------------------------------------------------------------

    def later_than(self, rev: int) -> list[Revision]:
        """The revisions after `rev`, once every write since `rev` is known to have one."""
        from graph.history.read import touched_since

        later = self.revisions(after=rev - 1 if rev else None)
        own = later.pop(0) if later and later[0].id == rev else None
        since = own.generation if own is not None else (later[0].generation - 1 if later else 0)
        if later and touched_since(self.store, since) is None:
            raise HistoryError(
                f"the graph as of revision {rev} cannot be rebuilt: a later write "
                "(such as clearing the graph) left no revision"
            )
        return later

    def graph_at(
        self, rev: int, *, include_confidential: bool = False, basis: str = ANY
    ) -> nx.MultiDiGraph:
        """The analysis graph as of revision `rev` (`graph.history.state`)."""
        self.check(rev)
        b = check_basis(basis)
        gen = self.analysis.generation()

        def compute() -> nx.MultiDiGraph:
            if b != ANY:
                return stated_only(self.graph_at(rev, include_confidential=include_confidential))
            return self._states([rev], include_confidential)[rev]

        key = ("history.graph_at", rev, include_confidential, b)
        return self.analysis.cache.get_or_compute(gen, key, compute)

    def _states(
        self, revs: Iterable[int], include_confidential: bool
    ) -> dict[int, nx.MultiDiGraph]:
        """The graphs as of each of `revs`, by one walk back from today's."""
        wanted = sorted(set(revs), reverse=True)
        gen = self.analysis.generation()
        now = self.analysis.graph(include_confidential=include_confidential, generation=gen)
        nodes, edges = maps_of(now)
        out: dict[int, nx.MultiDiGraph] = {}
        later = sorted(self.later_than(wanted[-1]) if wanted else [], key=lambda r: -r.id)
        for rev in wanted:
            while later and later[0].id > rev:
                undo(nodes, edges, later.pop(0))
            out[rev] = build_state(nodes, edges, include_confidential=include_confidential)
        return out

    def findings_at(
        self,
        rev: int,
        *,
        filters: Filters = Filters(),
        include_confidential: bool = False,
        basis: str = ANY,
    ) -> list[Finding]:
        """The findings of the graph as of `rev` (filtered as `gaps` filters them)."""
        wanted = filters.checked()
        return wanted.keep(self._all_findings_at(rev, include_confidential, basis))

    def _all_findings_at(self, rev: int, include_confidential: bool, basis: str) -> list[Finding]:
        from graph.analysis.gaps import find_gaps

        b = check_basis(basis)
        G = self.graph_at(rev, include_confidential=include_confidential, basis=b)
        key = ("history.findings_at", rev, include_confidential, b)
        return self.analysis.cache.get_or_compute(
            self.analysis.generation(), key, lambda: find_gaps(G)
        )

    def not_assessed_at(
        self,
        rev: int,
        *,
        types: Iterable[str] = (),
        include_confidential: bool = False,
        basis: str = ANY,
    ) -> list[NotAssessed]:
        """The gap types (of `types`; all when empty) the graph as of `rev` lacks the
        needed kinds for."""
        from graph.analysis.gaps import not_assessed

        G = self.graph_at(rev, include_confidential=include_confidential, basis=basis)
        wanted = set(types)
        return [n for n in not_assessed(G) if not wanted or n.type in wanted]

    def since(
        self,
        rev: int,
        *,
        filters: Filters = Filters(),
        include_confidential: bool = False,
        basis: str = ANY,
    ) -> GapChanges:
        """The gaps closed, new and persisting from revision `rev` to now."""
        wanted = filters.checked()
        view = {"include_confidential": include_confidential, "basis": basis}
        then = self.findings_at(rev, filters=wanted, **view)
        now = wanted.keep(self.analysis.findings(**view))
        return compare_findings(then, now)

    def findings_per_revision(
        self, start: int, *, include_confidential: bool = False, basis: str = ANY, most: int = 12
    ) -> list[RevisionFindings]:
        """The number of findings as of revisions `start`..latest (at most `most` of them,
        evenly spread, the two ends always), by severity: the report's chart. Today's
        findings and past ones already asked for come from the cache; the missing past
        states are built in one walk back."""
        from graph.schema import SEVERITIES

        latest = self.latest()
        self.check(start)
        chosen = spread(start, latest, most)
        self._warm([r for r in chosen if r != latest], include_confidential)
        by_id = {r["id"]: r for r in self.history(include_confidential=True)}
        view = {"include_confidential": include_confidential, "basis": basis}
        out = []
        for rev in chosen:
            found = (
                self.analysis.findings(**view)
                if rev == latest
                else self._all_findings_at(rev, include_confidential, basis)
            )
            counts = dict.fromkeys(SEVERITIES, 0)
            for f in found:
                counts[f.severity] += 1
            summary = by_id.get(rev)
            revision = (
                Revision(
                    rev, summary["generation"], summary["time"], summary["who"], summary["source"]
                )
                if summary
                else START
            )
            out.append(RevisionFindings(revision, counts))
        return out

    def _warm(self, revs: list[int], include_confidential: bool) -> None:
        """Cache the graphs as of `revs` that are not cached yet, built in one walk."""
        gen, cache = self.analysis.generation(), self.analysis.cache

        def key(rev: int) -> tuple[Any, ...]:
            return ("history.graph_at", rev, include_confidential, ANY)

        missing = [r for r in revs if cache.peek(gen, key(r)) is None]
        states = self._states(missing, include_confidential) if missing else {}
        for rev, G in states.items():
            cache.get_or_compute(gen, key(rev), lambda G=G: G)


def spread(start: int, end: int, most: int) -> list[int]:
    """At most `most` numbers from `start` to `end`, evenly spaced, both ends included."""
    count = end - start + 1
    if count <= most:
        return list(range(start, end + 1))
    step = (count - 1) / (most - 1)
    return sorted({start + round(i * step) for i in range(most)})
