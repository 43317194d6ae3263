"""A write that reads or changes stored relationships finds each one from both of its
ends, by their id index, and checks just that pair.

Planned as `(a {id})-[e]->(b {id})`, FalkorDB walked every relationship of the source
and filtered on the target's id: editing a city with 1,540 relationships in the 1m
graph took 8–12 s, all of it in these statements (docs/benchmarks.md, "Writes").
"""

from __future__ import annotations

import pytest

from graph.queries import load, writes
from graph.queries.statement import Statement
from graph.store.base import Store

PAIR_STATEMENTS = [
    load.STORED_RELATIONSHIPS,
    load.STORED_RELATIONSHIP_PROPERTIES,
    load.RELABEL_RELATIONSHIPS,
    load.write_relationships("PARTNERS_WITH", new=False),
    writes.DELETE_RELATIONSHIPS,
]


@pytest.mark.parametrize("statement", PAIR_STATEMENTS, ids=lambda s: s.name)
def test_a_stored_relationship_is_found_from_both_ends(store: Store, statement: Statement) -> None:
    store.ensure_schema()
    ops = store.plan_operations(statement.cypher, {p: [] for p in statement.params})
    assert "expandinto" in ops, ops
    assert "conditionaltraverse" not in ops, ops
