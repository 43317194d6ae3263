"""Horizontal gaps: city ↔ city, within and across countries (key takeaway 4, next step 1)."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence

from graph.analysis.example_cast import BERLIN, LONDON, PARIS, SCN
from graph.analysis.findings import Finding
from graph.analysis.gaps_index import GapIndex, Link
from graph.analysis.reach import Reach
from graph.analysis.registry import Example, gap_type, node
from graph.analysis.severity import grade, has_national_link
from graph.analysis.wording import NAME_LIMIT, country_name, join_words, last_met_text

NEARBY = "nearby"  # a pool already in the order wanted (distance): not re-ranked by theme
LINK_WORDS = "partnership, coordination, information sharing, twinning or a shared initiative"


def _network_cities(idx: GapIndex, cache: dict, net: str, cc: str | None) -> list[str]:
    """The member cities of a network (of one country, or all with cc=None), by name.

    The first call for a network buckets all its members once."""
    if (net, None) not in cache:
        kinds, countries = idx.kinds, idx.countries
        cities = [m for m in idx.members_sorted(net) if kinds.get(m) == "city"]
        cache[(net, None)] = cities
        for m in cities:
            if countries.get(m) is not None:  # (net, None) is the list of all members
                cache.setdefault((net, countries[m]), []).append(m)
    return cache.get((net, cc), [])


def _pick_with_reasons(
    idx: GapIndex,
    pools: Iterable[tuple[str, Iterable[str]]],
    *,
    themes: frozenset[str],
    exclude: Iterable[str],
    accept: Callable[[str], bool] | None = None,
) -> list[tuple[str, list[str]]]:
    """Candidates pool by pool, grouped by the reason of the pool they came from."""
    chosen: list[tuple[str, list[str]]] = []
    seen = set(exclude)
    count = 0
    for reason, pool in pools:
        got = idx.pick(
            [pool],
            themes=frozenset() if reason == NEARBY else themes,
            exclude=seen,
            accept=accept,
            limit=NAME_LIMIT - count,
        )
        if got:
            chosen.append((reason, got))
            seen.update(got)
            count += len(got)
        if count >= NAME_LIMIT:
            break
    return chosen


def _reasons_text(idx: GapIndex, groups: list[tuple[str, list[str]]]) -> str:
    return join_words([f"{idx.names(ids)} ({reason})" for reason, ids in groups])


def _nearest(idx: GapIndex, c: str) -> Iterator[str]:
    """Nearest domestic cities, computed only if the pool is reached."""
    yield from idx.nearest_cities(c)


def _history(idx: GapIndex, c: str, accept: Callable[[str], bool]) -> str:
    """ " It last met … at … (ended)." when city `c` met such cities at an ended
    initiative (history: no current link, but a thread to pick up), else ""."""
    met = idx.last_met(c, accept)
    if met is None:
        return ""
    i, cities = met
    return " " + last_met_text(idx.names(cities[:NAME_LIMIT], total=len(cities)), idx.name(i))


def _theme_pool(idx: GapIndex, c: str, cc: str | None) -> Iterator[str]:
    return itertools.chain.from_iterable(
        idx.by_kind_country_theme.get(("city", cc, t), ()) for t in sorted(idx.themes[c])
    )


@gap_type(
    type="horizontal.isolated_city",
    reach=Reach(
        radius=2,
        international=False,
        networks=True,
        through=frozenset({"initiative"}),
        nearest=True,
    ),
    title="Isolated city",
    why=(
        "A city has no horizontal link (PARTNERS_WITH, COORDINATES_WITH, "
        "SHARES_INFORMATION_WITH, TWINNED_WITH or a shared initiative) with any other "
        "city; the workshop asked for more 'city-to-city sharing and learning'."
    ),
    severity_rule=(
        "low when a planned or proposed link would close it, or when the graph holds no "
        "peer to suggest (no other city of its country and no fellow member of its "
        "networks); otherwise high when the city has no national link either (it lacks "
        "both axes), medium when it has one."
    ),
    needs=("city",),
    example=Example(
        nodes=(LONDON, PARIS, BERLIN, SCN),
        edges=(
            ("london", "MEMBER_OF", "scn"),
            ("paris", "MEMBER_OF", "scn"),
            ("berlin", "MEMBER_OF", "scn"),
            ("berlin", "TWINNED_WITH", "paris", "planned"),
        ),
        subjects=("berlin",),
    ),
)
def isolated_city(idx: GapIndex) -> Iterator[Finding]:
    """A city with no active horizontal link (direct or shared initiative) to any other city."""
    cache: dict = {}
    city_networks: list[str] | None = None
    for c in idx.wanted_cities():
        cc = idx.country(c)
        if not idx.wants(cc, c) or idx.has_city_link(c):
            continue
        domestic = idx.cities_by_country.get(cc, []) if cc else []
        nets = sorted(idx.networks_of.get(c, ()), key=lambda n: (idx.name(n), n))
        pools: list[tuple[str, Iterable[str]]] = []
        for net in nets:
            if cc:
                pools.append(
                    (f"fellow members of {idx.name(net)}", _network_cities(idx, cache, net, cc))
                )
            pools.append(
                (f"fellow members of {idx.name(net)}", _network_cities(idx, cache, net, None))
            )
        if cc:
            pools.append(("same themes", _theme_pool(idx, c, cc)))
            pools.append((NEARBY, _nearest(idx, c)))
            pools.append((f"also in {country_name(cc)}", domestic))
        groups = _pick_with_reasons(idx, pools, themes=idx.themes[c], exclude=[c])
        if groups:
            suggestion = (
                f"Start a city-to-city exchange with {_reasons_text(idx, groups)}: a peer visit, "
                f"an information-sharing agreement or a joint initiative."
            )
        else:
            if city_networks is None:
                city_networks = _city_networks(idx)
            via = f" such as {idx.names(city_networks[:2])}" if city_networks else ""
            suggestion = (
                f"Find peer cities for {idx.name(c)} (through a city network{via} or a "
                f"national association of cities) and add them to the graph."
            )
        mitigation = idx.mitigation(idx.planned_city_links(c, lambda d: True))
        yield Finding(
            type="horizontal.isolated_city",
            severity=grade(
                candidates=bool(groups),
                mitigated=mitigation is not None,
                whole_axis=not has_national_link(idx, c),
            ),
            subjects=(c,),
            country=cc,
            explanation=(
                f"{idx.name(c)} has no active city-to-city link ({LINK_WORDS}) with any other city."
                + _history(idx, c, lambda d: True)
            ),
            suggestion=suggestion,
            mitigation=mitigation,
        )


def _city_networks(idx: GapIndex) -> list[str]:
    """The networks of the graph that cities are members of, most city members first."""
    counts = {
        net: n
        for net, members in idx.members.items()
        if (n := sum(1 for m in members if idx.kind(m) == "city"))
    }
    return sorted(counts, key=lambda net: (-counts[net], *idx.name_key(net)))


def _common_partner_pools(idx: GapIndex, c: str, cc: str) -> Iterator[tuple[str, list[str]]]:
    """Cities of country `cc` linked with one of `c`'s partner cities, partner by partner."""
    countries = idx.countries
    for d in idx.by_name(idx.city_links.get(c, ())):
        also = [e for e in idx.city_links.get(d, ()) if e != c and countries.get(e) == cc]
        if also:
            yield (f"also linked with {idx.name(d)}", idx.by_name(also))


@gap_type(
    type="horizontal.no_domestic_link",
    reach=Reach(radius=2, international=False, through=frozenset({"initiative"}), nearest=True),
    title="City linked only abroad",
    why=(
        "A city has city links, but only abroad, while other cities of its country are "
        "in the graph; the workshop asked for city-to-city learning 'within a country' "
        "too."
    ),
    severity_rule=(
        "low when a planned or proposed link with a domestic city would close it; "
        "medium otherwise (domestic peers are in the graph). Never high: no whole axis "
        "is missing (the city has city links abroad)."
    ),
    needs=("city",),
    example=Example(
        nodes=(
            LONDON,
            PARIS,
            node("lyon", "city", "Ville de Lyon", country="FR"),
        ),
        edges=(("london", "TWINNED_WITH", "paris"),),
        subjects=("paris",),
    ),
)
def no_domestic_link(idx: GapIndex) -> Iterator[Finding]:
    """A city linked only to cities abroad while other cities of its country are in the graph."""
    cache: dict = {}
    for c in idx.wanted_cities():
        cc = idx.country(c)
        if cc is None or not idx.wants(cc, c) or len(idx.cities_by_country.get(cc, ())) < 2:
            continue
        if not idx.has_city_link(c) or idx.has_city_link_in(c, cc):
            continue
        nets = sorted(idx.networks_of.get(c, ()), key=lambda n: (idx.name(n), n))
        mates = [
            (f"fellow members of {idx.name(net)}", _network_cities(idx, cache, net, cc))
            for net in nets
        ]
        common = _common_partner_pools(idx, c, cc)
        pools = itertools.chain(
            mates,
            common,
            [
                ("same themes", _theme_pool(idx, c, cc)),
                (NEARBY, _nearest(idx, c)),
                (f"also in {country_name(cc)}", idx.cities_by_country[cc]),
            ],
        )
        groups = _pick_with_reasons(idx, pools, themes=idx.themes[c], exclude=[c])
        linked, total = idx.linked_cities(c)
        abroad = idx.names(linked, total=total)
        others = len(idx.cities_by_country[cc]) - 1
        country = country_name(cc)
        explanation = (
            f"{idx.name(c)} is linked only to cities abroad ({abroad}), although {others} other "
            f"{'city' if others == 1 else 'cities'} of {country} "
            f"{'is' if others == 1 else 'are'} in the graph."
        ) + _history(idx, c, lambda d, cc=cc: idx.country(d) == cc)
        suggestion = (
            f"Start a domestic city-to-city exchange with {_reasons_text(idx, groups)} to share "
            f"practice within {country}."
        )
        planned = idx.planned_city_links(c, lambda d, cc=cc: idx.country(d) == cc)
        mitigation = idx.mitigation(planned)
        yield Finding(
            type="horizontal.no_domestic_link",
            severity=grade(candidates=bool(groups), mitigated=mitigation is not None),
            subjects=(c,),
            country=cc,
            explanation=explanation,
            suggestion=suggestion,
            mitigation=mitigation,
        )


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


@gap_type(
    type="horizontal.unlinked_countries",
    reach=Reach(radius=1, international=False),
    country_subjects=True,
    title="Countries whose cities share a network but no link",
    why=(
        "Cities of two countries are members of the same network, yet no city of one has "
        "a city-to-city link with a city of the other: a missed 'exchange of experience "
        "and partnership-building' across borders."
    ),
    severity_rule=(
        "low when a planned or proposed link between cities of the two countries would "
        "close it; medium otherwise (the shared network can broker an exchange). Never "
        "high: no whole axis is missing."
    ),
    needs=("city",),
    example=Example(
        nodes=(PARIS, BERLIN, SCN),
        edges=(
            ("paris", "MEMBER_OF", "scn"),
            ("berlin", "MEMBER_OF", "scn"),
            ("berlin", "TWINNED_WITH", "paris", "planned"),
        ),
        subjects=("DE", "FR"),
    ),
)
def unlinked_countries(idx: GapIndex) -> Iterator[Finding]:
    """Two countries whose cities share a network but have no city-to-city link between them."""
    # Every pair of countries is read through the cities of one of them: when only some
    # countries are wanted (an incremental run), only their cities are walked.
    cities = _cities_of(idx, idx.wanted_countries())
    shared: dict[tuple[str, str], set[str]] = defaultdict(set)
    nets = (
        idx.members
        if cities is idx.cities
        else {n for c in cities for n in idx.networks_of.get(c, ())}
    )
    for net in nets:
        ccs = sorted(
            {idx.country(m) for m in idx.members.get(net, ()) if idx.kind(m) == "city"} - {None}
        )
        for a, b in itertools.combinations(ccs, 2):
            shared[(a, b)].add(net)
    if not shared:
        return
    linked: set[tuple[str, str]] = set()
    for c in cities:
        a = idx.country(c)
        for d in idx.city_links.get(c, ()):
            b = idx.country(d)
            if a and b and a != b:
                linked.add(_pair(a, b))
    inits = (
        idx.init_city_countries
        if cities is idx.cities
        else {i for c in cities for i in idx.part.get(c, ())}
    )
    for i in inits:
        cnt = idx.init_city_countries.get(i)
        ccs = sorted(k for k in cnt or () if k)
        linked.update(itertools.combinations(ccs, 2))
    planned = _planned_country_links(idx, cities)
    cache: dict = {}
    for a, b in sorted(shared):
        if (a, b) in linked or not (idx.wants(a) or idx.wants(b)):
            continue
        nets = sorted(shared[(a, b)], key=lambda n: (idx.name(n), n))
        net = nets[0]
        ca = idx.pick([_network_cities(idx, cache, net, a)], limit=2)
        cb = idx.pick([_network_cities(idx, cache, net, b)], limit=2)
        na, nb = country_name(a), country_name(b)
        mitigation = idx.mitigation(planned.get((a, b), ()))
        yield Finding(
            type="horizontal.unlinked_countries",
            severity=grade(candidates=True, mitigated=mitigation is not None),
            subjects=(a, b),
            country=None,
            explanation=(
                f"No city of {na} has an active link with a city of {nb}, although cities of "
                f"both are members of {idx.names(nets)}."
            ),
            suggestion=(
                f"Ask {idx.name(net)} to pair {idx.names(ca)} ({na}) with {idx.names(cb)} "
                f"({nb}) for a cross-country peer exchange or a joint event."
            ),
            mitigation=mitigation,
        )


def _cities_of(idx: GapIndex, countries: frozenset[str | None] | None) -> Sequence[str]:
    """The cities of these countries (every city for None: `idx.cities` itself)."""
    if countries is None:
        return idx.cities
    return [c for cc in sorted(countries, key=str) if cc for c in idx.cities_by_country.get(cc, ())]


def _planned_country_links(
    idx: GapIndex, cities: Sequence[str]
) -> dict[tuple[str, str], list[Link]]:
    """Pending links between cities of two countries, per pair: every pair with an end
    among `cities` (perhaps others too, and a link once per end among them)."""
    out: dict[tuple[str, str], list[Link]] = defaultdict(list)

    def add(c: str, d: str, link: Link) -> None:
        a, b = idx.country(c), idx.country(d)
        if a and b and a != b:
            out[_pair(a, b)].append(link)

    for c in cities:
        for d, links in idx.city_links_planned.get(c, {}).items():
            for link in links:
                add(c, d, link)
    inits: Iterable[str] = (
        idx.participants_planned
        if cities is idx.cities
        else {
            i
            for c in cities
            for i in (*idx.part.get(c, ()), *idx.part_planned.get(c, ()))
            if i in idx.participants_planned
        }
    )
    for i in inits:
        planned = idx.participants_planned[i]
        pending = [p for p in planned if idx.kind(p) == "city"]
        if not pending:
            continue
        everyone = [q for q in (*idx.participants.get(i, ()), *planned) if idx.kind(q) == "city"]
        for p in pending:
            for q in everyone:
                if q != p:
                    add(p, q, planned[p])
    return out
