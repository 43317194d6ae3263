"""Where each node of the graph goes on a map, and why.

The rules, in order (the first that applies places the node):

1. **coordinates** — the node has its own `lat` / `lon` (numbers in range): a city
   of the twin-cities network, or any node given coordinates;
2. **city** — an actor (or initiative) that names a city (its `city` property,
   else an active LOCATED_IN relationship; the first by id) goes to that city,
   when the city has coordinates of its own;
3. **centroid** — otherwise, a node with a country (its own, else its city's)
   goes to that country's centroid (`viz.geo.centroids`; no public-domain table
   of capitals is available from the registries the project uses, so centroids
   stand in for capitals);
4. **nowhere** — a node with no coordinates, no city with coordinates and no
   country (an international organisation or framework) is not on the map; the
   map draws it in a panel under the map.

Every placement carries its rule (`how`) and what it went by (`via`: the city's
id or the country code), so a page can say which nodes were placed so.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import networkx as nx

from graph.predicates import actor_city, is_active, node_country
from viz.geo.centroids import centroids

LOCATED_IN = "LOCATED_IN"


class How(StrEnum):
    COORDINATES = "coordinates"
    CITY = "city"
    CENTROID = "centroid"
    NOWHERE = "nowhere"


#: How a page says where a node was put.
HOW_WORDS = {
    How.COORDINATES: "at its own coordinates",
    How.CITY: "at its city",
    How.CENTROID: "at its country's centroid (no coordinates of its own or of its city)",
    How.NOWHERE: "not on the map: no coordinates, no city and no country",
}


@dataclass(frozen=True)
class Placement:
    how: How
    lon: float | None = None
    lat: float | None = None
    via: str | None = None  # the city (How.CITY) or the country code (How.CENTROID)

    @property
    def point(self) -> tuple[float, float] | None:
        return None if self.lon is None or self.lat is None else (self.lon, self.lat)


def coordinates(d: Mapping[str, Any]) -> tuple[float, float] | None:
    """(lon, lat) of a node with usable coordinates of its own, else None."""
    lat, lon = d.get("lat"), d.get("lon")
    if isinstance(lat, bool) or isinstance(lon, bool):
        return None
    if not isinstance(lat, int | float) or not isinstance(lon, int | float):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return float(lon), float(lat)


def cities_of(G: nx.MultiDiGraph, n: Hashable) -> list[Hashable]:
    """The cities node `n` works in: its `city` property first, then the targets of its
    active LOCATED_IN relationships, by id."""
    d = G.nodes[n]
    out: list[Hashable] = []
    named = actor_city({**d, "id": n})
    if named is not None and named in G and G.nodes[named].get("kind") == "city":
        out.append(named)
    located = sorted(
        (
            v
            for _, v, k, e in G.out_edges(n, keys=True, data=True)
            if (e.get("type") or k) == LOCATED_IN
            and is_active(e)
            and G.nodes[v].get("kind") == "city"
        ),
        key=str,
    )
    out.extend(v for v in located if v not in out)
    return out


def place_node(G: nx.MultiDiGraph, n: Hashable) -> Placement:
    """Where node `n` goes (module docstring)."""
    d = G.nodes[n]
    own = coordinates(d)
    if own is not None:
        return Placement(How.COORDINATES, *own)
    cities = cities_of(G, n)
    for c in cities:
        at = coordinates(G.nodes[c])
        if at is not None:
            return Placement(How.CITY, *at, via=str(c))
    countries = [node_country(d), *(node_country(G.nodes[c]) for c in cities)]
    known = centroids()
    for cc in countries:
        if cc is not None and cc in known:
            return Placement(How.CENTROID, *known[cc], via=cc)
    return Placement(How.NOWHERE)


def place(G: nx.MultiDiGraph) -> dict[Hashable, Placement]:
    """Every node's placement, in the graph's order."""
    return {n: place_node(G, n) for n in G.nodes}
