"""The findings after a write, from the findings before it: only what can change is
computed again.

`update_findings(before, findings, after, touched)` takes the projection and the
findings of a generation, the projection of a later one (`graph.projection_patch`)
and the ids every write in between touched (`graph.history.read.touched_since`). For
each gap type:

* a type the new graph cannot be assessed for has no finding (`applicability`);
* a type newly assessable, or one whose reach the change exceeds (declared
  `whole`; an international node or a network touched, for types that read them;
  see `graph.analysis.reach`), is computed again in full;
* otherwise its scope is the set of countries the change can reach: the findings of
  those countries are computed again (detectors skip the other subjects) and the
  others are the previous generation's.

The result equals `find_gaps(after)`: same findings, same order (tests compare them
after many random edits of every kind). The whole catalogue's detectors share one
index of the new graph: patched from the previous generation's when it is remembered
(`graph.analysis.index_patch`: `full_findings` and `update_findings` remember the index
of the graph they analysed while that graph lives), built as for a full run otherwise.
"""

from __future__ import annotations

import weakref
from collections import Counter
from collections.abc import Iterable, Sequence

import networkx as nx

from graph.analysis import applicability, filed_findings, gaps, index_patch
from graph.analysis.findings import Finding
from graph.analysis.gaps_index import GapIndex
from graph.analysis.pool_window import PoolWindows
from graph.analysis.reach import Change, Scope, Settled, in_scope
from graph.analysis.resting import BasisMarker
from graph.collector import collector_paused


def scopes_of(
    before: nx.MultiDiGraph,
    after: nx.MultiDiGraph,
    touched: Iterable[str],
    skipped: set[str] | None = None,
    settled: Settled | None = None,
    indexes: tuple[GapIndex, GapIndex] | None = None,
    was_skipped: set[str] | None = None,
) -> dict[str, Scope]:
    """Per gap type the new graph can be assessed for (`skipped`: those it cannot, when
    known): the findings the change can alter (None: compute the type in full).
    `settled` tells the touched nodes that move in no pool's first members
    (`graph.analysis.pool_window`); without it, every touched node's country is a target.
    `indexes`, the gap indexes of both graphs, and `was_skipped`, the types `before`
    could not be assessed for, spare a scan of their nodes."""
    change = Change(before, after, touched, settled, indexes)
    if was_skipped is None:
        was_skipped = {n.type for n in gaps.not_assessed(before)}
    if skipped is None:
        skipped = {n.type for n in gaps.not_assessed(after)}
    out: dict[str, Scope] = {}
    for t, gap in gaps.GAP_TYPES.items():
        if t in skipped:
            continue
        out[t] = (
            None
            if t in was_skipped
            else change.scope(gap.reach, country_subjects=gap.country_subjects)
        )
    return out


def update_findings(
    before: nx.MultiDiGraph,
    findings: Sequence[Finding],
    after: nx.MultiDiGraph,
    touched: Iterable[str],
) -> list[Finding]:
    """`find_gaps(after)`, computed from `findings` (`find_gaps(before)`, unfiltered) and
    the ids touched between the two graphs (see the module docstring)."""
    touched = set(touched)
    kinds = _kinds(before), _patched_kinds(before, after, touched)
    was_skipped, skipped = (
        {n.type for n in gaps.not_assessed(G, None, k)}
        for G, k in zip((before, after), kinds, strict=True)
    )
    with collector_paused():  # an index built or patched: what it makes survives
        prepared, old_idx = _prepared(before, after, touched)
    indexes, settled = None, None
    if old_idx is not None:
        indexes = (old_idx, prepared[1])
        settled = PoolWindows(*indexes).settled
    scopes = scopes_of(before, after, touched, skipped, settled, indexes, was_skipped)
    kept = filed_findings.recall(before, findings).kept(scopes)
    with collector_paused():
        found = [
            f
            for f in gaps.iter_gaps(
                after, list(scopes), scopes=scopes, prepared=prepared, skipped=skipped
            )
            if in_scope(f.subjects, gaps.countries_of(f), scopes[f.type])
        ]
    filed = kept.merged(found)
    filed_findings.remember(after, filed)
    return filed.findings


#: The number of nodes of each kind a graph makes present (`applicability.node_kinds`),
#: remembered per analysed graph, weakly, so the next generation's is patched.
_KIND_COUNTS: weakref.WeakKeyDictionary[nx.MultiDiGraph, Counter[str]] = weakref.WeakKeyDictionary()


def _kind_counts(G: nx.MultiDiGraph) -> Counter[str]:
    if G not in _KIND_COUNTS:
        _KIND_COUNTS[G] = Counter(k for d in G._node.values() for k in applicability.node_kinds(d))
    return _KIND_COUNTS[G]


def _kinds(G: nx.MultiDiGraph) -> frozenset[str]:
    """`applicability.kinds_present(G)`, from the remembered counts."""
    return frozenset(k for k, n in _kind_counts(G).items() if n > 0)


def _patched_kinds(
    before: nx.MultiDiGraph, after: nx.MultiDiGraph, touched: set[str]
) -> frozenset[str]:
    """The kinds `after` makes present, from `before`'s counts and the touched nodes;
    its counts remembered for the next generation."""
    counts = Counter(_kind_counts(before))
    for t in touched:
        if t in before:
            counts.subtract(applicability.node_kinds(before._node[t]))
        if t in after:
            counts.update(applicability.node_kinds(after._node[t]))
    _KIND_COUNTS[after] = counts
    return _kinds(after)


def _prepared(
    before: nx.MultiDiGraph, after: nx.MultiDiGraph, touched: set[str]
) -> tuple[tuple[BasisMarker, GapIndex], GapIndex | None]:
    """The basis marker and gap index of `after`: patched from `before`'s when they are
    remembered, built otherwise; remembered for the next generation either way. With
    them, `before`'s index when it was remembered."""
    prev = index_patch.recall(before)
    old = None
    if prev is None:
        marker, idx = gaps.prepare(after)
    else:
        inferred, old = prev
        marker = BasisMarker(before, inferred).patched(after, touched)
        idx = index_patch.patched_index(old, before, after, touched, marker.index_class)
    index_patch.remember(after, (marker.inferred, idx))
    return (marker, idx), old


def full_findings(G: nx.MultiDiGraph) -> list[Finding]:
    """`find_gaps(G)`, remembering the index of `G` so that the next generation's
    findings can be patched from it (`update_findings`)."""
    with collector_paused():  # the index as well: every set it makes survives the run
        marker, idx = gaps.prepare(G)
        index_patch.remember(G, (marker.inferred, idx))
        found = list(gaps.iter_gaps(G, prepared=(marker, idx)))
    found.sort(key=gaps.sort_key)
    filed_findings.remember(G, filed_findings.Filed.of(found))
    _kind_counts(G)  # remembered for the next generation's
    return found
