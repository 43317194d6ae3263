"""Every Cypher statement the product sends, in one package, by family.

* `nodes` — node existence, one node with its relationships, pages of actors
  and initiatives;
* `relationships` — filtered pages of relationships;
* `neighbourhood` — a node's neighbourhood, one hop per query;
* `paths` — the hops of the shortest-path search;
* `stats` — counts;
* `projection` — the whole graph, a country's part, the links among given
  nodes (what analyses and exports read);
* `writes` — the editor's single-actor reads and its delete;
* `load` — the loader's reads and batched writes;
* `store` — the stores' generation and clearing;
* `history` — recording and reading revisions;
* `backup` — every node and relationship, whatever its labels (`graph.backup`).

A family module holds the static statements as `Statement` constants and
builds the dynamic ones (a filter, a relationship type, the visibility of
confidential relationships) in cached functions. Outside this package only
the engines' own dialect (`graph.store.dialect`: index DDL, full-text search, the
`EXPLAIN` prefix) and a liveness probe in the FalkorDB store hold Cypher
(`tests/unit/test_queries.py` checks that); the code that runs statements lives in `graph.read`,
`graph.edits`, `graph.projection`, `ingest.load` and the stores.

`statements()` lists every static statement and a rendering of each dynamic
one per variant (each filter alone, all of them, each visibility, each kind or
type), with the parameters it takes, so a Cypher front end can check them all
without a database. The one Cypher text serves both engines; only index DDL
and full-text search differ, and `statements(dialect)` adds that engine's.
"""

from __future__ import annotations

from collections.abc import Iterator

from graph.queries import (
    backup,
    history,
    load,
    neighbourhood,
    nodes,
    paths,
    projection,
    relationships,
    stats,
    store,
    writes,
)
from graph.queries.statement import Statement, statement

__all__ = ["FAMILIES", "Statement", "statement", "statements"]

FAMILIES = (
    nodes,
    relationships,
    neighbourhood,
    paths,
    stats,
    projection,
    writes,
    load,
    store,
    history,
)
#: Families only one engine runs: the backup reads nodes by their internal ids, which
#: FalkorDB keeps and Neo4j has deprecated (a Neo4j store refuses `db backup`, naming
#: neo4j-admin), so Neo4j's front end is never asked about them.
ENGINE_ONLY = {"falkordb": (backup,), "neo4j": ()}


def statements(dialect: str = "neo4j") -> Iterator[Statement]:
    """Every statement the product sends to an engine of `dialect` ("neo4j" or "falkordb")."""
    from graph.store.dialect import FULLTEXT, INDEXES, Dialect

    if dialect not in ("neo4j", "falkordb"):
        raise ValueError(f"unknown dialect {dialect!r}; expected neo4j or falkordb")
    for family in (*FAMILIES, *ENGINE_ONLY[dialect]):
        yield from family.statements()
    d = Dialect(dialect)
    for label, prop in INDEXES:
        yield statement(f"dialect.create_index[{label}.{prop}]", d.create_index(label, prop))
    for label, prop in FULLTEXT:
        yield statement(f"dialect.create_fulltext[{label}.{prop}]", d.create_fulltext(label, prop))
        yield statement(f"dialect.fulltext_search[{label}]", d.fulltext_search(label), "q")
    yield statement("dialect.list_indexes", d.list_indexes())
