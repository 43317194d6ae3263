"""The store's own decoding of compact read replies (`graph.store.falkordb_reply`) gives
exactly what the falkordb client's parser and `falkordb_value` gave, on a real server:
every value type, the projection of a graph of every kind and property (confidential
relationships with and without them), and an empty graph; and the projection's plain
cells no longer go through the client's per-cell parser."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from falkordb import query_result as client_reply

from graph.projection import project
from graph.store import Store, open_store
from graph.store import falkordb_store as falkordb_store_module
from graph.store.base import BaseStore, QueryResult
from graph.store.falkordb_reply import decode_reply
from graph.store.values import cypher_header
from tests.support.projection_reference import as_content, every_property_and_type
from tests.support.store import load

VALUES = (
    "CREATE (a:Entity:Actor {id: 'zürich', name: 'Zürich ✓ «ville» 東京 \\u00e9', empty: '', "
    "n: -42, big: 9007199254740993, f: 1.5, whole: 2.0, tiny: -1.0e-300, yes: true, "
    "no: false, words: ['a', 'β', ''], mixed: [1, 2.5, true, 'x'], none: []}) "
    "CREATE (b:Entity {id: 'b', kind: 'cso'}) "
    "CREATE (a)-[:PARTNERS_WITH {status: 'active', confidential: true, since: '2019', "
    "sources: ['s1', 's2']}]->(b)"
)
#: Queries returning each kind of value the compact reply carries.
QUERIES = [
    "MATCH (n:Entity) RETURN n.id, n.name, n.empty, n.n, n.big, n.f, n.whole, n.tiny, "
    "n.yes, n.no, n.words, n.mixed, n.none, n.missing ORDER BY n.id",
    "MATCH (n:Entity) RETURN properties(n) AS p ORDER BY n.id",
    "MATCH (a)-[r]->(b) RETURN a.id, type(r), b.id, properties(r), r.confidential, r.sources",
    "RETURN {k: 1, m: [1, 2.5, null, false, {deep: ['x']}], s: 'ü'} AS m, null AS nothing",
    "RETURN [[1, [2, [3]]], [], [null]] AS nested, 1.0 / 0 AS inf, -0.0 AS negzero",
    "MATCH (a)-[r]->(b) RETURN a, r, b",
    "MATCH p = (a)-[r]->(b) RETURN p, [a, b] AS ends, {who: a} AS holder",
    "RETURN point({latitude: 1.5, longitude: 2}) AS pt, vecf32([1.0, 2.5]) AS v",
    "RETURN date('2024-01-02') AS d, localdatetime('2024-01-02T03:04:05') AS dt, "
    "localtime('03:04:05') AS t, duration('P1DT2H') AS dur",
    "MATCH (n:Nobody) RETURN n.id AS nothing",
    "CALL db.relationshipTypes() YIELD relationshipType RETURN relationshipType",
    "MATCH (n:Entity) WITH count(n) AS c WHERE c < 0 RETURN c",
]


def client_result(store: Store, cypher: str, params: Mapping[str, Any] | None = None) -> Any:
    """The read as it was before: the falkordb client's parser, then `falkordb_value`."""
    graph = store._graph  # type: ignore[attr-defined]
    res = graph.ro_query(cypher_header(params) + cypher)
    return falkordb_store_module._result(res)


def typed(value: Any) -> Any:
    """`value` with every leaf's type spelled out (True == 1 and 1 == 1.0 otherwise)."""
    if isinstance(value, dict):
        return ("dict", [(k, typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [typed(v) for v in value])
    return (type(value).__name__, repr(value))


def same(a: QueryResult, b: QueryResult) -> bool:
    return (a.columns, typed(a.rows), a.stats) == (b.columns, typed(b.rows), b.stats)


@pytest.mark.parametrize("cypher", QUERIES)
def test_every_value_type_decodes_as_the_client_did(store: Store, cypher: str) -> None:
    store.run(VALUES)
    got = store.run(cypher, read_only=True)
    assert same(got, client_result(store, cypher))
    raw = store._redis.execute_command(  # type: ignore[attr-defined]
        "GRAPH.RO_QUERY",
        store._graph.name,
        cypher,
        "--compact",  # type: ignore[attr-defined]
    )
    assert same(decode_reply(raw, store._graph), got)  # type: ignore[attr-defined]


def test_parameters_reach_the_compact_read(store: Store) -> None:
    store.run(VALUES)
    cypher = "MATCH (n:Entity) WHERE n.id IN $ids RETURN n.id, $m AS m, $l AS l ORDER BY n.id"
    params = {"ids": ["b", "zürich"], "m": {"a": [1, "é"]}, "l": [True, None, 0.25]}
    got = store.run(cypher, params, read_only=True)
    row = [{"a": [1, "é"]}, [True, None, 0.25]]
    assert got.rows == [["b", *row], ["zürich", *row]]
    assert same(got, client_result(store, cypher, params))


class ClientPath:
    """The real store, read through the falkordb client's parser (the old read path)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def run(self, cypher: str, params: Any = None, *, read_only: bool = False, **kw: Any) -> Any:
        assert read_only, "the projection only reads"
        return client_result(self.store, cypher, params)

    read_each = BaseStore.read_each  # one query after the other, through `run`


@pytest.mark.parametrize("include_confidential", [False, True])
def test_projection_equals_the_client_path(store: Store, include_confidential: bool) -> None:
    load(store, every_property_and_type())
    got = project(store, include_confidential=include_confidential)
    want = project(ClientPath(store), include_confidential=include_confidential)  # type: ignore[arg-type]
    assert typed(as_content(got)) == typed(as_content(want))
    hidden = sum(1 for *_, e in want.edges(data=True) if e["confidential"])
    assert (hidden > 0) == include_confidential


def test_projection_of_an_empty_graph(store: Store, server_dir: Path) -> None:
    store.run("RETURN 1")  # the graph exists, with nothing in it
    got = project(store)
    assert got.number_of_nodes() == got.number_of_edges() == 0
    assert typed(as_content(got)) == typed(as_content(project(ClientPath(store))))  # type: ignore[arg-type]
    never_written = open_store(f"embedded:{server_dir}?graph=never{uuid.uuid4().hex[:8]}")
    try:
        assert project(never_written).number_of_nodes() == 0
    finally:
        never_written.drop()  # type: ignore[attr-defined]
        never_written.close()


@contextmanager
def counted(module: Any, name: str) -> Iterator[list[int]]:
    """Count the calls of `module.name` (the real function still runs)."""
    real, calls = getattr(module, name), [0]

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return real(*args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(module, name, counting)
        yield calls


def test_the_projection_skips_the_clients_per_cell_parser(store: Store) -> None:
    """On a million relationships the client's parse of every cell, then our second pass
    over its values, were most of `project(store)`; plain cells now skip both."""
    load(store, every_property_and_type())
    with (
        counted(client_reply, "parse_scalar") as parsed,
        counted(falkordb_store_module, "_result") as converted,
    ):
        G = project(store, include_confidential=True)
    assert G.number_of_edges() > 20
    assert parsed == [0] and converted == [0]
    with counted(client_reply, "parse_scalar") as parsed:
        store.run("MATCH (n:Entity) RETURN n LIMIT 1", read_only=True)
    assert parsed[0] > 0  # a node still goes through the client (its labels' names)
