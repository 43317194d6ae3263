"""The editor's single-actor reads and its delete (`graph.edits`)."""

from __future__ import annotations

from collections.abc import Iterator

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
DELETE_ACTOR = statement("writes.delete_actor", "MATCH (n:Actor {id: $id}) DETACH DELETE n", "id")


def statements() -> Iterator[Statement]:
    yield from (
        STORED_ACTOR,
        ACTOR_RELATIONSHIPS,
        CITY_DEPENDANTS,
        DELETE_ACTOR,
    )
