"""Network pages: a view of the graph turned into one self-contained HTML file.

`render_network(G, view=...)` picks the view's nodes (`viz.views`), sizes
them by a metric (`viz.measure`), caps or aggregates big views
(`viz.aggregate`), lays them out in Python (`viz.layout`), lets pyvis emit
the vis-network data and library inline, and builds the page around it with
a legend, search and filters (`viz/static/network.js`). `viz.offline`
removes what pyvis links from CDNs and the page is checked for remote
references before it is returned.

Thresholds (documented in docs/visualisation.md, and said on every page they
affect):

* up to `PHYSICS_MAX_NODES` nodes the page settles the layout with
  vis-network's physics for a moment (from the Python positions), then turns
  physics off so nodes stay where they are put;
* above it, positions are the Python layout and physics stays off (pyvis
  issue 204: 1,500 nodes with physics took about 3 minutes);
* a view with more than `max_nodes` nodes (default `MAX_NODES`, at most
  `HARD_MAX_NODES`) is not drawn node by node: it is aggregated to one node
  per country, or cut to the top `max_nodes` nodes by the size metric
  (`large`: "aggregate", "top", or "auto" = aggregate the whole-network and
  city views when they span two or more countries, top-N otherwise);
* tooltips carry each finding's explanation and suggestion while the page
  has at most `TIP_TEXT_MAX_FINDINGS` findings, and only their titles above
  (the report and `scn-graph gaps` have the full text).
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx

from graph import schema
from viz import aggregate, layout, measure, style
from viz.offline import CSP, external_refs, json_for_script, pyvis_parts
from viz.views import SHARED_INITIATIVE, ViewError, ViewGraph, country_label, select_view

PHYSICS_MAX_NODES = 300
MAX_NODES = 2000
HARD_MAX_NODES = 5000
TIP_TEXT_MAX_FINDINGS = 1500
LARGE_POLICIES = ("auto", "aggregate", "top")
LABEL_MAX = 32
#: Iterations of the in-browser physics settle for small views.
STABILIZE_ITERATIONS = 250

TWIN_CITIES_SOURCE = "twin_cities.csv"
TWIN_CITIES_CREDIT = (
    "City twinning data: Hekman/twincities (github.com/Hekman/twincities, MIT licence), "
    "from Wikipedia's lists of twin towns and sister cities (CC BY-SA 4.0)."
)
SEED_CREDIT = (
    "Seed data: summary of the Strong Cities Network workshop “Strengthening Local "
    "Partnerships, Programs and Policies on Prevention”, London, 9–10 March 2022."
)

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


@dataclass
class Page:
    """A rendered page and what it shows (the numbers the page itself reports)."""

    html: str
    view: str
    title: str
    mode: str  # "full" | "top" | "aggregate" | "report"
    node_count: int  # nodes on the page
    edge_count: int  # links on the page
    source_nodes: int  # nodes in the view before capping / aggregating
    source_edges: int
    notes: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def size_bytes(self) -> int:
        return len(self.html.encode("utf-8"))

    def write(self, path: str | Path) -> Path:
        p = Path(path)
        p.write_text(self.html, encoding="utf-8")
        return p


# --------------------------------------------------------------------------- entry points


def render_network(
    G: nx.MultiDiGraph,
    *,
    view: str = "network",
    country: str | None = None,
    actor: str | None = None,
    depth: int = 1,
    size_by: str = "degree",
    findings: Sequence[Any] | None = None,
    max_nodes: int = MAX_NODES,
    large: str = "auto",
    layout_name: str = "auto",
    expand_url: str | None = None,
    country_url: str | None = None,
) -> Page:
    """One view of `G` as a page. `findings` defaults to `find_gaps(G)`.

    `expand_url` (e.g. "/api/actors/{id}/neighbourhood?depth=1") makes a
    double-click on a node fetch and add its neighbourhood: only for pages
    served by the API. `country_url` (e.g. "/viz/countries/{code}") makes a
    double-click on an aggregated country node open that country.
    Raises `ViewError` (unknown actor or country, empty view, bad option).
    """
    started = time.perf_counter()
    vg = select_view(G, view, country=country, actor=actor, depth=depth)
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
    )
    if gaps_s is not None:
        page.timings["gaps"] = gaps_s
    page.timings["total"] = round(time.perf_counter() - started, 4)
    return page


def find_findings(G: nx.MultiDiGraph) -> list[Any]:
    from graph.analysis.gaps import find_gaps

    return find_gaps(G)


@dataclass
class _Drawn:
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    mode: str
    notes: list[str]
    legend_kinds: Counter[str]
    legend_types: Counter[str]
    countries: Counter[str]
    confidential: int
    stabilize: int
    large_graph: bool
    size_note: str


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
) -> Page:
    """Draw a selected view. `before` / `after` are HTML placed around the network
    (the report page uses them)."""
    t0 = time.perf_counter()
    _check_options(size_by, max_nodes, large, layout_name)
    H = vg.graph
    n, m = H.number_of_nodes(), H.number_of_edges()
    if n == 0:
        if vg.view == "cities":
            raise ViewError("There are no cities in the graph to draw.")
        raise ViewError("The graph is empty: load data first (e.g. `scn-graph seed`).")
    timings: dict[str, float] = {}
    drawn = _draw(vg, findings, size_by, max_nodes, large, layout_name, timings)
    t1 = time.perf_counter()
    parts = _pyvis(drawn)
    timings["pyvis"] = round(time.perf_counter() - t1, 4)
    credits = _credits(H)
    config = {
        "view": vg.view,
        "mode": drawn.mode,
        "nodeCount": len(drawn.nodes),
        "edgeCount": len(drawn.edges),
        "stabilize": drawn.stabilize,
        "focus": vg.focus,
        "expandUrl": expand_url if drawn.mode != "aggregate" else None,
        "countryUrl": country_url if drawn.mode == "aggregate" else None,
        "kinds": {
            k: {"colour": s.colour, "shape": s.shape, "label": s.label}
            for k, s in style.KIND_STYLES.items()
        },
        "axes": {a: s.colour for a, s in style.AXIS_STYLES.items()},
        "gapColour": style.GAP_COLOUR,
        "meanings": _type_meanings(),
        "largeGraph": drawn.large_graph,
    }
    env = _env()
    html = env.get_template("page.html.j2").render(
        csp=CSP,
        title=page_title or vg.title,
        heading=page_title or vg.title,
        view=vg.view,
        description=vg.description,
        mode=mode_label or drawn.mode,
        network_mode=drawn.mode,
        node_count=len(drawn.nodes),
        edge_count=len(drawn.edges),
        source_nodes=n,
        source_edges=m,
        notes=drawn.notes,
        size_note=drawn.size_note,
        confidential=drawn.confidential,
        credits=credits,
        legend_kinds=[
            (k, style.kind_style(k), c) for k, c in _kind_order(drawn.legend_kinds.items())
        ],
        legend_types=sorted(drawn.legend_types.items()),
        type_meanings=_type_meanings(),
        axes=style.AXIS_STYLES,
        aggregate=drawn.mode == "aggregate",
        countries=sorted(
            (
                (c, country_label(c) if c != aggregate.NO_COUNTRY else "No country", k)
                for c, k in drawn.countries.items()
            ),
            key=lambda t: t[1],
        ),
        gap_colour=style.GAP_COLOUR,
        gap_mark=style.GAP_MARK,
        cross_dashes=" ".join(str(d) for d in style.CROSS_BORDER_DASHES),
        planned_opacity=style.PLANNED_OPACITY,
        assets="\n".join(parts.head),
        css=_static("page.css") + extra_css,
        drawing_script=parts.drawing_script,
        js=_static("network.js") + extra_js,
        config_json=json_for_script(json.dumps(config, ensure_ascii=False)),
        before=before,
        after=after,
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        api=bool(expand_url or country_url),
    )
    bad = external_refs(html)
    if bad:  # a bug, never a user error: refuse to hand out a page that goes online
        raise RuntimeError(f"page would load remote resources: {bad[:5]}")
    timings["render"] = round(time.perf_counter() - t0, 4)
    return Page(
        html=html,
        view=vg.view,
        title=page_title or vg.title,
        mode=mode_label or drawn.mode,
        node_count=len(drawn.nodes),
        edge_count=len(drawn.edges),
        source_nodes=n,
        source_edges=m,
        notes=drawn.notes,
        timings=timings,
    )


def _check_options(size_by: str, max_nodes: int, large: str, layout_name: str) -> None:
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


# --------------------------------------------------------------------------- drawing


def _draw(
    vg: ViewGraph,
    findings: Sequence[Any],
    size_by: str,
    max_nodes: int,
    large: str,
    layout_name: str,
    timings: dict[str, float],
) -> _Drawn:
    H = vg.graph
    n = H.number_of_nodes()
    t = time.perf_counter()
    sg = measure.SimpleGraph.from_pairs(H.nodes, ((u, v) for u, v in H.edges()))
    metric = measure.compute(sg, size_by)
    timings["metric"] = round(time.perf_counter() - t, 4)
    groups = {aggregate.group_of(d) for _, d in H.nodes(data=True)}
    notes: list[str] = []
    if n <= max_nodes:
        policy = "full"
    elif large == "auto":
        policy = "aggregate" if vg.view in ("network", "cities") and len(groups) >= 2 else "top"
    else:
        policy = large
    if policy == "aggregate" and len(groups) < 2:
        policy = "top"
        notes.append("All nodes of this view are in one country, so it is cut, not aggregated.")
    if policy == "aggregate":
        return _draw_aggregate(vg, findings, size_by, max_nodes, layout_name, notes, timings)
    ids: list[Hashable] = list(H.nodes)
    if policy == "top":
        ids = aggregate.top_n(metric.values, max_nodes, keep=[vg.focus] if vg.focus else [])
        what = "cities" if vg.view == "cities" else "nodes"
        notes.append(
            f"This view has {n:,} {what}, more than the {max_nodes:,} a page draws one by one "
            f"without slowing the browser. Showing the {len(ids):,} with the highest "
            f"{_metric_words(size_by)} and the links among them. For the others, open one "
            "country or an actor's neighbourhood, or the aggregated view (one node per country)."
        )
    sub = H.subgraph(ids) if policy == "top" else H
    t = time.perf_counter()
    sub_sg = (
        measure.SimpleGraph.from_pairs(ids, ((u, v) for u, v in sub.edges()))
        if policy == "top"
        else sg
    )
    pos = _positions(sub, sub_sg, layout_name, cities=vg.view == "cities")
    timings["layout"] = round(time.perf_counter() - t, 4)
    large_graph = len(ids) > PHYSICS_MAX_NODES
    if large_graph:
        notes.append(
            f"More than {PHYSICS_MAX_NODES} nodes: positions are computed in advance and "
            "physics is off, so the page stays responsive. Drag to pan, scroll to zoom."
        )
    by_node = _findings_by_node(findings, set(ids))
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
            _vis_node(
                i,
                d,
                size=sizes[i],
                pos=pos.get(i),
                metric_text=_metric_text(metric, i),
                found=by_node.get(i, []),
                with_text=with_text,
                abroad=i in vg.abroad,
                focus=i == vg.focus,
            )
        )
    edges, types, conf = _vis_edges(sub, curved=not large_graph)
    return _Drawn(
        nodes,
        edges,
        policy,
        notes,
        kinds,
        types,
        countries,
        conf,
        0 if large_graph else STABILIZE_ITERATIONS,
        large_graph,
        f"Size: {_metric_words(size_by)} ({metric.method}).",
    )


def _draw_aggregate(
    vg: ViewGraph,
    findings: Sequence[Any],
    size_by: str,
    max_nodes: int,
    layout_name: str,
    notes: list[str],
    timings: dict[str, float],
) -> _Drawn:
    H = vg.graph
    n = H.number_of_nodes()
    groups, links = aggregate.by_country(H)
    codes = sorted(groups)
    sg = measure.SimpleGraph.from_pairs(
        codes, ((lk.a, lk.b) for lk in links), (lk.weight for lk in links)
    )
    if size_by == "degree":
        values = {c: float(sum(groups[c].internal.values())) for c in codes}
        for lk in links:
            values[lk.a] += lk.weight
            values[lk.b] += lk.weight
        method = "relationships of its actors, inside and across borders"
    else:
        mt = measure.compute(measure.SimpleGraph(sg.ids, sg.edges), "betweenness")
        values, method = mt.values, f"betweenness between countries, {mt.method}"
    what = "cities" if vg.view == "cities" else "nodes"
    notes.insert(
        0,
        f"This view has {n:,} {what} and {H.number_of_edges():,} links, more than the "
        f"{max_nodes:,} a page draws one by one without slowing the browser. Each node here "
        f"is a country (all its {what} in this view); a link's width shows how many "
        "relationships join two countries. Open one country to see its actors.",
    )
    t = time.perf_counter()
    coords = {c: groups[c].coords for c in codes}
    located = sum(1 for c in codes if coords[c] is not None)
    use_geo = layout_name == "geo" or (
        layout_name == "auto" and located >= layout.GEO_MIN_SHARE * len(codes)
    )
    pos = layout.geo_layout(codes, coords) if use_geo else layout.force_layout(sg)
    if use_geo:
        notes.append("Countries are placed by the average position of their cities.")
    timings["layout"] = round(time.perf_counter() - t, 4)
    per_country: dict[str, Counter[str]] = defaultdict(Counter)
    high: Counter[str] = Counter()
    for f in findings:
        cs = set(f.subjects) if f.type == "horizontal.unlinked_countries" else {f.country}
        for c in cs:
            key = str(c).upper() if c else aggregate.NO_COUNTRY
            if key in groups:
                per_country[key][f.type] += 1
                if f.severity == "high":
                    high[key] += 1
    sizes = measure.scale_sizes(values, style.MIN_SIZE, style.MAX_SIZE * 1.3)
    nodes = []
    countries: Counter[str] = Counter()
    for c in codes:
        g = groups[c]
        name = country_label(c) if c != aggregate.NO_COUNTRY else "No country"
        countries[c] += 1
        lines = [
            f"{name}" + (f" ({c})" if c != aggregate.NO_COUNTRY else ""),
            f"{g.nodes:,} {what}: "
            + ", ".join(
                f"{k} {style.kind_style(kind).label.lower()}"
                for kind, k in _kind_order(g.kinds.items())
            ),
            f"Links inside: {sum(g.internal.values()):,}",
            f"Size: {values[c]:,.4g} ({_metric_words(size_by)})",
        ]
        found = per_country.get(c)
        if found:
            lines.append(f"Gap findings: {sum(found.values()):,} ({high[c]:,} high)")
            lines += [f"• {_gap_title(t)}: {k:,}" for t, k in found.most_common(8)]
            if len(found) > 8:
                lines.append(f"• … and {len(found) - 8} more types")
        label = f"{name} ({g.nodes:,})"
        node = {
            "id": f"country:{c}",
            "label": label,
            "title": "\n".join(x for x in lines if x),
            "group": _group("country", gap=bool(found)),
            "size": round(sizes[c], 1),
            "kind": "country",
            "country": c,
            "name": name,
            "gaps": sum(found.values()) if found else 0,
        }
        if c in pos:
            node["x"], node["y"] = pos[c]
        nodes.append(node)
    edges = []
    types: Counter[str] = Counter()
    conf = 0
    colour = style.AXIS_STYLES["aggregate"].colour
    top_w = max((lk.weight for lk in links), default=1)
    for idx, lk in enumerate(links):
        types.update(lk.types)
        conf += lk.confidential
        na = country_label(lk.a) if lk.a != aggregate.NO_COUNTRY else "No country"
        nb = country_label(lk.b) if lk.b != aggregate.NO_COUNTRY else "No country"
        desc = ", ".join(f"{t} {k:,}" for t, k in lk.types.most_common())
        extra = f"\n{lk.planned:,} planned" if lk.planned else ""
        edges.append(
            {
                "id": f"e{idx}",
                "from": f"country:{lk.a}",
                "to": f"country:{lk.b}",
                "title": f"{na} — {nb}: {lk.weight:,} relationships\n{desc}{extra}",
                "width": round(1 + 7 * (lk.weight / top_w) ** 0.5, 2),
                "color": style.rgba(colour, 0.55),
                "rels": sorted(lk.types),
                "weight": lk.weight,
            }
        )
    for g in groups.values():
        types.update(g.internal)
    return _Drawn(
        nodes,
        edges,
        "aggregate",
        notes,
        Counter({"country": len(codes)}),
        types,
        countries,
        conf,
        0,
        True,
        f"Size: {method}.",
    )


def _positions(
    H: nx.MultiDiGraph, sg: measure.SimpleGraph, layout_name: str, *, cities: bool
) -> dict[Hashable, tuple[float, float]]:
    if layout_name == "geo":
        coords = {}
        for i in sg.ids:
            d = H.nodes[i]
            lat, lon = d.get("lat"), d.get("lon")
            ok = isinstance(lat, int | float) and isinstance(lon, int | float)
            coords[i] = (float(lat), float(lon)) if ok else None
        return layout.geo_layout(sg.ids, coords)
    return layout.force_layout(sg)


# --------------------------------------------------------------------------- nodes and edges


def _group(kind: str | None, *, gap: bool = False, abroad: bool = False) -> str:
    """The vis-network group of a node: its kind, plus `.abroad` / `.gap` variants."""
    return (
        str(kind if kind in style.KIND_STYLES else "unknown")
        + (".abroad" if abroad else "")
        + (".gap" if gap else "")
    )


def _vis_groups() -> dict[str, Any]:
    """Colour, shape and border of every group: the same table the legend is drawn from."""
    groups: dict[str, Any] = {}
    for kind, st in [*style.KIND_STYLES.items(), ("unknown", style.UNKNOWN_KIND)]:
        for abroad in (False, True):
            for gap in (False, True):
                bg = style.lighter(st.colour, style.ABROAD_OPACITY) if abroad else st.colour
                border = style.GAP_COLOUR if gap else _darker(st.colour)
                groups[_group(kind, gap=gap, abroad=abroad)] = {
                    "shape": st.shape,
                    "borderWidth": 3 if gap else 1,
                    "color": {
                        "background": bg,
                        "border": border,
                        "highlight": {"background": bg, "border": "#000000"},
                        "hover": {"background": bg, "border": "#000000"},
                    },
                    **({"font": {"color": "#777777"}} if abroad else {}),
                }
    return groups


def _darker(hex_colour: str) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) * 7 // 10 for i in (0, 2, 4))
    return f"#{r:02x}{g:02x}{b:02x}"


def _vis_node(
    i: Hashable,
    d: Mapping[str, Any],
    *,
    size: float,
    pos: tuple[float, float] | None,
    metric_text: str,
    found: list[Any],
    with_text: bool,
    abroad: bool,
    focus: bool,
) -> dict[str, Any]:
    kind = d.get("kind")
    name = str(d.get("name") or i)
    label = name if len(name) <= LABEL_MAX else name[: LABEL_MAX - 1] + "…"
    if found:
        label += f" {style.GAP_MARK}"
    node: dict[str, Any] = {
        "id": str(i),
        "label": label,
        "title": _node_title(i, d, metric_text, found, with_text, abroad),
        "group": _group(kind, gap=bool(found), abroad=abroad),
        "size": round(size * (1.25 if focus else 1.0), 1),
        "kind": str(kind or "unknown"),
        "country": aggregate.group_of(d),
        "name": name,
    }
    if found:
        node["gaps"] = len(found)
    if d.get("family") == schema.INITIATIVE and d.get("status") not in (None, "active"):
        node["shapeProperties"] = {"borderDashes": style.INACTIVE_BORDER_DASHES}
        node["label"] = f"{label} ({d['status']})"
    if abroad:
        node["abroad"] = True
    if focus:
        node["font"] = {"size": 18, "bold": True}
        node["borderWidth"] = 4
        fill = style.kind_style(kind).colour
        node["color"] = {
            "background": fill,
            "border": style.FOCUS_COLOUR,
            "highlight": {"background": fill, "border": "#000000"},
            "hover": {"background": fill, "border": "#000000"},
        }
    if pos is not None:
        node["x"], node["y"] = pos
    return node


def _node_title(
    i: Hashable,
    d: Mapping[str, Any],
    metric_text: str,
    found: list[Any],
    with_text: bool,
    abroad: bool,
) -> str:
    kind = d.get("kind")
    bits = [style.kind_style(kind).label]
    cc = d.get("country")
    bits.append(f"{country_label(cc)} ({cc})" if cc else "no country")
    if d.get("family") == schema.ACTOR and d.get("level"):
        bits.append(f"{d['level']} level")
    if kind == "cso" and d.get("grassroots"):
        bits.append("grassroots")
    if d.get("family") == schema.INITIATIVE and d.get("status"):
        bits.append(str(d["status"]))
    lines = [str(d.get("name") or i), " · ".join(bits), f"id: {i}"]
    if d.get("themes"):
        lines.append("Themes: " + ", ".join(str(t).replace("_", " ") for t in d["themes"]))
    if d.get("threats"):
        lines.append("Threats: " + ", ".join(str(t).replace("_", " ") for t in d["threats"]))
    lines.append(metric_text)
    if abroad:
        lines.append("Partner abroad (shown because it is linked to this country).")
    if found:
        lines.append(f"{style.GAP_MARK} Gaps ({len(found)}):")
        for f in found:
            head = f"• [{f.severity}] {_gap_title(f.type)}"
            if with_text:
                lines.append(f"{head}: {f.explanation}")
                if f.suggestion:
                    lines.append(f"  → {f.suggestion}")
                if f.mitigation:
                    lines.append(f"  ({f.mitigation})")
            else:
                lines.append(head)
    return "\n".join(lines)


def _vis_edges(H: nx.MultiDiGraph, *, curved: bool) -> tuple[list[dict], Counter[str], int]:
    """Edges with their style and the facts their tooltip is written from (in network.js)."""
    edges = []
    types: Counter[str] = Counter()
    conf = 0
    pair_seen: Counter[tuple[str, str]] = Counter()
    for idx, (u, v, k, d) in enumerate(H.edges(keys=True, data=True)):
        t = str(d.get("type") or k)
        types[t] += 1
        axis = style.axis_key(d.get("axis"))
        status = d.get("status") or "active"
        alpha = 0.85 if status == "active" else style.PLANNED_OPACITY
        colour = (
            style.CONFIDENTIAL_COLOUR if d.get("confidential") else style.AXIS_STYLES[axis].colour
        )
        e: dict[str, Any] = {
            "id": f"e{idx}",
            "from": str(u),
            "to": str(v),
            "rel": t,
            "color": style.rgba(colour, alpha),
        }
        if axis == "initiative":
            e["width"] = 1.2
        else:
            e["ax"] = axis
        if d.get("cross_border"):
            e["dashes"] = style.CROSS_BORDER_DASHES
            e["cb"] = 1
        if d.get("cross_sector"):
            e["cs"] = 1
        if not d.get("symmetric") and t != SHARED_INITIATIVE:
            e["arrows"] = "to"
        if status != "active":
            e["st"] = status
        if d.get("confidential"):
            conf += 1
            e["conf"] = 1
        for src, dst in (("since", "since"), ("note", "note")):
            if d.get(src):
                e[dst] = str(d[src])
        if d.get("initiatives"):
            e["ini"] = list(d["initiatives"])
        if curved:
            key = (str(u), str(v)) if str(u) < str(v) else (str(v), str(u))
            nth = pair_seen[key]
            pair_seen[key] += 1
            if nth:
                e["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.18 * nth}
        edges.append(e)
    return edges, types, conf


def _findings_by_node(findings: Iterable[Any], ids: set[Hashable]) -> dict[Hashable, list[Any]]:
    out: dict[Hashable, list[Any]] = defaultdict(list)
    for f in findings:
        if f.type == "horizontal.unlinked_countries":
            continue  # subjects are countries, not nodes
        for s in f.subjects:
            if s in ids:
                out[s].append(f)
    return out


@lru_cache(maxsize=1)
def _gap_titles() -> dict[str, str]:
    try:
        from graph.analysis.gaps import GAP_TYPES
    except ImportError:  # pragma: no cover - analysis package not installed
        return {}
    return {t: g.title for t, g in GAP_TYPES.items()}


def _gap_title(t: str) -> str:
    return _gap_titles().get(t, t)


def _metric_words(size_by: str) -> str:
    return {"degree": "number of links", "betweenness": "betweenness (brokerage)"}[size_by]


def _metric_text(metric: measure.Metric, i: Hashable) -> str:
    v = metric.values.get(i, 0.0)
    if metric.name == "degree":
        return f"Links in this view: {v:,.0f}"
    return f"Betweenness: {v:.4f}"


def _kind_order(items: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    order = {k: pos for pos, k in enumerate(style.KIND_STYLES)}
    return sorted(items, key=lambda kv: (order.get(kv[0], 99), kv[0]))


def _type_meanings() -> dict[str, str]:
    out = {t: r.meaning for t, r in schema.REL_TYPES.items()}
    out["SHARED_INITIATIVE"] = "both run or take part in the same initiative"
    return out


def _credits(H: nx.MultiDiGraph) -> list[str]:
    twin = seed = False
    for _, srcs in H.nodes(data="sources"):
        for s in srcs or ():
            s = str(s)
            twin = twin or TWIN_CITIES_SOURCE in s
            seed = seed or s.startswith("seed:")
        if twin and seed:
            break
    return [c for c, on in ((SEED_CREDIT, seed), (TWIN_CITIES_CREDIT, twin)) if on]


# --------------------------------------------------------------------------- pyvis and template


def _vis_options(large_graph: bool) -> dict[str, Any]:
    return {
        "autoResize": True,
        "nodes": {
            "font": {
                "size": 13,
                "face": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
            },
            "scaling": {"label": {"drawThreshold": 6}},
        },
        "edges": {
            "width": 1.8,
            "arrows": {"to": {"enabled": False, "scaleFactor": 0.5}},
            "smooth": False if large_graph else {"enabled": True, "type": "continuous"},
            "selectionWidth": 2,
            "hoverWidth": 0.6,
        },
        "physics": {
            "enabled": False,  # turned on briefly by network.js for small views
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -60,
                "springLength": 110,
                "springConstant": 0.06,
                "avoidOverlap": 0.6,
            },
            "stabilization": {"enabled": False},
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "multiselect": True,
            "hideEdgesOnDrag": large_graph,
            "hideEdgesOnZoom": large_graph,
        },
        "layout": {"improvedLayout": False, "randomSeed": layout.SEED},
        "groups": _vis_groups(),
    }


def _pyvis(drawn: _Drawn):  # type: ignore[no-untyped-def]
    from pyvis.network import Network

    net = Network(height="100%", width="100%", directed=False, cdn_resources="in_line")
    # Assigning the lists directly: add_node/add_edge check duplicates in O(n) each.
    net.nodes = drawn.nodes
    net.edges = drawn.edges
    net.node_ids = [n["id"] for n in drawn.nodes]
    net.options = _vis_options(drawn.large_graph)
    return pyvis_parts(net.generate_html(notebook=False))


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(_static),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["pct"] = lambda v: "—" if v is None else f"{100 * float(v):.0f}%"
    env.filters["num"] = lambda v: f"{v:,}" if isinstance(v, int) else v
    return env


@lru_cache(maxsize=16)
def _static(name: str) -> str:
    return (resources.files("viz") / "static" / name).read_text(encoding="utf-8")
