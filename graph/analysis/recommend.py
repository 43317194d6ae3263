"""Partner recommendations: for one actor, whom to work with next, and why.

Score
-----
For an actor ``a`` and a candidate ``c`` the score is a weighted sum of five
components, each between 0 and 1::

    score(a, c) = Σ_k SCORE_WEIGHTS[k] · component_k(a, c)

=========================  ===========================================================
component                  value
=========================  ===========================================================
common_neighbours          AA / (1 + AA), AA = Adamic–Adar = Σ_{w ∈ N(a) ∩ N(c)}
                           1 / ln |N(w)| on the partnership graph (below)
complementary_capacity     1 if ``c`` fills one of ``a``'s capacity gaps (below), else 0
shared_themes              Jaccard of (themes ∪ threats) of ``a`` and of ``c``
same_country               1 if both have a country and it is the same, else 0
shared_initiatives         s / (1 + s), s = active initiatives both RUN / PARTICIPATE_IN
=========================  ===========================================================

Capacity gaps of ``a`` and the candidates that fill them (``a``'s country):

* ``a`` is a CSO that runs an active program nobody evaluates, or receives no
  SUPPORTS_CAPACITY (the M&E gap) → ``c`` gives SUPPORTS_CAPACITY to others;
* ``a`` runs an active program with no EVALUATES → ``c`` evaluates programs;
* ``a`` is a city with no national link (no relationship with a
  national_body of its country, no CONTRIBUTES_TO / IMPLEMENTS to a national
  framework of its country) → ``c`` is a national_body of that country or
  RUNS one of its national frameworks;
* ``a`` is a city with no CSO partner → ``c`` is a CSO of that country; a city
  with CSO partners but no grassroots one → ``c`` is a grassroots CSO of it;
* ``a`` is a city with no private-sector partner → ``c`` is a private_sector
  actor of that country (or one with no country).

The partnership graph joins two actors when an **active** relationship other
than LOCATED_IN / MEMBER_OF links them in either direction (symmetric types
are read both ways); ``N(x)`` is x's set of such partners. Candidates are
actors other than ``a`` and its partners, with a score above 0. Ties are
broken by id, so the output is deterministic.

Cost: Adamic–Adar is computed only for partners of partners (a partner with
more than `MAX_EXPANDED_DEGREE` partners is counted but not expanded), the
other components in one pass over the actors. No all-pairs computation.
Each component is a function of the same name (`COMPONENTS`, in the order
reasons are listed when two weigh the same) returning its value and the
reason in words; `score` weights and adds them. See docs/recommendations.md
for examples.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graph import schema
from graph.analysis.undirected import (
    EXCLUDED_TYPES,
    edge_type,
    initiatives_of,
    is_active_initiative,
    partners,
)
from graph.analysis.wording import join_words
from graph.predicates import is_active, is_national_framework, norm_country

#: Weight of each score component (each component lies in [0, 1]).
SCORE_WEIGHTS: dict[str, float] = {
    "common_neighbours": 3.0,
    "complementary_capacity": 2.5,
    "shared_themes": 2.0,
    "same_country": 1.0,
    "shared_initiatives": 1.0,
}
#: Partners with more partners than this are not expanded for Adamic–Adar.
MAX_EXPANDED_DEGREE = 5000
#: How many names a reason lists.
NAMES_IN_REASON = 3

_ACTIVE = schema.Status.ACTIVE.value
_THEME_LABELS = {"m_and_e": "M&E"}


@dataclass(frozen=True)
class Recommendation:
    partner: str
    name: str
    kind: str
    country: str | None
    score: float
    reasons: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "partner": self.partner,
            "name": self.name,
            "kind": self.kind,
            "country": self.country,
            "score": self.score,
            "reasons": list(self.reasons),
        }


# --------------------------------------------------------------------------- wording


def _theme(t: str) -> str:
    return _THEME_LABELS.get(t, t.replace("_", " "))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


# --------------------------------------------------------------------------- the actor's gaps


def _has_active(keydict: dict[str, dict[str, Any]], types: Iterable[str]) -> bool:
    return any(d.get("status") == _ACTIVE and edge_type(k, d) in types for k, d in keydict.items())


def _is_national_framework(d: dict[str, Any], cc: str | None) -> bool:
    """An active national framework of `cc` (the shared rule, and committed to now)."""
    return cc is not None and is_national_framework(d, cc) and is_active(d)


def _is_evaluated(G: nx.MultiDiGraph, program: Any) -> bool:
    for src, keydict in G.pred[program].items():
        sd = G.nodes[src]
        ok_source = sd.get("family") == schema.ACTOR or (
            sd.get("kind") == "evaluation" and sd.get("status") == _ACTIVE
        )
        if ok_source and _has_active(keydict, ("EVALUATES",)):
            return True
    return False


@dataclass
class _Needs:
    capacity: str | None = None  # why a capacity provider would help, or None
    unevaluated: tuple[Any, ...] = ()
    national: bool = False
    cso: bool = False
    grassroots: bool = False
    private: bool = False


def _needs(G: nx.MultiDiGraph, a: Any, mine: set[Any]) -> _Needs:
    d = G.nodes[a]
    kind, cc = d.get("kind"), norm_country(d.get("country"))
    needs = _Needs()
    unevaluated = []
    for i, keydict in G.succ[a].items():
        idata = G.nodes[i]
        if (
            idata.get("kind") == "program"
            and idata.get("status") == _ACTIVE
            and _has_active(keydict, ("RUNS",))
            and not _is_evaluated(G, i)
        ):
            unevaluated.append(i)
    needs.unevaluated = tuple(sorted(unevaluated, key=str))
    if kind == "cso":
        supported = any(
            _has_active(kd, ("SUPPORTS_CAPACITY",))
            for src, kd in G.pred[a].items()
            if G.nodes[src].get("family") == schema.ACTOR
        )
        gaps = []
        if unevaluated:
            gaps.append("runs a program without evaluation")
        if not supported:
            gaps.append("receives no capacity support")
        needs.capacity = join_words(list(gaps)) or None
    if kind == "city":
        kinds = [G.nodes[p] for p in mine]
        needs.national = not any(
            p.get("kind") == "national_body" and norm_country(p.get("country")) == cc for p in kinds
        ) and not any(
            _is_national_framework(G.nodes[i], cc) and _has_active(kd, schema.COMMITMENT_TYPES)
            for i, kd in G.succ[a].items()
        )
        csos = [p for p in kinds if p.get("kind") == "cso"]
        needs.cso = not csos
        needs.grassroots = bool(csos) and not any(p.get("grassroots") for p in csos)
        needs.private = not any(p.get("kind") == "private_sector" for p in kinds)
    return needs


def _capacity_given(G: nx.MultiDiGraph, c: Any) -> int:
    return sum(
        1
        for t, kd in G._succ[c].items()
        if t != c
        and G._node[t].get("family") == schema.ACTOR
        and _has_active(kd, ("SUPPORTS_CAPACITY",))
    )


def _programs_evaluated(G: nx.MultiDiGraph, c: Any) -> list[Any]:
    return sorted(
        (
            p
            for p, kd in G._succ[c].items()
            if G._node[p].get("kind") == "program" and _has_active(kd, ("EVALUATES",))
        ),
        key=str,
    )


def _complement(
    G: nx.MultiDiGraph,
    name: str,
    c: Any,
    cd: dict[str, Any],
    needs: _Needs,
    cc: str | None,
    framework_owner: dict[Any, Any],
) -> list[str]:
    """Reasons why candidate c fills one of the actor's capacity gaps (empty: none)."""
    reasons = []
    kind = cd.get("kind")
    c_cc = norm_country(cd.get("country"))
    if needs.capacity:
        given = _capacity_given(G, c)
        if given:
            reasons.append(
                f"Provides capacity support (training, M&E) to {_plural(given, 'actor')}; "
                f"{name} {needs.capacity}"
            )
    if needs.unevaluated:
        evaluated = _programs_evaluated(G, c)
        if evaluated:
            example = G.nodes[evaluated[0]].get("name", evaluated[0])
            prog = G.nodes[needs.unevaluated[0]].get("name", needs.unevaluated[0])
            reasons.append(
                f"Evaluates {_plural(len(evaluated), 'program')} (e.g. {example}); "
                f"{name}'s program {prog} has no evaluation"
            )
    if needs.national and cc:
        if kind == "national_body" and c_cc == cc:
            reasons.append(f"National body of {cc}; {name} has no national link yet")
        elif c in framework_owner:
            fw = framework_owner[c]
            reasons.append(
                f"Runs {G.nodes[fw].get('name', fw)}, a national framework of {cc}; "
                f"{name} has no national link yet"
            )
    if kind == "cso" and cc and c_cc == cc:
        label = "Grassroots CSO" if cd.get("grassroots") else "CSO"
        if needs.cso:
            reasons.append(f"{label} in {cc}; {name} works with no CSO yet")
        elif needs.grassroots and cd.get("grassroots"):
            reasons.append(f"Grassroots CSO in {cc}; {name} works with no grassroots CSO yet")
    if needs.private and kind == "private_sector" and (c_cc is None or c_cc == cc):
        sector = f" ({cd['sector']})" if cd.get("sector") else ""
        reasons.append(
            f"Private-sector actor{sector}; {name} works with no private-sector actor yet"
        )
    return reasons


# --------------------------------------------------------------------------- what the actor brings


def _adamic_adar(
    G: nx.MultiDiGraph, a: Any, mine: set[Any]
) -> tuple[dict[Any, float], dict[Any, list[tuple[float, Any]]]]:
    aa: dict[Any, float] = defaultdict(float)
    via: dict[Any, list[tuple[float, Any]]] = defaultdict(list)
    for w in mine:
        theirs = partners(G, w)
        if len(theirs) < 2 or len(theirs) > MAX_EXPANDED_DEGREE:
            continue
        contrib = 1.0 / math.log(len(theirs))
        for c in theirs:
            if c != a and c not in mine:
                aa[c] += contrib
                via[c].append((contrib, w))
    return aa, via


def _shared_initiatives(G: nx.MultiDiGraph, a: Any) -> dict[Any, list[Any]]:
    """Other actor -> the active initiatives it and `a` both run or take part in."""
    shared: dict[Any, list[Any]] = defaultdict(list)
    for i in sorted(initiatives_of(G, a), key=str):
        for c, kd in G.pred[i].items():
            if (
                c != a
                and G.nodes[c].get("family") == schema.ACTOR
                and _has_active(kd, schema.PARTICIPATION_TYPES)
            ):
                shared[c].append(i)
    return shared


def _framework_owners(G: nx.MultiDiGraph, cc: str) -> dict[Any, Any]:
    """Actor -> the first active national framework of `cc` it RUNS."""
    owners: dict[Any, Any] = {}
    for i, idata in G.nodes(data=True):
        if _is_national_framework(idata, cc) and is_active_initiative(G, i):
            for owner, kd in G.pred[i].items():
                if _has_active(kd, ("RUNS",)):
                    owners.setdefault(owner, i)
    return owners


@dataclass
class _Actor:
    """What the score components need to know about the actor, computed once per call."""

    G: nx.MultiDiGraph
    id: Any
    name: str
    cc: str | None
    partners: set[Any]
    needs: _Needs
    aa: dict[Any, float]
    via: dict[Any, list[tuple[float, Any]]]
    themes: set[str]
    threats: set[str]
    shared_initiatives: dict[Any, list[Any]]
    framework_owner: dict[Any, Any]
    #: (order, weight, component) of the components that can apply (`_applicable`).
    components: list[tuple[int, float, Component]] = field(default_factory=list)

    @classmethod
    def of(cls, G: nx.MultiDiGraph, a: Any) -> _Actor:
        ad = G.nodes[a]
        cc = norm_country(ad.get("country"))
        mine = partners(G, a)
        needs = _needs(G, a, mine)
        aa, via = _adamic_adar(G, a, mine)
        me = cls(
            G=G,
            id=a,
            name=ad.get("name", a),
            cc=cc,
            partners=mine,
            needs=needs,
            aa=aa,
            via=via,
            themes=set(ad.get("themes") or []) | set(ad.get("threats") or []),
            threats=set(ad.get("threats") or []),
            shared_initiatives=_shared_initiatives(G, a),
            framework_owner=_framework_owners(G, cc) if needs.national and cc else {},
        )
        me.components = _applicable(me)
        return me


# --------------------------------------------------------------------------- score components
#
# Each component scores one candidate `c` (attributes `cd`) for the actor: a value
# in [0, 1] (0: the component does not apply) and the reason in words.

_NONE = (0.0, "")


def common_neighbours(me: _Actor, c: Any, cd: dict[str, Any]) -> tuple[float, str]:
    """AA / (1 + AA), AA the Adamic–Adar index of the partners in common."""
    aa = me.aa.get(c, 0.0)
    if not aa:
        return _NONE
    common = sorted(me.via[c], key=lambda x: (-x[0], str(x[1])))
    names = [me.G.nodes[p].get("name", p) for _, p in common[:NAMES_IN_REASON]]
    reason = (
        f"1 partner in common: {names[0]}"
        if len(common) == 1
        else f"{len(common)} partners in common, e.g. {', '.join(names)}"
    )
    return aa / (1 + aa), reason


def complementary_capacity(me: _Actor, c: Any, cd: dict[str, Any]) -> tuple[float, str]:
    """1 when the candidate fills one of the actor's capacity gaps."""
    reasons = _complement(me.G, me.name, c, cd, me.needs, me.cc, me.framework_owner)
    return (1.0, "; ".join(reasons)) if reasons else _NONE


def shared_themes(me: _Actor, c: Any, cd: dict[str, Any]) -> tuple[float, str]:
    """Jaccard of the themes and threats of actor and candidate."""
    if not me.themes:
        return _NONE
    their = set(cd.get("themes") or []) | set(cd.get("threats") or [])
    shared = me.themes & their
    if not shared:
        return _NONE
    addressed = sorted(me.threats & set(cd.get("themes") or []))
    both = sorted(shared - set(addressed))
    bits = []
    if both:
        bits.append(f"Both work on {join_words([_theme(t) for t in both])}")
    if addressed:
        bits.append(
            f"Works on {join_words([_theme(t) for t in addressed])}, "
            f"which {me.name} reports as a local threat"
        )
    return len(shared) / len(me.themes | their), "; ".join(bits)


def shared_initiatives(me: _Actor, c: Any, cd: dict[str, Any]) -> tuple[float, str]:
    """s / (1 + s), s the active initiatives both run or take part in."""
    inits = me.shared_initiatives.get(c)
    if not inits:
        return _NONE
    s = len(inits)
    names = join_words([me.G.nodes[i].get("name", i) for i in inits[:NAMES_IN_REASON]])
    more = f" ({s} initiatives)" if s > NAMES_IN_REASON else ""
    return s / (1 + s), f"Both take part in {names}{more}"


def same_country(me: _Actor, c: Any, cd: dict[str, Any]) -> tuple[float, str]:
    """1 when both have the same country (they are not linked: candidates never are)."""
    if me.cc and norm_country(cd.get("country")) == me.cc:
        return 1.0, f"Same country ({me.cc}) and not yet linked"
    return _NONE


Component = Callable[[_Actor, Any, dict[str, Any]], tuple[float, str]]
#: The components in the order their reasons are listed when they weigh the same.
COMPONENTS: tuple[tuple[str, Component], ...] = (
    ("common_neighbours", common_neighbours),
    ("complementary_capacity", complementary_capacity),
    ("shared_themes", shared_themes),
    ("shared_initiatives", shared_initiatives),
    ("same_country", same_country),
)


def _applicable(me: _Actor) -> list[tuple[int, float, Component]]:
    """(order, weight, component) of the components that can score above 0 for this actor.

    Leaving out the others spares a call per candidate: on a large network the
    candidates are most of the actors.
    """
    needs = me.needs
    can = {
        "common_neighbours": bool(me.aa),
        "complementary_capacity": bool(
            needs.capacity or needs.unevaluated or needs.national or needs.cso
            or needs.grassroots or needs.private
        ),
        "shared_themes": bool(me.themes),
        "shared_initiatives": bool(me.shared_initiatives),
        "same_country": bool(me.cc),
    }  # fmt: skip
    return [
        (order, SCORE_WEIGHTS[key], component)
        for order, (key, component) in enumerate(COMPONENTS)
        if can[key]
    ]


def score(me: _Actor, c: Any, cd: dict[str, Any]) -> tuple[float, tuple[str, ...]]:
    """The candidate's score (the weighted components, summed) and its reasons, largest first."""
    parts: list[tuple[float, int, str]] = []  # (contribution, component order, reason)
    for order, weight, component in me.components:
        value, reason = component(me, c, cd)
        if value > 0:
            parts.append((weight * value, order, reason))
    if len(parts) < 2:  # most candidates: spare the sort
        return (round(parts[0][0], 4), (parts[0][2],)) if parts else (0.0, ())
    total = round(sum(p[0] for p in parts), 4)
    parts.sort(key=_largest_first)
    return total, tuple(p[2] for p in parts)


def _largest_first(part: tuple[float, int, str]) -> tuple[float, int]:
    return -part[0], part[1]


# --------------------------------------------------------------------------- ranking


def _planned_links(G: nx.MultiDiGraph, a: Any) -> dict[Any, set[str]]:
    planned: dict[Any, set[str]] = defaultdict(set)
    for adj in (G.succ[a], G.pred[a]):
        for v, kd in adj.items():
            for k, d in kd.items():
                t = edge_type(k, d)
                if d.get("status") == schema.Status.PLANNED.value and t not in EXCLUDED_TYPES:
                    planned[v].add(t)
    return planned


def recommend(G: nx.MultiDiGraph, actor_id: str, *, limit: int = 10) -> list[Recommendation]:
    """Candidate partners for `actor_id`, best first (see the module docstring).

    Raises KeyError(actor_id) when the id is not an actor of `G`.
    """
    if actor_id not in G or G.nodes[actor_id].get("family") != schema.ACTOR:
        raise KeyError(actor_id)
    if limit <= 0:
        return []
    me = _Actor.of(G, actor_id)
    scored: list[tuple[float, str, Any, dict[str, Any], tuple[str, ...]]] = []
    for c, cd in G._node.items():
        if cd.get("family") != schema.ACTOR or c == actor_id or c in me.partners:
            continue
        total, reasons = score(me, c, cd)
        if total > 0:
            scored.append((-total, str(c), c, cd, reasons))
    best = heapq.nsmallest(limit, scored, key=lambda x: (x[0], x[1]))
    planned = _planned_links(G, actor_id) if best else {}
    out = []
    for neg, _sid, c, cd, reasons in best:
        if c in planned:
            reasons = (*reasons, f"A planned {join_words(sorted(planned[c]))} is already on record")
        out.append(
            Recommendation(
                partner=c,
                name=cd.get("name", c),
                kind=cd.get("kind"),
                country=cd.get("country"),
                score=-neg,
                reasons=reasons,
            )
        )
    return out
