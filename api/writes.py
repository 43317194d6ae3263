"""Editor writes: create, change and delete actors, through the ingest path.

An actor sent to the API is validated exactly as a row of an ingest file:
it becomes a one-record document (`ingest.readers.document.read_mapping`),
then `ingest.load.load_dataset` checks it against the store and upserts it
in one transaction. When an actor changes, its stored relationships go
through the same load, so they are re-checked (a new kind must still fit
every relationship) and re-classified (axis, cross-border, cross-sector).

Every write starts the new generation's analysis in the background (readers
meanwhile get the last complete one) and is recorded in the audit log.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request

from api.analysis import warm_in_background
from api.auth import Principal
from api.errors import ApiError, not_found
from api.state import AppState
from graph import edits
from graph.read.nodes import node_exists
from graph.read.shaping import node_dict
from graph.store.base import Store
from ingest.load import load_dataset
from ingest.problems import Problem, ValidationFailed
from ingest.readers.document import read_mapping
from ingest.records import Actor as ActorRecord
from ingest.records import Dataset
from ingest.records import Relationship as RelationshipRecord

ACTOR_FIELDS = tuple(ActorRecord.model_fields)
REL_FIELDS = tuple(RelationshipRecord.model_fields)
#: The `source` of the revisions the actor endpoints make.
API_SOURCE = "api"


def _problems(problems: list[Problem]) -> list[dict[str, Any]]:
    return [p.to_dict() for p in problems]


def _refuse(problems: list[Problem]) -> ApiError:
    n = len(problems)
    first = str(problems[0]) if problems else ""
    return ApiError(
        422,
        f"{n} problem{'s' if n != 1 else ''} with the actor; nothing was written. {first}",
        problems=_problems(problems),
    )


def _dataset(section: str, records: list[dict[str, Any]], source: str, who: Principal) -> Dataset:
    dataset, problems = read_mapping({section: records}, source, provenance=(f"api:{who.name}",))
    if problems:
        raise _refuse(problems)
    return dataset


def _stored_relationships(store: Store, actor_id: str) -> list[dict[str, Any]]:
    """The actor's stored relationships as ingest records, to be loaded again with it."""
    out = []
    for s, typ, t, props in edits.stored_relationships(store, actor_id):
        rec = {k: v for k, v in props.items() if k in REL_FIELDS and v is not None}
        rec.update({"source": s, "type": typ, "target": t})
        out.append(rec)
    return out


def _after_write(
    state: AppState, who: Principal, request: Request | None, action: str, summary: dict[str, Any]
) -> None:
    warm_in_background(state.analysis)
    state.audit.record(
        who=who.name,
        role=who.role,
        method=request.method if request else "",
        path=request.url.path if request else "",
        action=action,
        summary=summary,
    )


def _load(store: Store, dataset: Dataset, who: Principal, *, dry_run: bool) -> dict[str, Any]:
    try:
        return load_dataset(
            store, dataset, dry_run=dry_run, who=who.name, source=API_SOURCE
        ).to_dict()
    except ValidationFailed as exc:
        raise _refuse(exc.problems) from None


def _result(
    store: Store, actor_id: str, record: dict[str, Any], report: dict[str, Any], dry_run: bool
) -> dict[str, Any]:
    if dry_run:
        actor = node_dict(record)
    else:
        stored = edits.stored_actor(store, actor_id)
        actor = node_dict(stored) if stored is not None else None
    return {"actor": actor, "report": report}


def create_actor(
    state: AppState,
    store: Store,
    who: Principal,
    body: Any,
    *,
    dry_run: bool = False,
    request: Request | None = None,
) -> dict[str, Any]:
    record = body.model_dump(exclude_none=True)
    with state.write_lock:
        if node_exists(store, record["id"]):
            raise ApiError(
                409,
                f"an actor or initiative with id {record['id']!r} exists; use PUT or PATCH "
                f"/api/actors/{record['id']} to change an actor, or choose another id",
            )
        dataset = _dataset("actors", [record], "request body", who)
        report = _load(store, dataset, who, dry_run=dry_run)
        if not dry_run:
            _after_write(
                state,
                who,
                request,
                "actor.create",
                {"id": record["id"], "kind": record.get("kind"), "report": report},
            )
    return _result(
        store,
        record["id"],
        dataset.actors[0].model_dump(mode="json", exclude_none=True),
        report,
        dry_run,
    )


def update_actor(
    state: AppState,
    store: Store,
    who: Principal,
    actor_id: str,
    changes: dict[str, Any],
    *,
    replace: bool,
    dry_run: bool = False,
    request: Request | None = None,
) -> dict[str, Any]:
    with state.write_lock:
        stored = edits.stored_actor(store, actor_id)
        if stored is None:
            raise not_found("actor", actor_id)
        if replace:
            record = dict(changes)
        else:
            record = {k: v for k, v in stored.items() if k in ACTOR_FIELDS and k != "sources"}
            record.update(changes)
        record = {k: v for k, v in record.items() if v is not None}
        record["id"] = actor_id
        dataset = _dataset("actors", [record], "request body", who)
        rels = _stored_relationships(store, actor_id)
        if rels:
            dataset.extend(
                _dataset("relationships", rels, f"stored relationships of {actor_id!r}", who)
            )
        report = _load(store, dataset, who, dry_run=dry_run)
        new = dataset.actors[0].model_dump(mode="json", exclude_none=True)
        before = {k: v for k, v in stored.items() if k in ACTOR_FIELDS and k != "sources"}
        after = {k: v for k, v in new.items() if k != "sources" and v != []}
        changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
        if not dry_run:
            _after_write(
                state,
                who,
                request,
                "actor.replace" if replace else "actor.update",
                {"id": actor_id, "fields": changed, "report": report},
            )
    return _result(
        store,
        actor_id,
        dataset.actors[0].model_dump(mode="json", exclude_none=True),
        report,
        dry_run,
    )


def delete_actor(
    state: AppState,
    store: Store,
    who: Principal,
    actor_id: str,
    *,
    request: Request | None = None,
) -> dict[str, Any]:
    with state.write_lock:
        stored = edits.stored_actor(store, actor_id)
        if stored is None:
            raise not_found("actor", actor_id)
        dependants = edits.city_dependants(store, actor_id)
        if dependants:
            shown = ", ".join(repr(d) for d in dependants[:10])
            more = f" and {len(dependants) - 10} more" if len(dependants) > 10 else ""
            raise ApiError(
                409,
                f"{len(dependants)} actor{'s' if len(dependants) != 1 else ''} name "
                f"{actor_id!r} as their city ({shown}{more}); change or remove their `city` "
                "first, then delete it",
            )
        result = {
            "deleted": actor_id,
            "name": stored.get("name"),
            "relationships_removed": edits.delete_actor(
                store, actor_id, who=who.name, source=API_SOURCE
            ),
        }
        _after_write(state, who, request, "actor.delete", dict(result))
    return result
