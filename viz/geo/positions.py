"""Map positions: placements projected, nodes that share a point spread, the rest below.

* Each placement's (lon, lat) goes through the Natural Earth projection.
* Nodes on the same point (a country's centroid holds all of its actors without
  coordinates; some twin cities share coordinates) are spread on a small sunflower
  around it, the node placed by its own coordinates at the centre, so every node can
  be seen and clicked once zoomed in.
* Nodes with no place (`How.NOWHERE`) sit in rows in a panel under the map of the
  placed nodes (`nowhere_panel`), which the page draws as a box titled
  "Not on the map".

All deterministic: the same graph gives the same picture.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

from viz.geo.placement import How, Placement
from viz.geo.projection import WORLD, Bounds, fit_aspect, natural_earth

#: Distance between spread nodes: this share of the map's larger side, within bounds in
#: map units (0.004 is about 25 km at the equator): on a map of two countries the actors
#: at a centroid do not hide each other, on a world map a few cities sharing coordinates
#: stay within a degree of them.
SPREAD_SHARE = 1 / 50
SPREAD_STEP = 0.004
SPREAD_STEP_MAX = 0.012
#: Golden angle: successive nodes of a sunflower never line up.
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
#: Smallest map drawn around the placed nodes, in map units (about 17 degrees), its
#: margin (a share of its larger side), and its aspect (height / width) on a screen.
MIN_FRAME = 0.3
FRAME_MARGIN = 0.12
FRAME_ASPECT = (0.45, 0.75)
#: Nodes per row of the "not on the map" panel.
PANEL_ROW = 12

Position = tuple[float, float]


@dataclass(frozen=True)
class MapLayout:
    positions: dict[Hashable, Position]  # x to the east, y to the north
    frame: Bounds  # the map around the placed nodes (the world when none is placed)
    panel: Bounds | None  # the "not on the map" box, when some node has no place

    @property
    def extent(self) -> Bounds:
        """What the page shows: the map and the panel under it."""
        return self.frame if self.panel is None else self.frame.union(self.panel)


def spread(centre: Position, k: int, step: float = SPREAD_STEP) -> Position:
    """The k-th position (0: the centre itself) of a sunflower around `centre`, `step`
    apart."""
    if k == 0:
        return centre
    r = step * math.sqrt(k)
    a = k * GOLDEN_ANGLE
    return centre[0] + r * math.cos(a), centre[1] + r * math.sin(a)


def map_layout(placements: Mapping[Hashable, Placement]) -> MapLayout:
    """Positions of every node of `placements` (module docstring)."""
    groups: dict[tuple[float, float], list[Hashable]] = defaultdict(list)
    nowhere: list[Hashable] = []
    for n, p in placements.items():
        point = p.point
        if point is None:
            nowhere.append(n)
        else:
            groups[point].append(n)
    centres = {point: natural_earth(*point) for point in groups}
    frame = _frame(centres.values())
    step = min(SPREAD_STEP_MAX, max(SPREAD_STEP, SPREAD_SHARE * max(frame.width, frame.height)))
    pos: dict[Hashable, Position] = {}
    for point, members in groups.items():
        members.sort(key=lambda n: (placements[n].how != How.COORDINATES, str(n)))
        for k, n in enumerate(members):
            pos[n] = spread(centres[point], k, step)
    frame = _frame(pos.values())
    panel = None
    if nowhere:
        panel = nowhere_panel(frame, len(nowhere))
        pos.update(panel_positions(panel, sorted(nowhere, key=str)))
    return MapLayout(pos, frame, panel)


def _frame(points: Iterable[Position]) -> Bounds:
    """The map around `points`: padded, at least `MIN_FRAME`, of a screen's aspect; the
    world when there are none."""
    points = list(points)
    if not points:
        return WORLD
    return fit_aspect(Bounds.of(points).padded(FRAME_MARGIN, minimum=MIN_FRAME), *FRAME_ASPECT)


def nowhere_panel(frame: Bounds, n: int) -> Bounds:
    """The box under `frame` that holds `n` nodes with no place, in rows."""
    rows = math.ceil(n / PANEL_ROW)
    step = frame.width / (PANEL_ROW + 1)
    top = frame.min_y - step
    return Bounds(frame.min_x, top - step * (rows + 1), frame.max_x, top)


def panel_positions(panel: Bounds, ids: list[Hashable]) -> dict[Hashable, Position]:
    """`ids` in rows of `PANEL_ROW`, left to right, top to bottom, inside `panel`."""
    step = panel.width / (PANEL_ROW + 1)
    return {
        n: (panel.min_x + step * (1 + i % PANEL_ROW), panel.max_y - step * (1 + i // PANEL_ROW))
        for i, n in enumerate(ids)
    }
