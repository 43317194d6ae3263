"""The score components: what one candidate offers the subject, as a number and a phrase.

Each component is a function of the same name, listed in `COMPONENTS`, that
scores one candidate `c` (attributes `cd`) for the subject: a value in [0, 1]
(None: it does not apply), the reason in words, and whether that reason rests
on an inferred record. `score` weights each value by `SCORE_WEIGHTS` and adds
them; docs/recommendations.md gives the formula and a test checks it against
these constants.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import networkx as nx

from graph import schema
from graph.analysis.recommend.needs import Needs, Subject, framework_owners, gaps_filled, needs_of
from graph.analysis.recommend.ties import Ties, ties_of
from graph.analysis.wording import country_name, join_words
from graph.predicates import is_inferred, node_themes, norm_country, norm_theme, status_of

#: Weight of each score component (each component's value lies in [0, 1]).
SCORE_WEIGHTS: dict[str, float] = {
    "common_neighbours": 3.0,
    "complementary_capacity": 2.5,
    "threat_focus": 2.0,
    "shared_themes": 1.5,
    "shared_networks": 1.5,
    "past_ties": 1.5,
    "same_country": 1.0,
}
#: Partners with more partners than this are not expanded for Adamic–Adar.
MAX_EXPANDED_DEGREE = 5000
#: How many names a reason lists before "and N more".
NAMES_IN_REASON = 3
#: Decimal places of a component's score and of the total.
PRECISION = 4
#: The phrase a reason ends with when it rests on an inferred record.
INFERRED_NOTE = " (rests on an inferred record)"

_ACTIVE = schema.Status.ACTIVE.value
_THEME_LABELS = {"m_and_e": "M&E"}


class Part(NamedTuple):
    """One component's answer for one candidate."""

    value: float
    reason: str
    inferred: bool = False


def partner_links(G: nx.MultiDiGraph, n: Any) -> dict[Any, bool]:
    """Partner -> whether the partnership rests only on inferred relationships.

    Partners: actors joined to `n` by an active relationship other than
    LOCATED_IN and MEMBER_OF, in either direction (`graph.analysis.undirected`).
    """
    nodes = G._node
    found: dict[Any, bool] = {}
    for adj in (G._succ[n], G._pred[n]):
        for v, keydict in adj.items():
            if v == n or nodes[v].get("family") != schema.ACTOR or found.get(v) is False:
                continue
            for k, d in keydict.items():
                typ = d.get("type") or k
                if status_of(d) == _ACTIVE and typ not in schema.NON_PARTNERSHIP_TYPES:
                    found[v] = found.get(v, True) and is_inferred(d)
    return found


def _adamic_adar(
    G: nx.MultiDiGraph, a: Any, mine: Mapping[Any, bool], ties: Ties
) -> tuple[dict[Any, float], dict[Any, list[tuple[float, Any, bool]]]]:
    """Adamic–Adar of `a` with the partners of its partners; `via[c]`: (contribution,
    partner in common, rests on an inferred link)."""
    aa: dict[Any, float] = defaultdict(float)
    via: dict[Any, list[tuple[float, Any, bool]]] = defaultdict(list)
    for w, w_inferred in mine.items():
        theirs = partner_links(G, w)
        if len(theirs) < 2 or len(theirs) > MAX_EXPANDED_DEGREE:
            continue
        contrib = 1.0 / math.log(len(theirs))
        for c, c_inferred in theirs.items():
            if c != a and not ties.is_tied(c) and c not in mine:
                aa[c] += contrib
                via[c].append((contrib, w, w_inferred or c_inferred))
    return aa, via


def _themes(node: Mapping[str, Any]) -> frozenset[str]:
    """Themes and threats, normalised."""
    return node_themes(node) | _threats(node)


def _threats(node: Mapping[str, Any]) -> frozenset[str]:
    return frozenset(norm_theme(t) for t in node.get("threats") or ())


def _theme(t: str) -> str:
    return _THEME_LABELS.get(t, t.replace("_", " "))


def _names(G: nx.MultiDiGraph, ids: list[Any], total: int | None = None) -> str:
    return join_words([str(G._node[i].get("name", i)) for i in ids[:NAMES_IN_REASON]], total)


@dataclass
class Context:
    """What the components need to know about the subject, computed once per call."""

    G: nx.MultiDiGraph
    id: Any
    name: str
    cc: str | None
    inferred: bool
    ties: Ties
    partners: dict[Any, bool]
    filling: Subject
    aa: dict[Any, float]
    via: dict[Any, list[tuple[float, Any, bool]]]
    themes: frozenset[str]
    threats: frozenset[str]
    #: (order, weight, name, component) of the components that can apply (`_applicable`).
    components: list[tuple[int, float, str, Component]] = field(default_factory=list)

    @property
    def needs(self) -> Needs:
        return self.filling.needs

    @classmethod
    def of(cls, G: nx.MultiDiGraph, a: Any) -> Context:
        ad = G._node[a]
        cc = norm_country(ad.get("country"))
        ties = ties_of(G, a)
        mine = partner_links(G, a)
        needs = needs_of(G, a, ties.current)
        name = str(ad.get("name", a))
        aa, via = _adamic_adar(G, a, mine, ties)
        me = cls(
            G=G,
            id=a,
            name=name,
            cc=cc,
            inferred=is_inferred(ad),
            ties=ties,
            partners=mine,
            filling=Subject(
                G, name, cc, needs, framework_owners(G, cc) if needs.national and cc else {}
            ),
            aa=aa,
            via=via,
            themes=_themes(ad),
            threats=_threats(ad),
        )
        me.components = _applicable(me)
        return me

    def named(self) -> set[Any]:
        """The candidates a component names whatever their properties: partners of
        partners, fellow members, past ties and national-framework owners."""
        return {
            *self.aa,
            *self.ties.networks,
            *self.ties.met_at,
            *self.ties.former,
            *self.filling.framework_owner,
        }

    def attribute_inferred(self, cd: Mapping[str, Any]) -> bool:
        """Does a component that reads the two actors' own properties rest on inference?"""
        return self.inferred or is_inferred(cd)


# --------------------------------------------------------------------------- components


def common_neighbours(me: Context, c: Any, cd: Mapping[str, Any]) -> Part | None:
    """AA / (1 + AA), AA the Adamic–Adar index of the partners in common."""
    aa = me.aa.get(c, 0.0)
    if not aa:
        return None
    common = sorted(me.via[c], key=lambda x: (-x[0], str(x[1])))
    names = _names(me.G, [w for _, w, _ in common], len(common))
    count = "1 partner" if len(common) == 1 else f"{len(common)} partners"
    return Part(aa / (1 + aa), f"{count} in common: {names}", any(inf for *_, inf in common))


def complementary_capacity(me: Context, c: Any, cd: Mapping[str, Any]) -> Part | None:
    """1 when the candidate fills one of the subject's capacity gaps."""
    phrases, inferred = gaps_filled(me.filling, c, cd)
    if not phrases:
        return None
    text = ", and ".join(phrases)
    return Part(1.0, text[0].upper() + text[1:], inferred or me.attribute_inferred(cd))


def threat_focus(me: Context, c: Any, cd: Mapping[str, Any]) -> Part | None:
    """The share of the subject's stated threats that the candidate works on (its themes)."""
    covered = sorted(me.threats & node_themes(cd))
    if not covered:
        return None
    which = "a local threat" if len(covered) == 1 else "local threats"
    works_on = join_words([_theme(t) for t in covered])
    reason = f"Works on {works_on}, which {me.name} reports as {which}"
    return Part(len(covered) / len(me.threats), reason, me.attribute_inferred(cd))


def shared_themes(me: Context, c: Any, cd: Mapping[str, Any]) -> Part | None:
    """Themes and threats both have, other than the threats `threat_focus` counts,
    over all the themes and threats of the two."""
    theirs = _themes(cd)
    shared = (me.themes & theirs) - (me.threats & node_themes(cd))
    if not shared:
        return None
    label = "Shared theme" if len(shared) == 1 else "Shared themes"
    reason = f"{label}: {join_words([_theme(t) for t in sorted(shared)])}"
    return Part(len(shared) / len(me.themes | theirs), reason, me.attribute_inferred(cd))


def shared_networks(me: Context, c: Any, cd: Mapping[str, Any]) -> Part | None:
    """n / (1 + n), n the networks both are active members of."""
    nets = me.ties.networks.get(c)
    if not nets:
        return None
    ids = sorted((n for n, _ in nets), key=lambda n: (str(me.G._node[n].get("name", n)), str(n)))
    reason = f"Fellow member of {_names(me.G, ids, len(ids))}"
    return Part(len(ids) / (1 + len(ids)), reason, any(inf for _, inf in nets))


def past_ties(me: Context, c: Any, cd: Mapping[str, Any]) -> Part | None:
    """n / (1 + n), n the ended initiatives both took part in plus the types of ended
    relationships between the two."""
    met = me.ties.met_at.get(c, [])
    former = me.ties.former.get(c, [])
    if not met and not former:
        return None
    bits = []
    if met:
        ids = sorted({i for i, _ in met}, key=lambda i: (str(me.G._node[i].get("name", i)), str(i)))
        bits.append(f"met at {_names(me.G, ids, len(ids))} (ended)")
    types = sorted({t for t, _ in former})
    if types:
        bits.append(f"formerly linked by {join_words(types)} (ended)")
    text = " and ".join(bits)
    n = len({i for i, _ in met}) + len(types)
    inferred = any(inf for _, inf in met) or any(inf for _, inf in former)
    return Part(n / (1 + n), text[0].upper() + text[1:], inferred)


def same_country(me: Context, c: Any, cd: Mapping[str, Any]) -> Part | None:
    """1 when both have the same country."""
    if me.cc and norm_country(cd.get("country")) == me.cc:
        return Part(1.0, f"Also in {country_name(me.cc)}", me.attribute_inferred(cd))
    return None


Component = Callable[[Context, Any, Mapping[str, Any]], Part | None]
#: The components, in the order their reasons are listed when they weigh the same.
COMPONENTS: tuple[tuple[str, Component], ...] = (
    ("common_neighbours", common_neighbours),
    ("complementary_capacity", complementary_capacity),
    ("threat_focus", threat_focus),
    ("shared_themes", shared_themes),
    ("shared_networks", shared_networks),
    ("past_ties", past_ties),
    ("same_country", same_country),
)


def _applicable(me: Context) -> list[tuple[int, float, str, Component]]:
    """The components that can apply to this subject at all.

    Leaving out the others spares a call per candidate: on a large network the
    candidates are most of the actors.
    """
    can = {
        "common_neighbours": bool(me.aa),
        "complementary_capacity": bool(me.needs),
        "threat_focus": bool(me.threats),
        "shared_themes": bool(me.themes),
        "shared_networks": bool(me.ties.networks),
        "past_ties": bool(me.ties.met_at or me.ties.former),
        "same_country": bool(me.cc),
    }
    return [
        (order, SCORE_WEIGHTS[key], key, component)
        for order, (key, component) in enumerate(COMPONENTS)
        if can[key]
    ]


class Scored(NamedTuple):
    """One component's contribution to a candidate's score."""

    name: str
    score: float  # weight · value, rounded to PRECISION
    value: float
    reason: str
    inferred: bool
    order: int


def score(me: Context, c: Any, cd: Mapping[str, Any]) -> tuple[float, list[Scored]]:
    """The candidate's score (the sum of its components' scores) and the components,
    largest contribution first."""
    parts = []
    for order, weight, name, component in me.components:
        part = component(me, c, cd)
        if part is not None and part.value > 0:
            # an inferred candidate (a guessed kind, say) makes every reason rest on it
            inferred = part.inferred or is_inferred(cd)
            parts.append(
                Scored(
                    name,
                    round(weight * part.value, PRECISION),
                    round(part.value, PRECISION),
                    part.reason + (INFERRED_NOTE if inferred else ""),
                    inferred,
                    order,
                )
            )
    if len(parts) > 1:
        parts.sort(key=lambda p: (-p.score, p.order))
    return round(sum(p.score for p in parts), PRECISION), parts


__all__ = [
    "COMPONENTS",
    "INFERRED_NOTE",
    "MAX_EXPANDED_DEGREE",
    "SCORE_WEIGHTS",
    "Context",
    "Part",
    "Scored",
    "partner_links",
    "score",
]
