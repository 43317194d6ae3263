"""The report's map: countries shaded by a coverage measure, gap findings per country.

A static inline SVG (no script, prints as it shows), from the 1:110m outlines:

* each country filled by the chosen measure's class (`viz.geo.measures`), grey
  when the data has no city there, with a tooltip (<title>) giving its value;
* with `gaps`, a red circle on each country's centroid, its area proportional
  to the number of gap findings about the country (`graph.analysis.gaps.summarise`'s
  count by country), the number written on it;
* a legend (the classes, no cities, the circles) inside the figure.

The map is framed on the countries that hold nodes (their mainlands), padded,
at least `MIN_EXTENT` wide: the seed's United Kingdom and Germany give Western
Europe, the twin-cities network the world.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from markupsafe import Markup, escape

from graph.analysis.wording import country_name
from viz import style
from viz.geo import measures
from viz.geo.centroids import centroids
from viz.geo.projection import WORLD, Bounds, fit_aspect, natural_earth, project_ring
from viz.geo.shapes import ATTRIBUTION, FIGURE_RESOLUTION, CountryShape, country_shapes

WIDTH = 860
#: Smallest frame, in map units (about 35 degrees of longitude).
MIN_EXTENT = 0.6
#: Radius in pixels of the circle of the country with the most findings.
MAX_RADIUS = 18.0
LEGEND_HEIGHT = 66
#: The figure's height over its width, at most and at least (the world is about 0.45).
MAX_ASPECT = 0.62
MIN_ASPECT = 0.4


def frame_of(codes: Iterable[str]) -> Bounds:
    """The box around the mainlands of `codes` (the world when none has an outline)."""
    shapes = country_shapes(FIGURE_RESOLUTION)
    box = None
    for code in codes:
        shape = shapes.get(code)
        if shape is None:
            continue
        b = Bounds.of(project_ring(shape.mainland()[0]))
        box = b if box is None else box.union(b)
    if box is None:
        return WORLD
    b = fit_aspect(box.padded(0.08, minimum=MIN_EXTENT), MIN_ASPECT, MAX_ASPECT)
    return Bounds(
        max(b.min_x, WORLD.min_x),
        max(b.min_y, WORLD.min_y),
        min(b.max_x, WORLD.max_x),
        min(b.max_y, WORLD.max_y),
    )


class _Canvas:
    """Map units -> pixels of a figure `WIDTH` wide (y down)."""

    def __init__(self, frame: Bounds) -> None:
        self.frame = frame
        self.k = WIDTH / frame.width
        self.height = round(frame.height * self.k)

    def xy(self, x: float, y: float) -> tuple[float, float]:
        return (x - self.frame.min_x) * self.k, (self.frame.max_y - y) * self.k

    def path(self, shape: CountryShape) -> str:
        parts = []
        for polygon in shape.polygons:
            for ring in polygon:
                pts = [self.xy(x, y) for x, y in project_ring(ring)]
                parts.append("M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in pts) + "Z")
        return "".join(parts)

    def shows(self, shape: CountryShape) -> bool:
        return any(self.frame.intersects(Bounds.of(project_ring(p[0]))) for p in shape.polygons)


def coverage_map(
    cov: Mapping[str, Mapping[str, Any]],
    *,
    measure: str = measures.DEFAULT_MEASURE,
    gaps_by_country: Mapping[str, int] | None = None,
    countries: Iterable[str] = (),
) -> Markup:
    """The figure (module docstring). `cov` is `coverage(G)`; `gaps_by_country` the number
    of findings per country code (no circles when None); `countries` the codes the frame
    is drawn around (those of `cov` and `gaps_by_country` too)."""
    m = measures.measure_named(measure)
    gaps = {c: k for c, k in (gaps_by_country or {}).items() if k}
    canvas = _Canvas(frame_of(sorted({*countries, *cov, *gaps})))
    height = canvas.height + LEGEND_HEIGHT
    title = m.title + (" and gap findings by country" if gaps_by_country is not None else "")
    out = [
        f'<svg class="coverage-map" role="img" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
        f'height="{height}" data-measure="{m.name}" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{WIDTH}" height="{canvas.height}" fill="{style.SEA_COLOUR}"/>',
    ]
    for code, shape in sorted(country_shapes(FIGURE_RESOLUTION).items()):
        if not canvas.shows(shape):
            continue
        share = measures.share_of(cov, code, m)
        out.append(
            f'<path d="{canvas.path(shape)}" fill="{measures.fill(share)}" '
            f'stroke="{style.COUNTRY_STROKE}" stroke-width="0.5" fill-rule="evenodd" '
            f'data-country="{code}"><title>{escape(_tip(code, share, cov, gaps))}</title></path>'
        )
    out.extend(_gap_circles(canvas, gaps))
    out.extend(_legend(canvas.height, gaps_by_country is not None))
    out.append("</svg>")
    return Markup("".join(out))


def _tip(
    code: str, share: float | None, cov: Mapping[str, Mapping[str, Any]], gaps: Mapping[str, int]
) -> str:
    name = country_name(code)
    name = name[4:] if name.startswith("the ") else name
    if share is None:
        words = f"{name}: {measures.NO_CITIES.lower()}"
    else:
        cities = int(cov[code].get("cities", 0))
        words = f"{name}: {share * 100:.0f}% of {cities:,} {'city' if cities == 1 else 'cities'}"
    k = gaps.get(code, 0)
    if k:
        words += f"; {k:,} gap {'finding' if k == 1 else 'findings'}"
    return words


def _gap_circles(canvas: _Canvas, gaps: Mapping[str, int]) -> list[str]:
    """A red circle per country with findings, area by count, the largest on top last."""
    if not gaps:
        return []
    at = centroids()
    top = max(gaps.values())
    out = ['<g class="gap-markers">']
    for code, k in sorted(gaps.items(), key=lambda kv: (-kv[1], kv[0])):
        if code not in at:
            continue
        x, y = canvas.xy(*natural_earth(*at[code]))
        r = max(3.0, MAX_RADIUS * math.sqrt(k / top))
        out.append(
            f'<g data-country="{code}" data-findings="{k}">'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{style.GAP_COLOUR}" '
            f'fill-opacity="0.55" stroke="{style.GAP_COLOUR}"/>'
            f'<text x="{x:.1f}" y="{y + 3.5:.1f}" class="map-count" text-anchor="middle">'
            f"{k:,}</text></g>"
        )
    out.append("</g>")
    return out


def _legend(top: int, with_gaps: bool) -> list[str]:
    """The legend, under the map, on white (outlines beyond the frame stop at its edge)."""
    out = [
        f'<rect x="0" y="{top}" width="{WIDTH}" height="{LEGEND_HEIGHT}" fill="#ffffff"/>',
        f'<g class="map-legend" transform="translate(8,{top + 10})">',
    ]
    x = 0
    for line in measures.legend():
        out.append(
            f'<rect x="{x}" y="0" width="14" height="14" fill="{line["colour"]}" '
            f'stroke="{style.COUNTRY_STROKE}" stroke-width="0.5"/>'
            f'<text x="{x + 19}" y="11" class="map-legend-label">{escape(line["label"])}</text>'
        )
        x += 32 + 7 * len(line["label"])
    if with_gaps:
        out.append(
            f'<circle cx="7" cy="28" r="7" fill="{style.GAP_COLOUR}" fill-opacity="0.55" '
            f'stroke="{style.GAP_COLOUR}"/><text x="19" y="32" class="map-legend-label">'
            "Gap findings about the country (circle area: how many)</text>"
        )
    out.append(f'<text x="0" y="52" class="map-legend-label">{escape(ATTRIBUTION)}</text></g>')
    return out
