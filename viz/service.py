"""Pages straight from a store: what the CLI and the API call.

A page takes its projection, gap findings and (the report) structure metrics
and recommendations from the analysis service (`graph.analysis.service`) with
the caller's visibility (`include_confidential`): a role that may not see confidential
relationships gets a projection without them, so they are neither drawn nor
counted in the gap findings, the metrics or the recommendations on its pages.
The API hands in its long-lived service (cached per store generation); the
CLI passes none, and the page makes a one-shot service over the store.

Gap findings are always computed on the whole graph (then shown for the
nodes of the view), because a finding depends on links outside the view —
a city whose only link is abroad is not isolated.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

import networkx as nx

from graph.analysis.basis import ANY
from graph.analysis.service import AnalysisService
from graph.store.base import Store
from viz.network import MAX_NODES, Page, render_network
from viz.report import TOP as REPORT_TOP
from viz.report import Recommender, render_report
from viz.since import SinceSection
from viz.webgl_view import Cached

#: Draws a page from the projection, the findings, the metrics (None unless asked for),
#: the service's recommendations of one actor, the gap types not assessed, and a cache of
#: that generation for what the page itself computes (`Cached`: the WebGL layout), all of
#: one generation.
_Render = Callable[
    [nx.MultiDiGraph, list[Any], dict[str, Any] | None, Recommender, list[Any], Cached], Page
]


def _timed_page(
    store: Store,
    visible: bool,
    analysis: AnalysisService | None,
    render: _Render,
    *,
    with_structure: bool = False,
    basis: str = ANY,
) -> Page:
    """Take the projection and findings (and with `with_structure` the metrics) from the
    service, all of one store generation and of one basis, render (recommendations from
    the service too), and add their times to the page's."""
    service = analysis if analysis is not None else AnalysisService(store)
    # the last complete analysis while a newer one is computed (held for the whole page)
    answer = service.answer(include_confidential=visible, basis=basis)
    gen = answer.generation
    view = {"include_confidential": visible, "generation": gen, "basis": basis}
    timings: dict[str, float] = {}
    t = time.perf_counter()
    G = service.graph(**view)
    timings["project"] = time.perf_counter() - t
    t = time.perf_counter()
    findings = service.findings(**view)
    skipped = service.not_assessed(**view)
    timings["gaps"] = time.perf_counter() - t
    structure = None
    if with_structure:
        t = time.perf_counter()
        structure = service.metrics(top=REPORT_TOP, **view)
        timings["structure"] = time.perf_counter() - t

    def recommend(actor_id: str, limit: int) -> dict[str, Any]:
        return service.recommendations(actor_id, limit=limit, **view)

    def cached(key: Any, compute: Callable[[], Any]) -> Any:
        return service.cache.get_or_compute(gen, ("viz", visible, basis, key), compute)

    page = render(G, findings, structure, recommend, skipped, cached)
    page.generation, page.stale = gen, answer.stale
    page.timings.update({k: round(v, 4) for k, v in timings.items()})
    page.timings["total"] = round(page.timings.get("total", 0.0) + sum(timings.values()), 4)
    return page


def network_page(
    store: Store,
    *,
    view: str = "network",
    options: Mapping[str, Any] | None = None,
    size_by: str = "degree",
    include_confidential: bool = False,
    max_nodes: int = MAX_NODES,
    large: str = "auto",
    layout_name: str = "auto",
    expand_url: str | None = None,
    country_url: str | None = None,
    actor_url: str | None = None,
    analysis: AnalysisService | None = None,
) -> Page:
    """A network view (`viz.network.render_network`, with the view's `options`) of the store,
    as `include_confidential` allows; `analysis` is a long-lived service to reuse (one-shot
    over `store` otherwise)."""
    return _timed_page(
        store,
        include_confidential,
        analysis,
        lambda G, findings, _structure, _recommend, _skipped, cached: render_network(
            G,
            findings=findings,
            view=view,
            options=options,
            size_by=size_by,
            max_nodes=max_nodes,
            large=large,
            layout_name=layout_name,
            expand_url=expand_url,
            country_url=country_url,
            actor_url=actor_url,
            cached=cached,
        ),
    )


def report_page(
    store: Store,
    *,
    include_confidential: bool = False,
    size_by: str = "degree",
    max_nodes: int = MAX_NODES,
    large: str = "auto",
    expand_url: str | None = None,
    country_url: str | None = None,
    analysis: AnalysisService | None = None,
    basis: str = ANY,
    since: int | None = None,
) -> Page:
    """The gap report (`viz.report.render_report`) of the store, as `include_confidential`
    allows, of every record or (`basis="stated"`) the stated ones only; `analysis` is a
    long-lived service to reuse (one-shot over `store` otherwise). `since` adds the
    section "Since revision N" (raises `HistoryError` for an unknown revision)."""
    service = analysis if analysis is not None else AnalysisService(store)
    section = None
    if since is not None:
        section = since_section(
            service, since, include_confidential=include_confidential, basis=basis
        )
    return _timed_page(
        store,
        include_confidential,
        service,
        lambda G, findings, structure, recommend, skipped, _cached: render_report(
            G,
            findings=findings,
            structure=structure,
            recommend=recommend,
            not_assessed=skipped,
            basis=basis,
            since=section,
            size_by=size_by,
            max_nodes=max_nodes,
            large=large,
            expand_url=expand_url,
            country_url=country_url,
        ),
        with_structure=True,
        basis=basis,
    )


def since_section(
    analysis: AnalysisService,
    since: int,
    *,
    include_confidential: bool = False,
    basis: str = ANY,
) -> SinceSection:
    """The data of the report's "Since revision N" section, as the role may see it."""
    from graph.history.service import HistoryService

    hist = HistoryService(analysis)
    view = {"include_confidential": include_confidential, "basis": basis}
    changes = hist.since(since, **view)
    rev = hist.revision(since)
    return SinceSection(
        since, rev.time if rev else "", changes, hist.findings_per_revision(since, **view)
    )
