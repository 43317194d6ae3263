"""The editor's single-actor reads and its delete (`graph.edits`)."""

from __future__ import annotations

from collections.abc import Iterator

from graph.queries.fragments import stored_pair
from graph.queries.statement import Statement, statement

STORED_ACTOR = statement(
    "writes.stored_actor", "MATCH (n:Actor {id: $id}) RETURN properties(n)", "id"
)
#: Every stored relationship of the actor, as (source id, type, target id, properties).
ACTOR_RELATIONSHIPS = statement(
    "writes.actor_relationships",
    "MATCH (n:Actor {id: $id})-[r]-(:Entity) "
    "RETURN startNode(r).id, type(r), endNode(r).id, properties(r)",
    "id",
)
#: The actors that name `$id` as their city.
CITY_DEPENDANTS = statement(
    "writes.city_dependants",
    "MATCH (x:Actor {city: $id}) WHERE x.id <> $id RETURN x.id ORDER BY x.id",
    "id",
)
#: [source id, type, target id, properties] of every relationship of the nodes `$ids`.
RELATIONSHIPS_OF = statement(
    "writes.relationships_of",
    "UNWIND $ids AS i MATCH (n:Entity {id: i})-[e]-(:Entity) "
    "RETURN DISTINCT startNode(e).id, type(e), endNode(e).id, properties(e)",
    "ids",
)
#: [city id, actor id] of the actors that name one of `$ids` as their city (by the index
#: on Actor.city, so the cost follows the ids, not the graph).
CITY_DEPENDANTS_OF = statement(
    "writes.city_dependants_of",
    "UNWIND $ids AS i MATCH (x:Actor {city: i}) RETURN i, x.id ORDER BY i, x.id",
    "ids",
)
#: The nodes `$ids`, with all their relationships.
DELETE_NODES = statement(
    "writes.delete_nodes", "UNWIND $ids AS i MATCH (n:Entity {id: i}) DETACH DELETE n", "ids"
)
#: The relationships {s, type, t} of `$rows`.
DELETE_RELATIONSHIPS = statement(
    "writes.delete_relationships",
    f"UNWIND $rows AS r {stored_pair()} WHERE type(e) = r.type DELETE e",
    "rows",
)


def statements() -> Iterator[Statement]:
    yield from (
        STORED_ACTOR,
        ACTOR_RELATIONSHIPS,
        CITY_DEPENDANTS,
        RELATIONSHIPS_OF,
        CITY_DEPENDANTS_OF,
        DELETE_NODES,
        DELETE_RELATIONSHIPS,
    )
