"""Nodes: existence, lookup by name, one node with its relationships, filtered pages of
actors and initiatives."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache

from graph.queries.fragments import VISIBILITIES, level_of, shown, visible
from graph.queries.statement import Statement, statement

#: The nodes with the given ids, as property maps.
NODES_BY_ID = statement(
    "nodes.by_id", "UNWIND $ids AS i MATCH (n:Entity {id: i}) RETURN properties(n) AS p", "ids"
)

#: Filter name (also its parameter) -> condition on the actor `n`, in the order they are joined.
ACTOR_FILTERS: dict[str, str] = {
    "kind": "n.kind = $kind",
    "country": "n.country = $country",
    "level": f"{level_of('n')} = $level",
    "theme": "$theme IN coalesce(n.themes, [])",
    "city": "n.city = $city",
    "q": "toLower(n.name) CONTAINS $q",
}
#: The same for initiatives.
INITIATIVE_FILTERS: dict[str, str] = {
    "kind": "n.kind = $kind",
    "country": "n.country = $country",
    "status": "coalesce(n.status, 'active') = $status",
    "theme": "$theme IN coalesce(n.themes, [])",
    "q": "toLower(n.name) CONTAINS $q",
}


@dataclass(frozen=True)
class Page:
    """The two statements of a paged list: the count of all matches, and one page of them
    (which also takes `$offset` and `$limit`)."""

    count: Statement
    items: Statement


@cache
def node_exists(label: str = "Entity") -> Statement:
    """1 if a node of `label` has id `$id`, else 0."""
    return statement(
        f"nodes.exists[{label}]", f"MATCH (n:{label} {{id: $id}}) RETURN count(n)", "id"
    )


@cache
def ids_by_name(label: str = "Entity") -> Statement:
    """Id and name of the nodes of `label` whose name is `$name` in any case (`$name` is
    given in lower case): what a person typed instead of an id."""
    return statement(
        f"nodes.ids_by_name[{label}]",
        f"MATCH (n:{label}) WHERE toLower(n.name) = $name RETURN n.id, n.name ORDER BY n.id",
        "name",
    )


@cache
def ids_and_names(label: str = "Entity") -> Statement:
    """Id and name of every node of `label`: the candidates of a "did you mean"."""
    return statement(f"nodes.ids_and_names[{label}]", f"MATCH (n:{label}) RETURN n.id, n.name")


#: The labels a typed reference is looked up under: any node, or actors only.
LOOKUP_LABELS = ("Entity", "Actor")


@cache
def with_relationships(label: str, *, include_confidential: bool = False) -> Statement:
    """A node's properties and, per relationship to another entity: whether it leaves the
    node, its type and properties, and the short form of the node at the other end."""
    return statement(
        f"nodes.with_relationships[{label},{shown(include_confidential=include_confidential)}]",
        f"MATCH (n:{label} {{id: $id}}) "
        "OPTIONAL MATCH (n)-[r]-(b:Entity) "
        f"WHERE {visible('r', include_confidential=include_confidential)} "
        "RETURN properties(n), collect([startNode(r).id = n.id, type(r), properties(r), "
        "b {.id, .name, .kind, .country, .level}])",
        "id",
    )


def _conditions(table: Mapping[str, str], filters: Iterable[str]) -> list[str]:
    wanted = set(filters)
    unknown = wanted - table.keys()
    if unknown:
        raise ValueError(f"unknown filters {sorted(unknown)}; expected some of {list(table)}")
    return ["true", *(cond for name, cond in table.items() if name in wanted)]


def _page(
    name: str, match: str, where: list[str], params: frozenset[str], *, distinct: bool
) -> Page:
    """The nodes `n` of `match` meeting every condition, by name then id. `distinct` for
    a match that can reach a node more than once."""
    cond = " AND ".join(where)
    count, keep = ("count(DISTINCT n)", "WITH DISTINCT n ") if distinct else ("count(n)", "")
    return Page(
        Statement(f"{name}.count", f"{match} WHERE {cond} RETURN {count}", params),
        Statement(
            f"{name}.items",
            f"{match} WHERE {cond} {keep}RETURN properties(n) AS p "
            "ORDER BY toLower(n.name), n.id SKIP $offset LIMIT $limit",
            params | {"offset", "limit"},
        ),
    )


@cache
def actors_page(filters: frozenset[str]) -> Page:
    """Actors meeting the named `ACTOR_FILTERS`; each takes the parameter of its name."""
    where = _conditions(ACTOR_FILTERS, filters)
    label = ",".join(f for f in ACTOR_FILTERS if f in filters)
    return _page(f"nodes.actors[{label}]", "MATCH (n:Actor)", where, filters, distinct=False)


@cache
def initiatives_page(
    filters: frozenset[str], *, by_actor: bool = False, include_confidential: bool = False
) -> Page:
    """Initiatives meeting the named `INITIATIVE_FILTERS`; `by_actor` keeps those the
    actor `$actor` has a relationship with (a visible one unless `include_confidential`)."""
    where = _conditions(INITIATIVE_FILTERS, filters)
    label = ",".join(f for f in INITIATIVE_FILTERS if f in filters)
    match, params = "MATCH (n:Initiative)", filters
    if by_actor:
        match = "MATCH (:Actor {id: $actor})-[r]-(n:Initiative)"
        where.append(visible("r", include_confidential=include_confidential))
        params = filters | {"actor"}
        label += f";actor,{shown(include_confidential=include_confidential)}"
    return _page(f"nodes.initiatives[{label}]", match, where, params, distinct=True)


def _filter_variants(table: Mapping[str, str]) -> Iterator[frozenset[str]]:
    """No filter, each filter alone, all of them: every condition in a representative set."""
    yield frozenset()
    for name in table:
        yield frozenset({name})
    yield frozenset(table)


def statements() -> Iterator[Statement]:
    yield NODES_BY_ID
    yield node_exists()
    yield node_exists("Actor")
    for label in LOOKUP_LABELS:
        yield ids_by_name(label)
        yield ids_and_names(label)
    for label in ("Actor", "Initiative"):
        for v in VISIBILITIES:
            yield with_relationships(label, include_confidential=v)
    pages = [actors_page(f) for f in _filter_variants(ACTOR_FILTERS)]
    for f in _filter_variants(INITIATIVE_FILTERS):
        pages.append(initiatives_page(f))
        pages += [initiatives_page(f, by_actor=True, include_confidential=v) for v in VISIBILITIES]
    for page in pages:
        yield page.count
        yield page.items
