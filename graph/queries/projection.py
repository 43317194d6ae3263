"""What the analysis projection reads (`graph.projection`), and so every export."""

from __future__ import annotations

from collections.abc import Iterator

from graph.queries.statement import Statement, statement

_EDGE_ROW = "RETURN a.id AS source, type(r) AS type, b.id AS target, properties(r) AS p"

NODES_ALL = statement("projection.nodes", "MATCH (n:Entity) RETURN properties(n) AS p")
EDGES_ALL = statement("projection.edges", f"MATCH (a:Entity)-[r]->(b:Entity) {_EDGE_ROW}")
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


def statements() -> Iterator[Statement]:
    yield from (NODES_ALL, EDGES_ALL, NODES_IN_COUNTRIES, EDGES_AMONG, LINKED_WITHOUT_COUNTRY)
