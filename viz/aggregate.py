"""What a view becomes when it has too many nodes to draw one by one.

Two ways, chosen by `viz.network` (thresholds there) and said on the page:

* `by_country` — one node per country (all of that country's nodes in the
  view), one link per pair of countries weighted by how many relationships
  join them, counted by type. Nodes with no country form one group.
* `top_n` — keep the N nodes with the highest metric (degree or
  betweenness), ties broken by id so the choice is stable, plus any node
  that must stay (the actor of a neighbourhood view).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

import networkx as nx

from graph.predicates import norm_country

NO_COUNTRY = "none"


@dataclass
class CountryGroup:
    code: str  # ISO code or NO_COUNTRY
    nodes: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    internal: Counter[str] = field(default_factory=Counter)  # links inside the country, by type
    lat_sum: float = 0.0
    lon_sum: float = 0.0
    located: int = 0
    sources: set[str] = field(default_factory=set)

    @property
    def coords(self) -> tuple[float, float] | None:
        if not self.located:
            return None
        return self.lat_sum / self.located, self.lon_sum / self.located


@dataclass
class CountryLink:
    a: str
    b: str
    types: Counter[str] = field(default_factory=Counter)
    planned: int = 0
    confidential: int = 0

    @property
    def weight(self) -> int:
        return sum(self.types.values())


def group_of(d: Mapping[str, object]) -> str:
    c = d.get("country")
    return norm_country(c) or NO_COUNTRY


def by_country(H: nx.MultiDiGraph) -> tuple[dict[str, CountryGroup], list[CountryLink]]:
    groups: dict[str, CountryGroup] = {}
    where: dict[Hashable, str] = {}
    for n, d in H.nodes(data=True):
        g = group_of(d)
        where[n] = g
        grp = groups.get(g) or groups.setdefault(g, CountryGroup(g))
        grp.nodes += 1
        grp.kinds[str(d.get("kind") or "unknown")] += 1
        lat, lon = d.get("lat"), d.get("lon")
        if isinstance(lat, int | float) and isinstance(lon, int | float):
            grp.lat_sum += float(lat)
            grp.lon_sum += float(lon)
            grp.located += 1
        grp.sources.update(str(s) for s in d.get("sources") or ())
    links: dict[tuple[str, str], CountryLink] = {}
    for u, v, k, d in H.edges(keys=True, data=True):
        gu, gv = where[u], where[v]
        t = str(d.get("type") or k)
        if gu == gv:
            groups[gu].internal[t] += 1
            continue
        key = (gu, gv) if gu < gv else (gv, gu)
        link = links.get(key) or links.setdefault(key, CountryLink(*key))
        link.types[t] += 1
        if d.get("status") == "planned":
            link.planned += 1
        if d.get("confidential"):
            link.confidential += 1
    return groups, sorted(links.values(), key=lambda lk: (lk.a, lk.b))


def top_n(
    values: Mapping[Hashable, float], n: int, keep: Iterable[Hashable] = ()
) -> list[Hashable]:
    """The ids of the `n` highest values (plus `keep`), highest first, ties by id."""
    must = [k for k in keep if k in values]
    ranked = sorted(values, key=lambda i: (-values[i], str(i)))
    chosen = list(dict.fromkeys([*must, *ranked]))[: max(n, len(must))]
    return chosen
