"""Indexes shared by the gap detectors, built in one pass over the graph.

`GapIndex(G)` reads the projection (`graph.projection`) once: every node and
every relationship is visited a constant number of times, and the detectors
then answer their questions from per-actor, per-city and per-country lookups
instead of scanning the graph per city. That keeps `find_gaps` linear-ish in
the size of the graph (the twin-cities network: 17,717 cities, 25,917
twinnings).

Status rules (docs/gaps.md, "Status"): a relationship is *current* when it is
`active` and neither end is an initiative that is not `active`. One that is
`proposed` or `planned`, or joins a proposed or planned initiative, is kept
aside as a `Link` so a finding can say that a proposed or planned link would
close it. One that is `ended`, or joins an `ended` initiative, is *history*:
it makes no current link, and is kept in `past_in` / `past_out` so a finding
can mention it ("last met at ... (ended)"), with one exception: a past
evaluation (an ended EVALUATES, or one from an ended evaluation) still
evaluates its program. A mix of ended and pending (a plan to join something
that has ended), or an unknown status, is ignored.

The rules about one node (national framework, local actor, government body,
country and theme spelling) are `graph.predicates`; the sentences the index
helps build (lists of names, the planned-link mitigation) use
`graph.analysis.wording`.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graph import predicates, schema
from graph.analysis.reach import Targets
from graph.analysis.wording import NAME_LIMIT, join_words, link_text, mitigation_text

ACTIVE = schema.Status.ACTIVE.value
PLANNED = schema.Status.PLANNED.value
PROPOSED = schema.Status.PROPOSED.value
ENDED = schema.Status.ENDED.value
_STATUSES = frozenset(schema.Status)
#: The weaker of two pending statuses names a link that is both (proposed < planned).
_PENDING_RANK = {PROPOSED: 0, PLANNED: 1}
#: Pending statuses in the order a mitigation lists them (committed ones first).
PENDING_ORDER = (PLANNED, PROPOSED)
#: Relationship types by which an actor took part in an ended initiative.
_MET_TYPES = tuple(sorted(schema.PARTICIPATION_TYPES))

#: How many members of one candidate pool are scored when ranking candidates;
#: bounds the work per finding on very large graphs (pools are name-sorted, so
#: the choice stays deterministic).
POOL_CAP = 32

_PART_TYPES = schema.PARTICIPATION_TYPES


@dataclass(frozen=True, order=True)
class Link:
    """A relationship that is not active yet: proposed or planned, or to a proposed or
    planned initiative."""

    source: str
    type: str
    target: str
    why: str  # "planned" | "proposed" | "planned initiative" | "proposed initiative"

    @property
    def status(self) -> str:
        """`planned` or `proposed`: what the link waits on."""
        return self.why.split()[0]


def _edges(G: nx.MultiDiGraph) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """(source, target, key, attributes) of every edge, as `G.edges(keys=True, data=True)`."""
    for u, nbrs in G._succ.items():
        for v, keys in nbrs.items():
            for k, d in keys.items():
                yield u, v, k, d


#: The key of a pool that is a whole attribute (a list), not an entry of one.
WHOLE_LIST = None

#: The attributes of `GapIndex` that are pools of nodes chosen by their own attributes
#: (`GapIndex.pools_of`): a list, or a dict of lists, ordered by `GapIndex.pool_order`.
POOLS = (
    "cities",
    "cities_by_country",
    "by_kind_country",
    "by_kind_country_theme",
    "local_by_country",
    "national_frameworks",
    "initiatives_by_country_theme",
    "initiatives_by_kind",
    "evaluations",
)


def pool_list(idx: GapIndex, attr: str, key: Any) -> list[str]:
    """The list of pool `attr` under `key` (made when missing)."""
    pools = getattr(idx, attr)
    return pools if isinstance(pools, list) else pools[key]  # type: ignore[no-any-return]


class GapIndex:
    """Lookups over one projected graph (see the module docstring)."""

    def __init__(self, G: nx.MultiDiGraph) -> None:
        # The graph itself is not kept: an index outlives nothing it would need it for,
        # and holding no reference lets one be remembered per graph (weakly, by graph;
        # `graph.analysis.index_patch`) without keeping the graph alive.
        self.fresh_state()
        self.nodes: dict[str, dict[str, Any]] = {}
        self.cities: list[str] = []
        self.cities_by_country: dict[str | None, list[str]] = defaultdict(list)
        #: (kind, country) -> actor ids, id-sorted.
        self.by_kind_country: dict[tuple[str, str | None], list[str]] = defaultdict(list)
        #: (kind, country, theme) -> actor ids, id-sorted.
        self.by_kind_country_theme: dict[tuple[str, str | None, str], list[str]] = defaultdict(list)
        #: country -> actors with level local, id-sorted.
        self.local_by_country: dict[str | None, list[str]] = defaultdict(list)
        #: country -> active national frameworks, id-sorted.
        self.national_frameworks: dict[str, list[str]] = defaultdict(list)
        #: (country, theme) -> active initiatives of that country addressing the theme.
        self.initiatives_by_country_theme: dict[tuple[str | None, str], list[str]] = defaultdict(
            list
        )
        #: kind -> active initiatives of that kind, id-sorted.
        self.initiatives_by_kind: dict[str, list[str]] = defaultdict(list)
        self.themes: dict[str, frozenset[str]] = {}
        #: city -> its local actors (city attribute or active LOCATED_IN), not itself.
        self.local_actors: dict[str, set[str]] = defaultdict(set)
        #: actor -> the cities it is a local actor of (the inverse of local_actors).
        self.home_cities: dict[str, set[str]] = defaultdict(set)

        # actor <-> actor relationships (not LOCATED_IN / MEMBER_OF), undirected
        self.rel: dict[str, set[str]] = defaultdict(set)
        self.rel_planned: dict[str, dict[str, list[Link]]] = defaultdict(lambda: defaultdict(list))
        # city <-> city horizontal links (HORIZONTAL_LINK_TYPES), undirected
        self.city_links: dict[str, set[str]] = defaultdict(set)
        self.city_links_planned: dict[str, dict[str, list[Link]]] = defaultdict(
            lambda: defaultdict(list)
        )
        # networks
        self.members: dict[str, set[str]] = defaultdict(set)
        self.networks_of: dict[str, set[str]] = defaultdict(set)
        # initiatives: RUNS / PARTICIPATES_IN
        self.part: dict[str, set[str]] = defaultdict(set)
        self.participants: dict[str, set[str]] = defaultdict(set)
        self.part_planned: dict[str, dict[str, Link]] = defaultdict(dict)
        self.participants_planned: dict[str, dict[str, Link]] = defaultdict(dict)
        self.runs: dict[str, set[str]] = defaultdict(set)
        self.runners: dict[str, set[str]] = defaultdict(set)
        # CONTRIBUTES_TO / IMPLEMENTS
        self.contrib_in: dict[str, set[str]] = defaultdict(set)
        self.contrib_out: dict[str, set[str]] = defaultdict(set)
        self.contrib_planned_in: dict[str, list[Link]] = defaultdict(list)
        self.contrib_planned_out: dict[str, list[Link]] = defaultdict(list)
        self.impl_in: dict[str, set[str]] = defaultdict(set)
        self.impl_out: dict[str, set[str]] = defaultdict(set)
        self.impl_planned_in: dict[str, list[Link]] = defaultdict(list)
        self.impl_planned_out: dict[str, list[Link]] = defaultdict(list)
        # FUNDS / SUPPORTS_CAPACITY (incoming by target; providers by source)
        self.funds_in: dict[str, set[str]] = defaultdict(set)
        self.funds_planned_in: dict[str, list[Link]] = defaultdict(list)
        self.capacity_in: dict[str, set[str]] = defaultdict(set)
        self.capacity_planned_in: dict[str, list[Link]] = defaultdict(list)
        self.funders: set[str] = set()
        self.capacity_providers: set[str] = set()
        # EVALUATES
        self.evaluated_by: dict[str, set[str]] = defaultdict(set)
        self.evaluates: dict[str, set[str]] = defaultdict(set)
        self.evaluated_planned: dict[str, list[Link]] = defaultdict(list)
        #: Active or ended evaluations (a completed evaluation still exists), id-sorted.
        self.evaluations: list[str] = []
        # history: ended relationships and relationships to ended initiatives, by type
        self.past_out: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        self.past_in: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        #: city id -> the actors whose `city` property names it (a city or not).
        self.naming: dict[str, set[str]] = defaultdict(set)

        self._read_nodes(G)
        self._read_edges(G)
        self._finish()

    # -- building ---------------------------------------------------------

    def _read_nodes(self, G: nx.MultiDiGraph) -> None:
        self.kinds: dict[str, str | None] = {}
        self.countries: dict[str, str | None] = {}
        self.names_: dict[str, str] = {}
        for n, d in G._node.items():
            self.read_facts(n, d)
            for attr, key in self.pools_of(n, d):
                pool_list(self, attr, key).append(n)
            city = self.named_city(d)
            if city:
                self.naming[city].add(n)
        for c, actors in self.naming.items():
            if self.kind(c) == "city":
                self.local_actors[c].update(actors)
                for a in actors:
                    self.home_cities[a].add(c)

    def read_facts(self, n: str, d: dict[str, Any]) -> None:
        """The facts about node `n` read from its own attributes `d`."""
        self.nodes[n] = d
        self.kinds[n] = d.get("kind")
        self.countries[n] = predicates.node_country(d)
        self.names_[n] = str(d.get("name") or n)
        self.themes[n] = predicates.node_themes(d)

    @staticmethod
    def named_city(d: dict[str, Any]) -> str | None:
        """The city an actor names in its `city` property (None for an initiative)."""
        return predicates.actor_city(d) if d.get("family") == schema.ACTOR else None

    def pools_of(self, n: str, d: dict[str, Any]) -> Iterator[tuple[str, Any]]:
        """The pools node `n` (attributes `d`, facts read) is a member of, as (attribute,
        key); key `WHOLE_LIST` for a pool that is the attribute itself. Only active
        initiatives are pools and subjects; evaluations also when ended."""
        kind, cc, themes = self.kinds[n], self.countries[n], self.themes[n]
        family = d.get("family")
        if family == schema.ACTOR:
            if kind == "city":
                yield "cities", WHOLE_LIST
                yield "cities_by_country", cc
            yield "by_kind_country", (kind, cc)
            for t in themes:
                yield "by_kind_country_theme", (kind, cc, t)
            if predicates.is_local_actor(d):
                yield "local_by_country", cc
        elif family == schema.INITIATIVE:
            status = predicates.status_of(d)
            if kind == "evaluation" and status in (ACTIVE, ENDED):
                yield "evaluations", WHOLE_LIST
            if status != ACTIVE:
                return
            yield "initiatives_by_kind", kind
            if predicates.is_national_framework(d):
                yield "national_frameworks", cc
            for t in themes:
                yield "initiatives_by_country_theme", (cc, t)

    def _status(self, d: dict[str, Any], u: str, v: str) -> str | None:
        """How a relationship stands (see the module docstring): 'active', 'ended'
        (history), a pending reason ('planned', 'proposed', 'planned initiative',
        'proposed initiative': the weaker status wins, the relationship's on a tie),
        or None (ignored)."""
        st = predicates.status_of(d)
        if st not in _STATUSES:
            return None
        if u not in self._held_ends and v not in self._held_ends:
            return st  # no initiative that is not active at either end: its own status
        ended = st == ENDED
        why = st if st in _PENDING_RANK else None
        for n in (u, v):
            nd = self.nodes[n]
            if nd.get("family") != schema.INITIATIVE:
                continue
            ns = predicates.status_of(nd)
            if ns not in _STATUSES:
                return None
            if ns == ENDED:
                ended = True
            elif ns in _PENDING_RANK and (
                why is None or _PENDING_RANK[ns] < _PENDING_RANK[why.split()[0]]
            ):
                why = f"{ns} initiative"
        if ended:
            return None if why else ENDED
        return why or ACTIVE

    def _read_edges(self, G: nx.MultiDiGraph) -> None:
        """Every relationship, walking networkx's adjacency dicts in `G.edges` order
        (its edge view costs about as much again per edge on a million of them).

        The ends' families are looked up once per pair of nodes, not per relationship.
        An active initiative changes nothing in a relationship's status, so one with no
        initiative that is not active at either end, and no status or `active` (most of
        them), is read as active without working out `_status`."""
        families = {n: d.get("family") for n, d in self.nodes.items()}
        #: The initiatives that are not active: only those change a relationship's status.
        self._held_ends = {
            n
            for n, f in families.items()
            if f == schema.INITIATIVE and predicates.status_of(self.nodes[n]) != ACTIVE
        }
        self._city_ends = {n for n, k in self.kinds.items() if k == "city"}
        held, actor, read = self._held_ends, schema.ACTOR, self._read_edge
        for u, nbrs in G._succ.items():
            from_actor = families[u] == actor
            from_held = u in held
            for v, keys in nbrs.items():
                if u == v:
                    continue
                to_actor = families[v] == actor
                plain = not from_held and v not in held
                for key, d in keys.items():
                    st = d.get("status")
                    if plain and (not st or st == ACTIVE):
                        st = ACTIVE  # the relationship's own status is all that counts
                    else:
                        st = self._status(d, u, v)
                        if st is None:
                            continue
                    read(u, v, d.get("type") or key, st, from_actor, to_actor)

    def _read_edge(
        self, u: str, v: str, typ: str, st: str, from_actor: bool, to_actor: bool
    ) -> None:
        """One relationship of status `st` (`_status`, never None) into the entries of
        its ends."""
        if st == ENDED:
            self.past_out[typ][u].add(v)
            self.past_in[typ][v].add(u)
            if typ != "EVALUATES":
                return  # history: no current link
            st = ACTIVE  # a completed evaluation still evaluates its program
        active = st == ACTIVE
        link = None if active else Link(u, typ, v, st)
        if from_actor and to_actor and not self._read_actor_link(u, v, typ, active, link):
            return  # membership and location are not partnerships
        if typ in _PART_TYPES and from_actor:
            self._read_participation(u, v, typ, active, link)
        else:
            self._read_support(u, v, typ, active, link)

    def _read_actor_link(self, u: str, v: str, typ: str, active: bool, link: Link | None) -> bool:
        """Record an actor-actor link; False for MEMBER_OF and LOCATED_IN, which make no
        relationship between the two actors."""
        if typ == "MEMBER_OF":
            if active:
                self.members[v].add(u)
                self.networks_of[u].add(v)
            return False
        if typ == "LOCATED_IN":
            if active and v in self._city_ends:
                self.local_actors[v].add(u)
                self.home_cities[u].add(v)
            return False
        self._pair(active, link, u, v, self.rel, self.rel_planned)
        cities = self._city_ends
        if typ in schema.HORIZONTAL_LINK_TYPES and u in cities and v in cities:
            self._pair(active, link, u, v, self.city_links, self.city_links_planned)
        return True

    @staticmethod
    def _pair(
        active: bool,
        link: Link | None,
        u: str,
        v: str,
        links: dict[str, set[str]],
        planned: dict[str, dict[str, list[Link]]],
    ) -> None:
        """A link read without direction: each end knows the other."""
        if active:
            links[u].add(v)
            links[v].add(u)
        else:
            planned[u][v].append(link)
            planned[v][u].append(link)

    def _read_participation(
        self, u: str, v: str, typ: str, active: bool, link: Link | None
    ) -> None:
        """RUNS and PARTICIPATES_IN: an actor takes part in an initiative."""
        if active:
            self.part[u].add(v)
            self.participants[v].add(u)
            if typ == "RUNS":
                self.runs[u].add(v)
                self.runners[v].add(u)
        else:
            self.part_planned[u].setdefault(v, link)
            self.participants_planned[v].setdefault(u, link)

    def _read_support(self, u: str, v: str, typ: str, active: bool, link: Link | None) -> None:
        """Commitments (CONTRIBUTES_TO, IMPLEMENTS), funding, capacity and evaluation."""
        if typ == "CONTRIBUTES_TO":
            self._add(
                active,
                link,
                u,
                v,
                self.contrib_out,
                self.contrib_in,
                self.contrib_planned_out,
                self.contrib_planned_in,
            )
        elif typ == "IMPLEMENTS":
            self._add(
                active,
                link,
                u,
                v,
                self.impl_out,
                self.impl_in,
                self.impl_planned_out,
                self.impl_planned_in,
            )
        elif typ == "FUNDS":
            if active:
                self.funds_in[v].add(u)
                self.funders.add(u)
            else:
                self.funds_planned_in[v].append(link)
        elif typ == "SUPPORTS_CAPACITY":
            if active:
                self.capacity_in[v].add(u)
                self.capacity_providers.add(u)
            else:
                self.capacity_planned_in[v].append(link)
        elif typ == "EVALUATES":
            if active:
                self.evaluated_by[v].add(u)
                self.evaluates[u].add(v)
            else:
                self.evaluated_planned[v].append(link)

    @staticmethod
    def _add(
        active: bool,
        link: Link | None,
        u: str,
        v: str,
        out: dict[str, set[str]],
        in_: dict[str, set[str]],
        planned_out: dict[str, list[Link]],
        planned_in: dict[str, list[Link]],
    ) -> None:
        if active:
            out[u].add(v)
            in_[v].add(u)
        else:
            planned_out[u].append(link)
            planned_in[v].append(link)

    def _finish(self) -> None:
        del self._held_ends, self._city_ends
        for attr in POOLS:
            key = self.pool_order(attr)
            pools = getattr(self, attr)
            for lst in [pools] if isinstance(pools, list) else pools.values():
                lst.sort(key=key)
        # city participation in active initiatives, counted per country, so that
        # "shares an initiative with a (domestic) city" needs no city pairs.
        self.init_city_countries: dict[str, Counter[str | None]] = {}
        for i in self.participants:
            self.count_city_countries(i)
        self.clear_caches()

    def pool_order(self, attr: str) -> Callable[[str], Any]:
        """How a pool is ordered: cities by id (detectors walk them in id order), every
        candidate pool by name (the first members are the ones to name)."""
        return str if attr == "cities" else self.name_key

    def count_city_countries(self, i: str) -> None:
        """`init_city_countries[i]` from the participants of initiative `i`."""
        cnt = Counter(
            self.country(a) for a in self.participants.get(i, ()) if self.kind(a) == "city"
        )
        if cnt:
            self.init_city_countries[i] = cnt
        else:
            self.init_city_countries.pop(i, None)

    def clear_caches(self) -> None:
        """Forget what the detectors worked out lazily (sorted members, past cities,
        coordinates per country)."""
        self._members_sorted: dict[str, list[str]] = {}
        self._past_cities: dict[str, list[str]] = {}
        self._geo: dict[str | None, tuple[list[str], Any, Any]] = {}
        #: provider set function -> its members, and their pools, as worked out once.
        self._provider_sets: dict[ProviderSet, set[str]] = {}
        self._provider_pools: dict[ProviderSet, ProviderPools] = {}

    def provider_set(self, members: ProviderSet) -> set[str]:
        """The members of a provider set in this index, worked out once per index: the
        detectors and the incremental analysis's windows (`graph.analysis.pool_window`)
        all read it. Never changed by a reader."""
        if members not in self._provider_sets:
            self._provider_sets[members] = members.of(self)
        return self._provider_sets[members]

    def provider_pools(self, members: ProviderSet) -> ProviderPools:
        """The `ProviderPools` of a provider set, made once per index."""
        if members not in self._provider_pools:
            self._provider_pools[members] = ProviderPools(self, self.provider_set(members))
        return self._provider_pools[members]

    def fresh_state(self) -> None:
        """Reset what one run of the detectors sets on the index."""
        #: The findings wanted (None: all; see `wants`).
        self.scope: Targets | None = None

    def wants(self, cc: str | None, *subjects: str) -> bool:
        """Is a finding about country `cc` (None: no country) and these subjects wanted?
        An incremental run (`graph.analysis.incremental`) sets `scope` to the findings a
        write can have changed (`graph.analysis.reach.Targets`); a detector skips the
        others before doing any work for them."""
        s = self.scope  # a check per subject of every detector: kept cheap
        return s is None or cc in s.countries or any(x in s.subjects for x in subjects)

    def wanted_cities(self) -> Sequence[str]:
        """The cities a finding about which (its subject, of its country) may be wanted,
        in id order: `cities`, or in an incremental run only those of the scope's
        countries and subjects, so a detector need not check every city."""
        s = self.scope
        if s is None:
            return self.cities
        found = {c for cc in s.countries for c in self.cities_by_country.get(cc, ())}
        found.update(x for x in s.subjects if self._is_actor_of_kind(x, "city"))
        return sorted(found)

    def wanted_actors(self, kind: str) -> list[str]:
        """The actors of `kind` a finding about which (its subject, of its country) may be
        wanted, in id order (see `wanted_cities`)."""
        s = self.scope
        if s is None:
            return sorted(
                a for (k, _), ids in self.by_kind_country.items() if k == kind for a in ids
            )
        found = {a for cc in s.countries for a in self.by_kind_country.get((kind, cc), ())}
        found.update(x for x in s.subjects if self._is_actor_of_kind(x, kind))
        return sorted(found)

    def _is_actor_of_kind(self, n: str, kind: str) -> bool:
        return self.kinds.get(n) == kind and self.nodes[n].get("family") == schema.ACTOR

    def wanted_countries(self) -> frozenset[str | None] | None:
        """The countries whose every finding is wanted (None: all), for a detector
        whose subjects are countries."""
        return None if self.scope is None else self.scope.countries

    # -- node facts -------------------------------------------------------

    def name_key(self, n: str) -> tuple[str, str]:
        return (self.names_.get(n) or n, n)

    def by_name(self, ids: Iterable[str]) -> list[str]:
        """The ids ordered by name (then id): the order candidate pools use."""
        return sorted(ids, key=self.name_key)

    def kind(self, n: str) -> str | None:
        return self.kinds.get(n)

    def country(self, n: str) -> str | None:
        return self.countries.get(n)

    def name(self, n: str) -> str:
        return self.names_.get(n) or n

    def level(self, n: str) -> str | None:
        return self.nodes[n].get("level")

    def is_grassroots(self, n: str) -> bool:
        return predicates.is_grassroots(self.nodes[n])

    def is_national_framework(self, n: str) -> bool:
        return predicates.is_national_framework(self.nodes[n])

    def is_government_body(self, n: str) -> bool:
        return predicates.is_government_body(self.nodes[n])

    def is_local_actor_of(self, a: str, cc: str | None) -> bool:
        """Is `a` a local actor of country `cc`? Never for an unknown country."""
        return cc is not None and predicates.is_local_actor(self.nodes[a], cc)

    def initiative_country(self, i: str) -> str | None:
        """The initiative's country; if unset, the one country all its runners share."""
        cc = self.country(i)
        if cc:
            return cc
        found = {self.country(a) for a in self.runners.get(i, ())}
        found.discard(None)
        return found.pop() if len(found) == 1 else None

    def members_sorted(self, network: str) -> list[str]:
        if network not in self._members_sorted:
            self._members_sorted[network] = self.by_name(self.members.get(network, ()))
        return self._members_sorted[network]

    # -- city-to-city links -------------------------------------------------

    def city_initiatives(self, c: str) -> Iterator[str]:
        """Active initiatives the city runs or takes part in with at least one other city."""
        for i in self.part.get(c, ()):
            cnt = self.init_city_countries.get(i)
            if cnt and sum(cnt.values()) >= 2:
                yield i

    def has_city_link(self, c: str) -> bool:
        return bool(self.city_links.get(c)) or next(self.city_initiatives(c), None) is not None

    def has_city_link_in(self, c: str, cc: str | None) -> bool:
        """Does city `c` have an active link to another city whose country is `cc`?"""
        if any(self.country(d) == cc for d in self.city_links.get(c, ())):
            return True
        own = 1 if self.country(c) == cc else 0
        return any(self.init_city_countries[i].get(cc, 0) > own for i in self.city_initiatives(c))

    def linked_cities(self, c: str, limit: int = NAME_LIMIT) -> tuple[list[str], int]:
        """Up to `limit` cities `c` is linked to (direct links first, by name), and a count.

        The count is exact for direct links; cities met through shared initiatives
        are only added (and counted) while there is room.
        """
        direct = self.by_name(self.city_links.get(c, ()))
        out = direct[:limit]
        extra = 0
        if len(out) < limit:
            seen = {c, *out}
            for i in sorted(self.city_initiatives(c)):
                for d in self.by_name(self.participants[i]):
                    if len(out) >= limit:
                        break
                    if d not in seen and self.kind(d) == "city":
                        seen.add(d)
                        out.append(d)
                        extra += 1
        return out, len(direct) + extra

    def planned_city_links(self, c: str, accept: Callable[[str], bool]) -> list[Link]:
        """Proposed or planned links (direct, or a shared initiative) from city `c` to
        cities `accept`s."""
        links: list[Link] = []
        if c not in self.city_links_planned and c not in self.part_planned and not self.part.get(c):
            return links
        for d, ls in self.city_links_planned.get(c, {}).items():
            if accept(d):
                links.extend(ls)
        inits = set(self.part.get(c, ())) | set(self.part_planned.get(c, {}))
        for i in sorted(inits):
            mine = self.part_planned.get(c, {}).get(i)
            others = [
                d
                for d in (*self.participants.get(i, ()), *self.participants_planned.get(i, {}))
                if d != c and self.kind(d) == "city" and accept(d)
            ]
            for d in sorted(set(others)):
                theirs = self.participants_planned.get(i, {}).get(d)
                links.extend(x for x in (mine, theirs) if x is not None)
                if len(links) > 3 * NAME_LIMIT:
                    break
        return sorted(set(links))

    # -- history -----------------------------------------------------------

    def past(self, typ: str, n: str, *, incoming: bool = False) -> set[str]:
        """The other ends of `n`'s ended `typ` relationships (or ones to ended initiatives)."""
        side = self.past_in if incoming else self.past_out
        return side.get(typ, {}).get(n, set())

    def last_met(self, c: str, accept: Callable[[str], bool]) -> tuple[str, list[str]] | None:
        """The latest ended initiative at which city `c` met cities `accept`s, and those
        cities (by name); None if there is none. Latest is by `end`, then `start`, then
        name; an ended initiative makes no current link, but it says who has met."""
        found = None
        for i in {i for t in _MET_TYPES for i in self.past(t, c)}:
            if not predicates.is_ended(self.nodes[i]):
                continue  # c left an initiative that goes on: not a meeting place
            met = [d for d in self._past_cities_of(i) if d != c and accept(d)]
            if met:
                d = self.nodes[i]
                key = (str(d.get("end") or ""), str(d.get("start") or ""), self.name_key(i))
                if found is None or key > found[0]:
                    found = (key, i, met)
        return None if found is None else (found[1], found[2])

    def _past_cities_of(self, i: str) -> list[str]:
        """The cities that took part in the ended initiative `i`, by name."""
        if i not in self._past_cities:
            people = {a for t in _MET_TYPES for a in self.past(t, i, incoming=True)}
            self._past_cities[i] = self.by_name(a for a in people if self.kind(a) == "city")
        return self._past_cities[i]

    # -- shared initiatives ------------------------------------------------

    def share_initiative(self, a: str, b: str) -> bool:
        pa, pb = self.part.get(a), self.part.get(b)
        return bool(pa and pb and not pa.isdisjoint(pb))

    def planned_shared(self, a: str, b: str) -> list[Link]:
        """Proposed or planned links that would make `a` and `b` share an initiative."""
        links: list[Link] = []
        pa, pb = self.part_planned.get(a, {}), self.part_planned.get(b, {})
        for i in (set(pa) | set(self.part.get(a, ()))) & (set(pb) | set(self.part.get(b, ()))):
            la, lb = pa.get(i), pb.get(i)
            links.extend(x for x in (la, lb) if x is not None)
        return sorted(set(links))

    # -- candidates and wording ------------------------------------------

    def pick(
        self,
        pools: Iterable[Iterable[str]],
        *,
        themes: frozenset[str] = frozenset(),
        exclude: Iterable[str] = (),
        accept: Callable[[str], bool] | None = None,
        limit: int = NAME_LIMIT,
    ) -> list[str]:
        """Up to `limit` candidates, pool by pool (earlier pools first).

        Within a pool, with `themes`, its first POOL_CAP members are ranked by the
        number of themes shared, then name; without, members are taken in pool order
        (the index's pools are name-ordered; see `by_name`).
        """
        chosen: list[str] = []
        seen = set(exclude)
        names, own, empty = self.names_, self.themes, frozenset()
        for pool in pools:
            need = limit - len(chosen)
            if need <= 0:
                break
            scored = []
            for c in itertools.islice(pool, POOL_CAP):
                if c in seen or (accept is not None and not accept(c)):
                    continue
                seen.add(c)
                if not themes:
                    chosen.append(c)
                    if len(chosen) >= limit:
                        break
                    continue
                scored.append((-len(themes & own.get(c, empty)), names.get(c) or c, c))
            scored.sort()
            chosen += [c for _, _, c in scored[:need]]
        return chosen

    def nearest_cities(
        self, c: str, limit: int = NAME_LIMIT, exclude: Iterable[str] = ()
    ) -> list[str]:
        """The cities of `c`'s country closest to it (needs lat/lon), nearest first."""
        d = self.nodes[c]
        lat, lon = d.get("lat"), d.get("lon")
        cc = self.countries.get(c)
        if lat is None or lon is None or cc is None:
            return []
        ids, lats, lons = self._geo_index(cc)
        if not ids:
            return []
        import numpy as np

        la, lo = math.radians(float(lat)), math.radians(float(lon))
        # equirectangular distance is enough to rank neighbours
        x = (lons - lo) * np.cos((lats + la) / 2)
        y = lats - la
        dist = x * x + y * y
        skip = {c, *exclude}
        k = min(len(ids), limit + len(skip))
        order = np.argpartition(dist, k - 1)[:k] if k < len(ids) else np.arange(len(ids))
        ranked = sorted(order.tolist(), key=lambda j: (float(dist[j]), ids[j]))
        return [ids[j] for j in ranked if ids[j] not in skip][:limit]

    def _geo_index(self, cc: str) -> tuple[list[str], Any, Any]:
        if cc not in self._geo:
            import numpy as np

            ids, lats, lons = [], [], []
            for c in self.cities_by_country.get(cc, ()):
                d = self.nodes[c]
                if d.get("lat") is not None and d.get("lon") is not None:
                    ids.append(c)
                    lats.append(math.radians(float(d["lat"])))
                    lons.append(math.radians(float(d["lon"])))
            self._geo[cc] = (ids, np.array(lats), np.array(lons))
        return self._geo[cc]

    def names(self, ids: Iterable[str], limit: int = NAME_LIMIT, total: int | None = None) -> str:
        ids = list(ids)
        total = len(ids) if total is None else total
        return join_words([self.name(i) for i in ids[:limit]], total)

    def describe(self, link: Link) -> str:
        return link_text(self.name(link.source), link.type, self.name(link.target), link.why)

    def mitigation(self, links: Iterable[Link]) -> str | None:
        """ "A planned link would close this: …" (or proposed, or both) for the given
        pending links, planned ones first, or None."""
        if not links:
            return None  # most findings have none: skip the sort and the wording
        described = sorted(
            (PENDING_ORDER.index(x.status), self.describe(x), x.status) for x in set(links)
        )
        return mitigation_text([(status, text) for _, text, status in described])


class ProviderPools:
    """A set of providers (funders, capacity builders, evaluators) indexed by city and
    country, so candidates near an actor can be named without scanning the set."""

    def __init__(self, idx: GapIndex, providers: set[str]) -> None:
        self.idx = idx
        self.providers = providers
        self.by_country: dict[str | None, list[str]] = defaultdict(list)
        self.international: list[str] = []
        for p in idx.by_name(providers):
            for place in self._places(idx, p):
                (self.international if place is None else self.by_country[place]).append(p)
        self._pools: dict[tuple[str | None, tuple[str, ...]], list[list[str]]] = {}

    @staticmethod
    def _places(idx: GapIndex, p: str) -> Iterator[str | None]:
        """The lists provider `p` is in: its country's (a code), the international (None)."""
        cc = idx.country(p)
        if cc:
            yield cc
        if cc is None or idx.level(p) == schema.Level.INTERNATIONAL.value:
            yield None

    def patched(self, idx: GapIndex, providers: set[str], changed: Iterable[str]) -> ProviderPools:
        """These pools for index `idx` (a later generation's) and its `providers`, given
        every node that joined, left or may have changed its name, country or level
        (`changed`): the others keep their places. These pools are left as they were."""
        new = ProviderPools.__new__(ProviderPools)
        new.idx, new.providers, new._pools = idx, providers, {}
        new.by_country = defaultdict(list, self.by_country)
        new.international = self.international
        copied: set[str | None] = set()

        def own(place: str | None) -> list[str]:
            if place not in copied:
                copied.add(place)
                if place is None:
                    new.international = list(new.international)
                else:
                    new.by_country[place] = list(new.by_country.get(place, ()))
            return new.international if place is None else new.by_country[place]

        changed = sorted(changed)
        for p in changed:
            if p in self.providers:
                for place in self._places(self.idx, p):
                    own(place).remove(p)
                    if place is not None and not new.by_country[place]:
                        del new.by_country[place]
        for p in changed:
            if p in providers:
                key = idx.name_key(p)
                for place in self._places(idx, p):
                    lst = own(place)
                    lst.insert(bisect.bisect(lst, key, key=idx.name_key), p)
        return new

    def pools(self, a: str) -> list[list[str]]:
        """Providers in the actor's city, then its country, then international ones."""
        return self.pools_for(self.idx.country(a), self.idx.home_cities.get(a, ()))

    def pools_for(self, cc: str | None, cities: Iterable[str] = ()) -> list[list[str]]:
        idx = self.idx
        cities = tuple(sorted(cities))
        key = (cc, cities)
        if key not in self._pools:
            here: list[str] = []
            for city in cities:
                if city in self.providers:
                    here.append(city)
                here += idx.by_name(
                    p for p in idx.local_actors.get(city, ()) if p in self.providers
                )
            national = self.by_country.get(cc, []) if cc else []
            self._pools[key] = [here, national, self.international]
        return self._pools[key]


# -- the provider sets detectors rank by name within a country --------------------


@dataclass(frozen=True, eq=False)
class ProviderSet:
    """A set of actors a detector draws candidates from, by country and name
    (`ProviderPools`): those of `candidates` that `member` accepts. `member` reads only
    the node's own attributes and relationships, so after a write only the nodes whose
    entries the write changed can join or leave (`graph.analysis.index_patch`)."""

    name: str
    candidates: Callable[[GapIndex], Iterable[str]]
    member: Callable[[GapIndex, str], bool]

    def of(self, idx: GapIndex) -> set[str]:
        return {n for n in self.candidates(idx) if self.member(idx, n)}


def _actors_of_kind(kind: str) -> Callable[[GapIndex], Iterator[str]]:
    def of_kind(idx: GapIndex) -> Iterator[str]:
        for (k, _), ids in idx.by_kind_country.items():
            if k == kind:
                yield from ids

    return of_kind


def _is_actor(idx: GapIndex, n: str) -> bool:
    return idx.nodes[n].get("family") == schema.ACTOR


#: Every actor that funds or builds capacity (an unsupported grassroots CSO's providers).
funders_or_capacity_providers = ProviderSet(
    "funders or capacity providers",
    lambda idx: idx.funders | idx.capacity_providers,
    lambda idx, n: n in idx.funders or n in idx.capacity_providers,
)
#: Funders that are not government bodies (a CSO with one government funder's others).
non_government_funders = ProviderSet(
    "non-government funders",
    lambda idx: idx.funders,
    lambda idx, n: n in idx.funders and not idx.is_government_body(n),
)
capacity_providers = ProviderSet(
    "capacity providers",
    lambda idx: idx.capacity_providers,
    lambda idx, n: n in idx.capacity_providers,
)
#: Actors that evaluate something.
evaluating_actors = ProviderSet(
    "evaluators",
    lambda idx: idx.evaluates,
    lambda idx, n: n in idx.evaluates and _is_actor(idx, n),
)
research_bodies = ProviderSet(
    "research bodies",
    _actors_of_kind("research"),
    lambda idx, n: idx.kinds.get(n) == "research" and _is_actor(idx, n),
)
grassroots_csos = ProviderSet(
    "grassroots CSOs",
    _actors_of_kind("cso"),
    lambda idx, n: idx.kinds.get(n) == "cso" and _is_actor(idx, n) and idx.is_grassroots(n),
)

#: Every provider set a detector reads: besides the index's pools, the only country-wide
#: lists a touched node can move in (`graph.analysis.pool_window`).
PROVIDER_SETS: tuple[ProviderSet, ...] = (
    funders_or_capacity_providers,
    non_government_funders,
    capacity_providers,
    evaluating_actors,
    research_bodies,
    grassroots_csos,
)
