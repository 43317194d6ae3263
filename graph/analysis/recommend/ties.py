"""Who is already tied to the subject, and how: the actors a recommendation never names.

A recommendation suggests someone new, so it must know every tie the subject
already has (docs/recommendations.md, "Who is a candidate"). One pass over the
subject's own relationships and the initiatives it takes part in sorts the
other actors into:

* **current** ties: a relationship of any type (MEMBER_OF and LOCATED_IN
  included), in either direction, whose status is active; the city an actor
  names as its own (`city`); or an active initiative both RUN or
  PARTICIPATE_IN through active relationships (the gap catalogue counts that
  as working together). Never recommended, not listed.
* **pending** ties: the same with a proposed or planned relationship or
  initiative, and no current tie. Not recommended; listed as "already
  planned" / "already proposed".
* **history**: ended relationships and ended initiatives both took part in.
  No tie; a reason for a recommendation ("met at … (ended)").
* **fellow members**: actors with an active MEMBER_OF to a network the
  subject is an active member of. No tie by itself.

The cost is the subject's degree plus the participants of its initiatives and
the members of its networks; nothing scans the whole graph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graph import schema
from graph.analysis.wording import join_words
from graph.predicates import PENDING_STATUSES, actor_city, is_inferred, status_of

_ACTIVE = schema.Status.ACTIVE.value
_PLANNED = schema.Status.PLANNED.value
_PROPOSED = schema.Status.PROPOSED.value
_ENDED = schema.Status.ENDED.value
#: Statuses from the most to the least current: a pair's tie is its strongest.
_STRENGTH = {_ACTIVE: 3, _PLANNED: 2, _PROPOSED: 1, _ENDED: 0}
_TAKES_PART = schema.PARTICIPATION_TYPES


def strongest(statuses: Iterable[str]) -> str | None:
    """The most current of some statuses (active > planned > proposed > ended), or None.

    An unknown status counts as nothing."""
    known = [s for s in statuses if s in _STRENGTH]
    return max(known, key=_STRENGTH.__getitem__) if known else None


def _combined(*statuses: str | None) -> str | None:
    """The status of something that needs all of its parts: the least current part."""
    if any(s is None for s in statuses):
        return None
    return min(statuses, key=lambda s: _STRENGTH[s])  # type: ignore[arg-type,index]


@dataclass(frozen=True)
class PendingTie:
    """An actor the subject has a proposed or planned tie with: shown, not recommended."""

    partner: str
    name: str
    kind: str | None
    country: str | None
    #: "planned" when any of the ties is planned (committed), else "proposed".
    status: str
    #: The ties in words, e.g. "London PARTNERS_WITH Paris (planned)".
    links: tuple[str, ...]

    @property
    def reason(self) -> str:
        return f"Already {self.status}: {join_words(list(self.links))}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "partner": self.partner,
            "name": self.name,
            "kind": self.kind,
            "country": self.country,
            "status": self.status,
            "links": list(self.links),
            "reason": self.reason,
        }


@dataclass
class Ties:
    """The subject's ties, sorted as the module docstring says."""

    current: set[Any] = field(default_factory=set)
    #: actor -> [(status, the tie in words)]
    pending: dict[Any, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    #: actor -> ended initiatives both took part in, with whether that rests on an inferred record
    met_at: dict[Any, list[tuple[Any, bool]]] = field(default_factory=lambda: defaultdict(list))
    #: actor -> types of ended relationships with the subject, and whether any is inferred
    former: dict[Any, list[tuple[str, bool]]] = field(default_factory=lambda: defaultdict(list))
    #: actor -> networks the subject and it are both active members of (and inferred or not)
    networks: dict[Any, list[tuple[Any, bool]]] = field(default_factory=lambda: defaultdict(list))

    def is_tied(self, c: Any) -> bool:
        return c in self.current or c in self.pending

    def pending_ties(self, G: nx.MultiDiGraph) -> list[PendingTie]:
        """The pending ties, most committed first, then by name."""
        out = []
        for c, found in self.pending.items():
            statuses = {s for s, _ in found}
            status = _PLANNED if _PLANNED in statuses else _PROPOSED
            texts = sorted({t if len(statuses) == 1 else f"{t} ({s})" for s, t in found})
            cd = G._node[c]
            out.append(
                PendingTie(
                    partner=c,
                    name=cd.get("name", c),
                    kind=cd.get("kind"),
                    country=cd.get("country"),
                    status=status,
                    links=tuple(texts),
                )
            )
        out.sort(key=lambda p: (p.status != _PLANNED, str(p.name), str(p.partner)))
        return out


def _is_actor(node: Mapping[str, Any]) -> bool:
    return node.get("family") == schema.ACTOR


def _pair_statuses(keydict: Mapping[str, Mapping[str, Any]]) -> list[tuple[str, str, bool]]:
    """(type, status, inferred) of each relationship of one ordered pair."""
    return [(d.get("type") or k, status_of(d), is_inferred(d)) for k, d in keydict.items()]


def _participation(G: nx.MultiDiGraph, a: Any, i: Any) -> tuple[str | None, bool]:
    """The strongest status of `a`'s RUNS / PARTICIPATES_IN to `i`, and whether it is inferred."""
    kd = G._succ[a].get(i, {})
    rels = [
        (status_of(d), is_inferred(d)) for k, d in kd.items() if (d.get("type") or k) in _TAKES_PART
    ]
    best = strongest(s for s, _ in rels)
    return best, any(inf for s, inf in rels if s == best)


def ties_of(G: nx.MultiDiGraph, a: Any) -> Ties:
    """The ties of actor `a` (see the module docstring)."""
    nodes = G._node
    ties = Ties()
    name = nodes[a].get("name", a)
    own_city = actor_city(nodes[a])
    if own_city is not None and own_city in G:
        ties.current.add(own_city)
    for outgoing, adj in ((True, G._succ[a]), (False, G._pred[a])):
        for v, keydict in adj.items():
            if v == a or not _is_actor(nodes[v]):
                continue
            _read_pair(ties, name, nodes[v].get("name", v), v, keydict, outgoing)
    for i in G._succ[a]:
        if nodes[i].get("family") == schema.INITIATIVE:
            _read_initiative(G, ties, a, i)
    for net, keydict in G._succ[a].items():
        if _is_actor(nodes[net]):
            _read_network(G, ties, a, net, keydict)
    for c in ties.current:
        ties.pending.pop(c, None)
    return ties


def _read_pair(
    ties: Ties, name: str, other: str, v: Any, keydict: Mapping[str, Any], outgoing: bool
) -> None:
    for typ, status, inferred in _pair_statuses(keydict):
        if status == _ACTIVE:
            ties.current.add(v)
        elif status in PENDING_STATUSES:
            src, tgt = (name, other) if outgoing else (other, name)
            ties.pending[v].append((status, f"{src} {typ} {tgt}"))
        elif status == _ENDED:
            ties.former[v].append((typ, inferred))


def _read_initiative(G: nx.MultiDiGraph, ties: Ties, a: Any, i: Any) -> None:
    """Sort the other participants of initiative `i` by what sharing it means now."""
    mine, mine_inferred = _participation(G, a, i)
    if mine is None:
        return
    idata = G._node[i]
    i_status = status_of(idata)
    i_inferred = is_inferred(idata)
    i_name = idata.get("name", i)
    a_name = G._node[a].get("name", a)
    for c in G._pred[i]:
        if c == a or not _is_actor(G._node[c]):
            continue
        theirs, theirs_inferred = _participation(G, c, i)
        together = _combined(i_status, mine, theirs)
        if together == _ACTIVE:
            ties.current.add(c)
        elif together in PENDING_STATUSES:
            c_name = G._node[c].get("name", c)
            ties.pending[c].append((together, f"{a_name} and {c_name} in {i_name}"))
        elif together == _ENDED:
            inferred = i_inferred or mine_inferred or theirs_inferred
            ties.met_at[c].append((i, inferred))


def _read_network(G: nx.MultiDiGraph, ties: Ties, a: Any, net: Any, keydict: Any) -> None:
    """Fellow members of `net`, when `a` is an active member of it."""
    mine = [d for k, d in keydict.items() if (d.get("type") or k) == "MEMBER_OF"]
    active = [d for d in mine if status_of(d) == _ACTIVE]
    if not active:
        return
    inferred = all(is_inferred(d) for d in active) or is_inferred(G._node[net])
    for c, kd in G._pred[net].items():
        if c in (a, net) or not _is_actor(G._node[c]):
            continue
        theirs = [d for k, d in kd.items() if (d.get("type") or k) == "MEMBER_OF"]
        theirs = [d for d in theirs if status_of(d) == _ACTIVE]
        if theirs:
            ties.networks[c].append((net, inferred or all(is_inferred(d) for d in theirs)))
