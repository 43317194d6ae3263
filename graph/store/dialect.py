"""Every Cypher text that differs between FalkorDB and Neo4j 5, in one place.

The product's statements (`graph.queries`) are one Cypher for both engines;
only what cannot be shared, index DDL and full-text search, is written here
by engine. Time limits and read-only execution are not Cypher: each store's
`run` passes them to its engine (GRAPH.RO_QUERY and a timeout on FalkorDB, a
READ session and a transaction timeout on Neo4j).
"""

from __future__ import annotations

from dataclasses import dataclass

#: (label, property) pairs the product looks nodes up by.
INDEXES: tuple[tuple[str, str], ...] = (
    ("Entity", "id"),
    ("Actor", "id"),
    ("Actor", "city"),
    ("Initiative", "id"),
    ("City", "id"),
    ("Country", "code"),
    ("Theme", "name"),
    ("ScnMeta", "key"),
    ("ScnRevision", "id"),
    ("ScnRevision", "generation"),
    ("ScnRevisionPart", "revision"),
)
#: Labels with a full-text index on `name` (actor search).
FULLTEXT: tuple[tuple[str, str], ...] = (("Entity", "name"),)


@dataclass(frozen=True)
class Dialect:
    engine: str

    def create_index(self, label: str, prop: str) -> str:
        if self.engine == "neo4j":
            return (
                f"CREATE INDEX {label.lower()}_{prop} IF NOT EXISTS FOR (n:{label}) ON (n.{prop})"
            )
        # FalkorDB: no IF NOT EXISTS and no names; callers check existing first.
        return f"CREATE INDEX FOR (n:{label}) ON (n.{prop})"

    def drop_index(self, label: str, prop: str) -> str:
        """Drop the index `create_index` made (a restore's temporary one)."""
        if self.engine == "neo4j":
            return f"DROP INDEX {label.lower()}_{prop} IF EXISTS"
        return f"DROP INDEX ON :{label}({prop})"

    def create_fulltext(self, label: str, prop: str) -> str:
        if self.engine == "neo4j":
            return (
                f"CREATE FULLTEXT INDEX {label.lower()}_{prop}_text IF NOT EXISTS "
                f"FOR (n:{label}) ON EACH [n.{prop}]"
            )
        return f"CALL db.idx.fulltext.createNodeIndex('{label}', '{prop}')"

    def list_indexes(self) -> str:
        if self.engine == "neo4j":
            return (
                "SHOW INDEXES YIELD labelsOrTypes, properties, type "
                "RETURN labelsOrTypes, properties, type"
            )
        return "CALL db.indexes() YIELD label, properties, types RETURN label, properties, types"

    def fulltext_search(self, label: str) -> str:
        """Query returning (node) rows for a full-text term in $q."""
        if self.engine == "neo4j":
            return (
                f"CALL db.index.fulltext.queryNodes('{label.lower()}_name_text', $q) "
                "YIELD node RETURN node"
            )
        return f"CALL db.idx.fulltext.queryNodes('{label}', $q) YIELD node RETURN node"
