"""What the analysis projection reads (`graph.projection`), and so every export.

Relationship rows carry the properties the projection keeps as scalar
columns, not as a property map: on a million relationships, parsing one map
per relationship (and the bookkeeping in it the projection drops) was most of
the read's cost. Nodes stay property maps: most of the schema's node
properties are unset on any one node, and a map leaves them out where
columns would send (and parse) a null for each.
The whole graph is read one relationship type at a time (`edges_of_type`),
which walks only that type's relationships, never the derived links to the
Country and Theme nodes, and keeps each result a fraction of the graph.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from graph import schema
from graph.queries.load import DERIVED_LINKS
from graph.queries.statement import Statement, statement

#: The relationship columns after the two ends: its properties but the type.
EDGE_COLUMNS = tuple(p for p in schema.RELATIONSHIP_PROPERTIES if p != "type")
#: Relationship types that never join two entities (the loader's links to Country and
#: Theme nodes, which are not `Entity`), so the whole-graph read skips them.
NOT_BETWEEN_ENTITIES = frozenset(DERIVED_LINKS)


_EDGE_PROPS = ", ".join(f"r.{p} AS {p}" for p in EDGE_COLUMNS)
#: source, type, target, then `EDGE_COLUMNS`.
_EDGE_ROW = f"RETURN a.id AS source, type(r) AS type, b.id AS target, {_EDGE_PROPS}"

NODES_ALL = statement("projection.nodes", "MATCH (n:Entity) RETURN properties(n) AS p")
RELATIONSHIP_TYPES = statement(
    "projection.relationship_types",
    "CALL db.relationshipTypes() YIELD relationshipType RETURN relationshipType",
)
NODES_IN_COUNTRIES = statement(
    "projection.nodes_in_countries",
    "MATCH (n:Entity) WHERE n.country IN $countries RETURN properties(n) AS p",
    "countries",
)
#: Every relationship (confidential ones too: `build_graph` drops them) among `$ids`.
EDGES_AMONG = statement(
    "projection.edges_among",
    "UNWIND $ids AS sid MATCH (a:Entity {id: sid})-[r]->(b:Entity) WHERE b.id IN $ids "
    f"{_EDGE_ROW}",
    "ids",
)
#: The nodes with no country linked to any of `$ids` (international actors, collectives),
#: through a relationship the caller may see: a node reachable only through confidential
#: links would tell a reader that such a link exists.
LINKED_WITHOUT_COUNTRY = statement(
    "projection.linked_without_country",
    "UNWIND $ids AS i MATCH (a:Entity {id: i})-[r]-(b:Entity) "
    "WHERE b.country IS NULL AND ($include_confidential OR NOT coalesce(r.confidential, false)) "
    "RETURN DISTINCT properties(b) AS p",
    "ids",
    "include_confidential",
)

#: Every Country node (code, name): the countries an export names.
COUNTRIES = statement(
    "projection.countries", "MATCH (c:Country) RETURN c.code AS code, c.name AS name ORDER BY code"
)


#: The nodes of `$ids` that exist (a projection patch re-reads the nodes a write touched).
NODES_BY_IDS = statement(
    "projection.nodes_by_ids",
    "UNWIND $ids AS i MATCH (n:Entity {id: i}) RETURN properties(n) AS p",
    "ids",
)
#: Every relationship between two entities with an end in `$ids` (confidential ones too),
#: once each: those leaving one of `$ids`, then those entering one from outside them.
EDGES_TOUCHING = statement(
    "projection.edges_touching",
    "UNWIND $ids AS sid MATCH (a:Entity {id: sid})-[r]->(b:Entity) "
    f"{_EDGE_ROW} "
    "UNION ALL "
    "UNWIND $ids AS tid MATCH (a:Entity)-[r]->(b:Entity {id: tid}) WHERE NOT a.id IN $ids "
    f"{_EDGE_ROW}",
    "ids",
)


@cache
def edges_of_type(rel_type: str) -> Statement:
    """Every relationship of `rel_type` between two entities (confidential ones too):
    source, target, then `EDGE_COLUMNS`."""
    quoted = rel_type.replace("`", "``")
    return statement(
        f"projection.edges[{rel_type}]",
        f"MATCH (a:Entity)-[r:`{quoted}`]->(b:Entity) "
        f"RETURN a.id AS source, b.id AS target, {_EDGE_PROPS}",
    )


def statements() -> Iterator[Statement]:
    yield from (NODES_ALL, RELATIONSHIP_TYPES, NODES_IN_COUNTRIES, EDGES_AMONG)
    yield from (LINKED_WITHOUT_COUNTRY, NODES_BY_IDS, EDGES_TOUCHING, COUNTRIES)
    yield from (edges_of_type(t) for t in sorted(schema.REL_TYPES))
