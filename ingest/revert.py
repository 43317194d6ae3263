"""`scn-graph revert REV`: the graph brought back to revision REV, as one new revision.

The plan (`graph.history.revert`) undoes the net change of the revisions after REV:
records they added are removed, records they changed or removed are written back as
they were at REV, with their `sources` as they were then. The loader writes it
(`ingest.load.load_dataset`, with the removals in the same transaction), so the revert
is validated, atomic and recorded like any other write (source "revert"), and can
itself be reverted. Records no later revision touched are left alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.analysis.service import AnalysisService
from graph.edits import Removal
from graph.history.diff import Diff
from graph.history.revert import RevertPlan, revert_diff, revert_plan
from graph.history.service import HistoryService
from graph.store.base import Store
from ingest.load import LoadReport, load_dataset
from ingest.readers.document import dataset_from_mapping

#: The revision source of a revert.
REVERT_SOURCE = "revert"


@dataclass(frozen=True)
class Reverted:
    """What a revert did (or, on a dry run, would do): `diff` from the newest revision
    back to `revision` (with the confidential relationships only if asked), the new
    revision's id (None when nothing was written)."""

    revision: int
    plan: RevertPlan
    diff: Diff
    new_revision: int | None = None
    report: LoadReport | None = None


def _plan(
    store: Store, rev: int, *, include_confidential: bool
) -> tuple[RevertPlan, Diff, HistoryService]:
    """The plan that brings the graph back to `rev`, and its diff (HistoryError for an
    unknown revision, or when a write since `rev` left no revision)."""
    hist = HistoryService(AnalysisService(store))
    hist.check(rev)
    later = hist.later_than(rev)
    shown = revert_diff(later, hist.latest(), rev, include_confidential=include_confidential)
    return revert_plan(later), shown, hist


def _removal(plan: RevertPlan) -> Removal:
    """What the plan removes, with the data the history says each record holds now."""
    return Removal(nodes=dict(plan.remove_nodes), relationships=dict(plan.remove_relationships))


def revert(
    store: Store,
    rev: int,
    *,
    who: str | None = None,
    dry_run: bool = False,
    include_confidential: bool = False,
) -> Reverted:
    """Bring the graph back to revision `rev` as one new revision (nothing is written when
    no later revision changed anything, or on a dry run)."""
    plan, shown, hist = _plan(store, rev, include_confidential=include_confidential)
    if not plan or dry_run:
        return Reverted(rev, plan, shown)
    dataset = dataset_from_mapping(plan.document(), source=REVERT_SOURCE)
    report = load_dataset(
        store,
        dataset,
        who=who,
        source=REVERT_SOURCE,
        removal=_removal(plan),
        exact_sources=True,
    )
    return Reverted(rev, plan, shown, hist.latest(), report)
