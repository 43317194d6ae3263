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
from collections.abc import Hashable, Mapping
from dataclasses import dataclass

from viz.geo.placement import How, Placement
from viz.geo.projection import WORLD, Bounds, fit_aspect, natural_earth

#: Distance between spread nodes, in map units (0.004 is about 25 km at the equator).
SPREAD_STEP = 0.004
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


def spread(centre: Position, k: int) -> Position:
    """The k-th position (0: the centre itself) of a sunflower around `centre`."""
    if k == 0:
        return centre
    r = SPREAD_STEP * math.sqrt(k)
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
    pos: dict[Hashable, Position] = {}
    for (lon, lat), members in groups.items():
        centre = natural_earth(lon, lat)
        members.sort(key=lambda n: (placements[n].how != How.COORDINATES, str(n)))
        for k, n in enumerate(members):
            pos[n] = spread(centre, k)
    frame = WORLD
    if pos:
        frame = fit_aspect(
            Bounds.of(pos.values()).padded(FRAME_MARGIN, minimum=MIN_FRAME), *FRAME_ASPECT
        )
    panel = None
    if nowhere:
        panel = nowhere_panel(frame, len(nowhere))
        pos.update(panel_positions(panel, sorted(nowhere, key=str)))
    return MapLayout(pos, frame, panel)


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
