"""The subject's capacity gaps, and whether a candidate fills one (`complementary_capacity`).

The gaps mirror the gap catalogue (docs/gaps.md): M&E for CSOs and programs,
a national link, a CSO, grassroots and private-sector partner for cities. They
are read from the subject's **current ties** (`ties.Ties.current`: any active
relationship, LOCATED_IN and MEMBER_OF included), so a reason never says
"London works with no CSO yet" while a CSO is located in London.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graph import schema
from graph.analysis.wording import country_name, join_words, possessive
from graph.predicates import (
    is_active,
    is_inferred,
    is_national_framework,
    norm_country,
    status_of,
)

_ACTIVE = schema.Status.ACTIVE.value
#: Evaluations that evaluate their program: ongoing or completed (docs/gaps.md, status table).
_EVALUATING = frozenset({_ACTIVE, schema.Status.ENDED.value})


def _typed(keydict: Mapping[str, Mapping[str, Any]], types: Iterable[str]) -> list[Mapping]:
    wanted = set(types)
    return [d for k, d in keydict.items() if (d.get("type") or k) in wanted]


def _active(keydict: Mapping[str, Mapping[str, Any]], types: Iterable[str]) -> list[Mapping]:
    return [d for d in _typed(keydict, types) if status_of(d) == _ACTIVE]


def _is_national_framework(d: Mapping[str, Any], cc: str | None) -> bool:
    """An active national framework of `cc` (the shared rule, and in force now)."""
    return cc is not None and is_national_framework(d, cc) and is_active(d)


def _is_evaluated(G: nx.MultiDiGraph, program: Any) -> bool:
    """Does an actor, or an ongoing or completed evaluation, evaluate the program?"""
    for src, keydict in G._pred[program].items():
        sd = G._node[src]
        by_evaluation = sd.get("kind") == "evaluation" and status_of(sd) in _EVALUATING
        evaluates = (status_of(d) in _EVALUATING for d in _typed(keydict, ("EVALUATES",)))
        if (sd.get("family") == schema.ACTOR or by_evaluation) and any(evaluates):
            return True
    return False


@dataclass
class Needs:
    """What the subject lacks; each field names the gap or is empty."""

    capacity: str = ""  # why capacity support would help ("runs a program without evaluation")
    unevaluated: tuple[Any, ...] = ()
    national: bool = False
    cso: bool = False
    grassroots: bool = False
    private: bool = False

    def filling_kinds(self) -> frozenset[str] | None:
        """The kinds of actor that can fill one of the gaps; None: any kind can (a
        capacity provider or an evaluator may be of any kind)."""
        if self.capacity or self.unevaluated:
            return None
        kinds = set()
        if self.national:
            kinds.add("national_body")
        if self.cso or self.grassroots:
            kinds.add("cso")
        if self.private:
            kinds.add("private_sector")
        return frozenset(kinds)

    def __bool__(self) -> bool:
        return bool(
            self.capacity or self.unevaluated or self.national or self.cso or self.grassroots
            or self.private
        )  # fmt: skip


def needs_of(G: nx.MultiDiGraph, a: Any, tied: Iterable[Any]) -> Needs:
    """The capacity gaps of actor `a`, whose current ties are `tied`."""
    d = G._node[a]
    kind, cc = d.get("kind"), norm_country(d.get("country"))
    needs = Needs()
    needs.unevaluated = tuple(
        sorted(
            (
                i
                for i, kd in G._succ[a].items()
                if G._node[i].get("kind") == "program"
                and is_active(G._node[i])
                and _active(kd, ("RUNS",))
                and not _is_evaluated(G, i)
            ),
            key=str,
        )
    )
    if kind == "cso":
        supported = any(
            _active(kd, ("SUPPORTS_CAPACITY",))
            for src, kd in G._pred[a].items()
            if G._node[src].get("family") == schema.ACTOR
        )
        gaps = ["runs a program without evaluation"] if needs.unevaluated else []
        if not supported:
            gaps.append("receives no capacity support")
        needs.capacity = join_words(gaps)
    if kind == "city":
        ties = [G._node[p] for p in tied if G._node[p].get("family") == schema.ACTOR]
        needs.national = not any(
            p.get("kind") == "national_body" and norm_country(p.get("country")) == cc for p in ties
        ) and not any(
            _is_national_framework(G._node[i], cc) and _active(kd, schema.COMMITMENT_TYPES)
            for i, kd in G._succ[a].items()
        )
        csos = [p for p in ties if p.get("kind") == "cso"]
        needs.cso = not csos
        needs.grassroots = bool(csos) and not any(p.get("grassroots") for p in csos)
        needs.private = not any(p.get("kind") == "private_sector" for p in ties)
    return needs


def framework_owners(G: nx.MultiDiGraph, cc: str) -> dict[Any, tuple[Any, bool]]:
    """Actor -> (the first active national framework of `cc` it RUNS, inferred or not)."""
    owners: dict[Any, tuple[Any, bool]] = {}
    frameworks = (
        i
        for i, d in G._node.items()
        if d.get("kind") == "framework" and _is_national_framework(d, cc)
    )
    for i in sorted(frameworks, key=str):
        if G._node[i].get("family") != schema.INITIATIVE:
            continue
        for owner, kd in G._pred[i].items():
            runs = _active(kd, ("RUNS",))
            if runs and owner not in owners:
                inferred = is_inferred(G._node[i]) or all(is_inferred(d) for d in runs)
                owners[owner] = (i, inferred)
    return owners


def _capacity_given(G: nx.MultiDiGraph, c: Any) -> tuple[int, bool]:
    """How many actors `c` gives active SUPPORTS_CAPACITY to, and whether any is inferred."""
    given = [
        rels
        for t, kd in G._succ[c].items()
        if t != c
        and G._node[t].get("family") == schema.ACTOR
        and (rels := _active(kd, ("SUPPORTS_CAPACITY",)))
    ]
    return len(given), any(all(is_inferred(d) for d in rels) for rels in given)


def _programs_evaluated(G: nx.MultiDiGraph, c: Any) -> tuple[list[Any], bool]:
    """The programs `c` evaluates (active or completed), and whether any rests on inference."""
    found = []
    inferred = False
    for p, kd in G._succ[c].items():
        if G._node[p].get("kind") != "program":
            continue
        rels = [d for d in _typed(kd, ("EVALUATES",)) if status_of(d) in _EVALUATING]
        if rels:
            found.append(p)
            inferred = inferred or all(is_inferred(d) for d in rels)
    return sorted(found, key=str), inferred


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@dataclass(frozen=True)
class Subject:
    """What filling a gap needs to know about the subject."""

    G: nx.MultiDiGraph
    name: str
    cc: str | None
    needs: Needs
    #: candidate -> (national framework of `cc` it runs, inferred), when `needs.national`
    framework_owner: Mapping[Any, tuple[Any, bool]]


def gaps_filled(me: Subject, c: Any, cd: Mapping[str, Any]) -> tuple[list[str], bool]:
    """The phrases saying which of the subject's gaps candidate `c` fills, and whether one
    rests on an inferred relationship (empty list: it fills none)."""
    G, needs, name = me.G, me.needs, me.name
    phrases: list[str] = []
    inferred = False
    kind, c_cc = cd.get("kind"), norm_country(cd.get("country"))
    if needs.capacity:
        given, inf = _capacity_given(G, c)
        if given:
            phrases.append(
                f"gives capacity support to {_plural(given, 'actor')}, "
                f"while {name} {needs.capacity}"
            )
            inferred = inferred or inf
    if needs.unevaluated:
        evaluated, inf = _programs_evaluated(G, c)
        if evaluated:
            example = G._node[evaluated[0]].get("name", evaluated[0])
            program = G._node[needs.unevaluated[0]].get("name", needs.unevaluated[0])
            phrases.append(
                f"evaluates {_plural(len(evaluated), 'program')} such as {example}, "
                f"while {possessive(name)} program {program} has no evaluation"
            )
            inferred = inferred or inf
    if needs.national and me.cc:
        country = country_name(me.cc)
        if kind == "national_body" and c_cc == me.cc:
            phrases.append(f"national body of {country}, while {name} has no national link yet")
        elif c in me.framework_owner:
            fw, inf = me.framework_owner[c]
            phrases.append(
                f"runs {G._node[fw].get('name', fw)}, a national framework of {country}, "
                f"while {name} has no national link yet"
            )
            inferred = inferred or inf
    phrases += _local_partner(me, cd, kind, c_cc)
    return phrases, inferred


def _local_partner(me: Subject, cd: Mapping[str, Any], kind: Any, c_cc: str | None) -> list[str]:
    """The CSO, grassroots and private-sector gaps of a city."""
    needs, name = me.needs, me.name
    if kind == "cso" and me.cc and c_cc == me.cc:
        where = country_name(me.cc)
        if needs.cso:
            label = "grassroots CSO" if cd.get("grassroots") else "CSO"
            return [f"{label} in {where}, while {name} works with no CSO yet"]
        if needs.grassroots and cd.get("grassroots"):
            return [f"grassroots CSO in {where}, while {name} works with no grassroots CSO yet"]
    if needs.private and kind == "private_sector" and (c_cc is None or c_cc == me.cc):
        sector = f" in the {cd['sector']} sector" if cd.get("sector") else ""
        return [
            f"private-sector actor{sector}, while {name} works with no private-sector actor yet"
        ]
    return []
