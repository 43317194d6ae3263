"""One analysis service for the CLI, the API and the pages, with one visibility rule.

Every result is computed from one projection of the whole store made with
the caller's visibility: `include_confidential` is False unless the caller's
role allows confidential relationships (API) or `--include-confidential` is
given (CLI). For everyone else the findings' explanations and the
recommendations' reasons are written from a graph that has no confidential
relationship in it, so they cannot mention one, and the command line, the
report and an API reader agree on the same data.

Results are cached per store generation (`graph.analysis.cache`): a
long-lived service (the API's) computes each one once per write and serves it
to every request until the next; a command makes a service for its store and
asks it once. Any request reads the generation first and may pass it on
(`generation=`), so the results of one page come from one generation.

`basis` ("any", the default, or "stated"; any case) is part of what a result is
computed from: with "stated" the projection loses its inferred records
(`graph.analysis.basis.stated_only`) before anything is analysed, and every
result is cached per generation, visibility and basis.

Incremental (docs/analysis.md): when the cache still holds an earlier generation's
projection (and findings) and the store can say which ids every write since touched
(`touched_since`, from the revisions), the new projection is that one patched
(`graph.projection_patch`) and the new findings are the earlier ones with only what
the change can reach computed again (`graph.analysis.incremental`). Otherwise, and
always in a one-shot command (its cache starts empty), everything is computed in
full. Structure metrics are computed on demand, per generation, and an answer says
which generation it describes (the API's `X-Analysis-Generation` header).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import networkx as nx

from graph.analysis.applicability import NotAssessed
from graph.analysis.basis import ANY, check_basis, stated_only
from graph.analysis.cache import Answer, ResultCache, settled
from graph.analysis.findings import Finding
from graph.predicates import norm_country
from graph.projection import project
from graph.store.base import Store

T = TypeVar("T")

#: Which ids the writes after a generation touched, or None when unknown.
TouchedSince = Callable[[Store, int], "set[str] | None"]


def revisions_touched_since(store: Store, generation: int) -> set[str] | None:
    """The ids the writes after `generation` touched, from the store's revisions
    (`graph.history.read.touched_since`; None when some write left none)."""
    from graph.history.read import touched_since

    return touched_since(store, generation)


class AnalysisService:
    """Projection, gap findings, recommendations and metrics of one store, cached.

    `settle_from`: results computed from a projection of at least this many
    nodes are frozen out of the cyclic garbage collector when cached (see
    `graph.analysis.cache.settled`), so later collections stop walking them: a
    server keeps them until the next write, and a command analysing a large graph
    spends less time in the collector (about 8% less CPU for `gaps` on the
    twin-cities network); None (the default) never does. `settle` is how: by default
    `settled` (collect, then freeze), for a one-shot command `frozen` (freeze only).

    `touched_since` says which ids the writes after a generation touched (None:
    unknown); it lets a generation's projection and findings be computed from the
    previous one's (see the module docstring). `incremental` counts the results
    computed that way.
    """

    def __init__(
        self,
        store: Store,
        cache: ResultCache | None = None,
        *,
        settle_from: int | None = None,
        settle: Callable[[Any], Any] = settled,
        touched_since: TouchedSince | None = revisions_touched_since,
    ) -> None:
        self.store = store
        self.cache = cache if cache is not None else ResultCache()
        self.settle_from = settle_from
        self.settle = settle
        self.touched_since = touched_since
        self.incremental = 0

    def generation(self) -> int:
        """The store's generation now (changes on every committed write)."""
        return int(self.store.generation)

    def _gen(self, generation: int | None) -> int:
        return self.generation() if generation is None else generation

    def _settle(self, G: nx.MultiDiGraph, value: T) -> T:
        big = self.settle_from is not None and G.number_of_nodes() >= self.settle_from
        return self.settle(value) if big else value

    def graph(
        self,
        *,
        include_confidential: bool = False,
        generation: int | None = None,
        basis: str = ANY,
    ) -> nx.MultiDiGraph:
        """The projection of the whole store with this visibility (stated records only
        with `basis="stated"`)."""
        gen, b = self._gen(generation), check_basis(basis)

        def compute() -> nx.MultiDiGraph:
            if b != ANY:
                whole = self.graph(include_confidential=include_confidential, generation=gen)
                return stated_only(whole)
            G = self._patched(gen, include_confidential)
            if G is None:
                G = project(self.store, include_confidential=include_confidential)
            return self._settle(G, G)

        return self.cache.get_or_compute(
            gen, ("projection", include_confidential, b), compute, pinned=True
        )

    def _since(self, gen: int, keys: list[tuple[Any, ...]]) -> tuple[int, set[str]] | None:
        """An earlier generation whose `keys` are cached, and the ids touched since it;
        None when there is none or the touched ids are unknown."""
        if self.touched_since is None:
            return None
        before = self.cache.latest_with(gen, keys)
        if before is None:
            return None
        touched = self.touched_since(self.store, before)
        return None if touched is None else (before, touched)

    def _patched(self, gen: int, include_confidential: bool) -> nx.MultiDiGraph | None:
        """The projection of `gen` patched from an earlier generation's, or None.

        A write between reading the touched ids and the patch would be read in part
        only: then None, and the caller projects the whole store."""
        from graph.projection_patch import patch_projection

        key = ("projection", include_confidential, ANY)
        now = self.generation()
        found = self._since(gen, [key])
        if found is None:
            return None
        before, touched = found
        old = self.cache.peek(before, key)
        if old is None:  # released meanwhile
            return None
        G = patch_projection(old, self.store, touched)
        if self.generation() != now:
            return None
        self.incremental += 1
        return G

    def _updated_findings(
        self, gen: int, view: tuple[bool, str], G: nx.MultiDiGraph
    ) -> list[Finding] | None:
        """The findings of `gen` from an earlier generation's, or None."""
        from graph.analysis.incremental import update_findings

        vis, b = view
        keys = [("projection", vis, b), ("findings", vis, b)]
        found = self._since(gen, keys)
        if found is None:
            return None
        before, touched = found
        old_G, old = (self.cache.peek(before, k) for k in keys)
        if old_G is None or old is None:  # released meanwhile
            return None
        self.incremental += 1
        return update_findings(old_G, old, G, touched)

    def answer(
        self, *, include_confidential: bool = False, basis: str = ANY, warm: bool = False
    ) -> Answer:
        """The generation to answer an analysis read from now, without waiting for one.

        The current generation when its findings are computed; else the last one whose
        findings are (stale), while the current one's are computed in the background
        (`ResultCache.freshest`); else the current one, for the caller to compute —
        or, with `warm`, for the background worker to start on. Hold the answer while
        using its generation (it keeps that generation's results alive).
        """
        gen, vis, b = self.generation(), include_confidential, check_basis(basis)
        return self.cache.freshest(
            gen,
            ("findings", vis, b),
            lambda: self.findings(include_confidential=vis, generation=gen, basis=b),
            warm=warm,
        )

    def cached_graph(self, *, include_confidential: bool = False) -> nx.MultiDiGraph | None:
        """The projection if it is already cached for the current generation (never builds one)."""
        key = ("projection", include_confidential, ANY)
        return self.cache.peek(self.generation(), key)  # type: ignore[no-any-return]

    def findings(
        self,
        *,
        include_confidential: bool = False,
        generation: int | None = None,
        basis: str = ANY,
    ) -> list[Finding]:
        """Every finding of the whole graph, sorted as `find_gaps` sorts them."""
        from graph.analysis.incremental import full_findings

        gen, b = self._gen(generation), check_basis(basis)

        def compute() -> list[Finding]:
            G = self.graph(include_confidential=include_confidential, generation=gen, basis=b)
            found = self._updated_findings(gen, (include_confidential, b), G)
            return self._settle(G, full_findings(G) if found is None else found)

        return self.cache.get_or_compute(
            gen, ("findings", include_confidential, b), compute, pinned=True
        )

    def not_assessed(
        self,
        *,
        types: Iterable[str] | None = None,
        include_confidential: bool = False,
        generation: int | None = None,
        basis: str = ANY,
    ) -> list[NotAssessed]:
        """The gap types (of `types`; all when empty) the graph lacks the needed kinds for."""
        from graph.analysis.gaps import not_assessed

        gen, b = self._gen(generation), check_basis(basis)

        def compute() -> list[NotAssessed]:
            G = self.graph(include_confidential=include_confidential, generation=gen, basis=b)
            return not_assessed(G)

        everything = self.cache.get_or_compute(
            gen, ("not_assessed", include_confidential, b), compute, pinned=True
        )
        wanted = set(types or ())
        return [n for n in everything if not wanted or n.type in wanted]

    def gaps(
        self,
        *,
        types: Iterable[str] | None = None,
        country: str | None = None,
        severity: str | None = None,
        include_confidential: bool = False,
        generation: int | None = None,
        basis: str = ANY,
    ) -> list[Finding]:
        """The findings filtered as `find_gaps` filters them (same validation, same order).

        Raises ValueError naming an unknown gap type, severity or basis.
        """
        from graph.analysis.gaps import check_severity, check_types

        # No types (the CLI's default, an empty --type) means every type.
        wanted = set(check_types(types)) if types else set()
        check_severity(severity)
        cc = norm_country(country)
        gen = self._gen(generation)
        view = (include_confidential, check_basis(basis))
        vis, b = view

        def compute() -> list[Finding]:
            if wanted and self.cache.peek(gen, ("findings", *view)) is None:
                # Only some types, and the whole list is not computed yet (a one-shot CLI
                # run): run just those detectors rather than all sixteen.
                from graph.analysis.gaps import find_gaps

                G = self.graph(include_confidential=vis, generation=gen, basis=b)
                return find_gaps(G, types=sorted(wanted), country=cc, severity=severity)
            pool = (
                self.findings(include_confidential=vis, generation=gen, basis=b)
                if cc is None
                else self._indexed(gen, view, "by_country", _countries_of).get(cc, [])
            )
            if not wanted and severity is None:
                return pool
            return [
                f
                for f in pool
                if (not wanted or f.type in wanted) and (severity is None or f.severity == severity)
            ]

        key = ("gaps", *view, tuple(sorted(wanted)), cc, severity)
        return self.cache.get_or_compute(gen, key, compute)

    def gaps_of(
        self,
        node_id: str,
        *,
        include_confidential: bool = False,
        generation: int | None = None,
        basis: str = ANY,
    ) -> list[Finding]:
        """The findings `node_id` is a subject of (from an index built once per generation)."""
        gen = self._gen(generation)
        view = (include_confidential, check_basis(basis))
        by_subject = self._indexed(gen, view, "by_subject", lambda f: dict.fromkeys(f.subjects))
        return by_subject.get(node_id, [])

    def _indexed(
        self,
        gen: int,
        view: tuple[bool, str],
        name: str,
        keys_of: Callable[[Finding], Iterable[str]],
    ) -> dict[str, list[Finding]]:
        """All findings of one (visibility, basis) grouped under each key `keys_of` gives
        them (pinned per generation)."""
        vis, b = view

        def index() -> dict[str, list[Finding]]:
            grouped: dict[str, list[Finding]] = {}
            for f in self.findings(include_confidential=vis, generation=gen, basis=b):
                for k in keys_of(f):
                    grouped.setdefault(k, []).append(f)
            return grouped

        return self.cache.get_or_compute(gen, (name, *view), index, pinned=True)

    def recommendations(
        self,
        actor_id: str,
        *,
        limit: int = 10,
        include_confidential: bool = False,
        generation: int | None = None,
        basis: str = ANY,
    ) -> dict[str, Any]:
        """Ranked partners for `actor_id` and its proposed or planned ties, as
        `RecommendationSet.to_dict()` (`actor`, `actor_name`, `items`, `pending`).
        Raises KeyError when it is no actor (with `basis="stated"`, also when the actor
        is itself inferred)."""
        from graph.analysis.recommend import recommendation_set

        gen, b = self._gen(generation), check_basis(basis)

        def compute() -> dict[str, Any]:
            G = self.graph(include_confidential=include_confidential, generation=gen, basis=b)
            return recommendation_set(G, actor_id, limit=limit).to_dict()

        key = ("recommend", include_confidential, b, actor_id, limit)
        return self.cache.get_or_compute(gen, key, compute)

    def metrics(
        self,
        *,
        country: str | None = None,
        top: int = 10,
        include_confidential: bool = False,
        generation: int | None = None,
        basis: str = ANY,
    ) -> dict[str, Any]:
        """Structure metrics of the whole graph (or one country's actor network)."""
        from graph.analysis.structure import metrics

        gen, b = self._gen(generation), check_basis(basis)
        cc = norm_country(country)

        def compute() -> dict[str, Any]:
            G = self.graph(include_confidential=include_confidential, generation=gen, basis=b)
            return metrics(G, country=cc, top=top)

        key = ("metrics", include_confidential, b, cc, top)
        return self.cache.get_or_compute(gen, key, compute)


def _countries_of(f: Finding) -> list[str]:
    from graph.analysis.gaps import countries_of

    return countries_of(f)
