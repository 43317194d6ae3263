"""A view of the graph as the payload of a WebGL page (`viz.webgl`), drawn whole.

Every node and every link of the view is in the payload: nothing is
aggregated or cut. A view may place its nodes itself and add a background
layer and notes (`ViewGraph.positions`, `.background`, `.notes`: a map);
otherwise positions come from `viz.drawing.positions` (the seeded
force layout per connected component, or longitude/latitude with
`layout_name="geo"`), flipped so y points up as the payload wants; on the
twin-cities network (17,127 cities) the force layout takes several seconds,
so a caller with a cache (the API's analysis service, per store generation)
hands in `cached` and the layout is computed once per generation and
visibility. Node sizes and label priority follow the size metric
(`viz.measure`); colours and link looks come from `viz.style`, the table
the vis-network pages read too.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graph import schema
from viz import aggregate, measure, style
from viz.drawing import positions
from viz.findings import findings_by_node, gap_title
from viz.page import Page, credits
from viz.tooltips import group_label, metric_text, metric_words
from viz.views import ViewGraph
from viz.webgl import WebglFrame, webgl_page

#: Node radius in pixels at the first zoom level, by the square root of the metric:
#: from `MIN_SIZE` on the largest views (where 17,000 nodes share one screen) up to
#: `SMALL_MIN_SIZE` on small ones (`node_sizes`).
MIN_SIZE = 1.5
MAX_SIZE = 12.0
SMALL_MIN_SIZE = 8.0
SMALL_MAX_SIZE = 24.0
#: Longest label drawn; longer names are cut with "…" (the details panel has the name).
LABEL_MAX = 32

#: Links of a map (`link_rule`): drawn as arcs (sigma.js's curve program) on a map of at
#: most `ARC_MAX_LINKS` links, plain lines above it: without a GPU an arc costs about ten
#: times a line per frame, even zoomed in (docs/benchmarks.md). Above `DENSE_LINKS`,
#: links are faint (`style.FAINT_LINK_OPACITY`) until zoomed in to `CLOSE_RATIO` of the
#: whole, so the countries stay visible under them.
ARC_MAX_LINKS = 2_000
DENSE_LINKS = 2_000
CLOSE_RATIO = 0.25

#: `cached(key, compute)`: the value of `key`, computed once (per store generation).
Cached = Callable[[Any, Callable[[], Any]], Any]


@dataclass
class WebglView:
    """The payload of a view and what its page says about it."""

    payload: dict[str, Any]
    notes: list[str]
    size_note: str
    confidential: int
    timings: dict[str, float]


def _no_cache(_key: Any, compute: Callable[[], Any]) -> Any:
    return compute()


def view_payload(
    vg: ViewGraph,
    findings: Sequence[Any],
    *,
    size_by: str = "degree",
    layout_name: str = "auto",
    cached: Cached | None = None,
) -> WebglView:
    """Every node and link of `vg` as a WebGL payload, with its gap findings."""
    H = vg.graph
    timings: dict[str, float] = {}
    t = time.perf_counter()
    sg = measure.SimpleGraph.from_pairs(H.nodes, ((u, v) for u, v in H.edges()))
    metric = measure.compute(sg, size_by)
    timings["metric"] = round(time.perf_counter() - t, 4)
    t = time.perf_counter()
    if vg.positions is not None:  # the view placed its nodes itself (y already upwards)
        pos = {i: (x, -y) for i, (x, y) in vg.positions.items()}
    else:
        key = ("webgl-layout", vg.view, layout_name, H.number_of_nodes(), H.number_of_edges())
        pos = (cached or _no_cache)(key, lambda: positions(H, sg, layout_name))
    timings["layout"] = round(time.perf_counter() - t, 4)
    t = time.perf_counter()
    by_node = findings_by_node(findings, set(H.nodes))
    sizes = measure.scale_sizes(metric.values, *node_sizes(len(metric.values)))
    top = max(metric.values.values(), default=0.0) or 1.0
    nodes = [
        _node(i, H.nodes[i], pos.get(i), sizes[i], metric.values[i] / top, by_node.get(i, []), vg)
        for i in H.nodes
    ]
    if size_by != "degree":  # the panel counts links itself; another metric is named
        for n, i in zip(nodes, H.nodes, strict=True):
            n.setdefault("details", []).append(["Size", metric_text(metric, i)])
    for n, i in zip(nodes, H.nodes, strict=True):  # the view's own lines (the map's "Placed")
        if i in vg.node_details:
            n.setdefault("details", []).extend(vg.node_details[i])
    edges, types, looks, confidential = _edges(H)
    kinds = Counter(n["kind"] for n in nodes)
    payload = {
        "nodes": nodes,
        "edges": edges,
        "legend": {
            "kinds": [
                {
                    "kind": k,
                    "label": style.kind_style(k).label,
                    "colour": style.kind_style(k).colour,
                    "count": c,
                }
                for k, c in style.kind_order(kinds.items())
            ],
            "types": [
                {"type": t, "meaning": style.TYPE_MEANINGS.get(t, ""), "count": c}
                for t, c in sorted(types.items())
            ],
            "links": looks,
        },
        "countries": {c: group_label(c) for c in sorted({n["country"] for n in nodes})},
        "gapTypes": {
            t: gap_title(t) for t in sorted({f.type for fs in by_node.values() for f in fs})
        },
    }
    if vg.background is not None:
        payload["background"] = vg.background
    timings["payload"] = round(time.perf_counter() - t, 4)
    notes = [
        "Every node and link is drawn (WebGL). Scroll to zoom, drag to pan; labels of the "
        "best-connected nodes show first and more appear as you zoom in.",
        *vg.notes,
    ]
    size_note = f"Size: {metric_words(size_by)} ({metric.method})."
    return WebglView(payload, notes, size_note, confidential, timings)


def link_rule(links: int, *, arcs: bool) -> dict[str, Any]:
    """How the page draws `links` links (`settings.links` of webgl.js): "arcs" is
    "always" or "never"; "faint" makes them faint until the camera's ratio is at most
    "closeRatio" (zoomed in). Views without `arcs` (the cities view) keep plain lines at
    full colour."""
    return {
        "arcs": "always" if arcs and links <= ARC_MAX_LINKS else "never",
        "faint": arcs and links > DENSE_LINKS,
        "closeRatio": CLOSE_RATIO,
    }


def node_sizes(n: int) -> tuple[float, float]:
    """Smallest and largest node radius for a view of `n` nodes: as large as a small
    view allows, as small as a big one needs (the screen's area shared by `n`)."""
    lo = max(MIN_SIZE, min(SMALL_MIN_SIZE, 60.0 / max(n, 1) ** 0.5))
    return lo, max(MAX_SIZE, min(SMALL_MAX_SIZE, 3 * lo))


def _node(
    i: Hashable,
    d: dict[str, Any],
    pos: tuple[float, float] | None,
    size: float,
    importance: float,
    found: list[Any],
    vg: ViewGraph,
) -> dict[str, Any]:
    kind = str(d.get("kind") or "unknown")
    name = str(d.get("name") or i)
    look = style.kind_style(kind)
    abroad = i in vg.abroad
    x, y = pos if pos is not None else (0.0, 0.0)
    node: dict[str, Any] = {
        "id": str(i),
        "label": name if len(name) <= LABEL_MAX else name[: LABEL_MAX - 1] + "…",
        "x": x,
        "y": -y,  # the layouts put y downwards (screen); the payload wants it upwards
        "size": round(size * (1.25 if i == vg.focus else 1.0), 2),
        "colour": style.lighter(look.colour, style.ABROAD_OPACITY) if abroad else look.colour,
        "importance": round(importance, 4),
        "kind": kind,
        "country": aggregate.group_of(d),
    }
    if len(name) > LABEL_MAX:
        node["details"] = [["Name", name]]
    if d.get("family") == schema.INITIATIVE and d.get("status") not in (None, "active"):
        node.setdefault("details", []).append(["Status", str(d["status"])])
    if found:
        node["gaps"] = [[f.type, f.severity] for f in found]
    if abroad:
        node["faded"] = True
    return node


def _edges(
    H: nx.MultiDiGraph,
) -> tuple[list[dict[str, Any]], Counter[str], list[dict[str, Any]], int]:
    """The links, each with the index of its look (`style.edge_look`) in the legend's
    list of looks that occur, the count of each type, that list, and how many links
    are confidential."""
    edges = []
    types: Counter[str] = Counter()
    looks: dict[tuple[str, bool, bool, bool], int] = {}
    legend: list[dict[str, Any]] = []
    confidential = 0
    for u, v, k, d in H.edges(keys=True, data=True):
        t = str(d.get("type") or k)
        status = str(d.get("status") or "active")
        cb, conf = bool(d.get("cross_border")), bool(d.get("confidential"))
        look = style.edge_look(d.get("axis"), status=status, cross_border=cb, confidential=conf)
        look_key = (look.axis, cb, status != "active", conf)
        if look_key not in looks:
            looks[look_key] = len(legend)
            legend.append(_look_entry(look, cb, status, conf))
        e: dict[str, Any] = {"source": str(u), "target": str(v), "type": t, "look": looks[look_key]}
        details = _edge_details(d, status)
        if details:
            e["details"] = details
        edges.append(e)
        types[t] += 1
        confidential += conf
    return edges, types, legend, confidential


def _edge_details(d: dict[str, Any], status: str) -> list[list[str]]:
    """What a link's line in the details panel adds to its type and look."""
    out = []
    if status != "active":
        out.append(["Status", status])
    if d.get("since"):
        out.append(["Since", str(d["since"])])
    if d.get("initiatives"):
        out.append(["Initiatives", ", ".join(map(str, d["initiatives"]))])
    if d.get("note"):
        out.append(["Note", str(d["note"])])
    return out


def _look_entry(look: style.EdgeLook, cb: bool, status: str, conf: bool) -> dict[str, Any]:
    """A legend line for one look of link, which the links of that look point to."""
    words = ["Confidential" if conf else style.AXIS_STYLES[look.axis].label]
    if cb:
        words.append("cross-border (darker)")
    if status != "active":
        words.append("planned or ended (faded)")
    return {
        "label": ", ".join(words),
        "colour": look.webgl_colour(),
        "faintColour": look.webgl_colour(style.FAINT_LINK_OPACITY),
        "crossBorder": cb,
        "confidential": conf,
    }


def render_webgl_view(
    vg: ViewGraph,
    *,
    findings: Sequence[Any] = (),
    size_by: str = "degree",
    layout_name: str = "auto",
    actor_url: str | None = None,
    cached: Cached | None = None,
    country_url: str | None = None,
) -> Page:
    """`vg` drawn whole on a WebGL page. `actor_url` (e.g. "/viz/actors/{id}") makes a
    double-click open the node's neighbourhood page, and `country_url` (e.g.
    "/viz/countries/{code}") one on a country of the view's background (the map) open
    the country's page (served pages only)."""
    t0 = time.perf_counter()
    H = vg.graph
    drawn = view_payload(vg, findings, size_by=size_by, layout_name=layout_name, cached=cached)
    frame = WebglFrame(
        title=vg.title,
        view=vg.view,
        description=vg.description,
        notes=drawn.notes,
        credits=[*credits(H), *vg.credits],
        actor_url=actor_url,
        country_url=country_url if vg.background is not None else None,
        size_note=drawn.size_note,
        confidential=drawn.confidential,
        extra={"links": link_rule(len(drawn.payload["edges"]), arcs=bool(vg.settings.get("arcs")))},
    )
    html = webgl_page(drawn.payload, frame)
    drawn.timings["render"] = round(time.perf_counter() - t0, 4)
    return Page(
        html=html,
        view=vg.view,
        title=vg.title,
        mode="full",
        node_count=len(drawn.payload["nodes"]),
        edge_count=len(drawn.payload["edges"]),
        source_nodes=H.number_of_nodes(),
        source_edges=H.number_of_edges(),
        notes=drawn.notes,
        timings=drawn.timings,
    )
