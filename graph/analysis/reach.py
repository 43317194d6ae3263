"""How far a change can reach into the findings of one gap type (incremental analysis).

Every gap type declares in its registration (`@gap_type(reach=...)`) what a finding
of it can depend on beyond its subject:

* the subject's **neighbourhood** up to `radius` hops: any relationship, of any
  status, in either direction, and an actor's `city` property (an actor naming a
  city is as close to it as one LOCATED_IN it); beyond the first hop, only through
  nodes of the kinds or families in `through` (None: any), e.g. a city's findings
  read the other cities of the initiatives it takes part in, but nothing about its
  partners' partners abroad;
* the **candidate pools of the subject's country** (cities, national bodies,
  frameworks, providers... of that country, ranked by name and themes): any node of
  that country;
* **international pools** (`international`): nodes without a country or with level
  international, which every country's suggestions may name (international
  providers, resources without a country);
* **networks** (`networks`): the fellow members of the subject's networks, and a
  ranking over every network of the graph (the networks cities are members of, most
  city members first) that only a city with no peer at all reads;
* **the whole graph** (`whole`): nothing narrower is known.

From these, `scope` turns the ids a write touched (`Change.touched_ids`) into the
findings of the type that can change (`Targets`):

* the findings about a **subject within reach**: every node within `radius` hops of
  a touched node (the later hops through `through` nodes) in the graph before or
  after the write;
* every finding about the **country of a touched node**, before or after the write
  (None stands for "no country"): a candidate pool is a list of nodes of one
  country chosen and ordered by their own attributes and relationships, so only a
  touched node can join, leave or move in one, and it is in its own country's.

For a type whose subjects are countries (`horizontal.unlinked_countries`: pairs of
countries whose cities share a network), the targets are every finding about a
country of a city within reach: only cities, their networks, links and initiatives
make a pair, and a touched network or initiative has its cities within one hop. For a type that
reads networks, a change touching a network or a member of one also targets the
members of those networks and every city alone in its country (or with none), the
only ones that can read the ranking of all networks. A change that reaches an
international node (for types that read them), or a type declared `whole`, has no
narrower scope: the type is computed again in full (`scope` returns None).

A finding belongs to the countries `graph.analysis.gaps.countries_of` gives it (its
country, or both countries of a pair); one with none belongs to None. Findings that
are not targets are kept from the previous generation; targets are computed again.
The detectors skip subjects that are not targets (`GapIndex.wants`) before doing any
work for them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import networkx as nx

from graph import predicates, schema

if TYPE_CHECKING:
    from graph.analysis.gaps_index import GapIndex

_INTERNATIONAL = schema.Level.INTERNATIONAL.value


@dataclass(frozen=True)
class Reach:
    """What a finding of one gap type depends on (see the module docstring)."""

    radius: int = 2
    international: bool = True
    networks: bool = False
    #: Reads the cities of the subject's country nearest to it (any of them, by
    #: coordinates, not only the first of a pool).
    nearest: bool = False
    whole: bool = False
    #: Kinds or families ("actor", "initiative") a path may pass beyond its first hop.
    through: frozenset[str] | None = None


#: The reach of a type that declares none: unsure, so every change recomputes it.
WHOLE = Reach(whole=True)


@dataclass(frozen=True)
class Targets:
    """The findings of one type a change can alter: those about one of `subjects`, and
    every finding about one of `countries` (None: findings with no country)."""

    subjects: frozenset[str]
    countries: frozenset[str | None]

    def wants(self, subjects: Iterable[str], countries: Sequence[str | None]) -> bool:
        """Is a finding about these subjects and countries (none: it has no country) one
        of the targets? Set operations only: an update asks it of every previous finding
        (`graph.analysis.filed_findings`)."""
        if (not self.countries.isdisjoint(countries)) if countries else (None in self.countries):
            return True
        return not self.subjects.isdisjoint(subjects)


#: The findings of a type a change can alter, or None for "every one".
Scope = Targets | None


def is_international(d: Mapping[str, Any]) -> bool:
    """A node every country's suggestions may name: no country, or level international."""
    return predicates.node_country(d) is None or d.get("level") == _INTERNATIONAL


def _is_in_a_network(G: nx.MultiDiGraph, n: str) -> bool:
    """Is `n` a network, or a member of one (a MEMBER_OF either way, any status)?"""
    if n not in G:
        return False
    return any("MEMBER_OF" in keys for keys in G._succ[n].values()) or any(
        "MEMBER_OF" in keys for keys in G._pred[n].values()
    )


#: Does a touched node leave every read of its country's pools as it was (see
#: `graph.analysis.pool_window`)?
Settled = Callable[[str], bool]


def _is_located_city(d: Mapping[str, Any]) -> bool:
    return d.get("kind") == "city" and d.get("lat") is not None and d.get("lon") is not None


class Change:
    """A write between two projections, seen from the touched ids; `settled` tells the
    touched nodes whose countries' pools the write leaves as they were (none if not
    given)."""

    def __init__(
        self,
        before: nx.MultiDiGraph,
        after: nx.MultiDiGraph,
        touched: Iterable[str],
        settled: Settled | None = None,
        indexes: tuple[GapIndex, GapIndex] | None = None,
    ):
        self.graphs = (before, after)
        self.touched = frozenset(touched)
        self._settled = {n for n in self.touched if settled is not None and settled(n)}
        #: The gap indexes of both graphs, when known: they hold the actors naming each
        #: city and the cities of each country, which otherwise take a scan of every node.
        self._indexes = indexes
        self._named_by: Sequence[Mapping[str, Iterable[str]]] | None = None
        self._balls: dict[tuple[int, frozenset[str] | None], set[str]] = {}

    def _versions(self, n: str) -> Iterator[Mapping[str, Any]]:
        for G in self.graphs:
            if n in G:
                yield G._node[n]

    def reaches_international(self) -> bool:
        """Is a touched node international before or after the write?"""
        return any(is_international(d) for n in self.touched for d in self._versions(n))

    def reaches_networks(self) -> bool:
        """Is a touched node a network or a member of one, before or after the write?"""
        return any(_is_in_a_network(G, n) for n in self.touched for G in self.graphs)

    def _cities_named(self) -> Sequence[Mapping[str, Iterable[str]]]:
        """Per graph: city id -> the actors naming it in their `city` property."""
        if self._named_by is None and self._indexes is not None:
            self._named_by = [idx.naming for idx in self._indexes]
        if self._named_by is None:
            self._named_by = []
            for G in self.graphs:
                named: dict[str, list[str]] = {}
                for n, d in G._node.items():
                    city = d.get("city")
                    if city:
                        named.setdefault(str(city), []).append(n)
                self._named_by.append(named)
        return self._named_by

    def _neighbours(self, n: str) -> Iterator[str]:
        for G, named in zip(self.graphs, self._cities_named(), strict=True):
            if n in G:
                yield from G._succ[n]
                yield from G._pred[n]
                city = G._node[n].get("city")
                if city:
                    yield str(city)
            yield from named.get(n, ())

    def _passes(self, n: str, through: frozenset[str] | None) -> bool:
        """May a path go on beyond node `n` (its kind or family, in either graph)?"""
        if through is None:
            return True
        return any(
            d.get("kind") in through or d.get("family") in through for d in self._versions(n)
        )

    def ball(self, radius: int, through: frozenset[str] | None = None) -> set[str]:
        """The touched ids and every node within `radius` hops of one, in either graph,
        the hops after the first only from nodes `through` lets pass."""
        key = (radius, through)
        if key not in self._balls:
            seen = set(self.touched)
            frontier = set(self.touched)
            for hop in range(radius):
                if hop:
                    frontier = {n for n in frontier if self._passes(n, through)}
                frontier = {m for n in frontier for m in self._neighbours(n)} - seen
                seen |= frontier
            self._balls[key] = seen
        return self._balls[key]

    def pool_countries(self, reach: Reach) -> frozenset[str | None]:
        """The countries of the touched nodes that can change a pool a type with this
        reach reads: all but the settled ones; a settled city with coordinates still
        moves among its compatriots' nearest cities."""
        moving = self.touched - self._settled
        if reach.nearest:
            moving |= {n for n in self._settled if any(map(_is_located_city, self._versions(n)))}
        return self.countries(moving)

    def _cities(self, ids: Iterable[str]) -> Iterator[str]:
        """The cities among `ids` (before or after the write)."""
        for n in ids:
            if any(d.get("kind") == "city" for d in self._versions(n)):
                yield n

    def countries(self, ids: Iterable[str]) -> frozenset[str | None]:
        """The countries of these nodes, before and after the write."""
        return frozenset(predicates.node_country(d) for n in ids for d in self._versions(n))

    def scope(self, reach: Reach, *, country_subjects: bool = False) -> Scope:
        """The findings of a type with this reach the change can alter (None: all): those
        of the subjects within its reach of a touched node, and every finding of a
        touched node's country (whose candidate pools the touched node may be in). For a
        type whose subjects are countries (pairs whose cities share a network), every
        finding of the countries of the cities within reach."""
        if reach.whole:
            return None
        if reach.international and self.reaches_international():
            return None
        ball = self.ball(reach.radius, reach.through)
        if country_subjects:
            return Targets(frozenset(), self.countries(self._cities(ball)))
        if reach.networks and self.reaches_networks():
            ball = ball | self._network_fellows() | self._lone_cities()
        return Targets(frozenset(ball), self.pool_countries(reach))

    def _network_fellows(self) -> set[str]:
        """Every member of a touched network or of a network a touched node is a member
        of, in either graph: the fellow members a finding may name."""
        out: set[str] = set()
        for G in self.graphs:
            for n in self.touched:
                if n not in G:
                    continue
                nets = {n} | {m for m, keys in G._succ[n].items() if "MEMBER_OF" in keys}
                for net in nets:
                    out.update(m for m, keys in G._pred[net].items() if "MEMBER_OF" in keys)
        return out

    def _lone_cities(self) -> set[str]:
        """The cities with no other city in their country (or with no country), in
        either graph: only they can lack every peer and read the ranking of all networks."""
        out: set[str] = set()
        for i, G in enumerate(self.graphs):
            by_country: Mapping[str | None, Sequence[str]]
            if self._indexes is not None:
                by_country = self._indexes[i].cities_by_country
            else:
                by_country = self._cities_by_country(G)
            for cc, cities in by_country.items():
                if cc is None or len(cities) == 1:
                    out.update(cities)
        return out

    @staticmethod
    def _cities_by_country(G: nx.MultiDiGraph) -> dict[str | None, list[str]]:
        by_country: dict[str | None, list[str]] = {}
        for n, d in G._node.items():
            if d.get("kind") == "city":
                by_country.setdefault(predicates.node_country(d), []).append(n)
        return by_country


def in_scope(subjects: Iterable[str], countries: Sequence[str | None], scope: Scope) -> bool:
    """Does a finding about `subjects` and `countries` (none: it has no country) fall in
    `scope`?"""
    return scope is None or scope.wants(subjects, countries)
