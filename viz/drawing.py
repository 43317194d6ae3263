"""How a view is drawn: node by node, cut to its top N, or aggregated to countries.

Thresholds (documented in docs/visualisation.md, and said on every page they
affect):

* up to `PHYSICS_MAX_NODES` nodes the page settles the layout with
  vis-network's physics for a moment (from the Python positions), then turns
  physics off so nodes stay where they are put;
* above it, positions are the Python layout and physics stays off (pyvis
  issue 204: 1,500 nodes with physics took about 3 minutes);
* a view with more than `max_nodes` nodes (default `MAX_NODES`, at most
  `HARD_MAX_NODES`) is not drawn node by node: it is aggregated to one node
  per country (`viz.country_nodes`), or cut to the top `max_nodes` nodes by
  the size metric (`large`: "aggregate", "top", or "auto" = aggregate the
  whole-network and city views when they span two or more countries, top-N
  otherwise);
* tooltips carry each finding's explanation and suggestion while the page
  has at most `TIP_TEXT_MAX_FINDINGS` findings, and only their titles above
  (the report and `scn-graph gaps` have the full text).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graph.analysis.wording import noun
from viz import aggregate, layout, measure, style
from viz.encode import vis_edges, vis_node
from viz.findings import findings_by_node
from viz.tooltips import metric_text, metric_words
from viz.views import ViewError, ViewGraph

PHYSICS_MAX_NODES = 300
MAX_NODES = 2000
HARD_MAX_NODES = 5000
TIP_TEXT_MAX_FINDINGS = 1500
LARGE_POLICIES = ("auto", "aggregate", "top")
#: Iterations of the in-browser physics settle for small views.
STABILIZE_ITERATIONS = 250
#: Views that `large="auto"` aggregates to countries (the others are cut to the top N).
AGGREGATED_VIEWS = ("network", "cities")


@dataclass
class Drawn:
    """What a page draws: vis nodes and edges, and the counts its legend and notes show."""

    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    mode: str  # "full" | "top" | "aggregate"
    notes: list[str]
    legend_kinds: Counter[str]
    legend_types: Counter[str]
    countries: Counter[str]
    confidential: int
    stabilize: int  # physics iterations in the browser (0: none)
    large_graph: bool
    size_note: str


def check_options(size_by: str, max_nodes: int, large: str, layout_name: str) -> None:
    """Refuse a drawing option the pages do not know (a 400 over HTTP)."""
    if size_by not in measure.SIZE_METRICS:
        raise ViewError(
            f"size_by must be one of {', '.join(measure.SIZE_METRICS)}, not {size_by!r}.", 400
        )
    if not 1 <= int(max_nodes) <= HARD_MAX_NODES:
        raise ViewError(f"max_nodes must be between 1 and {HARD_MAX_NODES}, not {max_nodes}.", 400)
    if large not in LARGE_POLICIES:
        raise ViewError(f"large must be one of {', '.join(LARGE_POLICIES)}, not {large!r}.", 400)
    if layout_name not in layout.LAYOUTS:
        raise ViewError(
            f"layout must be one of {', '.join(layout.LAYOUTS)}, not {layout_name!r}.", 400
        )


def choose_policy(vg: ViewGraph, max_nodes: int, large: str) -> tuple[str, list[str]]:
    """ "full", "top" or "aggregate" for this view, and the note that says why if it
    was not the one asked for."""
    H = vg.graph
    if H.number_of_nodes() <= max_nodes:
        return "full", []
    groups = {aggregate.group_of(d) for _, d in H.nodes(data=True)}
    if large == "auto":
        policy = "aggregate" if vg.view in AGGREGATED_VIEWS and len(groups) >= 2 else "top"
    else:
        policy = large
    if policy == "aggregate" and len(groups) < 2:
        return "top", ["All nodes of this view are in one country, so it is cut, not aggregated."]
    return policy, []


def what_nodes(vg: ViewGraph, n: int = 2) -> str:
    """What `n` nodes of a view are called in notes and tooltips ("1 city", "2 nodes")."""
    return noun(n, "city", "cities") if vg.view == "cities" else noun(n, "node")


def draw_nodes(
    vg: ViewGraph,
    findings: Sequence[Any],
    *,
    top: bool,
    size_by: str,
    max_nodes: int,
    layout_name: str,
    notes: list[str],
    timings: dict[str, float],
) -> Drawn:
    """The view node by node: all of it, or (`top`) its `max_nodes` highest by `size_by`."""
    H = vg.graph
    n = H.number_of_nodes()
    t = time.perf_counter()
    sg = measure.SimpleGraph.from_pairs(H.nodes, ((u, v) for u, v in H.edges()))
    metric = measure.compute(sg, size_by)
    timings["metric"] = round(time.perf_counter() - t, 4)
    ids: list[Hashable] = list(H.nodes)
    sub, sub_sg = H, sg
    if top:
        ids = aggregate.top_n(metric.values, max_nodes, keep=[vg.focus] if vg.focus else [])
        notes.append(
            f"This view has {n:,} {what_nodes(vg)}, more than the {max_nodes:,} a page draws one "
            f"by one without slowing the browser. Showing the {len(ids):,} with the highest "
            f"{metric_words(size_by)} and the links among them. For the others, open one "
            "country or an actor's neighbourhood, or the aggregated view (one node per country)."
        )
        sub = H.subgraph(ids)
        sub_sg = measure.SimpleGraph.from_pairs(ids, ((u, v) for u, v in sub.edges()))
    t = time.perf_counter()
    pos = positions(sub, sub_sg, layout_name)
    timings["layout"] = round(time.perf_counter() - t, 4)
    large_graph = len(ids) > PHYSICS_MAX_NODES
    if large_graph:
        notes.append(
            f"More than {PHYSICS_MAX_NODES} nodes: positions are computed in advance and "
            "physics is off, so the page stays responsive. Drag to pan, scroll to zoom."
        )
    by_node = findings_by_node(findings, set(ids))
    total_findings = sum(len(v) for v in by_node.values())
    with_text = total_findings <= TIP_TEXT_MAX_FINDINGS
    if not with_text:
        notes.append(
            f"{total_findings:,} gap findings concern the nodes shown: tooltips name them; "
            "the report page and `scn-graph gaps` give each explanation and suggestion."
        )
    sizes = measure.scale_sizes({i: metric.values[i] for i in ids}, style.MIN_SIZE, style.MAX_SIZE)
    nodes = []
    kinds: Counter[str] = Counter()
    countries: Counter[str] = Counter()
    for i in ids:
        d = H.nodes[i]
        kinds[str(d.get("kind") or "unknown")] += 1
        countries[aggregate.group_of(d)] += 1
        nodes.append(
            vis_node(
                i,
                d,
                size=sizes[i],
                pos=pos.get(i),
                metric_line=metric_text(metric, i),
                found=by_node.get(i, []),
                with_text=with_text,
                abroad=i in vg.abroad,
                focus=i == vg.focus,
            )
        )
    edges, types, conf = vis_edges(sub, curved=not large_graph)
    return Drawn(
        nodes,
        edges,
        "top" if top else "full",
        notes,
        kinds,
        types,
        countries,
        conf,
        0 if large_graph else STABILIZE_ITERATIONS,
        large_graph,
        f"Size: {metric_words(size_by)} ({metric.method}).",
    )


def positions(
    H: nx.MultiDiGraph, sg: measure.SimpleGraph, layout_name: str
) -> dict[Hashable, tuple[float, float]]:
    """Node positions: by longitude and latitude (`geo`), or the seeded force layout."""
    if layout_name == "geo":
        coords = {}
        for i in sg.ids:
            d = H.nodes[i]
            lat, lon = d.get("lat"), d.get("lon")
            ok = isinstance(lat, int | float) and isinstance(lon, int | float)
            coords[i] = (float(lat), float(lon)) if ok else None
        return layout.geo_layout(sg.ids, coords)
    return layout.force_layout(sg)
