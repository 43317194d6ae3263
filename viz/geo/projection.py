"""The Natural Earth projection (Šavrič, Jenny, Patterson, Petrovič and Hurni, 2011).

A pseudo-cylindrical compromise projection made for small-scale world maps: less
stretched near the poles than Mercator (Sweden keeps its shape and Europe its
size), flatter than equirectangular. Its formula is two short polynomials, the
same as d3-geo's `geoNaturalEarth1`, so it needs no library.

Map units: x to the east and y to the north, in radians of the equator
(the world spans about -2.73..2.73 by -1.42..1.42).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

#: Latitudes beyond this are clamped (the poles are a line, not a point).
MAX_LAT = 90.0
#: The southern edge of a world map: no land but Antarctica (not drawn) lies beyond.
WORLD_SOUTH = -60.0


def natural_earth(lon: float, lat: float) -> tuple[float, float]:
    """(longitude, latitude) in degrees -> (x, y) in map units (y to the north)."""
    lam = math.radians(max(-180.0, min(180.0, lon)))
    phi = math.radians(max(-MAX_LAT, min(MAX_LAT, lat)))
    phi2 = phi * phi
    phi4 = phi2 * phi2
    x = lam * (
        0.8707 - 0.131979 * phi2 + phi4 * (-0.013791 + phi4 * (0.003971 * phi2 - 0.001529 * phi4))
    )
    y = phi * (
        1.007226 + phi2 * (0.015085 + phi4 * (-0.044475 + 0.028874 * phi2 - 0.005916 * phi4))
    )
    return x, y


def project_ring(ring: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    """A ring of (lon, lat) points in map units."""
    return [natural_earth(lon, lat) for lon, lat in ring]


@dataclass(frozen=True)
class Bounds:
    """A box in map units."""

    min_x: float
    min_y: float
    max_x: float
    max_y: float

    @classmethod
    def of(cls, points: Iterable[tuple[float, float]]) -> Bounds:
        xs, ys = zip(*points, strict=True)
        return cls(min(xs), min(ys), max(xs), max(ys))

    @property
    def width(self) -> float:
        return self.max_x - self.min_x

    @property
    def height(self) -> float:
        return self.max_y - self.min_y

    def intersects(self, other: Bounds) -> bool:
        return (
            self.max_x >= other.min_x
            and self.min_x <= other.max_x
            and self.max_y >= other.min_y
            and self.min_y <= other.max_y
        )

    def contains(self, other: Bounds) -> bool:
        return (
            self.min_x <= other.min_x
            and other.max_x <= self.max_x
            and self.min_y <= other.min_y
            and other.max_y <= self.max_y
        )

    def union(self, other: Bounds) -> Bounds:
        return Bounds(
            min(self.min_x, other.min_x),
            min(self.min_y, other.min_y),
            max(self.max_x, other.max_x),
            max(self.max_y, other.max_y),
        )

    def padded(self, share: float, *, minimum: float = 0.0) -> Bounds:
        """Grown by `share` of its larger side on every side, and to at least `minimum`
        wide and high (a single city is not a map)."""
        pad = max(self.width, self.height) * share
        grow_x = max(pad, (minimum - self.width) / 2)
        grow_y = max(pad, (minimum - self.height) / 2)
        return Bounds(
            self.min_x - grow_x, self.min_y - grow_y, self.max_x + grow_x, self.max_y + grow_y
        )


def fit_aspect(b: Bounds, low: float, high: float) -> Bounds:
    """`b` grown across its narrow side to an aspect (height / width) between `low` and
    `high`: a landscape figure or screen of one tall country is not a column, nor one of
    a wide region a strip."""
    aspect = b.height / b.width if b.width else high
    if aspect > high:
        grow = (b.height / high - b.width) / 2
        return Bounds(b.min_x - grow, b.min_y, b.max_x + grow, b.max_y)
    if aspect < low:
        grow = (b.width * low - b.height) / 2
        return Bounds(b.min_x, b.min_y - grow, b.max_x, b.max_y + grow)
    return b


def clip_ring(ring: list[tuple[float, float]], box: Bounds) -> list[tuple[float, float]]:
    """The part of a ring inside `box` (Sutherland-Hodgman, one side at a time); empty
    when none is. A concave ring may keep zero-width slivers along the box's edge, which
    fill nothing."""
    sides = (
        (lambda p: p[0] >= box.min_x, 0, box.min_x),
        (lambda p: p[0] <= box.max_x, 0, box.max_x),
        (lambda p: p[1] >= box.min_y, 1, box.min_y),
        (lambda p: p[1] <= box.max_y, 1, box.max_y),
    )
    points = ring
    for inside, axis, at in sides:
        out: list[tuple[float, float]] = []
        for i, cur in enumerate(points):
            prev = points[i - 1]
            if inside(cur) != inside(prev):
                t = (at - prev[axis]) / (cur[axis] - prev[axis])
                cut = (
                    (at, prev[1] + t * (cur[1] - prev[1]))
                    if axis == 0
                    else (prev[0] + t * (cur[0] - prev[0]), at)
                )
                out.append(cut)
            if inside(cur):
                out.append(cur)
        points = out
        if not points:
            break
    return points


#: The whole world in map units (down to `WORLD_SOUTH`).
WORLD = Bounds(
    natural_earth(-180.0, 0.0)[0],
    natural_earth(0.0, WORLD_SOUTH)[1],
    natural_earth(180.0, 0.0)[0],
    natural_earth(0.0, MAX_LAT)[1],
)
