"""The loader's statements (`ingest.load`): read what is stored for the ids a load touches,
then write nodes, their derived links and relationships in batched UNWINDs."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from graph import schema
from graph.queries.fragments import stored_pair
from graph.queries.statement import Statement, statement

#: When a stored node or relationship last changed (moves only when its content does).
UPDATED_AT = "updated_at"
#: What is read back of a stored node: enough to validate, classify and compare
#: (by fingerprint), and far cheaper to decode than all its properties.
STORED_NODE_FIELDS = (
    "kind",
    "level",
    "country",
    "name",
    "sources",
    schema.LOADED_FROM,
    schema.FINGERPRINT,
    UPDATED_AT,
)
#: The links the loader derives from a node's properties (made again when it changes).
DERIVED_LINKS = ("IN_COUNTRY", "HAS_THEME", "REPORTS_THREAT")
#: The links made from a node's list properties: relationship type -> property.
THEME_LINKS = {"HAS_THEME": "themes", "REPORTS_THREAT": "threats"}


def _same_sources(x: str) -> str:
    """Whether `x`'s source labels are r.l, the labels the load gives it (none: any do)."""
    return f"(r.l IS NULL OR {x}.{schema.LOADED_FROM} = r.l)"


#: Per row {id, h, l} of `$rows` (h: the fingerprint the loader would store, or null; l:
#: the source labels it gives the node, or null), in
#: one row: the ids of the stored nodes whose fingerprint is h, and [id, *fields] of the
#: other stored nodes. The server compares; an unchanged node costs the loader one id.
STORED_NODES = statement(
    "load.stored_nodes",
    "UNWIND $rows AS r MATCH (n:Entity {id: r.id}) "
    f"WITH n, n.{schema.FINGERPRINT} = r.h AND {_same_sources('n')} AS same "
    "RETURN collect(CASE WHEN same THEN n.id END), "
    "collect(CASE WHEN same THEN null ELSE [n.id, "
    + ", ".join(f"n.{f}" for f in STORED_NODE_FIELDS)
    + "] END)",
    "rows",
)
#: Per row {i, s, type, t, h, l} of `$rows`, in one row: the i of each stored relationship
#: whose fingerprint is h (and labels l), and [i, sources, loaded_from, fingerprint,
#: updated_at] of the other stored ones.
STORED_RELATIONSHIPS = statement(
    "load.stored_relationships",
    f"UNWIND $rows AS r {stored_pair()} "
    f"WHERE type(e) = r.type WITH r, e, e.{schema.FINGERPRINT} = r.h "
    f"AND {_same_sources('e')} AS same "
    "RETURN collect(CASE WHEN same THEN r.i END), "
    f"collect(CASE WHEN same THEN null ELSE [r.i, e.sources, e.{schema.LOADED_FROM}, "
    f"e.{schema.FINGERPRINT}, e.{UPDATED_AT}] END)",
    "rows",
)
#: The full stored properties of the nodes `$ids` (those a load changes: a revision
#: records them as they were).
STORED_NODE_PROPERTIES = statement(
    "load.stored_node_properties",
    "UNWIND $ids AS i MATCH (n:Entity {id: i}) RETURN n.id, properties(n)",
    "ids",
)
#: The full stored properties of the relationships {i, s, type, t} of `$rows`, by i.
STORED_RELATIONSHIP_PROPERTIES = statement(
    "load.stored_relationship_properties",
    f"UNWIND $rows AS r {stored_pair()} WHERE type(e) = r.type RETURN r.i, properties(e)",
    "rows",
)
#: [id, loaded_from] of every node a source among `$labels` holds (what a sync compares).
HELD_NODES = statement(
    "load.held_nodes",
    f"MATCH (n:Entity) WHERE any(l IN n.{schema.LOADED_FROM} WHERE l IN $labels) "
    f"RETURN n.id, n.{schema.LOADED_FROM}",
    "labels",
)
#: [source id, type, target id, loaded_from] of every relationship those sources hold.
HELD_RELATIONSHIPS = statement(
    "load.held_relationships",
    f"MATCH (a:Entity)-[e]->(b:Entity) WHERE any(l IN e.{schema.LOADED_FROM} WHERE l IN $labels) "
    f"RETURN a.id, type(e), b.id, e.{schema.LOADED_FROM}",
    "labels",
)
#: The source labels of the nodes {id, labels} of `$rows` (their data is unchanged).
RELABEL_NODES = statement(
    "load.relabel_nodes",
    f"UNWIND $rows AS r MATCH (n:Entity {{id: r.id}}) SET n.{schema.LOADED_FROM} = r.labels",
    "rows",
)
#: The source labels of the relationships {s, type, t, labels} of `$rows`.
RELABEL_RELATIONSHIPS = statement(
    "load.relabel_relationships",
    f"UNWIND $rows AS r {stored_pair()} "
    f"WHERE type(e) = r.type SET e.{schema.LOADED_FROM} = r.labels",
    "rows",
)
STORED_COUNTRIES = statement(
    "load.stored_countries",
    "MATCH (c:Country) WHERE c.code IN $codes RETURN c.code, c.name",
    "codes",
)
#: Countries declared in a dataset's `countries` section: their names win.
NAME_COUNTRIES = statement(
    "load.name_countries",
    "UNWIND $rows AS r MERGE (c:Country {code: r.code}) SET c.name = r.name",
    "rows",
)
#: Countries the written nodes are in: a stored name is kept.
ENSURE_COUNTRIES = statement(
    "load.ensure_countries",
    "UNWIND $rows AS r MERGE (c:Country {code: r.code}) ON CREATE SET c.name = r.name",
    "rows",
)
ENSURE_THEMES = statement(
    "load.ensure_themes", "UNWIND $names AS t MERGE (:Theme {name: t})", "names"
)
DELETE_DERIVED_LINKS = statement(
    "load.delete_derived_links",
    f"UNWIND $ids AS i MATCH (n:Entity {{id: i}})-[x:{'|'.join(DERIVED_LINKS)}]->() DELETE x",
    "ids",
)
# Rows with a country link to it in the same query; FalkorDB loses created nodes when a
# WHERE after the CREATE filters their row out, so `write_nodes` has two forms.
_LINK_COUNTRY = "WITH n, r MATCH (c:Country {code: r.props.country}) CREATE (n)-[:IN_COUNTRY]->(c)"


def _labels(kind: str) -> tuple[str, str]:
    return schema.family_of(kind).capitalize(), schema.kind_label(kind)


@cache
def remove_kind_labels(old_kind: str) -> Statement:
    """Take the labels of `old_kind` off the nodes `$ids` (their kind changed)."""
    family, label = _labels(old_kind)
    return statement(
        f"load.remove_kind_labels[{old_kind}]",
        f"UNWIND $ids AS i MATCH (n:Entity {{id: i}}) REMOVE n:{label} REMOVE n:{family}",
        "ids",
    )


@cache
def write_nodes(kind: str, *, new: bool, with_country: bool) -> Statement:
    """Write the rows {id, props} of `$rows` as nodes of `kind`: CREATE for `new` ones
    (the diff proved them new), else MATCH and overwrite; `with_country` also links each
    to its Country."""
    family, label = _labels(kind)
    labels = f"Entity:{family}:{label}"
    verb = (
        f"CREATE (n:{labels}) SET n = r.props"
        if new
        else f"MATCH (n:Entity {{id: r.id}}) SET n = r.props, n:{labels}"
    )
    tail = f" {_LINK_COUNTRY}" if with_country else ""
    how = f"{'new' if new else 'changed'}{',country' if with_country else ''}"
    return statement(f"load.write_nodes[{kind},{how}]", f"UNWIND $rows AS r {verb}{tail}", "rows")


@cache
def theme_links(rel_type: str) -> Statement:
    """Link the nodes to the Theme of each row {id, t} of `$rows` by `rel_type`."""
    if rel_type not in THEME_LINKS:
        raise ValueError(f"not a theme link: {rel_type!r}")
    return statement(
        f"load.theme_links[{rel_type}]",
        "UNWIND $rows AS r MATCH (n:Entity {id: r.id}) MATCH (t:Theme {name: r.t}) "
        f"CREATE (n)-[:{rel_type}]->(t)",
        "rows",
    )


@cache
def write_relationships(rel_type: str, *, new: bool) -> Statement:
    """Write the rows {s, t, props} of `$rows` as `rel_type` relationships: CREATE for
    `new` ones, else MATCH the stored one and overwrite its properties."""
    if rel_type not in schema.REL_TYPES:
        raise ValueError(f"unknown relationship type {rel_type!r}")
    if new:
        ends = "MATCH (a:Entity {id: r.s}) MATCH (b:Entity {id: r.t})"
        pair = f"{ends} CREATE (a)-[e:{rel_type}]->(b)"
    else:
        pair = stored_pair("e", rel_type)
    return statement(
        f"load.write_relationships[{rel_type},{'new' if new else 'changed'}]",
        f"UNWIND $rows AS r {pair} SET e = r.props",
        "rows",
    )


def statements() -> Iterator[Statement]:
    yield from (STORED_NODES, STORED_RELATIONSHIPS, STORED_COUNTRIES)
    yield from (STORED_NODE_PROPERTIES, STORED_RELATIONSHIP_PROPERTIES)
    yield from (HELD_NODES, HELD_RELATIONSHIPS, RELABEL_NODES, RELABEL_RELATIONSHIPS)
    yield from (NAME_COUNTRIES, ENSURE_COUNTRIES, ENSURE_THEMES, DELETE_DERIVED_LINKS)
    kinds = [*schema.ACTOR_KINDS, *schema.INITIATIVE_KINDS]
    for kind in kinds:
        yield remove_kind_labels(kind)
        for new in (True, False):
            for with_country in (True, False):
                yield write_nodes(kind, new=new, with_country=with_country)
    yield from (theme_links(t) for t in THEME_LINKS)
    for rel_type in schema.REL_TYPES:
        for new in (True, False):
            yield write_relationships(rel_type, new=new)
