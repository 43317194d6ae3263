"""Gaps inside one city: silos between local actors, and threats nobody addresses
(workshop key takeaways 1 and 4)."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterator

from graph.analysis.example_cast import CST, IREPORTIT, LONDON, MOTHERS_TOGETHER, YOUTH_VOICES
from graph.analysis.findings import Finding
from graph.analysis.gaps_index import GapIndex, Link
from graph.analysis.reach import Reach
from graph.analysis.registry import Example, gap_type, node
from graph.analysis.severity import grade
from graph.analysis.wording import join_words, theme_label
from graph.predicates import norm_theme


def _met_earlier(idx: GapIndex, a: str, b: str, c: str) -> bool:
    """Are `a` and `b` both local actors of a city before `c` (where their pair is
    reported)?"""
    ha, hb = idx.home_cities.get(a, ()), idx.home_cities.get(b, ())
    return len(ha) > 1 and len(hb) > 1 and any(h < c and h in hb for h in ha)


def _themes_text(themes: list[str]) -> str:
    return join_words([theme_label(t) for t in themes[:3]], len(themes))


@gap_type(
    type="local.silo",
    reach=Reach(radius=2),
    title="Local silo",
    why=(
        "Two local actors of the same city work on a shared theme and have no "
        "relationship and no shared initiative; local authorities can 'connect service "
        "providers with one another'."
    ),
    severity_rule=(
        "low when a planned or proposed link or shared initiative would close it; medium "
        "otherwise (the city, or an actor that works with both, can connect them). Never "
        "high: no whole axis is missing."
    ),
    needs=("city",),
    example=Example(
        nodes=(LONDON, CST, MOTHERS_TOGETHER),
        edges=(("mums", "LOCATED_IN", "london"),),
        subjects=("cst", "mums"),
    ),
)
def silo(idx: GapIndex) -> Iterator[Finding]:
    """Two local actors of the same city with a shared theme, no relationship and no
    shared initiative. Work grows with the number of theme-sharing pairs per city.
    A pair local to several cities is reported once, at the first (by id)."""
    for c in idx.cities:
        local = idx.local_actors.get(c)
        if not local or len(local) < 2:
            continue
        if (
            idx.scope is not None
            and idx.country(c) is not None
            and not idx.wants(idx.country(c), *local)
        ):
            continue  # each pair here is about this city's country and unwanted subjects
        by_theme: dict[str, list[str]] = defaultdict(list)
        for a in sorted(local):
            for t in idx.themes[a]:
                by_theme[t].append(a)
        pairs: set[tuple[str, str]] = set()
        for group in by_theme.values():
            pairs.update(itertools.combinations(group, 2))  # groups are sorted: a < b
        for a, b in sorted(pairs):
            if _met_earlier(idx, a, b, c):
                continue
            cc = idx.country(c) or idx.country(a) or idx.country(b)
            if not idx.wants(cc, a, b) or b in idx.rel.get(a, ()) or idx.share_initiative(a, b):
                continue
            shared = sorted(idx.themes[a] & idx.themes[b])
            brokers = idx.rel.get(a, set()) & idx.rel.get(b, set())
            ordered = ([c] if c in brokers else []) + sorted(
                brokers - {c}, key=lambda x: (idx.name(x), x)
            )
            na, nb, nc = idx.name(a), idx.name(b), idx.name(c)
            topics = _themes_text(shared)
            if ordered:
                suggestion = (
                    f"{idx.names(ordered)}, which already work{'s' if len(ordered) == 1 else ''}"
                    f" with both, could bring {na} and {nb} together on {topics} so their "
                    f"services complement rather than duplicate each other."
                )
            else:
                suggestion = (
                    f"{nc} could convene {na} and {nb} on {topics} (a coordination meeting or a "
                    f"joint initiative) so their services complement rather than duplicate "
                    f"each other."
                )
            planned = list(idx.rel_planned.get(a, {}).get(b, ())) + idx.planned_shared(a, b)
            mitigation = idx.mitigation(planned)
            yield Finding(
                type="local.silo",
                severity=grade(candidates=True, mitigated=mitigation is not None),
                subjects=(a, b),
                country=cc,
                explanation=(
                    f"{na} and {nb}, both local actors of {nc} working on {topics}, have no "
                    f"relationship and no shared initiative."
                ),
                suggestion=suggestion,
                mitigation=mitigation,
            )


def _involved_in(idx: GapIndex, a: str) -> Iterator[str]:
    """The active initiatives `a` runs, takes part in, implements or contributes to
    (national frameworks included): each covers the threats among its themes."""
    for links in (idx.part, idx.impl_out, idx.contrib_out):
        yield from links.get(a, ())


def _pending_involvement(idx: GapIndex, a: str) -> Iterator[Link]:
    """The proposed or planned links by which `a` would become involved in an initiative."""
    yield from idx.part_planned.get(a, {}).values()
    yield from idx.impl_planned_out.get(a, ())
    yield from idx.contrib_planned_out.get(a, ())


@gap_type(
    type="theme.uncovered_threat",
    reach=Reach(radius=2, through=frozenset({"actor"})),
    title="Uncovered local threat",
    why=(
        "A city lists a threat that no active initiative it or its local partners run, "
        "take part in, implement or contribute to addresses; local programs 'need to "
        "reflect … how [the threat] manifests locally'."
    ),
    severity_rule=(
        "low when a planned or proposed initiative or link would close it, or when there "
        "is nothing to join and no one to work with (no initiative on the theme run by a "
        "local actor, in the country or internationally, and no local actor working on "
        "it); medium otherwise. Never high: no whole axis is missing."
    ),
    needs=("city",),
    example=Example(
        nodes=(
            node(
                "london",
                "city",
                "Mayor of London",
                country="GB",
                threats=["hate", "disinformation"],
            ),
            YOUTH_VOICES,
            MOTHERS_TOGETHER,
            IREPORTIT,
        ),
        edges=(("mums", "LOCATED_IN", "london"),),
        subjects=("london", "hate"),
    ),
)
def uncovered_threat(idx: GapIndex) -> Iterator[Finding]:
    """A threat a city lists that no active initiative run, joined, implemented or
    contributed to by the city or its local partners addresses."""
    for c in idx.wanted_cities():
        threats = sorted({norm_theme(t) for t in idx.nodes[c].get("threats") or ()})
        if not threats or not idx.wants(idx.country(c), c):
            continue
        local = idx.local_actors.get(c, set())
        partners = sorted(local & idx.rel.get(c, set()))
        team = [c, *partners]
        covered: set[str] = set()
        for x in team:
            for i in _involved_in(idx, x):
                covered |= idx.themes[i]
        missing = [t for t in threats if t not in covered]
        if not missing:
            continue
        cc = idx.country(c)
        for t in missing:
            local_inits = idx.by_name(
                {i for a in local for i in idx.part.get(a, ()) if t in idx.themes[i]}
            )
            inits = idx.pick(
                [
                    local_inits,
                    idx.initiatives_by_country_theme.get((cc, t), []) if cc else [],
                    idx.initiatives_by_country_theme.get((None, t), []),
                ]
            )
            actors = idx.pick(
                [idx.by_name(a for a in local if t in idx.themes[a] and a not in partners)], limit=2
            )
            name, threat = idx.name(c), theme_label(t)
            steps = []
            if inits:
                steps.append(f"join or replicate {idx.names(inits)}")
            if actors:
                steps.append(f"partner with {idx.names(actors)}, which work on {threat} locally")
            if steps:
                suggestion = f"{name} could {' or '.join(steps)}."
            else:
                suggestion = (
                    f"{name} could map who works on {threat} locally and start an initiative on "
                    f"it with them, fitted to how the threat shows up there."
                )
            planned: list[Link] = []
            for x in team:
                planned += [
                    link for link in _pending_involvement(idx, x) if t in idx.themes[link.target]
                ]
            for a, links in idx.rel_planned.get(c, {}).items():
                if a in local and any(t in idx.themes[i] for i in _involved_in(idx, a)):
                    planned += links
            mitigation = idx.mitigation(planned)
            yield Finding(
                type="theme.uncovered_threat",
                severity=grade(candidates=bool(steps), mitigated=mitigation is not None),
                subjects=(c, t),
                country=cc,
                explanation=(
                    f"{name} reports {threat} as a local threat, but no active initiative that "
                    f"it or its local partners run, take part in, implement or contribute to "
                    f"addresses it."
                ),
                suggestion=suggestion,
                mitigation=mitigation,
            )
