"""Ranking: every candidate scored once, the best kept, the pending ties listed beside them."""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graph import schema
from graph.analysis.recommend.components import Context, Scored, score
from graph.analysis.recommend.ties import PendingTie
from graph.predicates import is_inferred, norm_country

_STATED = schema.Basis.STATED.value
_INFERRED = schema.Basis.INFERRED.value
_UNSEEN = object()


@dataclass(frozen=True)
class Component:
    """One part of a score: its name, its weighted score, its value in [0, 1], the reason."""

    name: str
    score: float
    value: float
    reason: str
    inferred: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "score": self.score,
            "value": self.value,
            "reason": self.reason,
            "inferred": self.inferred,
        }


@dataclass(frozen=True)
class Recommendation:
    """A candidate partner, its score and the components that make it up (largest first)."""

    partner: str
    name: str
    kind: str
    country: str | None
    score: float
    components: tuple[Component, ...]
    #: "inferred" when the candidate or one of the reasons rests on an inferred record.
    basis: str = _STATED

    @property
    def reasons(self) -> tuple[str, ...]:
        """The components' reasons, in order: one clean list of phrases."""
        return tuple(c.reason for c in self.components)

    def to_dict(self) -> dict[str, Any]:
        return {
            "partner": self.partner,
            "name": self.name,
            "kind": self.kind,
            "country": self.country,
            "score": self.score,
            "basis": self.basis,
            "reasons": list(self.reasons),
            "components": [c.to_dict() for c in self.components],
        }


@dataclass(frozen=True)
class RecommendationSet:
    """The recommendations for one actor, and its proposed or planned ties (not recommended)."""

    actor: str
    name: str
    items: tuple[Recommendation, ...]
    pending: tuple[PendingTie, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "actor": self.actor,
            "actor_name": self.name,
            "items": [r.to_dict() for r in self.items],
            "pending": [p.to_dict() for p in self.pending],
        }


def recommendation_set(G: nx.MultiDiGraph, actor_id: str, *, limit: int = 10) -> RecommendationSet:
    """The best `limit` candidates for `actor_id` and its pending ties.

    Raises KeyError(actor_id) when the id is not an actor of `G`.
    """
    if actor_id not in G or G._node[actor_id].get("family") != schema.ACTOR:
        raise KeyError(actor_id)
    me = Context.of(G, actor_id)
    name = str(G._node[actor_id].get("name", actor_id))
    items = _best(G, me, limit) if limit > 0 else ()
    return RecommendationSet(actor_id, name, items, tuple(me.ties.pending_ties(G)))


def recommend(G: nx.MultiDiGraph, actor_id: str, *, limit: int = 10) -> list[Recommendation]:
    """Candidate partners for `actor_id`, best first (docs/recommendations.md).

    Raises KeyError(actor_id) when the id is not an actor of `G`.
    """
    return list(recommendation_set(G, actor_id, limit=limit).items)


def _best(G: nx.MultiDiGraph, me: Context, limit: int) -> tuple[Recommendation, ...]:
    """Score every actor that could score above 0, keep the best `limit`.

    Most actors of a large network share nothing with the subject; the cheap test
    below (a superset of "some component applies", see `Context.named`) spares
    them the scoring, which is what keeps one call well under a second.
    """
    a, ties = me.id, me.ties
    named = me.named()
    kinds = me.needs.filling_kinds()
    themed = bool(me.themes)
    cc = me.cc
    countries: dict[Any, Any] = {}  # each spelling of a country met, normalised
    scored: list[tuple[float, str, Any, list[Scored]]] = []
    for c, cd in G._node.items():
        if cd.get("family") != schema.ACTOR or c == a:
            continue
        if not (
            kinds is None
            or c in named
            or cd.get("kind") in kinds
            or (themed and (cd.get("themes") or cd.get("threats")))
        ):
            if cc is None:
                continue
            raw = cd.get("country")
            country = countries.get(raw, _UNSEEN)
            if country is _UNSEEN:
                country = countries[raw] = norm_country(raw)
            if country != cc:
                continue
        if ties.is_tied(c) or cd.get("city") == a:  # naming the subject as its city ties
            continue
        total, parts = score(me, c, cd)
        if total > 0:
            scored.append((-total, str(c), c, parts))
    best = heapq.nsmallest(limit, scored, key=lambda x: (x[0], x[1]))
    return tuple(_recommendation(G, c, -neg, parts) for neg, _sid, c, parts in best)


def _recommendation(
    G: nx.MultiDiGraph, c: Any, total: float, parts: list[Scored]
) -> Recommendation:
    cd = G._node[c]
    components = tuple(Component(p.name, p.score, p.value, p.reason, p.inferred) for p in parts)
    inferred = is_inferred(cd) or any(p.inferred for p in parts)
    return Recommendation(
        partner=c,
        name=cd.get("name", c),
        kind=cd.get("kind"),
        country=cd.get("country"),
        score=total,
        components=components,
        basis=_INFERRED if inferred else _STATED,
    )
