"""The page around a drawn view: the template, its settings for `network.js`, credits.

`page_html` fills `viz/static/page.html.j2` with the legend (from
`viz.style`), the notes, the counts, the inline vis-network assets and the
drawing script, and refuses to return a page that would load anything from
the network (`viz.offline.external_refs`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import networkx as nx

from graph import schema
from viz import style
from viz.drawing import Drawn
from viz.emit import label_settings
from viz.offline import CSP, PyvisParts, external_refs, json_for_script
from viz.templates import environment, static_text
from viz.tooltips import DEGREE_LINE, group_label
from viz.views import ViewGraph

#: The API collection whose neighbourhood route expands a node of each family: what
#: `{collection}` in an expand URL becomes ("/api/{collection}/{id}/neighbourhood").
EXPAND_COLLECTIONS = {schema.ACTOR: "actors", schema.INITIATIVE: "initiatives"}

TWIN_CITIES_SOURCE = "twin_cities.csv"
TWIN_CITIES_CREDIT = (
    "City twinning data: Hekman/twincities (github.com/Hekman/twincities, MIT licence), "
    "from Wikipedia's lists of twin towns and sister cities (CC BY-SA 4.0)."
)
SEED_CREDIT = (
    "Seed data: summary of the Strong Cities Network workshop “Strengthening Local "
    "Partnerships, Programs and Policies on Prevention”, London, 9–10 March 2022."
)


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
    #: The store generation the page's analysis describes, and whether a write came
    #: after it (a served page says so in its headers); None when not built from one.
    generation: int | None = None
    stale: bool = False

    @property
    def size_bytes(self) -> int:
        return len(self.html.encode("utf-8"))

    def write(self, path: str | Path) -> Path:
        p = Path(path)
        p.write_text(self.html, encoding="utf-8")
        return p


@dataclass(frozen=True)
class Frame:
    """What a caller puts around the network: the report page uses all of it."""

    title: str | None = None  # instead of the view's
    before: str = ""  # HTML above the network
    after: str = ""  # HTML below it
    extra_css: str = ""
    extra_js: str = ""
    mode_label: str | None = None  # instead of the drawing mode


def page_html(
    vg: ViewGraph,
    drawn: Drawn,
    parts: PyvisParts,
    *,
    frame: Frame,
    expand_url: str | None,
    country_url: str | None,
) -> str:
    """The whole page, checked to load nothing remote."""
    H = vg.graph
    title = frame.title or vg.title
    html = (
        environment()
        .get_template("page.html.j2")
        .render(
            csp=CSP,
            title=title,
            heading=title,
            view=vg.view,
            description=vg.description,
            mode=frame.mode_label or drawn.mode,
            network_mode=drawn.mode,
            node_count=len(drawn.nodes),
            edge_count=len(drawn.edges),
            source_nodes=H.number_of_nodes(),
            source_edges=H.number_of_edges(),
            notes=drawn.notes,
            size_note=drawn.size_note,
            confidential=drawn.confidential,
            credits=credits(H),
            legend_kinds=[
                (k, style.kind_style(k), c) for k, c in style.kind_order(drawn.legend_kinds.items())
            ],
            legend_types=sorted(drawn.legend_types.items()),
            type_meanings=style.TYPE_MEANINGS,
            axes=style.AXIS_STYLES,
            aggregate=drawn.mode == "aggregate",
            countries=sorted(
                ((c, group_label(c), k) for c, k in drawn.countries.items()), key=lambda t: t[1]
            ),
            gap_colour=style.GAP_COLOUR,
            gap_mark=style.GAP_MARK,
            cross_dashes=" ".join(str(d) for d in style.CROSS_BORDER_DASHES),
            planned_opacity=style.PLANNED_OPACITY,
            assets="\n".join(parts.head),
            css=static_text("page.css") + frame.extra_css,
            drawing_script=parts.drawing_script,
            js=static_text("network.js") + frame.extra_js,
            config_json=json_for_script(
                json.dumps(_config(vg, drawn, expand_url, country_url), ensure_ascii=False)
            ),
            before=frame.before,
            after=frame.after,
            generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            api=bool(expand_url or country_url),
        )
    )
    bad = external_refs(html)
    if bad:  # a bug, never a user error: refuse to hand out a page that goes online
        raise RuntimeError(f"page would load remote resources: {bad[:5]}")
    return html


def _config(
    vg: ViewGraph, drawn: Drawn, expand_url: str | None, country_url: str | None
) -> dict[str, Any]:
    """The settings `network.js` reads: counts, the view's focus, styles, where to expand."""
    return {
        "view": vg.view,
        "mode": drawn.mode,
        "nodeCount": len(drawn.nodes),
        "edgeCount": len(drawn.edges),
        "stabilize": drawn.stabilize,
        "focus": vg.focus,
        "expandUrl": expand_url if drawn.mode != "aggregate" else None,
        "countryUrl": country_url if drawn.mode == "aggregate" else None,
        "kinds": {
            k: {
                "colour": s.colour,
                "shape": s.shape,
                "label": s.label,
                "legendShape": s.legend_shape,
                # which API collection `{collection}` in expandUrl is for this kind
                "collection": EXPAND_COLLECTIONS.get(schema.family_of(k, strict=False) or ""),
            }
            for k, s in style.KIND_STYLES.items()
        },
        "degreeLine": DEGREE_LINE,
        "labels": label_settings(),
        "axes": {a: s.colour for a, s in style.AXIS_STYLES.items()},
        "gapColour": style.GAP_COLOUR,
        "meanings": style.TYPE_MEANINGS,
        "largeGraph": drawn.large_graph,
    }


def credits(H: nx.MultiDiGraph) -> list[str]:
    """The credits a page owes: the seed's source, the twin-cities data's licence."""
    twin = seed = False
    for _, srcs in H.nodes(data="sources"):
        for s in srcs or ():
            s = str(s)
            twin = twin or TWIN_CITIES_SOURCE in s
            seed = seed or s.startswith("seed:")
        if twin and seed:
            break
    return [c for c, on in ((SEED_CREDIT, seed), (TWIN_CITIES_CREDIT, twin)) if on]
