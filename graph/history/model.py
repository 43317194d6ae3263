"""What a revision is: one committed write, with the change it made.

A revision records every node and relationship the write added, removed or
changed, each with its data properties before and after (`None` on the side
where it did not exist), and every country name a `countries` section set, so a
diff between two revisions is the composition of the changes between them, and a
past state is the present with the later changes undone. Properties are the data
properties of `graph.schema` (`NODE_PROPERTIES`, `RELATIONSHIP_PROPERTIES` without
`type`); bookkeeping (`schema.INTERNAL_PROPERTIES`, timestamps) is never recorded.

Example
-------
>>> c = NodeChange("oslo", None, {"id": "oslo", "kind": "city", "name": "Oslo"})
>>> c.action
'added'
>>> r = Revision(1, 7, "2026-12-01T10:00:00+00:00", "ana", "seed.yaml", Change(nodes=(c,)))
>>> Revision.from_json(r.to_json()) == r
True
>>> r.counts()["nodes_added"]
1
>>> CountryChange("GB", "United Kingdom", "Great Britain").action
'changed'
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

Action = Literal["added", "removed", "changed"]
#: What a revision counts: each family's records added, removed and changed.
COUNTED = tuple(
    f"{family}_{action}"
    for family in ("nodes", "relationships", "countries")
    for action in ("added", "removed", "changed")
)


def every_count(counts: dict[str, int]) -> dict[str, int]:
    """`counts` with every key of `COUNTED` (0 where missing: a revision recorded before
    country names were counted has no `countries_*`)."""
    return {key: counts.get(key, 0) for key in COUNTED}


#: A relationship's key: (source id, type, target id); at most one per key is stored.
RelKey = tuple[str, str, str]


def _action(before: object | None, after: object | None) -> Action:
    if before is None and after is None:
        raise ValueError("a change needs a before or an after")
    if before is None:
        return "added"
    return "removed" if after is None else "changed"


@dataclass(frozen=True)
class NodeChange:
    """An actor or initiative added (before None), removed (after None) or changed."""

    id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    @property
    def action(self) -> Action:
        return _action(self.before, self.after)


@dataclass(frozen=True)
class RelChange:
    """A relationship added, removed or changed; properties without `type`."""

    source: str
    type: str
    target: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    @property
    def key(self) -> RelKey:
        return (self.source, self.type, self.target)

    @property
    def action(self) -> Action:
        return _action(self.before, self.after)

    @property
    def confidential(self) -> bool:
        """Confidential on either side: hidden from a role that may not see confidential links."""
        return any(bool((side or {}).get("confidential")) for side in (self.before, self.after))


@dataclass(frozen=True)
class CountryChange:
    """A country's name set by a `countries` section: `before` is the name stored until
    then (None: the country had no node yet), `after` the name written."""

    code: str
    before: str | None
    after: str | None

    @property
    def action(self) -> Action:
        return _action(self.before, self.after)


@dataclass(frozen=True)
class Change:
    """Everything one write did to the data."""

    nodes: tuple[NodeChange, ...] = ()
    relationships: tuple[RelChange, ...] = ()
    countries: tuple[CountryChange, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.nodes or self.relationships or self.countries)

    def touched_ids(self) -> set[str]:
        """Ids of the nodes changed, and of both ends of every relationship changed."""
        ids = {n.id for n in self.nodes}
        for r in self.relationships:
            ids.update((r.source, r.target))
        return ids

    def to_dict(self) -> dict[str, Any]:
        return {
            "nodes": [{"id": n.id, "before": n.before, "after": n.after} for n in self.nodes],
            "relationships": [
                {
                    "source": r.source,
                    "type": r.type,
                    "target": r.target,
                    "before": r.before,
                    "after": r.after,
                }
                for r in self.relationships
            ],
            "countries": [
                {"code": c.code, "before": c.before, "after": c.after} for c in self.countries
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Change:
        return cls(
            nodes=tuple(NodeChange(n["id"], n["before"], n["after"]) for n in data["nodes"]),
            relationships=tuple(
                RelChange(r["source"], r["type"], r["target"], r["before"], r["after"])
                for r in data["relationships"]
            ),
            # revisions recorded before country names were kept have no "countries"
            countries=tuple(
                CountryChange(c["code"], c["before"], c["after"]) for c in data.get("countries", ())
            ),
        )


@dataclass(frozen=True)
class Revision:
    """One committed write: `id` counts revisions (1, 2, ...); `generation` is the
    store generation the write produced (`Store.generation` after it)."""

    id: int
    generation: int
    time: str
    who: str
    source: str
    change: Change = field(default_factory=Change)

    def counts(self) -> dict[str, int]:
        """How many nodes, relationships and country names were added, removed and
        changed."""
        out: dict[str, int] = {}
        for family, items in (
            ("nodes", self.change.nodes),
            ("relationships", self.change.relationships),
            ("countries", self.change.countries),
        ):
            for action in ("added", "removed", "changed"):
                out[f"{family}_{action}"] = sum(1 for c in items if c.action == action)
        return out

    def summary(self) -> dict[str, Any]:
        """The `history` line of the revision: id, time, who, source and counts."""
        return {
            "id": self.id,
            "generation": self.generation,
            "time": self.time,
            "who": self.who,
            "source": self.source,
            "counts": self.counts(),
        }

    def to_json(self) -> str:
        return json.dumps({**self.summary(), "change": self.change.to_dict()}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Revision:
        d = json.loads(text)
        return cls(
            d["id"],
            d["generation"],
            d["time"],
            d["who"],
            d["source"],
            Change.from_dict(d["change"]),
        )
