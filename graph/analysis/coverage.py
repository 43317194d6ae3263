"""Coverage: how far each country's cities reach up (national) and across (other cities).

For the cities of each country, the share that have each kind of link, and
how densely they are linked with each other:

* `share_with_national_link`: an active relationship (other than
  LOCATED_IN / MEMBER_OF, either direction) with a national_body of the
  same country, or an active CONTRIBUTES_TO / IMPLEMENTS to an active
  national framework of the same country;
* `share_with_domestic_city_link`: an active PARTNERS_WITH,
  COORDINATES_WITH, SHARES_INFORMATION_WITH or TWINNED_WITH with another
  city of the same country, or both RUN / PARTICIPATE_IN the same active
  initiative (any size);
* `city_density`: distinct domestic city pairs joined by one of those
  four relationship types, over all possible pairs (None under 2 cities;
  shared initiatives are not counted as pairs);
* `cso_engagement` / `private_engagement`: share of cities with an
  active relationship (other than LOCATED_IN / MEMBER_OF) with any CSO /
  private_sector actor.

"Active" is the status rule of docs/gaps.md ("Status"): proposed, planned
and ended relationships, and links to initiatives that are not active, are
not current links and count for nothing here. Cities without a country are
not counted. Each city's own links are read
once, through the projection's raw dicts (see `graph.analysis.undirected`).

Example: two German cities that partner, one of them with a CSO.

>>> from graph.projection import build_graph
>>> G = build_graph(
...     [{"id": "a", "kind": "city", "name": "A", "country": "DE"},
...      {"id": "b", "kind": "city", "name": "B", "country": "DE"},
...      {"id": "ngo", "kind": "cso", "name": "NGO", "country": "DE"}],
...     [{"source": "a", "target": "b", "type": "PARTNERS_WITH"},
...      {"source": "ngo", "target": "a", "type": "SUPPORTS_CAPACITY"}],
... )
>>> cov = coverage(G)["DE"]
>>> cov["cities"], cov["share_with_domestic_city_link"], cov["city_density"], cov["cso_engagement"]
(2, 1.0, 1.0, 0.5)
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graph import schema
from graph.analysis.undirected import (
    EXCLUDED_TYPES,
    PRECISION,
    TAKES_PART,
    edge_type,
)
from graph.predicates import is_active, is_national_framework, norm_country

__all__ = ["coverage"]

_ACTIVE = schema.Status.ACTIVE.value
#: Relationship types by which a city commits to a framework.
_COMMITS_TO = schema.COMMITMENT_TYPES
#: Decimal places of the shares (the density keeps `PRECISION`).
_SHARE_PRECISION = 4


def _national_framework_of(d: dict[str, Any], country: str) -> bool:
    """An active national framework of `country` (the shared rule, committed to now)."""
    return is_national_framework(d, country) and is_active(d)


def _active_types(keydict: dict[Any, dict[str, Any]]) -> Iterator[str]:
    """The types of the active relationships in one adjacency entry."""
    for k, d in keydict.items():
        if d.get("status") == _ACTIVE:
            yield edge_type(k, d)


@dataclass
class _CityLinks:
    """Which cities have which kind of link, gathered city by city."""

    national: set[Any] = field(default_factory=set)
    domestic: set[Any] = field(default_factory=set)
    cso: set[Any] = field(default_factory=set)
    private: set[Any] = field(default_factory=set)
    domestic_pairs: set[tuple[Any, Any]] = field(default_factory=set)
    initiative_cities: dict[Any, list[Any]] = field(default_factory=lambda: defaultdict(list))

    def initiative_link(self, c: Any, cc: str, i: Any, idata: dict[str, Any], t: str) -> None:
        """City c RUNS / PARTICIPATES_IN / commits to the active initiative i."""
        if t in TAKES_PART:
            self.initiative_cities[i].append(c)
        elif t in _COMMITS_TO and _national_framework_of(idata, cc):
            self.national.add(c)

    def actor_link(self, c: Any, cc: str, x: Any, xd: dict[str, Any], t: str) -> None:
        """City c has a partnership relationship of type t with actor x."""
        kind = xd.get("kind")
        if kind == "national_body" and norm_country(xd.get("country")) == cc:
            self.national.add(c)
        elif kind == "cso":
            self.cso.add(c)
        elif kind == "private_sector":
            self.private.add(c)
        elif (
            kind == "city"
            and t in schema.HORIZONTAL_LINK_TYPES
            and norm_country(xd.get("country")) == cc
        ):
            self.domestic.add(c)
            self.domestic_pairs.add((c, x) if str(c) < str(x) else (x, c))

    def read_city(self, G: nx.MultiDiGraph, c: Any, cc: str) -> None:
        """Every active relationship of city c, in both directions."""
        nodes = G._node  # raw dicts: the public views cost ~2x on 1M edges
        for outgoing, adj in ((True, G._succ[c]), (False, G._pred[c])):
            for x, keydict in adj.items():
                if x == c:
                    continue
                xd = nodes[x]
                family = xd.get("family")
                if family == schema.INITIATIVE:
                    if outgoing and xd.get("status") == _ACTIVE:
                        for t in _active_types(keydict):
                            self.initiative_link(c, cc, x, xd, t)
                elif family == schema.ACTOR:
                    for t in _active_types(keydict):
                        if t not in EXCLUDED_TYPES:
                            self.actor_link(c, cc, x, xd, t)

    def add_shared_initiatives(self, city_country: dict[Any, str]) -> None:
        """Cities of one country that take part in the same initiative are linked."""
        for cities in self.initiative_cities.values():
            by_country: dict[str, set[Any]] = defaultdict(set)
            for c in cities:
                by_country[city_country[c]].add(c)
            for group in by_country.values():
                if len(group) >= 2:
                    self.domestic.update(group)


def _cities(G: nx.MultiDiGraph, code: str | None) -> dict[Any, str]:
    """City id -> its country, for the cities with a country (of `code` only, if given)."""
    out: dict[Any, str] = {}
    for n, d in G.nodes(data=True):
        c = norm_country(d.get("country")) if d.get("kind") == "city" else None
        if c is not None and (code is None or c == code):
            out[n] = c
    return out


def _ratios(city_country: dict[Any, str], links: _CityLinks) -> dict[str, dict[str, Any]]:
    per_country: dict[str, list[Any]] = defaultdict(list)
    for c, cc in city_country.items():
        per_country[cc].append(c)
    pairs_per_country: Counter[str] = Counter(city_country[a] for a, _b in links.domestic_pairs)

    def share(cities: list[Any], flagged: set[Any]) -> float:
        return round(sum(1 for c in cities if c in flagged) / len(cities), _SHARE_PRECISION)

    out: dict[str, dict[str, Any]] = {}
    for cc in sorted(per_country):
        cities = per_country[cc]
        n = len(cities)
        possible = n * (n - 1) // 2
        out[cc] = {
            "cities": n,
            "share_with_national_link": share(cities, links.national),
            "share_with_domestic_city_link": share(cities, links.domestic),
            "city_density": round(pairs_per_country[cc] / possible, PRECISION)
            if possible
            else None,
            "cso_engagement": share(cities, links.cso),
            "private_engagement": share(cities, links.private),
        }
    return out


def coverage(G: nx.MultiDiGraph, country: str | None = None) -> dict[str, dict[str, Any]]:
    """Per-country vertical and horizontal coverage ratios of the cities (module docstring).

    Keys are the upper-case country codes (only `country`'s, if given), sorted.
    """
    city_country = _cities(G, norm_country(country))
    links = _CityLinks()
    for c, cc in city_country.items():
        links.read_city(G, c, cc)
    links.add_shared_initiatives(city_country)
    return _ratios(city_country, links)
