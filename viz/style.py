"""Colours, shapes and edge styles: one table that both the graph and the legend read.

Nothing here knows about pyvis; `viz.network` turns these into vis-network
node and edge options, and the legend on every page is drawn from the same
tables, so a colour can never drift from its legend entry.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph import schema


@dataclass(frozen=True)
class KindStyle:
    kind: str
    label: str
    colour: str
    shape: str  # vis-network shape name
    legend_shape: str  # CSS class of the legend swatch: dot | square | diamond | triangle | ...


#: Node styles by kind. Actors are dots (colour by kind); initiatives are
#: other shapes in muted colours, so the actors stand out. Red is kept for gaps.
KIND_STYLES: dict[str, KindStyle] = {
    s.kind: s
    for s in (
        KindStyle("city", "City (local authority)", "#1f77b4", "dot", "dot"),
        KindStyle("cso", "Civil-society organisation", "#2ca02c", "dot", "dot"),
        KindStyle("statutory_service", "Statutory service", "#17becf", "dot", "dot"),
        KindStyle("national_body", "National body", "#9467bd", "dot", "dot"),
        KindStyle("private_sector", "Private sector", "#ff7f0e", "dot", "dot"),
        KindStyle("research", "Research / think tank", "#8c564b", "dot", "dot"),
        KindStyle("international_org", "International organisation", "#e377c2", "dot", "dot"),
        KindStyle("program", "Program", "#bcbd22", "square", "square"),
        KindStyle("framework", "Framework / strategy", "#7f7f7f", "diamond", "diamond"),
        KindStyle("evaluation", "Evaluation", "#9edae5", "triangle", "triangle"),
        KindStyle("resource", "Resource", "#c5b0d5", "triangleDown", "triangle-down"),
        KindStyle("event", "Event", "#f7b6d2", "star", "star"),
        KindStyle("country", "Country (all its actors)", "#5b84b1", "dot", "dot"),
    )
}
UNKNOWN_KIND = KindStyle("unknown", "Other", "#b0b0b0", "dot", "dot")

assert set(schema.ACTOR_KINDS) | set(schema.INITIATIVE_KINDS) <= set(KIND_STYLES)

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
CONFIDENTIAL_COLOUR = "#7b1fa2"


def lighter(hex_colour: str, share: float) -> str:
    """`hex_colour` mixed with white, keeping `share` of the colour (opaque, so links
    drawn under a node do not show through it)."""
    h = hex_colour.lstrip("#")
    r, g, b = (round(int(h[i : i + 2], 16) * share + 255 * (1 - share)) for i in (0, 2, 4))
    return f"#{r:02x}{g:02x}{b:02x}"


#: Outline of an initiative that is planned or ended.
INACTIVE_BORDER_DASHES = [4, 3]


def kind_style(kind: str | None) -> KindStyle:
    return KIND_STYLES.get(kind or "", UNKNOWN_KIND)


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
