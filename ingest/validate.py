"""Cross-record checks: ids, endpoints, duplicates. Run before anything is written.

Per-field checks (types, vocabularies) happen when readers build records;
here we check what needs the whole dataset and the graph already stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graph import schema
from ingest.problems import Problem
from ingest.records import Actor, Dataset, Initiative, Relationship

#: Properties that identify an entity's content, compared for duplicate ids.
_IGNORED_FOR_CONFLICT = {"sources"}
_NO_NODE = "no actor or initiative with this id in the input or the store"
_NO_CITY = "no city with this id in the input or the store"


def validate(
    dataset: Dataset,
    existing: Mapping[str, Mapping[str, Any]],
    *,
    missing_ok: bool = False,
) -> list[Problem]:
    """All problems in `dataset`; `existing` maps ids already in the store to their properties
    (at least `kind`), so relationships may point at nodes loaded earlier.

    With `missing_ok=True` (reading files without a store at hand), ids that are
    referenced but defined neither in `dataset` nor in `existing` are not reported:
    they may be in the store, and `load_dataset` checks them against it. Ids in
    `dataset.invalid_ids` (rows that had their own problems) are never reported
    as dangling, and relationships touching them are not kind-checked.
    """
    problems: list[Problem] = []
    kinds = _check_ids(dataset, problems)
    unreadable = dataset.invalid_ids - kinds.keys()
    for rid, props in existing.items():
        if rid not in unreadable:
            kinds.setdefault(rid, str(props.get("kind")))
    skip = _Skip(unreadable, missing_ok)
    _check_cities(dataset, kinds, skip, problems)
    _check_relationships(dataset, kinds, skip, problems)
    return problems


class _Skip:
    """Which unknown ids to pass over silently."""

    def __init__(self, unreadable: set[str], missing_ok: bool) -> None:
        self.unreadable = unreadable
        self.missing_ok = missing_ok

    def __contains__(self, ident: object) -> bool:
        return self.missing_ok or ident in self.unreadable


def _check_ids(dataset: Dataset, problems: list[Problem]) -> dict[str, str]:
    seen: dict[str, Actor | Initiative] = {}
    for rec in [*dataset.actors, *dataset.initiatives]:
        prev = seen.get(rec.id)
        if prev is None:
            seen[rec.id] = rec
            continue
        a = prev.model_dump(exclude=_IGNORED_FOR_CONFLICT)
        b = rec.model_dump(exclude=_IGNORED_FOR_CONFLICT)
        if a != b:
            diff = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
            first = dataset.origin(prev)
            problems.append(
                Problem(
                    dataset.origin(rec),
                    "id",
                    rec.id,
                    f"duplicate id with conflicting data ({', '.join(diff)}) — first defined at "
                    f"{first}",
                )
            )
    return {i: r.kind for i, r in seen.items()}


def _check_cities(
    dataset: Dataset, kinds: dict[str, str], skip: _Skip, problems: list[Problem]
) -> None:
    for a in dataset.actors:
        if a.city is None:
            continue
        if a.city not in kinds:
            if a.city in skip:
                continue
            problems.append(Problem(dataset.origin(a), "city", a.city, _NO_CITY))
        elif kinds[a.city] != "city":
            problems.append(
                Problem(
                    dataset.origin(a),
                    "city",
                    a.city,
                    f"must be the id of a city, but it is a {kinds[a.city]}",
                )
            )


def _check_relationships(
    dataset: Dataset, kinds: dict[str, str], skip: _Skip, problems: list[Problem]
) -> None:
    seen: dict[tuple[str, str, str], Relationship] = {}
    for rel in dataset.relationships:
        origin = dataset.origin(rel)
        rtype = schema.REL_TYPES[rel.type]
        ok = True
        for fld, ident in (("source", rel.source), ("target", rel.target)):
            if ident not in kinds:
                ok = False
                if ident in skip:
                    continue
                problems.append(Problem(origin, fld, ident, _NO_NODE))
        if ok and rel.source == rel.target:
            problems.append(Problem(origin, "target", rel.target, "a relationship needs two ends"))
            ok = False
        if ok and not rtype.allows(kinds[rel.source], kinds[rel.target]):
            problems.append(
                Problem(
                    origin,
                    "type",
                    rel.type,
                    f"{rel.type} cannot go from a {kinds[rel.source]} ({rel.source}) to a "
                    f"{kinds[rel.target]} ({rel.target}); allowed: "
                    f"{_describe(rtype.sources)} → {_describe(rtype.targets)}",
                )
            )
        prev = seen.get(rel.key)
        if prev is not None:
            a = prev.model_dump(exclude={"sources", "source", "target"})
            b = rel.model_dump(exclude={"sources", "source", "target"})
            if a != b:
                problems.append(
                    Problem(
                        origin,
                        "type",
                        rel.type,
                        f"the same relationship {rel.source} {rel.type} {rel.target} is given "
                        f"twice with different data; first at {dataset.origin(prev)}",
                    )
                )
        else:
            seen[rel.key] = rel


def _describe(kinds: frozenset[str]) -> str:
    names = sorted(
        "any actor" if k == "actor" else "any initiative" if k == "initiative" else k for k in kinds
    )
    return " or ".join(names)
