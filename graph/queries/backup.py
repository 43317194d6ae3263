"""What `graph.backup` reads and writes: every node and relationship of the graph key,
whatever its labels, type and properties (data, bookkeeping, revisions alike).

A backup reads nodes by ranges of internal ids (a seek, not a scan per page) and
the relationships leaving each range. A restore creates the nodes of each label
set with their id in the backup as a temporary property (`RESTORE_TAG`), indexed
on each node's first label (its "key label") before any node is made, joins them
by it, then clears it. (Removing a temporary label instead took FalkorDB over two
minutes on 17,000 nodes; clearing a property takes a tenth of a second.)
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from graph.queries.statement import Statement, statement

#: The temporary property a restore tags its nodes with while it joins them.
RESTORE_TAG = "_scn_restore_id"

MAX_NODE_ID = statement("backup.max_node_id", "MATCH (n) RETURN max(id(n))")
NODES_IN_RANGE = statement(
    "backup.nodes_in_range",
    "MATCH (n) WHERE id(n) >= $lo AND id(n) < $hi RETURN id(n), labels(n), properties(n)",
    "lo",
    "hi",
)
RELATIONSHIPS_FROM_RANGE = statement(
    "backup.relationships_from_range",
    "MATCH (a)-[r]->(b) WHERE id(a) >= $lo AND id(a) < $hi "
    "RETURN id(a), type(r), id(b), properties(r)",
    "lo",
    "hi",
)
#: Nodes that are not the store's own generation counter: is there anything to lose?
CONTENT_NODES = statement("backup.content_nodes", "MATCH (n) WHERE NOT n:ScnMeta RETURN count(n)")
COUNT_NODES = statement("backup.count_nodes", "MATCH (n) RETURN count(n)")
COUNT_RELATIONSHIPS = statement("backup.count_relationships", "MATCH ()-[r]->() RETURN count(r)")
#: The generation counter's node: the backup's other properties, and a generation
#: that never goes back (caches key on it).
SET_META = statement(
    "backup.set_meta",
    "MERGE (m:ScnMeta {key: 'meta'}) SET m += $props, m.generation = $generation",
    "props",
    "generation",
)


def _name(word: str) -> str:
    return "`" + word.replace("`", "``") + "`"


def _label(label: str | None) -> str:
    return f":{_name(label)}" if label else ""


@cache
def create_nodes(labels: tuple[str, ...]) -> Statement:
    """Nodes with these labels: rows {i: id in the backup, p: properties}."""
    names = "".join(f":{_name(label)}" for label in labels)
    return statement(
        f"backup.create_nodes[{':'.join(labels)}]",
        f"UNWIND $rows AS row CREATE (n{names}) SET n = row.p, n.{RESTORE_TAG} = row.i",
        "rows",
    )


@cache
def create_relationships(rel_type: str, start: str | None, end: str | None) -> Statement:
    """Relationships of this type between nodes of these key labels: rows {s, t: ids
    in the backup, p: properties}."""
    return statement(
        f"backup.create_relationships[{start}-{rel_type}->{end}]",
        f"UNWIND $rows AS row MATCH (a{_label(start)} {{{RESTORE_TAG}: row.s}}) "
        f"MATCH (b{_label(end)} {{{RESTORE_TAG}: row.t}}) "
        f"CREATE (a)-[r:{_name(rel_type)}]->(b) SET r = row.p",
        "rows",
    )


@cache
def untag(label: str | None) -> Statement:
    """Clear the restore's tag on the nodes of one key label."""
    return statement(
        f"backup.untag[{label}]",
        f"MATCH (n{_label(label)}) WHERE n.{RESTORE_TAG} IS NOT NULL SET n.{RESTORE_TAG} = NULL",
    )


def statements() -> Iterator[Statement]:
    yield from (MAX_NODE_ID, NODES_IN_RANGE, RELATIONSHIPS_FROM_RANGE, CONTENT_NODES)
    yield from (COUNT_NODES, COUNT_RELATIONSHIPS, SET_META)
    yield from (create_nodes(labels) for labels in (("Actor", "City", "Entity"), ()))
    yield create_relationships("PARTNERS_WITH", "Actor", "Actor")
    yield from (untag("Actor"), untag(None))
