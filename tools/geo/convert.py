"""Turn world-atlas's Natural Earth TopoJSON into the compact outlines viz/static/geo/ ships.

Run by `make geo-assets` after `npm ci` has put world-atlas (pinned in package.json and
package-lock.json) in tools/geo/node_modules. For each resolution it

* decodes the TopoJSON arcs (delta-encoded, quantized) to longitude / latitude;
* simplifies each arc once (Douglas-Peucker, end points kept), so two neighbours keep
  one shared border;
* keys each country by its ISO 3166-1 alpha-2 code (world-atlas keys them by the numeric
  code; the few it leaves without one are named in `NO_NUMERIC`), merging the features
  of one code (e.g. Australia's islands);
* writes `countries-<res>.json`: ``{"source", "resolution", "scale", "countries":
  [{"code", "name", "polygons": [[ring, ...], ...]}]}``, each ring a flat list
  ``[lon0, lat0, lon1, lat1, ...]`` of integers, degrees times `scale`.

The output is deterministic: the same input gives the same bytes.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable
from pathlib import Path

import pycountry

HERE = Path(__file__).resolve().parent
ATLAS = HERE / "node_modules" / "world-atlas"
OUT = HERE.parent.parent / "viz" / "static" / "geo"

#: Resolution -> Douglas-Peucker tolerance in degrees (0: keep every point).
RESOLUTIONS = {"50m": 0.02, "110m": 0.0}
#: Coordinates are stored as integers: degrees times this (0.01 degree, about 1 km).
SCALE = 100

#: Features world-atlas gives no numeric code, by their Natural Earth name.
NO_NUMERIC = {"Kosovo": "XK", "N. Cyprus": "CY", "Somaliland": "SO", "Indian Ocean Ter.": "AU"}
#: Features left out: not a country of their own and claimed by two; Antarctica, whose
#: outline runs round the pole (no city of the network is there).
SKIP = {"Siachen Glacier", "Antarctica"}


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Every arc as absolute (lon, lat) points."""
    (kx, ky), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * kx + tx, y * ky + ty))
        arcs.append(points)
    return arcs


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker with the end points kept (iterative: arcs can be long)."""
    if tolerance <= 0 or len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        worst, at = -1.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            if length == 0:
                d = math.hypot(px - x1, py - y1)
            else:
                d = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / length
            if d > worst:
                worst, at = d, i
        if worst > tolerance:
            keep[at] = True
            stack.extend(((first, at), (at, last)))
    return [p for p, k in zip(points, keep, strict=True) if k]


Point = tuple[float, float]


def ring_points(arc_ids: list[int], arcs: list[list[Point]]) -> list[Point]:
    """One ring from its arcs (a negative id is the arc ~id reversed), not closed."""
    points: list[Point] = []
    for a in arc_ids:
        part = arcs[a] if a >= 0 else arcs[~a][::-1]
        points.extend(part if not points else part[1:])
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()
    return points


def clip(points: list[Point], keep: Callable[[Point], bool], at_lon: float) -> list[Point]:
    """Sutherland-Hodgman: the part of a ring on the `keep` side of the meridian `at_lon`."""
    out: list[Point] = []
    for i, cur in enumerate(points):
        prev = points[i - 1]
        if keep(cur) != keep(prev):
            t = (at_lon - prev[0]) / (cur[0] - prev[0])
            out.append((at_lon, prev[1] + t * (cur[1] - prev[1])))
        if keep(cur):
            out.append(cur)
    return out


def split_at_antimeridian(points: list[Point]) -> list[list[Point]]:
    """A ring that crosses the 180th meridian (Russia, Fiji) as pieces within -180..180.

    TopoJSON keeps such a ring whole, jumping from 180 to -180; drawn on a flat map the
    jump is a line across the world. The ring is unwrapped (longitudes made continuous),
    then clipped to -180..180 once per shift of 360 degrees.
    """
    unwrapped = [points[0]]
    for lon, lat in points[1:]:
        prev = unwrapped[-1][0]
        while lon - prev > 180:
            lon -= 360
        while lon - prev < -180:
            lon += 360
        unwrapped.append((lon, lat))
    lons = [p[0] for p in unwrapped]
    if min(lons) >= -180 and max(lons) <= 180:
        return [points]
    pieces = []
    for shift in (-360.0, 0.0, 360.0):
        moved = [(lon + shift, lat) for lon, lat in unwrapped]
        moved = clip(moved, lambda p: p[0] <= 180, 180.0)
        moved = clip(moved, lambda p: p[0] >= -180, -180.0) if moved else moved
        if len(moved) >= 3:
            pieces.append(moved)
    return pieces


def quantize(points: list[Point]) -> list[int]:
    """A ring as flat integers, repeated points dropped."""
    flat: list[int] = []
    last = None
    for lon, lat in points:
        q = (round(lon * SCALE), round(lat * SCALE))
        if q != last:
            flat.extend(q)
            last = q
    return flat


def alpha2(feature: dict) -> str | None:
    name = feature["properties"]["name"]
    if name in SKIP:
        return None
    if name in NO_NUMERIC:
        return NO_NUMERIC[name]
    found = pycountry.countries.get(numeric=feature["id"])
    if found is None:
        raise SystemExit(
            f"no ISO code for {name!r} (numeric {feature['id']!r}): add it to NO_NUMERIC"
        )
    return found.alpha_2


def convert(resolution: str, tolerance: float) -> dict:
    topology = json.loads((ATLAS / f"countries-{resolution}.json").read_text(encoding="utf-8"))
    arcs = [simplify(a, tolerance) for a in decode_arcs(topology)]
    countries: dict[str, dict] = {}
    for feature in topology["objects"]["countries"]["geometries"]:
        code = alpha2(feature)
        if code is None or feature["type"] not in ("Polygon", "MultiPolygon"):
            continue
        polygons = feature["arcs"] if feature["type"] == "MultiPolygon" else [feature["arcs"]]
        entry = countries.setdefault(
            code, {"code": code, "name": feature["properties"]["name"], "polygons": []}
        )
        for polygon in polygons:
            outer, *holes = [ring_points(ids, arcs) for ids in polygon]
            for piece in split_at_antimeridian(outer):
                rings = [quantize(piece)] + [quantize(h) for h in holes if len(h) >= 3]
                rings = [r for r in rings if len(r) >= 6]
                if rings:
                    entry["polygons"].append(rings)
                holes = []  # a hole belongs to one piece
    version = json.loads((ATLAS / "package.json").read_text(encoding="utf-8"))["version"]
    return {
        "source": f"Natural Earth 1:{resolution[:-1]} million admin-0 countries, "
        f"via world-atlas {version} (TopoJSON)",
        "resolution": resolution,
        "scale": SCALE,
        "countries": [countries[c] for c in sorted(countries) if countries[c]["polygons"]],
    }


def main() -> None:
    if not ATLAS.is_dir():
        sys.exit("world-atlas is not installed: run `make geo-assets` (npm ci in tools/geo)")
    OUT.mkdir(parents=True, exist_ok=True)
    for resolution, tolerance in RESOLUTIONS.items():
        data = convert(resolution, tolerance)
        path = OUT / f"countries-{resolution}.json"
        path.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
        points = sum(len(r) // 2 for c in data["countries"] for p in c["polygons"] for r in p)
        print(f"{path.name}: {len(data['countries'])} countries, {points:,} points")


if __name__ == "__main__":
    main()
