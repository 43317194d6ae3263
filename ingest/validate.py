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


def validate(dataset: Dataset, existing: Mapping[str, Mapping[str, Any]]) -> list[Problem]:
    """All problems in `dataset`; `existing` maps ids already in the store to their properties
    (at least `kind`), so relationships may point at nodes loaded earlier."""
    problems: list[Problem] = []
    kinds = _check_ids(dataset, problems)
    for rid, props in existing.items():
        kinds.setdefault(rid, str(props.get("kind")))
    _check_cities(dataset, kinds, problems)
    _check_relationships(dataset, kinds, problems)
    return problems


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


def _check_cities(dataset: Dataset, kinds: dict[str, str], problems: list[Problem]) -> None:
    for a in dataset.actors:
        if a.city is None:
            continue
        if a.city not in kinds:
            problems.append(
                Problem(dataset.origin(a), "city", a.city, "no city with this id is defined")
            )
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
    dataset: Dataset, kinds: dict[str, str], problems: list[Problem]
) -> None:
    seen: dict[tuple[str, str, str], Relationship] = {}
    for rel in dataset.relationships:
        origin = dataset.origin(rel)
        rtype = schema.REL_TYPES[rel.type]
        ok = True
        for fld, ident in (("source", rel.source), ("target", rel.target)):
            if ident not in kinds:
                problems.append(
                    Problem(origin, fld, ident, "no actor or initiative with this id exists")
                )
                ok = False
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
    names = sorted("any actor" if k == "actor" else "any initiative" if k == "initiative" else k
                   for k in kinds)
    return " or ".join(names)
