"""Every Cypher statement the Neo4j path can send, checked by Neo4j's own Cypher front end.

No Neo4j server runs here, so the Neo4j contract tests are skipped. What can be checked
without one is checked here: Neo4j's parser and semantic analysis, published on npm as
`@neo4j-cypher/language-support` and pinned in `tools/neo4j-lint` (installed by
`make test`), lint every statement against a schema built from `graph.schema`. A syntax
error, a parameter the call does not pass, a function or procedure Neo4j 5 does not have
(FalkorDB's `algo.*`, `db.idx.fulltext.*`, `db.indexes()`), an unknown label or
relationship type, or a deprecated feature is a diagnostic, and any diagnostic fails.

The statements come from two places: the query layer's list (`graph.queries.statements()`,
every static statement and a rendering of each dynamic one per variant) and, as a
cross-check, what the Neo4j executor would have sent while the store contract tests and the
API tests ran on FalkorDB (`tests/neo4j_recorder.py`), which also shows that no Cypher
reached the store from outside the query layer.
"""

from __future__ import annotations

from graph import schema
from tests.support.neo4j_schema import db_schema

# -- the check fails on what Neo4j would refuse ------------------------------------


def test_schema_names_what_the_product_writes() -> None:
    s = db_schema()
    assert {
        "Entity",
        "Actor",
        "Initiative",
        "City",
        "Program",
        "Country",
        "Theme",
        "ScnMeta",
    } <= set(s["labels"])
    assert {"PARTNERS_WITH", "LOCATED_IN", "IN_COUNTRY", "HAS_THEME", "REPORTS_THREAT"} <= set(
        s["relationshipTypes"]
    )
    assert {"id", "name", "kind", "confidential", schema.FINGERPRINT} <= set(s["propertyKeys"])
