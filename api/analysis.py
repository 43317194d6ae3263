"""Gap findings, recommendations and structure metrics for the API, cached per generation.

Every result is computed on a projection made with the caller's visibility
(`include_confidential`), so for a reader the findings' explanations and the
recommendations' reasons are written from a graph that has no confidential
relationship in it: they cannot mention one.
"""

from __future__ import annotations

import gc
import logging
import threading
from typing import Any, TypeVar

import networkx as nx

from api.cache import ResultCache
from graph.analysis.findings import SEVERITIES, Finding
from graph.projection import project
from graph.store.base import Store

log = logging.getLogger("scn_graph.api")
T = TypeVar("T")

#: Results computed from a projection at least this big are frozen out of the cyclic GC.
SETTLE_MIN_NODES = 2000


class Analysis:
    def __init__(self, store: Store, cache: ResultCache) -> None:
        self.store = store
        self.cache = cache

    def generation(self) -> int:
        return int(self.store.generation)

    def warm(self) -> None:
        """Compute the gap findings for both visibilities (after a write, in the
        background), so the next reader does not wait for them."""
        try:
            for visible in (False, True):
                self.findings(visible)
        except Exception:  # a failed warm-up only means the next request computes it
            log.warning("warming the analysis cache failed", exc_info=True)

    def graph(self, visible: bool, generation: int | None = None) -> nx.MultiDiGraph:
        gen = self.generation() if generation is None else generation
        return self.cache.get_or_compute(
            gen,
            ("projection", visible),
            lambda: _settled_graph(project(self.store, include_confidential=visible)),
            pinned=True,
        )

    def cached_graph(self, visible: bool) -> nx.MultiDiGraph | None:
        """The projection if it is already cached for the current generation (never builds one)."""
        return self.cache.peek(self.generation(), ("projection", visible))  # type: ignore[no-any-return]

    def findings(self, visible: bool, generation: int | None = None) -> list[Finding]:
        """Every finding of the whole graph, sorted as `find_gaps` sorts them."""
        from graph.analysis.gaps import find_gaps

        gen = self.generation() if generation is None else generation

        def compute() -> list[Finding]:
            G = self.graph(visible, gen)
            found = find_gaps(G)
            return settled(found) if G.number_of_nodes() >= SETTLE_MIN_NODES else found

        return self.cache.get_or_compute(gen, ("findings", visible), compute, pinned=True)

    def gaps(
        self,
        visible: bool,
        *,
        types: list[str] | None = None,
        country: str | None = None,
        severity: str | None = None,
    ) -> list[Finding]:
        """Findings filtered as `find_gaps` filters them (same validation, same order)."""
        from graph.analysis.gaps import GAP_TYPES

        wanted = set(types or ())
        unknown = sorted(wanted - set(GAP_TYPES))
        if unknown:
            raise ValueError(
                f"unknown gap type {unknown[0]!r}; expected one of: {', '.join(GAP_TYPES)}"
            )
        if severity is not None and severity not in SEVERITIES:
            raise ValueError(
                f"unknown severity {severity!r}; expected one of: {', '.join(SEVERITIES)}"
            )
        cc = country.strip().upper() if country else None
        gen = self.generation()
        key = ("gaps", visible, tuple(sorted(wanted)), cc, severity)

        def compute() -> list[Finding]:
            pool = self.findings(visible, gen) if cc is None else self._by_country(visible, gen, cc)
            if not wanted and severity is None:
                return pool
            return [
                f
                for f in pool
                if (not wanted or f.type in wanted) and (severity is None or f.severity == severity)
            ]

        return self.cache.get_or_compute(gen, key, compute)

    def _by_country(self, visible: bool, gen: int, cc: str) -> list[Finding]:
        """The findings about country `cc`, as `find_gaps(country=cc)` keeps them."""

        def index() -> dict[str, list[Finding]]:
            by_country: dict[str, list[Finding]] = {}
            for f in self.findings(visible, gen):
                if f.country is not None:
                    codes = [f.country.upper()]
                elif f.type == "horizontal.unlinked_countries":
                    codes = list(dict.fromkeys(str(s).upper() for s in f.subjects))
                else:
                    codes = []
                for c in codes:
                    by_country.setdefault(c, []).append(f)
            return by_country

        found = self.cache.get_or_compute(gen, ("by_country", visible), index, pinned=True)
        return found.get(cc, [])

    def gaps_of(self, visible: bool, node_id: str) -> list[Finding]:
        """The findings `node_id` is a subject of (from an index built once per generation)."""
        gen = self.generation()

        def index() -> dict[str, list[Finding]]:
            by_subject: dict[str, list[Finding]] = {}
            for f in self.findings(visible, gen):
                for s in dict.fromkeys(f.subjects):
                    by_subject.setdefault(s, []).append(f)
            return by_subject

        by_subject = self.cache.get_or_compute(gen, ("by_subject", visible), index, pinned=True)
        return by_subject.get(node_id, [])

    def recommendations(self, visible: bool, actor_id: str, limit: int) -> list[dict[str, Any]]:
        from graph.analysis.recommend import recommend

        gen = self.generation()

        def compute() -> list[dict[str, Any]]:
            return [r.to_dict() for r in recommend(self.graph(visible, gen), actor_id, limit=limit)]

        return self.cache.get_or_compute(gen, ("recommend", visible, actor_id, limit), compute)

    def metrics(self, visible: bool, country: str | None, top: int) -> dict[str, Any]:
        from graph.analysis.structure import metrics

        gen = self.generation()
        cc = country.strip().upper() if country else None
        return self.cache.get_or_compute(
            gen,
            ("metrics", visible, cc, top),
            lambda: metrics(self.graph(visible, gen), country=cc, top=top),
        )


def _settled_graph(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    return settled(G) if G.number_of_nodes() >= SETTLE_MIN_NODES else G


def settled(value: T) -> T:
    """Exempt the long-lived cached results from the cyclic garbage collector.

    A cached projection and its findings are a few hundred thousand objects per
    visibility on the twin-cities graph; every full collection walked them all,
    and under load 23 full collections in a benchmark run stopped the server for
    4.2 s in all (up to 0.29 s each), which was most of the p95/p99 latency.
    After such a result is built: unfreeze what an earlier call froze (so the
    previous generation's cyclic garbage can go), collect once, and freeze what
    is alive. Frozen objects are still freed by reference counting. Small
    graphs (under `SETTLE_MIN_NODES`) are left alone: scanning them costs little.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    return value


def warm_in_background(analysis: Analysis | None) -> None:
    if analysis is not None:
        threading.Thread(target=analysis.warm, name="scn-warm-cache", daemon=True).start()
