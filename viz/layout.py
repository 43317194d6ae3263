"""Node positions computed in Python, seeded, so a page opens already laid out
and the same data always gives the same picture.

* ``force`` — igraph's Fruchterman–Reingold (its grid variant above 1,000
  nodes), started from positions drawn with a fixed seed, so it is
  deterministic. It takes about a second for a few thousand nodes.
* ``geo`` — longitude / latitude (Mercator-like). Used for country nodes of
  an aggregated view when most have coordinates, and on request for cities.
  Nodes without coordinates go to a row under the map.

Positions are scaled so the drawing covers about `SPACING` pixels per node
(vis-network units at zoom 1): enough room for labels when zoomed in.
"""

from __future__ import annotations

import math
import random
from collections.abc import Hashable, Mapping

from graph.analysis.seeded import seeded_igraph
from viz.measure import SimpleGraph

LAYOUTS = ("auto", "force", "geo")
SEED = 42
SPACING = 95.0
#: `auto` uses the geographic layout when at least this share of nodes has coordinates.
GEO_MIN_SHARE = 0.8
#: Iterations of the force layout (fewer on big graphs: the grid variant converges fast).
FORCE_ITERATIONS = 500
FORCE_ITERATIONS_LARGE = 200

Position = tuple[float, float]


def force_layout(sg: SimpleGraph) -> dict[Hashable, Position]:
    """Force layout per connected component, components packed in rows, biggest first.

    Laying out a disconnected graph in one go flings the small pieces and the
    isolated nodes to the edges and squeezes the main component into a blob;
    packing keeps every piece at the same scale.
    """
    n = len(sg.ids)
    if n == 0:
        return {}
    comps = _components(n, sg.edges)
    boxes: list[tuple[list[int], list[tuple[float, float]]]] = []
    by_comp_edges: dict[int, list[tuple[int, int]]] = {}
    comp_of = {}
    for ci, comp in enumerate(comps):
        for v in comp:
            comp_of[v] = ci
    for pos, (i, j) in enumerate(sg.edges):
        by_comp_edges.setdefault(comp_of[i], []).append((i, j, pos))  # type: ignore[arg-type]
    for ci, comp in enumerate(comps):
        boxes.append((comp, _component_layout(comp, by_comp_edges.get(ci, []), sg.weights)))
    placed = _pack(boxes)
    return _fit({sg.ids[v]: placed[v] for v in range(n)}, n)


def _components(n: int, edges: list[tuple[int, int]]) -> list[list[int]]:
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in edges:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)
    groups: dict[int, list[int]] = {}
    for v in range(n):
        groups.setdefault(find(v), []).append(v)
    return sorted(groups.values(), key=lambda c: (-len(c), c[0]))


def _component_layout(
    comp: list[int], edges: list[tuple[int, int, int]], weights: list[float] | None
) -> list[tuple[float, float]]:
    """Positions of one component in units where neighbours sit about 1 apart."""
    k = len(comp)
    if k == 1:
        return [(0.0, 0.0)]
    if k == 2:
        return [(0.0, 0.0), (1.0, 0.0)]
    import igraph as ig

    local = {v: i for i, v in enumerate(comp)}
    g = ig.Graph(n=k, edges=[(local[i], local[j]) for i, j, _ in edges], directed=False)
    rng = random.Random(SEED + k)
    side = math.sqrt(k)
    seed = [[rng.uniform(-side, side), rng.uniform(-side, side)] for _ in range(k)]
    with seeded_igraph(SEED):
        lay = g.layout_fruchterman_reingold(
            seed=seed,
            niter=FORCE_ITERATIONS if k <= 1000 else FORCE_ITERATIONS_LARGE,
            grid="grid" if k > 1000 else "nogrid",
            weights=[weights[p] for _, _, p in edges] if weights is not None else None,
        )
    coords = [tuple(c) for c in lay.coords]
    # normalise: median edge length 1
    lengths = sorted(math.dist(coords[local[i]], coords[local[j]]) for i, j, _ in edges) or [1.0]
    med = lengths[len(lengths) // 2] or 1.0
    return [(x / med, y / med) for x, y in coords]


def _pack(
    boxes: list[tuple[list[int], list[tuple[float, float]]]],
) -> dict[int, tuple[float, float]]:
    """Shelf-pack component layouts left to right in rows, about as wide as tall."""
    gap = 1.0
    sized = []
    for comp, coords in boxes:
        xs = [c[0] for c in coords]
        ys = [c[1] for c in coords]
        w, h = max(xs) - min(xs), max(ys) - min(ys)
        sized.append((comp, coords, min(xs), min(ys), w, h))
    area = sum((w + gap) * (h + gap) for *_, w, h in sized)
    row_width = max(math.sqrt(area) * 1.3, max(w for *_, w, _h in sized) + gap)
    out: dict[int, tuple[float, float]] = {}
    x = y = row_h = 0.0
    for comp, coords, x0, y0, w, h in sized:
        if x > 0 and x + w > row_width:
            x, y, row_h = 0.0, y + row_h + gap, 0.0
        for v, (cx, cy) in zip(comp, coords, strict=True):
            out[v] = (x + cx - x0, y + cy - y0)
        x += w + gap
        row_h = max(row_h, h)
    return out


def geo_layout(
    ids: list[Hashable], coords: Mapping[Hashable, tuple[float, float] | None]
) -> dict[Hashable, Position]:
    """(lat, lon) → (x, y); nodes without coordinates in a row below the map."""
    placed: dict[Hashable, Position] = {}
    missing = []
    for n in ids:
        c = coords.get(n)
        if c is None:
            missing.append(n)
            continue
        lat, lon = c
        lat = max(-80.0, min(80.0, lat))
        y = math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))
        placed[n] = (lon, -y)
    pos = _fit(placed, len(ids)) if placed else {}
    if missing:
        ys = [p[1] for p in pos.values()] or [0.0]
        xs = [p[0] for p in pos.values()] or [0.0]
        y0 = max(ys) + 2 * SPACING
        per_row = max(1, int((max(xs) - min(xs)) // SPACING) or 10)
        for i, n in enumerate(missing):
            pos[n] = (min(xs) + (i % per_row) * SPACING, y0 + (i // per_row) * SPACING)
    return pos


def _fit(pos: dict[Hashable, Position], n: int) -> dict[Hashable, Position]:
    """Centre on 0 and scale so the bounding box has about SPACING² per node."""
    if not pos:
        return {}
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    w, h = max(xs) - min(xs), max(ys) - min(ys)
    target = SPACING * math.sqrt(max(n, 2)) * 1.2
    extent = max(w, h)
    k = target / extent if extent > 0 else 1.0
    return {i: (round((x - cx) * k, 1), round((y - cy) * k, 1)) for i, (x, y) in pos.items()}
