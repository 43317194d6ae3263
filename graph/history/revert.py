"""What bringing the graph back to revision REV writes: the later revisions' net change,
undone.

Each record the revisions after REV touched is compared as it was at REV with how it is
now (`graph.history.diff.compose`): one that did not exist at REV is removed, one that
did is written back with its properties then, and a country renamed since gets its
name then back. Records no later revision touched are left alone. The plan is written
by the loader as one new revision (`scn-graph revert`), so a revert is itself in the
history and can be reverted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from graph.history.diff import Diff, compose
from graph.history.model import Change, CountryChange, NodeChange, RelChange, RelKey, Revision
from graph.history.visibility import visible_change
from graph.schema import family_of


@dataclass(frozen=True)
class RevertPlan:
    """Records to write back (property maps, as the input format has them) and to remove
    (with their data now; a removed node's relationships are all in
    `remove_relationships`)."""

    actors: tuple[dict[str, Any], ...] = ()
    initiatives: tuple[dict[str, Any], ...] = ()
    relationships: tuple[dict[str, Any], ...] = ()
    remove_nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    remove_relationships: dict[RelKey, dict[str, Any]] = field(default_factory=dict)
    #: Country names to write back ({code, name}, a `countries` section's rows).
    countries: tuple[dict[str, str], ...] = ()

    def __bool__(self) -> bool:
        return any(
            (
                self.actors,
                self.initiatives,
                self.relationships,
                self.remove_nodes,
                self.remove_relationships,
                self.countries,
            )
        )

    def document(self) -> dict[str, list[dict[str, Any]]]:
        """The records to write back, as an input document (sections of docs/data-format.md)."""
        return {
            "actors": list(self.actors),
            "initiatives": list(self.initiatives),
            "relationships": list(self.relationships),
            "countries": list(self.countries),
        }


def _present(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if v is not None}


def revert_plan(later: Iterable[Revision]) -> RevertPlan:
    """The plan that undoes `later` (the revisions after the one to go back to)."""
    net = compose(later)
    actors: list[dict[str, Any]] = []
    initiatives: list[dict[str, Any]] = []
    remove_nodes: dict[str, dict[str, Any]] = {}
    for n in net.nodes:
        if n.before is None:
            remove_nodes[n.id] = dict(n.after or {})
        elif family_of(n.before["kind"]) == "actor":
            actors.append(_present(n.before))
        else:
            initiatives.append(_present(n.before))
    # every relationship of a node that goes came after REV too, so it is in `net`
    rels: list[dict[str, Any]] = []
    remove_rels: dict[RelKey, dict[str, Any]] = {}
    for r in net.relationships:
        if r.before is None:
            remove_rels[r.key] = dict(r.after or {})
        else:
            ends = {"source": r.source, "type": r.type, "target": r.target}
            rels.append({**ends, **_present(r.before)})
    return RevertPlan(
        tuple(actors),
        tuple(initiatives),
        tuple(rels),
        remove_nodes,
        remove_rels,
        tuple({"code": c.code, "name": c.before} for c in _renamed_back(net)),
    )


def _renamed_back(net: Change) -> list[CountryChange]:
    """The country names a revert writes back: those that had one at REV. A country a
    later `countries` section named first keeps its name: its node stays, as every
    country node does (the records in it may need it)."""
    return [c for c in net.countries if c.before is not None]


def revert_diff(
    later: Iterable[Revision], latest: int, rev: int, *, include_confidential: bool = False
) -> Diff:
    """What bringing the graph back from `latest` to `rev` changes, as a diff from the
    one to the other (as the role may see it)."""
    net = compose(later)
    back = Change(
        nodes=tuple(NodeChange(n.id, n.after, n.before) for n in net.nodes),
        relationships=tuple(
            RelChange(r.source, r.type, r.target, r.after, r.before) for r in net.relationships
        ),
        countries=tuple(CountryChange(c.code, c.after, c.before) for c in _renamed_back(net)),
    )
    return Diff(latest, rev, visible_change(back, include_confidential=include_confidential))
