"""The schema the Neo4j front-end check lints against names what the product writes.

The lint itself runs Node.js, so it lives in `tests/integration/test_neo4j_lint.py`; this
half checks, without a process, that the declared labels, relationship types and property
keys come from `graph.schema` and the loader.
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
