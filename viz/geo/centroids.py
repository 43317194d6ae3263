"""Each country's centroid, from its outline: where a node with only a country goes.

The centroid of the country's largest polygon (its mainland: France's is in
France, not pulled towards French Guiana; Norway's not towards Svalbard),
computed in longitude / latitude. No public-domain table of capitals with
coordinates is available from the package registries the project uses, so the
map places such nodes at the centroid and says so on the page.
"""

from __future__ import annotations

from functools import lru_cache

from viz.geo.shapes import MAP_RESOLUTION, Ring, country_shapes, ring_area


def ring_centroid(ring: Ring) -> tuple[float, float]:
    """The area centroid (lon, lat) of a ring; its mean point if it has no area."""
    a = ring_area(ring)
    if abs(a) < 1e-12:
        xs, ys = zip(*ring, strict=True)
        return sum(xs) / len(xs), sum(ys) / len(ys)
    cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x1 * y2 - x2 * y1
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    return cx / (6 * a), cy / (6 * a)


@lru_cache(maxsize=1)
def centroids() -> dict[str, tuple[float, float]]:
    """(lon, lat) of every country with an outline, by ISO alpha-2 code."""
    return {
        code: ring_centroid(shape.mainland()[0])
        for code, shape in country_shapes(MAP_RESOLUTION).items()
    }
