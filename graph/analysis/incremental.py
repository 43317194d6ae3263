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

from collections.abc import Iterable, Sequence

import networkx as nx

from graph.analysis import gaps, index_patch
from graph.analysis.findings import Finding
from graph.analysis.gaps_index import GapIndex
from graph.analysis.pool_window import PoolWindows
from graph.analysis.reach import Change, Scope, Settled, in_scope
from graph.analysis.resting import BasisMarker
from graph.projection import collector_paused


def scopes_of(
    before: nx.MultiDiGraph,
    after: nx.MultiDiGraph,
    touched: Iterable[str],
    skipped: set[str] | None = None,
    settled: Settled | None = None,
) -> dict[str, Scope]:
    """Per gap type the new graph can be assessed for (`skipped`: those it cannot, when
    known): the findings the change can alter (None: compute the type in full).
    `settled` tells the touched nodes that move in no pool's first members
    (`graph.analysis.pool_window`); without it, every touched node's country is a target."""
    change = Change(before, after, touched, settled)
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
    skipped = {n.type for n in gaps.not_assessed(after)}
    prepared, old_idx = _prepared(before, after, touched)
    settled = None if old_idx is None else PoolWindows(old_idx, prepared[1]).settled
    scopes = scopes_of(before, after, touched, skipped, settled)
    kept = [
        f
        for f in findings
        if f.type in scopes
        and scopes[f.type] is not None
        and not in_scope(f.subjects, gaps.countries_of(f), scopes[f.type])
    ]
    with collector_paused():
        found = [
            f
            for f in gaps.iter_gaps(
                after, list(scopes), scopes=scopes, prepared=prepared, skipped=skipped
            )
            if in_scope(f.subjects, gaps.countries_of(f), scopes[f.type])
        ]
    out = kept + found
    out.sort(key=gaps.sort_key)
    return out


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
    marker, idx = gaps.prepare(G)
    index_patch.remember(G, (marker.inferred, idx))
    with collector_paused():
        found = list(gaps.iter_gaps(G, prepared=(marker, idx)))
    found.sort(key=gaps.sort_key)
    return found
