"""Which inferred records a gap finding rests on, so the finding can say so.

The rule (`docs/gaps.md`, "Evidence basis"): a finding rests on

* its subjects (the nodes it is about);
* the nodes its text names: a node whose name a detector reads from the index
  (`GapIndex.name`, `GapIndex.names`) while writing the finding, and whose name
  appears in its explanation, suggestion or mitigation;
* the relationships its mitigation describes (the planned links it cites);
* the relationships, in either direction and of any status, between one of its
  subjects and a node it rests on (a city's link to the partner it names).

Of these, the inferred ones go into `Finding.inferred`. The detectors need not
take part: `find_gaps` builds a `RecordingIndex` (a `GapIndex` that notes the
names and links read) when the graph holds any inferred record, and `mark`
takes what was noted since the previous finding. Detectors are generators that
write a finding's text just before yielding it, so what was read in between
belongs to that finding; a name read but not written (a sort key, say) is not
in the text and is not counted. A graph with nothing inferred costs nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

import networkx as nx

from graph import predicates
from graph.analysis.basis import edge_label, inferred_edges, inferred_nodes
from graph.analysis.findings import Finding
from graph.analysis.gaps_index import GapIndex, Link

#: A relationship as (source, type, target).
Edge = tuple[str, str, str]


def _incident(G: nx.MultiDiGraph, t: str) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(source, target, key dict) of every pair of nodes with a relationship at `t`."""
    for v, keys in G._succ[t].items():
        yield t, v, keys
    for u, keys in G._pred[t].items():
        if u != t:
            yield u, t, keys


class RecordingIndex(GapIndex):
    """A `GapIndex` that notes every node named and every link described."""

    def fresh_state(self) -> None:
        super().fresh_state()
        self.named: set[str] = set()
        self.described: set[Link] = set()

    def name(self, n: str) -> str:
        self.named.add(n)
        return super().name(n)

    def describe(self, link: Link) -> str:
        self.described.add(link)
        return super().describe(link)

    def take(self) -> tuple[set[str], set[Link]]:
        """What was named and described since the last call (and forget it)."""
        named, described = self.named, self.described
        self.named, self.described = set(), set()
        return named, described


class BasisMarker:
    """Sets `Finding.inferred` on the findings of one graph (see the module docstring)."""

    def __init__(
        self, G: nx.MultiDiGraph, inferred: tuple[set[str], set[Edge]] | None = None
    ) -> None:
        self.G = G
        self.nodes, self.edges = inferred or (inferred_nodes(G), inferred_edges(G))

    def patched(self, after: nx.MultiDiGraph, touched: Iterable[str]) -> BasisMarker:
        """The marker of `after`, from this one (of the graph before it) and the ids the
        change touched: only the touched nodes and their relationships are read again."""
        touched = set(touched)
        nodes = self.nodes - touched
        nodes.update(t for t in touched if t in after and predicates.is_inferred(after._node[t]))
        edges = set(self.edges)
        for G, keep in ((self.G, False), (after, True)):
            for t in touched & G._node.keys():
                for u, v, keys in _incident(G, t):
                    for k, d in keys.items():
                        if not keep:
                            edges.discard((u, k, v))
                        elif predicates.is_inferred(d):
                            edges.add((u, k, v))
        return BasisMarker(after, (nodes, edges))

    @property
    def inferred(self) -> tuple[set[str], set[Edge]]:
        """The inferred nodes and relationships of the graph."""
        return self.nodes, self.edges

    @property
    def index_class(self) -> type[GapIndex]:
        """The class of index the detectors read: a recording one only when it matters."""
        return RecordingIndex if self.needed else GapIndex

    @property
    def needed(self) -> bool:
        """Does the graph hold anything inferred (else every finding is stated)?"""
        return bool(self.nodes or self.edges)

    def index(self) -> GapIndex:
        """The index the detectors read (`index_class`)."""
        return self.index_class(self.G)

    def mark(self, idx: GapIndex, f: Finding) -> Finding:
        """`f` with the inferred records it rests on (unchanged when there are none)."""
        if not isinstance(idx, RecordingIndex):
            return f
        named, described = idx.take()
        text = " ".join(x for x in (f.explanation, f.suggestion, f.mitigation) if x)
        subjects = [s for s in f.subjects if s in self.G]
        resting = dict.fromkeys(subjects)
        resting.update(dict.fromkeys(sorted(n for n in named if idx.names_.get(n, n) in text)))
        for link in described:
            resting.update(dict.fromkeys((link.source, link.target)))
        found = [n for n in resting if n in self.nodes]
        edges = {(x.source, x.type, x.target) for x in described} & self.edges
        edges.update(self._between(subjects, resting))
        found += [edge_label(*e) for e in sorted(edges)]
        if not found:
            return f
        return replace(f, inferred=tuple(found))

    def _between(self, subjects: Iterable[str], others: Iterable[str]) -> set[tuple[str, str, str]]:
        """The inferred relationships between a subject and another node the finding rests on."""
        out: set[tuple[str, str, str]] = set()
        others = list(others)
        for s in subjects:
            for o in others:
                if o == s:
                    continue
                for u, v in ((s, o), (o, s)):
                    for k, d in (self.G.get_edge_data(u, v) or {}).items():
                        if predicates.is_inferred(d):
                            out.add((u, k, v))
        return out
