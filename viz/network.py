"""Network pages: a view of the graph turned into one self-contained HTML file.

`render_network(G, view=..., options=...)` picks the view's nodes
(`viz.views`, which checks the view's options), and
`render_view` draws them: it chooses how (`viz.drawing`: node by node, cut
to the top N, or one node per country in `viz.country_nodes`; thresholds
there), encodes nodes and links for vis-network (`viz.encode`, tooltips in
`viz.tooltips`), lets pyvis emit the library and data inline (`viz.emit`),
and builds the page around them (`viz.page`) with a legend, search and
filters (`viz/static/network.js`). The page is checked for remote
references before it is returned.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx

from viz.country_nodes import draw_countries
from viz.drawing import (
    HARD_MAX_NODES,
    LARGE_POLICIES,
    MAX_NODES,
    PHYSICS_MAX_NODES,
    check_options,
    choose_policy,
    draw_nodes,
)
from viz.emit import emit
from viz.findings import find_findings
from viz.page import Frame, Page, page_html
from viz.views import VIEWS, ViewError, ViewGraph, select_view
from viz.webgl_view import Cached, render_webgl_view

__all__ = [
    "HARD_MAX_NODES",
    "LARGE_POLICIES",
    "MAX_NODES",
    "PHYSICS_MAX_NODES",
    "Page",
    "ViewError",
    "render_network",
    "render_view",
]


def render_network(
    G: nx.MultiDiGraph,
    *,
    view: str = "network",
    options: Mapping[str, Any] | None = None,
    size_by: str = "degree",
    findings: Sequence[Any] | None = None,
    max_nodes: int = MAX_NODES,
    large: str = "auto",
    layout_name: str = "auto",
    expand_url: str | None = None,
    country_url: str | None = None,
    actor_url: str | None = None,
    cached: Cached | None = None,
) -> Page:
    """One view of `G` as a page. `options` are the view's (name -> value, e.g.
    `{"country": "FR"}`, see `viz.views.VIEWS`); `findings` defaults to `find_gaps(G)`.

    `expand_url` (e.g. "/api/{collection}/{id}/neighbourhood?depth=1", where
    `{collection}` is "actors" or "initiatives" after the node's family) makes a
    double-click on a node fetch and add its neighbourhood: only for pages
    served by the API. `country_url` (e.g. "/viz/countries/{code}") makes a
    double-click on an aggregated country node open that country; `actor_url`
    (e.g. "/viz/actors/{id}") makes a double-click on a node of a WebGL page open
    its neighbourhood page. `cached(key, compute)` keeps costly results (the WebGL
    layout) per store generation. Raises `ViewError` (unknown actor or country, empty
    view, bad option).
    """
    started = time.perf_counter()
    vg = select_view(G, view, options)
    gaps_s = None
    if findings is None:
        t = time.perf_counter()
        findings = find_findings(G)
        gaps_s = round(time.perf_counter() - t, 4)
    page = render_view(
        vg,
        findings=findings,
        size_by=size_by,
        max_nodes=max_nodes,
        large=large,
        layout_name=layout_name,
        expand_url=expand_url,
        country_url=country_url,
        actor_url=actor_url,
        cached=cached,
    )
    if gaps_s is not None:
        page.timings["gaps"] = gaps_s
    page.timings["total"] = round(time.perf_counter() - started, 4)
    return page


def render_view(
    vg: ViewGraph,
    *,
    findings: Sequence[Any] = (),
    size_by: str = "degree",
    max_nodes: int = MAX_NODES,
    large: str = "auto",
    layout_name: str = "auto",
    expand_url: str | None = None,
    country_url: str | None = None,
    page_title: str | None = None,
    before: str = "",
    after: str = "",
    extra_css: str = "",
    extra_js: str = "",
    mode_label: str | None = None,
    actor_url: str | None = None,
    cached: Cached | None = None,
) -> Page:
    """Draw a selected view. `before` / `after` are HTML placed around the network
    (the report page uses them). A view registered with the WebGL renderer is drawn
    whole by `viz.webgl` unless `large` asks for its aggregate or its top N."""
    t0 = time.perf_counter()
    check_options(size_by, max_nodes, large, layout_name)
    H = vg.graph
    if H.number_of_nodes() == 0:
        if vg.view == "cities":
            raise ViewError("There are no cities in the graph to draw.")
        raise ViewError("The graph is empty: load data first (e.g. `scn-graph seed`).")
    registered = VIEWS.get(vg.view)
    # a view that places its nodes itself (the map) has no aggregate or top N
    whole = large == "auto" or vg.positions is not None
    if registered is not None and registered.renderer == "webgl" and whole:
        return render_webgl_view(
            vg,
            findings=findings,
            size_by=size_by,
            layout_name=layout_name,
            actor_url=actor_url,
            cached=cached,
            country_url=country_url,
        )
    timings: dict[str, float] = {}
    policy, notes = choose_policy(vg, max_nodes, large)
    how = {
        "size_by": size_by,
        "max_nodes": max_nodes,
        "layout_name": layout_name,
        "notes": notes,
        "timings": timings,
    }
    if policy == "aggregate":
        drawn = draw_countries(vg, findings, **how)
    else:
        drawn = draw_nodes(vg, findings, top=policy == "top", **how)
    t1 = time.perf_counter()
    parts = emit(drawn.nodes, drawn.edges, large_graph=drawn.large_graph)
    timings["pyvis"] = round(time.perf_counter() - t1, 4)
    frame = Frame(page_title, before, after, extra_css, extra_js, mode_label)
    html = page_html(vg, drawn, parts, frame=frame, expand_url=expand_url, country_url=country_url)
    timings["render"] = round(time.perf_counter() - t0, 4)
    return Page(
        html=html,
        view=vg.view,
        title=page_title or vg.title,
        mode=mode_label or drawn.mode,
        node_count=len(drawn.nodes),
        edge_count=len(drawn.edges),
        source_nodes=H.number_of_nodes(),
        source_edges=H.number_of_edges(),
        notes=drawn.notes,
        timings=timings,
    )
