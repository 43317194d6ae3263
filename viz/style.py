"""Colours, shapes and edge styles: one table that both the graph and the legend read.

The node table is keyed by the kinds of `graph.schema` (actor kinds, then
initiative kinds, in the schema's order, which is also the legend's order)
plus the pages' own "country" node of aggregated views. A kind added to the
schema without a look here is drawn grey under its schema label, and
`unstyled_kinds()` names it (the style tests fail until it has one).
Relationship types and their meanings (for the legend and link tooltips)
come from `schema.REL_TYPES`, plus the pages' own `SHARED_INITIATIVE` link of
the cities view.

Nothing here knows about pyvis or sigma.js: `viz.encode` turns these into
vis-network node and edge options and `viz.webgl` into the WebGL pages' node
and link attributes, both through `edge_look` for links, and the legend on
every page is drawn from the same tables, so a colour can never drift from
its legend entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from graph import schema

# The link the cities view draws between two cities in the same initiative (not a stored
# relationship type); named once, by the analysis that finds those pairs.
from graph.analysis.undirected import SHARED_INITIATIVE


@dataclass(frozen=True)
class KindStyle:
    kind: str
    label: str
    colour: str
    shape: str  # vis-network shape name
    legend_shape: str  # CSS class of the legend swatch: dot | square | diamond | triangle | ...


#: Every kind the schema knows, in its order: actors, then initiatives.
SCHEMA_KINDS: tuple[str, ...] = schema.KIND_NAMES

#: How each schema kind looks: (legend label, colour, vis-network shape, legend swatch).
#: Actors are dots (colour by kind); initiatives are other shapes in muted colours,
#: so the actors stand out. Red is kept for gaps.
_LOOKS: dict[str, tuple[str, str, str, str]] = {
    "city": ("City (local authority)", "#1f77b4", "dot", "dot"),
    "cso": ("Civil-society organisation", "#2ca02c", "dot", "dot"),
    "statutory_service": ("Statutory service", "#17becf", "dot", "dot"),
    "national_body": ("National body", "#9467bd", "dot", "dot"),
    "private_sector": ("Private sector", "#ff7f0e", "dot", "dot"),
    "research": ("Research / think tank", "#8c564b", "dot", "dot"),
    "international_org": ("International organisation", "#e377c2", "dot", "dot"),
    "program": ("Program", "#bcbd22", "square", "square"),
    "framework": ("Framework / strategy", "#7f7f7f", "diamond", "diamond"),
    "evaluation": ("Evaluation", "#9edae5", "triangle", "triangle"),
    "resource": ("Resource", "#c5b0d5", "triangleDown", "triangle-down"),
    "event": ("Event", "#f7b6d2", "star", "star"),
}
UNKNOWN_KIND = KindStyle("unknown", "Other", "#b0b0b0", "dot", "dot")
#: The node of an aggregated view that stands for all of a country's nodes.
COUNTRY_KIND = KindStyle("country", "Country (all its actors)", "#5b84b1", "dot", "dot")


def schema_kind_style(kind: str) -> KindStyle:
    """The style of a schema kind: its look, or grey under its schema label if it has none."""
    look = _LOOKS.get(kind)
    if look is None:  # a new schema kind: drawn, but grey until it gets a look
        return KindStyle(kind, schema.kind_label(kind), UNKNOWN_KIND.colour, "dot", "dot")
    return KindStyle(kind, *look)


#: Node styles by kind: the schema's kinds, then the aggregated views' country.
KIND_STYLES: dict[str, KindStyle] = {
    **{k: schema_kind_style(k) for k in SCHEMA_KINDS},
    COUNTRY_KIND.kind: COUNTRY_KIND,
}


def unstyled_kinds() -> list[str]:
    """Schema kinds with no look of their own (drawn grey): should be none."""
    return [k for k in SCHEMA_KINDS if k not in _LOOKS]


def stale_looks() -> list[str]:
    """Looks for kinds the schema no longer has: should be none."""
    return [k for k in _LOOKS if k not in SCHEMA_KINDS]


#: What each relationship type means, for the legend and the link tooltips.
TYPE_MEANINGS: dict[str, str] = {
    **{t: r.meaning for t, r in schema.REL_TYPES.items()},
    SHARED_INITIATIVE: "both run or take part in the same initiative",
}

#: Border of a node with at least one gap finding (and the ⚠ after its label).
GAP_COLOUR = "#d62728"
GAP_MARK = "⚠"
#: Border of the actor a neighbourhood view is about.
FOCUS_COLOUR = "#111111"
#: Nodes of another country shown in a country view (partners abroad) are drawn
#: pale: this share of their kind's colour, the rest white.
ABROAD_OPACITY = 0.45


@dataclass(frozen=True)
class AxisStyle:
    axis: str
    label: str
    colour: str


#: Edge colour by axis (schema.classify). Edges touching an initiative have no axis.
AXIS_STYLES: dict[str, AxisStyle] = {
    a.axis: a
    for a in (
        AxisStyle("horizontal", "Horizontal (same level: city–city, local–local)", "#2f6db5"),
        AxisStyle("vertical", "Vertical (between levels: national–local)", "#e07b00"),
        AxisStyle("initiative", "Actor–initiative (runs, funds, implements…)", "#a8a8a8"),
        AxisStyle("aggregate", "Links between countries (width: how many)", "#5b84b1"),
    )
}
CROSS_BORDER_DASHES = [8, 5]
PLANNED_OPACITY = 0.35
ACTIVE_OPACITY = 0.85
CONFIDENTIAL_COLOUR = "#7b1fa2"
#: Width of a link between two actors, and of one touching an initiative (vis-network
#: pixels; the WebGL pages draw 1-pixel lines).
EDGE_WIDTH = 1.8
INITIATIVE_EDGE_WIDTH = 1.2
#: The WebGL pages draw links as plain lines (the only kind software WebGL draws fast
#: enough for 25,000 links), with no dashes and no width: a cross-border link is drawn
#: this much darker there instead (the legend of those pages says so).
CROSS_BORDER_SHADE = 0.6
#: On a map with many links, seen from afar, every link keeps this share of its alpha, so
#: the countries and their shading stay visible under them (`viz.webgl_view.link_rule`).
FAINT_LINK_OPACITY = 0.3


@dataclass(frozen=True)
class EdgeLook:
    """How one link is drawn, whatever the renderer: its axis key, colour (with the
    opacity of its status), width, and dashes (cross-border links; None for solid)."""

    axis: str
    colour: str  # rgba(...)
    width: float
    dashes: list[int] | None
    base: str = ""  # the opaque colour the rgba was made from
    alpha: float = ACTIVE_OPACITY

    def webgl_colour(self, opacity: float = 1.0) -> str:
        """The colour on a WebGL page, where a dashed (cross-border) link is darker;
        `opacity` scales its alpha (`FAINT_LINK_OPACITY`: a dense map seen from afar)."""
        base = shade(self.base, CROSS_BORDER_SHADE) if self.dashes else self.base
        return rgba(base, round(self.alpha * opacity, 3))


def edge_look(
    axis: str | None, *, status: str | None, cross_border: bool, confidential: bool
) -> EdgeLook:
    """The look of a link from its facts: colour by axis (purple when confidential),
    faded unless active, dashed when it crosses a border."""
    key = axis_key(axis)
    alpha = ACTIVE_OPACITY if (status or "active") == "active" else PLANNED_OPACITY
    colour = CONFIDENTIAL_COLOUR if confidential else AXIS_STYLES[key].colour
    width = INITIATIVE_EDGE_WIDTH if key == "initiative" else EDGE_WIDTH
    dashes = list(CROSS_BORDER_DASHES) if cross_border else None
    return EdgeLook(key, rgba(colour, alpha), width, dashes, colour, alpha)


def lighter(hex_colour: str, share: float) -> str:
    """`hex_colour` mixed with white, keeping `share` of the colour (opaque, so links
    drawn under a node do not show through it)."""
    h = hex_colour.lstrip("#")
    r, g, b = (round(int(h[i : i + 2], 16) * share + 255 * (1 - share)) for i in (0, 2, 4))
    return f"#{r:02x}{g:02x}{b:02x}"


def darker(hex_colour: str) -> str:
    """`hex_colour` at 70% brightness: a node's border."""
    return shade(hex_colour, 0.7)


def shade(hex_colour: str, share: float) -> str:
    """`hex_colour` at `share` of its brightness."""
    h = hex_colour.lstrip("#")
    r, g, b = (int(int(h[i : i + 2], 16) * share) for i in (0, 2, 4))
    return f"#{r:02x}{g:02x}{b:02x}"


#: Outline of an initiative that is planned or ended.
INACTIVE_BORDER_DASHES = [4, 3]


def kind_style(kind: str | None) -> KindStyle:
    return KIND_STYLES.get(kind or "", UNKNOWN_KIND)


def kind_order(items: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    """(kind, count) pairs in the legend's order of kinds; unknown kinds last, by name."""
    order = {k: pos for pos, k in enumerate(KIND_STYLES)}
    return sorted(items, key=lambda kv: (order.get(kv[0], 99), kv[0]))


def axis_key(axis: str | None, *, aggregate: bool = False) -> str:
    if aggregate:
        return "aggregate"
    return axis if axis in ("horizontal", "vertical") else "initiative"


def rgba(hex_colour: str, alpha: float) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha:g})"


#: Sizes of nodes (vis-network `size`, in pixels at zoom 1).
MIN_SIZE = 9.0
MAX_SIZE = 42.0


#: Country fills of the maps (`viz.geo.measures`): a coverage share in five classes, pale
#: (few cities covered) to deep (all of them), light enough for the nodes drawn on top;
#: red stays the gaps' colour. Each class is (upper bound of the share, colour).
COVERAGE_CLASSES: tuple[tuple[float, str], ...] = (
    (0.2, "#fbe3c4"),
    (0.4, "#e3eab8"),
    (0.6, "#b9dcb0"),
    (0.8, "#86c3ad"),
    (1.0, "#5aa6a6"),
)
#: A country with no city in the data (nothing to measure), its outline, and the sea.
NO_CITIES_FILL = "#eeeeee"
COUNTRY_STROKE = "#9a9a9a"
SEA_COLOUR = "#f4f8fb"
#: The map's panel of nodes with no place on it.
PANEL_FILL = "#fafafa"
