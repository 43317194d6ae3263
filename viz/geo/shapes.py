"""Country outlines: Natural Earth admin-0 countries, shipped in `viz/static/geo/`.

Two resolutions, both converted once from the npm package world-atlas by
`make geo-assets` (tools/geo/convert.py; see viz/static/geo/README.md):

* ``50m`` (1:50 million, simplified to 0.02°, about 52,000 points, 0.6 MB): the
  map pages, where a person zooms in to one country;
* ``110m`` (1:110 million, about 10,600 points, 0.1 MB): the report's printed figure.

Each country is keyed by its ISO 3166-1 alpha-2 code, as the graph stores countries.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

#: The map pages' outlines and the report figure's.
MAP_RESOLUTION = "50m"
FIGURE_RESOLUTION = "110m"
RESOLUTIONS = (MAP_RESOLUTION, FIGURE_RESOLUTION)
#: What every page showing the outlines credits.
ATTRIBUTION = "Country outlines: Natural Earth (public domain), via world-atlas."

Ring = tuple[tuple[float, float], ...]  # (lon, lat) points, not closed
Polygon = tuple[Ring, ...]  # outer ring, then holes


@dataclass(frozen=True)
class CountryShape:
    code: str
    name: str
    polygons: tuple[Polygon, ...]

    def mainland(self) -> Polygon:
        """The polygon with the largest outer ring (France without French Guiana)."""
        return max(self.polygons, key=lambda p: abs(ring_area(p[0])))


def ring_area(ring: Ring) -> float:
    """Signed area in square degrees (shoelace): a measure for comparing rings."""
    s = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        s += x1 * y2 - x2 * y1
    return s / 2


@lru_cache(maxsize=len(RESOLUTIONS))
def country_shapes(resolution: str = MAP_RESOLUTION) -> dict[str, CountryShape]:
    """Every country's outline at `resolution`, by ISO alpha-2 code (read once)."""
    if resolution not in RESOLUTIONS:
        raise ValueError(f"resolution must be one of {', '.join(RESOLUTIONS)}")
    path = resources.files("viz") / "static" / "geo" / f"countries-{resolution}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    k = float(data["scale"])
    out: dict[str, CountryShape] = {}
    for c in data["countries"]:
        polygons = tuple(
            tuple(
                tuple((flat[i] / k, flat[i + 1] / k) for i in range(0, len(flat), 2))
                for flat in polygon
            )
            for polygon in c["polygons"]
        )
        out[c["code"]] = CountryShape(c["code"], c["name"], polygons)
    return out
