"""Contract tests of the store, on the real embedded FalkorDB (and Neo4j when NEO4J_URI
is set).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from graph.queries import statements
from graph.store import QueryTimeout, ReadOnlyViolation, Store, StoreError, open_store
from graph.store.dialect import INDEXES

WRITE_QUERIES = {
    "CREATE": "CREATE (:Entity {id: 'intruder'})",
    "MERGE": "MERGE (:Entity {id: 'intruder'})",
    "SET": "MATCH (n:Entity) SET n.name = 'changed'",
    "DELETE": "MATCH (n:Entity) DELETE n",
    "DETACH DELETE": "MATCH (n:Entity) DETACH DELETE n",
    "REMOVE": "MATCH (n:Entity) REMOVE n.name",
    "REMOVE label": "MATCH (n:Entity) REMOVE n:Actor",
    "CREATE INDEX": "CREATE INDEX FOR (n:Other) ON (n.x)",
    "DROP INDEX": "DROP INDEX ON :Entity(id)",
    "write procedure": "CALL db.idx.fulltext.createNodeIndex('Other', 'name')",
}


@pytest.fixture(params=["falkordb", "neo4j"])
def any_store(request: pytest.FixtureRequest, store: Store) -> Iterator[Store]:
    """The contract holds on every engine: embedded FalkorDB always, Neo4j when configured."""
    if request.param == "falkordb":
        yield store
        return
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        pytest.skip("NEO4J_URI not set: Neo4j contract tests need a live Neo4j 5 server")
    s = open_store(uri)
    s.drop()  # type: ignore[attr-defined]
    yield s
    s.drop()  # type: ignore[attr-defined]
    s.close()


def _seed(store: Store) -> None:
    with store.transaction() as tx:
        tx.run(
            "UNWIND $rows AS r CREATE (n:Entity:Actor {id: r.id, name: r.name, themes: r.t})",
            {
                "rows": [
                    {"id": "a", "name": "Alpha", "t": ["hate"]},
                    {"id": "b", "name": "Beta", "t": []},
                ]
            },
        )
        tx.run(
            "MATCH (a:Entity {id: 'a'}), (b:Entity {id: 'b'}) "
            "CREATE (a)-[:PARTNERS_WITH {status: 'active'}]->(b)"
        )


def _snapshot(store: Store) -> list[list[object]]:
    return store.run(
        "MATCH (n) OPTIONAL MATCH (n)-[r]->(m) "
        "RETURN n.id, properties(n), type(r), m.id ORDER BY n.id, type(r), m.id",
        read_only=True,
    ).rows


def test_values_come_back_plain(any_store: Store) -> None:
    _seed(any_store)
    res = any_store.run(
        "MATCH (a:Entity {id: 'a'})-[r]->(b) RETURN a, r, b.name AS name, a.themes AS t",
        read_only=True,
    )
    assert res.columns == ["a", "r", "name", "t"]
    node, rel, name, themes = res.rows[0]
    assert node["id"] == "a" and "Actor" in node["_labels"]
    assert rel["_type"] == "PARTNERS_WITH" and rel["status"] == "active"
    assert name == "Beta" and themes == ["hate"]
    assert res.dicts()[0]["name"] == "Beta"


def test_parameters_of_every_plain_type(any_store: Store) -> None:
    res = any_store.run(
        "RETURN $i + 1, $f * 2, $b, $s, $l, $n",
        {"i": 41, "f": 1.5, "b": True, "s": "x", "l": [1, "two"], "n": None},
        read_only=True,
    )
    assert res.rows[0] == [42, 3.0, True, "x", [1, "two"], None]


@pytest.mark.parametrize("clause", sorted(WRITE_QUERIES))
def test_read_only_refuses_every_write(any_store: Store, clause: str) -> None:
    if any_store.engine == "neo4j" and clause in ("write procedure", "DROP INDEX"):
        pytest.skip("FalkorDB-specific syntax; Neo4j refuses its own equivalents the same way")
    _seed(any_store)
    any_store.ensure_schema()
    before = _snapshot(any_store)
    gen = any_store.generation
    with pytest.raises(ReadOnlyViolation, match="only read queries"):
        any_store.run(WRITE_QUERIES[clause], read_only=True)
    assert _snapshot(any_store) == before
    assert any_store.generation == gen


def test_query_time_limit(any_store: Store) -> None:
    with pytest.raises(QueryTimeout):
        any_store.run(
            "UNWIND range(1, 9000000) AS i WITH i WHERE i % 7 = 100 RETURN count(i)",
            read_only=True,
            timeout_ms=50,
        )


def test_bad_query_is_a_store_error(any_store: Store) -> None:
    with pytest.raises(StoreError, match="query failed"):
        any_store.run("MATCH (n RETURN n", read_only=True)


def test_transaction_is_all_or_nothing(any_store: Store) -> None:
    _seed(any_store)
    before = _snapshot(any_store)
    gen = any_store.generation
    with pytest.raises(RuntimeError), any_store.transaction() as tx:
        tx.run("CREATE (:Entity {id: 'half'})")
        tx.run("MATCH (n:Entity {id: 'a'}) SET n.name = 'half-written'")
        raise RuntimeError("fail in the middle")
    assert _snapshot(any_store) == before
    assert any_store.generation == gen


def test_failed_query_inside_transaction_rolls_back(any_store: Store) -> None:
    _seed(any_store)
    before = _snapshot(any_store)
    with pytest.raises(StoreError), any_store.transaction() as tx:
        tx.run("CREATE (:Entity {id: 'half'})")
        tx.run("THIS IS NOT CYPHER")
    assert _snapshot(any_store) == before


def test_generation_moves_on_every_commit(any_store: Store) -> None:
    g0 = any_store.generation
    _seed(any_store)
    g1 = any_store.generation
    with any_store.transaction() as tx:
        tx.run("MATCH (n:Entity {id: 'b'}) SET n.name = 'B'")
    assert g0 < g1 < any_store.generation


def test_ensure_schema_creates_indexes_once(any_store: Store) -> None:
    any_store.ensure_schema()
    any_store._schema_ready = False  # type: ignore[attr-defined]
    any_store.ensure_schema()  # idempotent: no "index exists" error
    if any_store.engine == "falkordb":
        found = {
            (lbl, tuple(props))
            for lbl, props, _ in any_store.run(
                "CALL db.indexes() YIELD label, properties, types RETURN label, properties, types",
                read_only=True,
            ).rows
        }
        for label, prop in INDEXES:
            assert any(lbl == label and prop in props for lbl, props in found), (label, prop)


def test_fulltext_search_by_name(any_store: Store) -> None:
    any_store.ensure_schema()
    _seed(any_store)
    rows = any_store.run(
        any_store.dialect.fulltext_search("Entity"),  # type: ignore[attr-defined]
        {"q": "Alpha"},
        read_only=True,
    ).rows
    assert [r[0]["id"] for r in rows] == ["a"]


def test_reading_a_graph_that_does_not_exist_yet(store: Store) -> None:
    assert store.run("MATCH (n) RETURN count(n)", read_only=True).rows in ([], [[0]])
    assert store.generation == 0


def test_graphs_are_isolated_by_name(store: Store, server_dir: object) -> None:
    _seed(store)
    other = open_store(f"embedded:{server_dir}?graph=o{uuid.uuid4().hex[:10]}")
    try:
        assert other.run("MATCH (n:Entity) RETURN count(n)", read_only=True).rows in ([], [[0]])
    finally:
        other.drop()  # type: ignore[attr-defined]
        other.close()


def test_unreachable_server_is_a_clear_error() -> None:
    with pytest.raises(StoreError, match="cannot reach FalkorDB"):
        open_store("falkordb://127.0.0.1:1/g")


def test_plan_operations_come_from_the_engine(any_store: Store) -> None:
    ops = any_store.plan_operations("LOAD CSV FROM 'file:///x.csv' AS r RETURN r")
    assert "loadcsv" in ops
    assert "loadcsv" not in any_store.plan_operations("RETURN 'LOAD CSV' AS words")
    with pytest.raises(StoreError):
        any_store.plan_operations("MATCH (n RETURN n")


def _example(param: str) -> object:
    if param in ("ids", "rows", "pairs", "codes", "names", "countries", "ends"):
        return []
    if param.startswith("include_"):
        return False
    return 10 if param in ("offset", "limit") else "x"


def test_the_engine_plans_every_statement(any_store: Store) -> None:
    """Each engine parses and plans every statement the product sends (`EXPLAIN`: nothing
    runs), with the parameters it declares, so none is malformed for either engine."""
    any_store.ensure_schema()
    planned = 0
    for s in statements(any_store.engine):
        if s.name.startswith("dialect.create"):
            continue  # DDL has no plan; `ensure_schema` above ran it
        params = {p: _example(p) for p in s.params}
        assert any_store.plan_operations(s.cypher, params), s.name
        planned += 1
    assert planned > 200


#: Read queries of different result sizes, more of them than are ever in flight at once.
EACH = [f"UNWIND range(1, {n}) AS i RETURN i, 'row ' + toString(i) AS s" for n in (3, 2000, 0, 7)]


def test_read_each_gives_what_run_gives_in_order(any_store: Store) -> None:
    got = [(r.columns, r.rows) for r in any_store.read_each(EACH)]
    want = [(r.columns, r.rows) for r in (any_store.run(q, read_only=True) for q in EACH)]
    assert got == want
    assert [len(rows) for _, rows in got] == [3, 2000, 0, 7]


def test_read_each_refuses_a_write_and_the_store_answers_after(any_store: Store) -> None:
    _seed(any_store)
    before = _snapshot(any_store)
    reads = any_store.read_each([EACH[0], WRITE_QUERIES["CREATE"], EACH[3]])
    assert len(next(reads).rows) == 3
    with pytest.raises(ReadOnlyViolation):
        next(reads)
    assert _snapshot(any_store) == before
    # replies still in flight were not left on a connection the next query gets
    assert any_store.run("RETURN 41 + 1", read_only=True).scalar() == 42
    assert [len(r.rows) for r in any_store.read_each(EACH[:2])] == [3, 2000]


def test_read_each_names_a_bad_query(any_store: Store) -> None:
    with pytest.raises(StoreError, match="query failed"):
        list(any_store.read_each([EACH[0], "MATCH (n RETURN n", EACH[1]]))
    assert any_store.run("RETURN 1", read_only=True).scalar() == 1


def test_read_each_stopped_early_leaves_the_store_answering(any_store: Store) -> None:
    reads = any_store.read_each(EACH)
    assert len(next(reads).rows) == 3
    reads.close()  # the caller stops: the next query's reply is still on its way
    for _ in range(3):
        assert any_store.run("RETURN 'after'", read_only=True).scalar() == "after"
    assert [len(r.rows) for r in any_store.read_each(EACH)] == [3, 2000, 0, 7]


def test_read_each_on_a_graph_never_written(any_store: Store) -> None:
    any_store.drop()
    got = [r.rows for r in any_store.read_each(["MATCH (n) RETURN n.id"] * 3)]
    assert got == [[], [], []]
