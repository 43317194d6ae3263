"""The stores' own bookkeeping: the write generation, clearing and dropping the graph.

Index DDL and full-text search differ by engine and stay in `graph.store.dialect`.
"""

from __future__ import annotations

from collections.abc import Iterator

from graph.queries.statement import Statement, statement

#: Run last in every write transaction, so caches keyed on the generation see the write
#: (it returns nothing: it may be chained into a small write's one query).
BUMP_GENERATION = statement(
    "store.bump_generation",
    "MERGE (m:ScnMeta {key: 'meta'}) SET m.generation = coalesce(m.generation, 0) + 1",
)
GENERATION = statement("store.generation", "MATCH (m:ScnMeta {key: 'meta'}) RETURN m.generation")
#: Everything but the generation (which must keep counting).
CLEAR = statement("store.clear", "MATCH (n) WHERE NOT n:ScnMeta DETACH DELETE n")
#: Everything, the generation too (a store that cannot drop its graph key).
DELETE_ALL = statement("store.delete_all", "MATCH (n) DETACH DELETE n")


def statements() -> Iterator[Statement]:
    yield from (BUMP_GENERATION, GENERATION, CLEAR, DELETE_ALL)
