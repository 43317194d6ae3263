"""What changed between two revisions: the changes of revisions A+1..B composed into one.

Each record (a node by id, a relationship by source, type and target) is compared
as it was at A (the `before` of the first revision in the range that touched it)
with how it is at B (the `after` of the last one): a record added and removed again
in between vanishes, and so does a change that was reverted. The confidential rule
is applied to the two ends (`graph.history.visibility`): without
`include_confidential` a relationship is compared as the role saw it, so one that was
confidential at both ends never appears.

JSON (`Diff.to_dict`, the CLI's and the API's answer)::

    {"from": A, "to": B,
     "added":   {"nodes": [{"id", "properties"}],
                 "relationships": [{"source", "type", "target", "properties"}],
                 "countries": [{"code", "properties": {"name"}}]},
     "removed": {... the same shape, with the properties it had at A},
     "changed": {"nodes": [{"id", "name", "properties": {P: {"before", "after"}}}],
                 "relationships": [{"source", "type", "target",
                                    "properties": {P: {"before", "after"}}}],
                 "countries": [{"code", "properties": {"name": {"before", "after"}}}]}}

A country is "added" when a `countries` section first named it (it had no node
yet), "changed" when it renamed it.

`properties` of an added or removed record leaves out empty values; of a changed
one it holds only the properties that differ. Lists are sorted by id / key.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from graph.history.model import Change, CountryChange, NodeChange, RelChange, RelKey, Revision
from graph.history.visibility import visible_change

ACTIONS = ("added", "removed", "changed")
Props = dict[str, Any] | None


def _value(v: Any) -> Any:
    """Empty values are one value: a property never set equals an empty list or text."""
    return None if v in (None, "", []) else v


def changed_properties(before: Props, after: Props) -> dict[str, dict[str, Any]]:
    """{property: {"before", "after"}} for each property whose value differs."""
    b, a = before or {}, after or {}
    out = {}
    for k in sorted(set(b) | set(a)):
        old, new = _value(b.get(k)), _value(a.get(k))
        if old != new:
            out[k] = {"before": old, "after": new}
    return out


def _same(before: Props, after: Props) -> bool:
    if before is None or after is None:
        return before is after
    return not changed_properties(before, after)


def compose(revisions: Iterable[Revision]) -> Change:
    """The net change of `revisions` (oldest first): each record's first `before` and
    last `after`, records whose two are the same left out."""
    nodes: dict[str, list[Props]] = {}
    rels: dict[RelKey, list[Props]] = {}
    names: dict[str, list[str | None]] = {}
    for rev in revisions:
        for n in rev.change.nodes:
            nodes.setdefault(n.id, [n.before, n.after])[1] = n.after
        for r in rev.change.relationships:
            rels.setdefault(r.key, [r.before, r.after])[1] = r.after
        for c in rev.change.countries:
            names.setdefault(c.code, [c.before, c.after])[1] = c.after
    return Change(
        nodes=tuple(NodeChange(i, b, a) for i, (b, a) in sorted(nodes.items()) if not _same(b, a)),
        relationships=tuple(
            RelChange(*k, b, a) for k, (b, a) in sorted(rels.items()) if not _same(b, a)
        ),
        countries=tuple(CountryChange(k, b, a) for k, (b, a) in sorted(names.items()) if b != a),
    )


def _shown_properties(props: Props) -> dict[str, Any]:
    return {k: v for k, v in sorted((props or {}).items()) if _value(v) is not None}


def _node_entry(n: NodeChange) -> dict[str, Any]:
    if n.action == "changed":
        name = (n.after or {}).get("name") or (n.before or {}).get("name")
        return {"id": n.id, "name": name, "properties": changed_properties(n.before, n.after)}
    return {"id": n.id, "properties": _shown_properties(n.after or n.before)}


def _rel_entry(r: RelChange) -> dict[str, Any]:
    ends = {"source": r.source, "type": r.type, "target": r.target}
    if r.action == "changed":
        return {**ends, "properties": changed_properties(r.before, r.after)}
    return {**ends, "properties": _shown_properties(r.after or r.before)}


def _country_entry(c: CountryChange) -> dict[str, Any]:
    if c.action == "changed":
        return {"code": c.code, "properties": {"name": {"before": c.before, "after": c.after}}}
    return {"code": c.code, "properties": {"name": c.after or c.before}}


@dataclass(frozen=True)
class Diff:
    """The net change from revision `start` to revision `end` (as one role sees it)."""

    start: int
    end: int
    change: Change

    def counts(self) -> dict[str, int]:
        """As `Revision.counts`: nodes_added ... relationships_changed."""
        return Revision(self.end, 0, "", "", "", self.change).counts()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"from": self.start, "to": self.end}
        for action in ACTIONS:
            out[action] = {
                "nodes": [_node_entry(n) for n in self.change.nodes if n.action == action],
                "relationships": [
                    _rel_entry(r) for r in self.change.relationships if r.action == action
                ],
                "countries": [
                    _country_entry(c) for c in self.change.countries if c.action == action
                ],
            }
        return out


def diff(
    revisions: Iterable[Revision], start: int, end: int, *, include_confidential: bool = False
) -> Diff:
    """The diff from `start` to `end` of the revisions given (those with start < id <= end
    are composed; the others are ignored). The caller checks the numbers
    (`graph.history.checks.check_range`)."""
    chosen = sorted((r for r in revisions if start < r.id <= end), key=lambda r: r.id)
    net = visible_change(compose(chosen), include_confidential=include_confidential)
    return Diff(start, end, net)
