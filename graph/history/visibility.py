"""What of a change a role may see: the confidential rule applied to history.

A relationship while it is confidential is hidden from a role that may not see
confidential links, exactly as in today's graph: its confidential side (before or
after) is treated as "not there". So a change that only touched a confidential
relationship is no change at all for that role (its counts are zero, its diff is
empty), and a link that became public shows as added, with its public properties
only; a link that became confidential shows as removed. A diff or a past state is
then the difference of what the role could see at each end, never more.
"""

from __future__ import annotations

from typing import Any

from graph.history.model import Change, RelChange, Revision


def _shown(side: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if side is None or side.get("confidential") else side


def visible_relationship(rel: RelChange, *, include_confidential: bool = False) -> RelChange | None:
    """The relationship change as the role sees it (None when it sees nothing of it)."""
    if include_confidential or not rel.confidential:
        return rel
    before, after = _shown(rel.before), _shown(rel.after)
    if before is None and after is None:
        return None
    return RelChange(rel.source, rel.type, rel.target, before, after)


def visible_change(change: Change, *, include_confidential: bool = False) -> Change:
    """`change` without what the role may not see (unchanged with `include_confidential`)."""
    if include_confidential:
        return change
    rels = (visible_relationship(r, include_confidential=False) for r in change.relationships)
    return Change(change.nodes, tuple(r for r in rels if r is not None), change.countries)


def visible_revision(revision: Revision, *, include_confidential: bool = False) -> Revision:
    """The revision with only the part of its change the role may see (its counts too)."""
    if include_confidential:
        return revision
    change = visible_change(revision.change, include_confidential=False)
    return Revision(
        revision.id, revision.generation, revision.time, revision.who, revision.source, change
    )
