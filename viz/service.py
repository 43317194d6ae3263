"""Pages straight from a store: what the CLI and the API call.

The graph is projected once per page with the caller's visibility
(`include_confidential`): a role that may not see confidential relationships
gets a projection without them, so they are neither drawn nor counted in the
gap findings, the metrics or the recommendations on its pages.

Gap findings are always computed on the whole graph (then shown for the
nodes of the view), because a finding depends on links outside the view —
a city whose only link is abroad is not isolated.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Protocol

import networkx as nx

from graph.projection import project
from graph.store.base import Store
from viz.network import MAX_NODES, Page, render_network
from viz.report import TOP as REPORT_TOP
from viz.report import render_report


class AnalysisSource(Protocol):
    """Cached analyses by visibility (the API's `Analysis`): pages reuse them instead
    of projecting the store and finding the gaps again for every page."""

    def graph(self, visible: bool) -> nx.MultiDiGraph: ...

    def findings(self, visible: bool) -> list[Any]: ...

    def metrics(self, visible: bool, country: str | None, top: int) -> dict[str, Any]: ...


def _graph_and_findings(
    store: Store, visible: bool, analysis: AnalysisSource | None
) -> tuple[nx.MultiDiGraph, list[Any] | None]:
    if analysis is None:
        return project(store, include_confidential=visible), None
    return analysis.graph(visible), analysis.findings(visible)


def _timed_page(
    store: Store,
    visible: bool,
    analysis: AnalysisSource | None,
    render: Callable[[nx.MultiDiGraph, list[Any] | None, dict[str, Any] | None], Page],
    *,
    with_structure: bool = False,
) -> Page:
    """Project (or take the cached analyses), render, and add the projection time
    to the page's timings. `with_structure` also takes the cached metrics."""
    t = time.perf_counter()
    G, findings = _graph_and_findings(store, visible, analysis)
    structure = (
        analysis.metrics(visible, None, REPORT_TOP)
        if with_structure and analysis is not None
        else None
    )
    projected = time.perf_counter() - t
    page = render(G, findings, structure)
    page.timings["project"] = round(projected, 4)
    page.timings["total"] = round(page.timings.get("total", 0.0) + projected, 4)
    return page


def network_page(
    store: Store,
    *,
    view: str = "network",
    country: str | None = None,
    actor: str | None = None,
    depth: int = 1,
    size_by: str = "degree",
    include_confidential: bool = False,
    max_nodes: int = MAX_NODES,
    large: str = "auto",
    layout_name: str = "auto",
    expand_url: str | None = None,
    country_url: str | None = None,
    analysis: AnalysisSource | None = None,
) -> Page:
    return _timed_page(
        store,
        include_confidential,
        analysis,
        lambda G, findings, _structure: render_network(
            G,
            findings=findings,
            view=view,
            country=country,
            actor=actor,
            depth=depth,
            size_by=size_by,
            max_nodes=max_nodes,
            large=large,
            layout_name=layout_name,
            expand_url=expand_url,
            country_url=country_url,
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
    analysis: AnalysisSource | None = None,
) -> Page:
    return _timed_page(
        store,
        include_confidential,
        analysis,
        lambda G, findings, structure: render_report(
            G,
            findings=findings,
            structure=structure,
            size_by=size_by,
            max_nodes=max_nodes,
            large=large,
            expand_url=expand_url,
            country_url=country_url,
        ),
        with_structure=True,
    )
