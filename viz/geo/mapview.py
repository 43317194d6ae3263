"""The map view's drawing: node positions from placements, the country layer, the notes.

`map_drawing(H, coverage, measure)` places every node of a `map` view (`viz.geo.placement`,
`viz.geo.positions`) and builds the WebGL page's background layer (`viz.webgl`'s
payload, "background"): one polygon per country in map units (x east, y north),
filled by the view's coverage measure with a legend, each with its coverage in
its details, and, when some nodes have no place, the "Not on the map" panel
that holds them. It also says, per node, where it was placed (a line of its
details) and, for the page, how many were placed by each rule; the map view
(`viz.views.map_view`) hands all of it to the WebGL page through its `ViewGraph`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graph.analysis.wording import country_name
from graph.predicates import node_country
from viz import style
from viz.geo import measures
from viz.geo.placement import HOW_WORDS, How, Placement, place
from viz.geo.positions import FRAME_ASPECT, FRAME_MARGIN, MIN_FRAME, MapLayout, map_layout
from viz.geo.projection import Bounds, clip_ring, fit_aspect, project_ring
from viz.geo.shapes import ATTRIBUTION, MAP_RESOLUTION, country_shapes

#: Decimal places of map units in the payload (1e-4 is about 600 m).
DIGITS = 4
#: The id of the panel polygon (no country has it: ISO codes are two letters).
PANEL_ID = "not-on-the-map"
PANEL_TITLE = "Not on the map"


@dataclass
class MapDrawing:
    placements: dict[Hashable, Placement]
    layout: MapLayout
    background: dict[str, Any]
    notes: list[str]
    credits: list[str]
    names: Mapping[Hashable, str]  # node id -> name, for "at its city (Malmö)"

    def position(self, n: Hashable) -> tuple[float, float]:
        """Node `n`'s position in map units (x east, y north)."""
        x, y = self.layout.positions[n]
        return round(x, DIGITS), round(y, DIGITS)

    def details(self, n: Hashable) -> list[str]:
        """The line of `n`'s details that says where it was placed."""
        return ["Placed", placed_words(self.placements[n], self.names)]


def placed_words(p: Placement, names: Mapping[Hashable, str] | None = None) -> str:
    """Where a node was put, in words: "at its city (Malmö)", "at its country's centroid"."""
    words = HOW_WORDS[p.how]
    if p.how == How.CITY and p.via is not None:
        return f"{words} ({(names or {}).get(p.via, p.via)})"
    if p.how == How.CENTROID and p.via is not None:
        return f"{words}: {_country(p.via)}"
    return words


def _country(code: str) -> str:
    name = country_name(code)
    return name[4:] if name.startswith("the ") else name


def placement_notes(placements: Mapping[Hashable, Placement]) -> list[str]:
    """What the page says about how its nodes were placed (only the rules that occur)."""
    counts = Counter(p.how for p in placements.values())

    notes = []
    for how, words in (
        (How.CITY, "Drawn at their city (no coordinates of their own)"),
        (
            How.CENTROID,
            "Drawn at their country's centroid, its middle rather than its capital, spread "
            "around it (no coordinates of their own or of their city)",
        ),
        (
            How.NOWHERE,
            f"Drawn in the panel “{PANEL_TITLE}” under the map (no coordinates, city or "
            "country: international organisations and frameworks, for example)",
        ),
    ):
        k = counts[how]
        if k:
            notes.append(f"{words}: {k:,} {'node' if k == 1 else 'nodes'}.")
    return notes


def _rings(polygons: Any, box: Bounds) -> list[list[list[float]]]:
    """A country's rings in map units, cut to `box` (the page's camera fits its layer)."""
    out = []
    for polygon in polygons:
        for ring in polygon:
            points = project_ring(ring)
            b = Bounds.of(points)
            if not box.intersects(b):
                continue
            if not box.contains(b):
                points = clip_ring(points, box)
            if len(points) >= 3:
                out.append([[round(x, DIGITS), round(y, DIGITS)] for x, y in points])
    return out


def _country_details(
    code: str, cov: Mapping[str, Mapping[str, Any]], chosen: measures.Measure
) -> list[list[str]]:
    row = cov.get(code)
    if row is None:
        return [["Cities", "none in the data"]]
    out = [["Cities", f"{int(row.get('cities', 0)):,}"]]
    for m in measures.MEASURES.values():
        share = row.get(m.key)
        value = "—" if share is None else f"{100 * float(share):.0f}%"
        out.append([m.title + (" (shading)" if m is chosen else ""), value])
    return out


def background(
    cov: Mapping[str, Mapping[str, Any]], measure: str, layout: MapLayout
) -> dict[str, Any]:
    """The country layer: the outlines within the layout's extent (cut at its edge, so the
    page's camera, which fits the layer, shows the map of the nodes), filled by `measure`,
    then the panel, if any."""
    chosen = measures.measure_named(measure)
    polygons = []
    for code, shape in sorted(country_shapes(MAP_RESOLUTION).items()):
        rings = _rings(shape.polygons, layout.extent)
        if not rings:
            continue
        share = measures.share_of(cov, code, chosen)
        polygons.append(
            {
                "id": code,
                "name": _country(code),
                "rings": rings,
                "fill": measures.fill(share),
                "fills": {
                    m.name: measures.fill(measures.share_of(cov, code, m))
                    for m in measures.MEASURES.values()
                },
                "stroke": style.COUNTRY_STROKE,
                "details": _country_details(code, cov, chosen),
            }
        )
    if layout.panel is not None:
        polygons.append(_panel(layout.panel))
    return {
        "title": chosen.title,
        "measure": chosen.name,
        "measures": [
            {"name": m.name, "title": m.title, "label": m.label} for m in measures.MEASURES.values()
        ],
        "polygons": polygons,
        "legend": measures.legend(),
        "sea": style.SEA_COLOUR,
    }


def _panel(b: Bounds) -> dict[str, Any]:
    corners = [(b.min_x, b.min_y), (b.max_x, b.min_y), (b.max_x, b.max_y), (b.min_x, b.max_y)]
    return {
        "id": PANEL_ID,
        "name": PANEL_TITLE,
        "rings": [[[round(x, DIGITS), round(y, DIGITS)] for x, y in corners]],
        "fill": style.PANEL_FILL,
        "stroke": style.COUNTRY_STROKE,
        "details": [["Holds", "the nodes with no coordinates, city or country"]],
        "open": False,  # no country page to open
    }


def focus_of(H: nx.MultiDiGraph, layout: MapLayout, country: str) -> list[float] | None:
    """[min x, min y, max x, max y] around the nodes of `country`: where a one-country
    map opens (its partners abroad may be anywhere on the map)."""
    own = [layout.positions[n] for n, d in H.nodes(data=True) if node_country(d) == country]
    if not own:
        return None
    b = fit_aspect(Bounds.of(own).padded(FRAME_MARGIN, minimum=MIN_FRAME), *FRAME_ASPECT)
    return [round(v, DIGITS) for v in (b.min_x, b.min_y, b.max_x, b.max_y)]


def map_drawing(
    H: nx.MultiDiGraph,
    cov: Mapping[str, Mapping[str, Any]],
    measure: str,
    *,
    country: str | None = None,
) -> MapDrawing:
    """Placements, positions, country layer and notes of the map of `H`, its countries
    shaded by `measure` of `cov` (`coverage()` of the whole graph); with `country`, the
    background's "focus" is the box of that country's nodes."""
    placements = place(H)
    layout = map_layout(placements)
    names = {n: str(d.get("name") or n) for n, d in H.nodes(data=True)}
    layer = background(cov, measure, layout)
    if country is not None:
        layer["focus"] = focus_of(H, layout, country)
    return MapDrawing(
        placements,
        layout,
        layer,
        placement_notes(placements),
        [ATTRIBUTION],
        names,
    )
