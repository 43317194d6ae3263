"""Every write is one revision, stored with it: ids increase, before/after are the data,
a failed write leaves none, large changes are stored in parts, and `touched_since` says
what changed (or that it cannot know)."""

from __future__ import annotations

import json

import pytest

from graph import edits
from graph.history import record
from graph.history.model import Change, NodeChange
from graph.history.read import latest_revision, revisions, summaries, touched_since
from graph.history.record import record_revision
from graph.read.stats import stats
from graph.store import Store, StoreError, open_store
from ingest.load import load_dataset
from ingest.problems import ValidationFailed
from ingest.readers.document import dataset_from_mapping
from tests.support.store import load

PARIS = {"id": "paris", "kind": "city", "name": "Paris", "country": "FR"}
LYON = {"id": "lyon", "kind": "city", "name": "Lyon", "country": "FR"}
LINK = {"source": "paris", "type": "PARTNERS_WITH", "target": "lyon"}


def write(store: Store, data: dict, **kw: str) -> None:
    load_dataset(store, dataset_from_mapping(data, source="t.yaml"), **kw)


def staged_store(uri: str, monkeypatch: pytest.MonkeyPatch) -> Store:
    """The same graph, through a store that stages every write on a copy."""
    monkeypatch.setenv("SCN_GRAPH_SMALL_WRITE_MAX", "0")
    return open_store(uri)


def test_each_write_is_one_revision_with_increasing_ids(store: Store) -> None:
    write(store, {"actors": [PARIS, LYON], "relationships": [LINK]}, who="ana", source="a.yaml")
    gen1 = store.generation
    write(store, {"actors": [{**PARIS, "name": "Paris (city)"}]}, who="bo", source="b.yaml")
    write(store, {"actors": [{**PARIS, "name": "Paris (city)"}]})  # unchanged: no write
    revs = revisions(store)
    assert [r.id for r in revs] == [1, 2]
    assert [(r.who, r.source) for r in revs] == [("ana", "a.yaml"), ("bo", "b.yaml")]
    assert revs[0].generation == gen1 and revs[1].generation == store.generation
    assert latest_revision(store) == 2
    assert [s["counts"] for s in summaries(store)] == [r.counts() for r in revs]
    assert [r.id for r in revisions(store, after=1)] == [2]
    assert [r.id for r in revisions(store, upto=1)] == [1]


def test_before_and_after_are_the_data_of_added_changed_and_removed_records(
    store: Store,
) -> None:
    write(store, {"actors": [PARIS, LYON], "relationships": [LINK]})
    added = revisions(store)[-1].change
    assert {n.id: n.action for n in added.nodes} == {"paris": "added", "lyon": "added"}
    paris = next(n for n in added.nodes if n.id == "paris")
    assert paris.before is None
    assert paris.after == {
        "id": "paris",
        "kind": "city",
        "name": "Paris",
        "country": "FR",
        "level": "local",
        "sources": ["file:t.yaml"],
    }
    (rel,) = added.relationships
    assert (rel.action, rel.type, rel.before) == ("added", "PARTNERS_WITH", None)
    assert rel.after == {"status": "active", "confidential": False, "sources": ["file:t.yaml"]}

    write(
        store,
        {
            "actors": [{**PARIS, "name": "Paris (city)"}, LYON],
            "relationships": [{**LINK, "status": "planned"}],
        },
    )
    changed = revisions(store)[-1].change
    (node,) = changed.nodes  # Lyon is unchanged: not in the change
    assert node.action == "changed" and node.id == "paris"
    assert (node.before["name"], node.after["name"]) == ("Paris", "Paris (city)")
    assert {k for k in node.before if node.before[k] != node.after.get(k)} == {"name"}
    (rel,) = changed.relationships
    assert (rel.before["status"], rel.after["status"]) == ("active", "planned")
    # No bookkeeping in either side.
    for side in (node.before, node.after, rel.before, rel.after):
        assert not {"content_hash", "updated_at", "axis", "cross_border"} & set(side)

    edits.delete_actor(store, "lyon", who="cli", source="delete")
    removed = revisions(store)[-1]
    assert (removed.who, removed.source) == ("cli", "delete")
    (node,) = removed.change.nodes
    assert (node.id, node.action, node.before["name"], node.after) == (
        "lyon",
        "removed",
        "Lyon",
        None,
    )
    (rel,) = removed.change.relationships
    assert (rel.action, rel.before["status"]) == ("removed", "planned")


def test_a_refused_load_writes_no_revision(store: Store) -> None:
    write(store, {"actors": [PARIS]})
    with pytest.raises(ValidationFailed):
        write(store, {"actors": [LYON], "relationships": [{**LINK, "target": "nowhere"}]})
    assert latest_revision(store) == 1


@pytest.mark.parametrize("staged", [False, True])
def test_a_write_that_fails_in_the_engine_leaves_no_revision(
    store: Store, store_uri: str, monkeypatch: pytest.MonkeyPatch, staged: bool
) -> None:
    write(store, {"actors": [PARIS]})
    target = staged_store(store_uri, monkeypatch) if staged else store
    before, gen = revisions(store), store.generation
    change = Change(nodes=(NodeChange("paris", {"id": "paris"}, {"id": "paris", "name": "X"}),))
    with pytest.raises(StoreError), target.transaction(records=None if staged else 2) as tx:
        record_revision(tx, change, who="ana", source="x")
        tx.run("MATCH (n:Entity {id: 'paris'}) SET n.bad = $m", {"m": {"maps": "are refused"}})
    assert revisions(store) == before and store.generation == gen


@pytest.mark.parametrize("staged", [False, True])
def test_a_large_change_is_stored_in_parts_and_read_back_whole(
    store: Store, store_uri: str, monkeypatch: pytest.MonkeyPatch, staged: bool
) -> None:
    monkeypatch.setattr(record, "PART_CHARS", 300)
    target = staged_store(store_uri, monkeypatch) if staged else store
    cities = [{**PARIS, "id": f"c{i}", "name": f"City {i}"} for i in range(12)]
    write(target, {"actors": cities})
    (rev,) = revisions(store)
    assert sorted(n.id for n in rev.change.nodes) == sorted(c["id"] for c in cities)
    parts = store.run(
        "MATCH (p:ScnRevisionPart {revision: 1}) RETURN count(p)", read_only=True
    ).scalar()
    assert parts == -(-len(json.dumps(rev.change.to_dict())) // 300)
    assert touched_since(store, rev.generation - 1) == {c["id"] for c in cities}


def test_a_small_edit_records_only_its_change(store: Store) -> None:
    """The revision of a one-actor edit on a larger graph holds that actor alone: its
    cost follows the change, not the graph."""
    cities = [{**PARIS, "id": f"c{i}", "name": f"City {i}"} for i in range(300)]
    links = [{**LINK, "source": f"c{i}", "target": f"c{i + 1}"} for i in range(299)]
    write(store, {"actors": cities, "relationships": links})
    write(store, {"actors": [{**cities[7], "name": "Renamed"}]})
    rev = revisions(store)[-1]
    assert [n.id for n in rev.change.nodes] == ["c7"] and rev.change.relationships == ()
    stored = store.run(
        "MATCH (r:ScnRevision {id: $id}) RETURN size(r.change)", {"id": rev.id}, read_only=True
    ).scalar()
    assert stored < 1_000


def test_touched_since_names_the_ids_or_says_it_cannot_know(store: Store) -> None:
    write(store, {"actors": [PARIS, LYON]})
    gen = store.generation
    assert touched_since(store, gen) == set()
    write(store, {"actors": [{**PARIS, "name": "P"}]})
    write(store, {"relationships": [LINK]})
    assert touched_since(store, gen) == {"paris", "lyon"}
    assert touched_since(store, gen + 1) == {"paris", "lyon"}
    before_clear = store.generation
    store.clear()  # a write without a revision: what changed is unknown
    assert touched_since(store, before_clear) is None
    assert touched_since(store, gen) is None
    write(store, {"actors": [PARIS]})
    assert touched_since(store, store.generation - 1) == {"paris"}
    assert latest_revision(store) == 1 + 3  # the counter goes on after a clear


def test_revisions_are_not_data(store: Store) -> None:
    """Stats, the projection and the node reads count actors, never revisions."""
    from graph.projection import project

    write(store, {"actors": [PARIS, LYON], "relationships": [LINK]})
    write(store, {"actors": [{**PARIS, "name": "P"}]})
    s = stats(store)
    assert (s["actors"], s["relationships"]) == (2, 1)
    g = project(store, include_confidential=True)
    assert sorted(g.nodes) == ["lyon", "paris"] and g.number_of_edges() == 1


def test_revisions_on_neo4j_are_in_the_same_transaction() -> None:
    import os
    import uuid

    uri = os.environ.get("NEO4J_URI")
    if not uri:
        pytest.skip("NEO4J_URI not set: Neo4j contract tests need a live Neo4j 5 server")
    s = open_store(uri)
    s.drop()  # type: ignore[attr-defined]
    try:
        load(s, {"actors": [PARIS]})
        with pytest.raises(RuntimeError), s.transaction() as tx:
            record_revision(tx, Change(), who="x", source=uuid.uuid4().hex)
            raise RuntimeError("abandoned")
        assert [r.id for r in revisions(s)] == [1]
    finally:
        s.drop()  # type: ignore[attr-defined]
        s.close()
