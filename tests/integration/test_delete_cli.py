"""`scn-graph delete`: actors or initiatives with their relationships, or one link; checked
first (nothing goes if anything is wrong), one revision, several ids confirmed."""

from __future__ import annotations

import json

from graph.history.read import revisions
from graph.store import Store
from tests.support.cli import cli_streams
from tests.support.store import load

DATA = {
    "actors": [
        {"id": "leeds", "name": "Leeds", "kind": "city", "country": "GB"},
        {"id": "bradford", "name": "Bradford", "kind": "city", "country": "GB"},
        {"id": "york", "name": "York", "kind": "city", "country": "GB"},
        {"id": "roots", "name": "Leeds Roots", "kind": "cso", "country": "GB", "city": "leeds"},
    ],
    "relationships": [
        {"source": "leeds", "type": "PARTNERS_WITH", "target": "bradford"},
        {"source": "roots", "type": "PARTNERS_WITH", "target": "york"},
        {"source": "york", "type": "TWINNED_WITH", "target": "bradford"},
    ],
}


def ids(store: Store) -> set[str]:
    return {r[0] for r in store.run("MATCH (n:Entity) RETURN n.id", read_only=True).rows}


def rel_count(store: Store) -> int:
    return store.run("MATCH (:Entity)-[r]->(:Entity) RETURN count(r)", read_only=True).scalar()


def delete(store_uri: str, *args: str) -> tuple[int, str, str]:
    return cli_streams("delete", *args, "--store", store_uri)


def test_delete_one_id_with_its_relationships_as_one_revision(store: Store, store_uri: str) -> None:
    load(store, DATA)
    code, out, err = delete(store_uri, "roots", "--dry-run")
    assert code == 0, err
    assert "Would delete: 1 node(s), 1 relationship(s)" in out
    assert "roots  (Leeds Roots)" in out and "roots PARTNERS_WITH york  (Leeds Roots → York)" in out
    assert "roots" in ids(store)
    code, out, err = delete(store_uri, "roots", "--format", "json")
    assert code == 0, err
    body = json.loads(out)
    assert body["revision"] == revisions(store)[-1].id
    assert [r.get("id") for r in body["removals"]] == ["roots", None]
    assert "roots" not in ids(store) and rel_count(store) == 2
    rev = revisions(store)[-1]
    assert rev.source == "delete"
    assert [(n.id, n.action) for n in rev.change.nodes] == [("roots", "removed")]
    assert [(r.source, r.target, r.action) for r in rev.change.relationships] == [
        ("roots", "york", "removed")
    ]


def test_delete_one_relationship_either_way_round_for_a_symmetric_type(
    store: Store, store_uri: str
) -> None:
    load(store, DATA)
    code, _out, err = delete(store_uri, "--relationship", "bradford", "PARTNERS_WITH", "leeds")
    assert code == 0, err
    assert ids(store) == {"leeds", "bradford", "york", "roots"} and rel_count(store) == 2
    (rel,) = revisions(store)[-1].change.relationships
    assert (rel.source, rel.type, rel.target, rel.after) == (
        "bradford",
        "PARTNERS_WITH",
        "leeds",
        None,
    )


def test_nothing_is_deleted_when_anything_is_wrong(store: Store, store_uri: str) -> None:
    load(store, DATA)
    history = revisions(store)
    code, _, err = delete(store_uri, "york", "atlantis", "--yes")
    assert code == 1 and "'atlantis'" in err and "Nothing was deleted" in err
    code, _, err = delete(store_uri, "leeds")  # roots names it as its city
    assert code == 1 and "'roots' names 'leeds' as its city" in err
    code, _, err = delete(store_uri, "--relationship", "leeds", "FUNDS", "york")
    assert code == 1 and "no FUNDS relationship" in err
    code, _, err = delete(store_uri, "--relationship", "leeds", "LIKES", "york")
    assert code == 1 and "not a relationship type" in err
    assert ids(store) == {"leeds", "bradford", "york", "roots"} and revisions(store) == history
    # Deleting the city and the actor naming it together is fine.
    code, _, err = delete(store_uri, "leeds", "roots", "--yes")
    assert code == 0, err
    assert ids(store) == {"bradford", "york"} and len(revisions(store)) == len(history) + 1


def test_several_ids_need_yes_without_a_terminal(store: Store, store_uri: str) -> None:
    load(store, DATA)
    code, _, err = delete(store_uri, "york", "bradford")
    assert code == 1 and "needs --yes" in err
    assert {"york", "bradford"} <= ids(store)
    code, out, _ = delete(store_uri, "york", "bradford", "--dry-run")
    assert code == 0 and "Would delete: 2 node(s), 3 relationship(s)" in out
    assert delete(store_uri, "york", "bradford", "--yes")[0] == 0
    assert ids(store) == {"leeds", "roots"}
