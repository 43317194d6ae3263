"""Which gap types a graph can be assessed for, and why not the others.

A gap type asks about kinds of actors or initiatives (`GapType.needs`): "no
CSO partner" needs CSOs in the graph. When the whole graph holds none of a
needed kind — a dataset of cities and twinnings has no CSO, no company, no
national body — the type is *not assessed*: it yields no finding (a finding
per city would only restate what the dataset does not cover) and the output
says so with the reason. Presence counts any node of the kind, whatever its
status; the graph is the one analysed (after `--basis stated`, if asked).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graph import predicates
from graph.analysis.registry import GapType, need_kinds

#: How a needed kind is named in a reason.
KIND_WORDS = {
    "city": "city",
    "cso": "civil-society organisation (kind cso)",
    "statutory_service": "statutory service",
    "national_body": "national body (kind national_body)",
    "private_sector": "private-sector actor (kind private_sector)",
    "research": "research body",
    "international_org": "international organisation",
    "program": "program",
    "framework": "framework",
    "national_framework": "national framework (a framework with level national)",
    "evaluation": "evaluation",
    "resource": "resource",
    "event": "event",
}


@dataclass(frozen=True)
class NotAssessed:
    """A gap type the graph was not assessed for, and why (one plain phrase)."""

    type: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, "reason": self.reason}


def node_kinds(d: Mapping[str, Any]) -> Iterator[str]:
    """The kinds a node with attributes `d` makes present: its kind, and
    "national_framework" for a national framework."""
    kind = d.get("kind")
    if kind:
        yield kind
    if kind == "framework" and predicates.is_national_framework(d):
        yield "national_framework"


def kinds_present(G: nx.MultiDiGraph) -> frozenset[str]:
    """The node kinds of `G`, plus "national_framework" when it holds one."""
    return frozenset(k for d in G._node.values() for k in node_kinds(d))


def needs_text(gap: GapType) -> str:
    """What `gap` needs, in words: "city; national body or national framework" (the short
    kind names, as in the applicability table of `docs/gaps.md`)."""
    return "; ".join(" or ".join(k.replace("_", " ") for k in need_kinds(n)) for n in gap.needs)


def missing(gap: GapType, present: frozenset[str]) -> list[tuple[str, ...]]:
    """The requirements of `gap` that `present` does not meet (each as its kinds)."""
    return [
        kinds
        for kinds in (need_kinds(n) for n in gap.needs)
        if not any(k in present for k in kinds)
    ]


def reason(unmet: Iterable[tuple[str, ...]]) -> str:
    """ "the graph has no X and no Y" for the unmet requirements."""
    words = [KIND_WORDS.get(k, k) for kinds in unmet for k in kinds]
    listed = ", no ".join(words[:-1]) + (" and no " if len(words) > 1 else "") + words[-1]
    return f"the graph has no {listed}"


def not_assessed(
    G: nx.MultiDiGraph, gaps: Iterable[GapType], present: frozenset[str] | None = None
) -> list[NotAssessed]:
    """The types of `gaps` (in their order) that `G` cannot be assessed for (`present`:
    `kinds_present(G)`, when the caller knows it)."""
    if present is None:
        present = kinds_present(G)
    out = []
    for gap in gaps:
        unmet = missing(gap, present)
        if unmet:
            out.append(NotAssessed(gap.type, reason(unmet)))
    return out
