"""Engine-neutral read queries: what the API serves and the pages can reuse.

Every function takes the store and `include_confidential`. With
`include_confidential=False` no relationship marked `confidential` is
returned, counted, traversed (neighbourhoods, paths) or exported — the
filter is in the Cypher itself, not applied afterwards by the caller.

Results are plain JSON-ready dicts and lists:

* a **node** is its stored properties (`id`, `name`, `kind`, `country`,
  `themes`, `sources`, `updated_at`, …) plus `family` ("actor" or
  "initiative");
* a **relationship** is `source`, `target`, `type`, `symmetric` and its
  stored properties (`status`, `confidential`, `since`, `note`, `sources`),
  with `axis`, `cross_border`, `cross_sector` classified from the endpoints
  when read (None when an initiative is involved), so they are right even if
  an endpoint changed country or level after the relationship was written.

Lists are paged (`limit`, `offset`) and say their `total`. Nothing here
starts a transaction; every query runs with `read_only=True`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import pairwise
from typing import Any, Protocol

import networkx as nx

from graph import schema
from graph.store.base import Store

DEFAULT_LIMIT = 50
MAX_LIMIT = 1000
MAX_DEPTH = 3
#: A neighbourhood stops growing at this many nodes (nearest first) and says so.
MAX_NEIGHBOURHOOD_NODES = 2000
#: Shortest paths are searched up to this many hops.
DEFAULT_MAX_HOPS = 6
MAX_HOPS = 12

_ACTOR_RELATIONSHIP_KEYS = ("axis", "cross_border", "cross_sector")
#: Loader bookkeeping kept out of what is returned.
INTERNAL_PROPERTIES = schema.INTERNAL_PROPERTIES


# --------------------------------------------------------------------------- helpers


def _visible(alias: str, include_confidential: bool) -> str:
    """A WHERE condition hiding confidential relationships (or "true")."""
    if include_confidential:
        return "true"
    return f"coalesce({alias}.confidential, false) = false"


def _family(kind: Any) -> str | None:
    if kind in schema.ACTOR_KINDS:
        return schema.ACTOR
    if kind in schema.INITIATIVE_KINDS:
        return schema.INITIATIVE
    return None


def node_dict(props: Mapping[str, Any] | None) -> dict[str, Any]:
    """A stored node as returned by every read: its properties plus `family`."""
    out = {
        k: v for k, v in (props or {}).items() if k != "_labels" and k not in INTERNAL_PROPERTIES
    }
    out["family"] = _family(out.get("kind"))
    return out


def node_ref(props: Mapping[str, Any]) -> dict[str, Any]:
    """The short form of a node: id, name, kind, family, country."""
    return {
        "id": props.get("id"),
        "name": props.get("name"),
        "kind": props.get("kind"),
        "family": _family(props.get("kind")),
        "country": props.get("country"),
    }


def relationship_dict(
    source: str,
    rel_type: str,
    target: str,
    props: Mapping[str, Any] | None,
    source_node: Mapping[str, Any] | None = None,
    target_node: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A relationship with its classification computed from the endpoints' properties."""
    out: dict[str, Any] = {
        k: v
        for k, v in (props or {}).items()
        if not k.startswith("_") and k not in INTERNAL_PROPERTIES
    }
    out.update(
        {
            "source": source,
            "target": target,
            "type": rel_type,
            "symmetric": rel_type in schema.SYMMETRIC_TYPES,
            "status": out.get("status") or schema.Status.ACTIVE.value,
            "confidential": bool(out.get("confidential")),
        }
    )
    if source_node is not None and target_node is not None:
        out.update(schema.classify(dict(source_node), dict(target_node)))
    else:
        for k in _ACTOR_RELATIONSHIP_KEYS:
            out.setdefault(k, None)
    return out


def _page(limit: int, offset: int) -> tuple[int, int]:
    limit = max(1, min(int(limit), MAX_LIMIT))
    return limit, max(0, int(offset))


def _paged(total: Any, limit: int, offset: int, items: list[dict[str, Any]]) -> dict[str, Any]:
    return {"total": int(total or 0), "limit": limit, "offset": offset, "items": items}


def _node_page(
    store: Store,
    match: str,
    where: list[str],
    params: dict[str, Any],
    limit: int,
    offset: int,
    *,
    distinct: bool = False,
) -> dict[str, Any]:
    """One page of the nodes `n` of `match` meeting every condition in `where`, by
    name then id, with the count of all of them: {total, limit, offset, items}.
    `distinct` for a match that can reach a node more than once."""
    cond = " AND ".join(where)
    count, keep = ("count(DISTINCT n)", "WITH DISTINCT n ") if distinct else ("count(n)", "")
    total = store.run(f"{match} WHERE {cond} RETURN {count}", params, read_only=True).scalar()
    rows = store.run(
        f"{match} WHERE {cond} {keep}RETURN properties(n) AS p "
        "ORDER BY toLower(n.name), n.id SKIP $offset LIMIT $limit",
        {**params, "offset": offset, "limit": limit},
        read_only=True,
    ).rows
    return _paged(total, limit, offset, [node_dict(r[0]) for r in rows])


def _norm_theme(theme: str) -> str:
    return theme.strip().lower().replace(" ", "_")


def _sector_expr(alias: str) -> str:
    """Cypher for the sector of an actor (see `schema.classify`)."""
    by_sector: dict[str, list[str]] = {}
    for k in schema.ACTOR_KINDS.values():
        by_sector.setdefault(k.sector.value, []).append(k.name)
    whens = " ".join(
        f"WHEN {alias}.kind IN [{', '.join(repr(x) for x in kinds)}] THEN '{sector}'"
        for sector, kinds in by_sector.items()
    )
    return f"CASE {whens} ELSE null END"


def _level_expr(alias: str) -> str:
    """Cypher for an actor's level, falling back to its kind's default level."""
    whens = " ".join(
        f"WHEN '{k.name}' THEN '{k.default_level.value}'" for k in schema.ACTOR_KINDS.values()
    )
    return f"coalesce({alias}.level, CASE {alias}.kind {whens} ELSE null END)"


# --------------------------------------------------------------------------- stats


def stats(store: Store, *, include_confidential: bool = False) -> dict[str, Any]:
    """Totals and breakdowns (as `graph.stats.graph_stats`), counting only visible relationships."""
    by_kind: dict[str, int] = {}
    for kind, n in store.run("MATCH (n:Entity) RETURN n.kind, count(n)", read_only=True).rows:
        by_kind[str(kind)] = int(n)
    by_type: dict[str, int] = {}
    q = (
        "MATCH (:Entity)-[r]->(:Entity) "
        f"WHERE {_visible('r', include_confidential)} RETURN type(r), count(r)"
    )
    for typ, n in store.run(q, read_only=True).rows:
        by_type[str(typ)] = int(n)
    countries = store.run(
        "MATCH (n:Entity) WHERE n.country IS NOT NULL RETURN count(DISTINCT n.country)",
        read_only=True,
    ).scalar()
    return {
        "actors": sum(n for k, n in by_kind.items() if k in schema.ACTOR_KINDS),
        "initiatives": sum(n for k, n in by_kind.items() if k in schema.INITIATIVE_KINDS),
        "relationships": sum(by_type.values()),
        "countries": int(countries or 0),
        "actors_by_kind": {k: by_kind[k] for k in schema.ACTOR_KINDS if k in by_kind},
        "initiatives_by_kind": {k: by_kind[k] for k in schema.INITIATIVE_KINDS if k in by_kind},
        "relationships_by_type": {t: by_type[t] for t in schema.REL_TYPES if t in by_type},
    }


# --------------------------------------------------------------------------- actors


def list_actors(
    store: Store,
    *,
    kind: str | None = None,
    country: str | None = None,
    level: str | None = None,
    theme: str | None = None,
    q: str | None = None,
    city: str | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
    include_confidential: bool = False,
) -> dict[str, Any]:
    """Actors matching every filter given, by name; `q` is a case-insensitive substring of
    the name. Returns {total, limit, offset, items}. (Nodes are never confidential;
    `include_confidential` is accepted for a uniform interface.)"""
    del include_confidential
    limit, offset = _page(limit, offset)
    where, params = ["true"], {}
    if kind:
        if kind not in schema.ACTOR_KINDS:
            raise ValueError(
                f"unknown actor kind {kind!r}; expected one of {', '.join(schema.ACTOR_KINDS)}"
            )
        where.append("n.kind = $kind")
        params["kind"] = kind
    if country:
        where.append("n.country = $country")
        params["country"] = country.strip().upper()
    if level:
        where.append(f"{_level_expr('n')} = $level")
        params["level"] = level
    if theme:
        where.append("$theme IN coalesce(n.themes, [])")
        params["theme"] = _norm_theme(theme)
    if city:
        where.append("n.city = $city")
        params["city"] = city
    if q:
        where.append("toLower(n.name) CONTAINS $q")
        params["q"] = q.strip().lower()
    return _node_page(store, "MATCH (n:Actor)", where, params, limit, offset)


def node_exists(store: Store, node_id: str, label: str = "Entity") -> bool:
    res = store.run(
        f"MATCH (n:{label} {{id: $id}}) RETURN count(n)", {"id": node_id}, read_only=True
    )
    return bool(res.scalar())


def _node_with_relationships(
    store: Store, label: str, node_id: str, include_confidential: bool
) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """A node's properties and its relationships to other entities, each with `direction`
    ("out" or "in", seen from the node) and `other` (the node at the other end)."""
    res = store.run(
        f"MATCH (n:{label} {{id: $id}}) "
        "OPTIONAL MATCH (n)-[r]-(b:Entity) "
        f"WHERE {_visible('r', include_confidential)} "
        "RETURN properties(n), collect([startNode(r).id = n.id, type(r), properties(r), "
        "b {.id, .name, .kind, .country, .level}])",
        {"id": node_id},
        read_only=True,
    )
    if not res.rows:
        return None, []
    me, found = res.rows[0]
    rels: list[dict[str, Any]] = []
    for outgoing, typ, props, other in found:
        if typ is None or other is None:
            continue
        s, t = (me, other) if outgoing else (other, me)
        rel = relationship_dict(s["id"], typ, t["id"], props, s, t)
        rel["direction"] = "out" if outgoing else "in"
        rel["other"] = node_ref(other)
        rels.append(rel)
    rels.sort(key=lambda r: (r["type"], r["direction"], str(r["other"]["id"])))
    return node_dict(me), rels


def get_actor(
    store: Store, actor_id: str, *, include_confidential: bool = False
) -> dict[str, Any] | None:
    """One actor's properties and relationships (under `relationships`), or None."""
    node, rels = _node_with_relationships(store, "Actor", actor_id, include_confidential)
    if node is None:
        return None
    node["relationships"] = rels
    return node


def neighbourhood(
    store: Store,
    node_id: str,
    depth: int = 1,
    *,
    include_confidential: bool = False,
    max_nodes: int = MAX_NEIGHBOURHOOD_NODES,
) -> dict[str, Any] | None:
    """The nodes within `depth` hops (1–3, either direction, through visible relationships
    only) and the relationships among them, or None if `node_id` is not in the graph.

    Nodes carry `hops` (their distance). At most `max_nodes` nodes are returned,
    nearest first (ties by id); `truncated` says whether some were left out.
    """
    if not 1 <= depth <= MAX_DEPTH:
        raise ValueError(f"depth must be between 1 and {MAX_DEPTH}, not {depth}")
    max_nodes = max(1, int(max_nodes))
    visible = _visible("r", include_confidential)
    # The centre, its links and its first hop in one round trip (a node with no visible
    # link comes back with one row of nulls from the OPTIONAL MATCH).
    rows = store.run(
        "MATCH (n:Entity {id: $id}) OPTIONAL MATCH (n)-[r]-(b:Entity) "
        f"WHERE {visible} RETURN properties(n), "
        "collect([startNode(r) = n, type(r), properties(r), b.id, properties(b)])",
        {"id": node_id},
        read_only=True,
    ).rows
    if not rows:
        return None
    props, first = rows[0]
    hops: dict[str, int] = {node_id: 0}
    nodes: dict[str, dict[str, Any]] = {node_id: props}
    found = {b: bp for _, typ, _, b, bp in first if typ is not None}
    frontier = [node_id]
    step = (
        "UNWIND $ids AS i MATCH (a:Entity {id: i})-[r]-(b:Entity) "
        f"WHERE {visible} RETURN DISTINCT b.id, properties(b)"
    )
    truncated = False
    for d in range(1, depth + 1):
        if d > 1:
            if not frontier or truncated:
                break
            found = dict(store.run(step, {"ids": frontier}, read_only=True).rows)
        frontier = []
        for n in sorted(found):
            if n in hops:
                continue
            if len(hops) >= max_nodes:
                truncated = True
                break
            hops[n] = d
            nodes[n] = found[n]
            frontier.append(n)
    links: list[tuple[str, str, str, dict[str, Any]]] = []
    if depth == 1:
        # The centre's own links came with the first query: only links between two
        # neighbours are left to ask for, and there are none with fewer than two.
        links = [
            (node_id, typ, b, rp) if out else (b, typ, node_id, rp)
            for out, typ, rp, b, _ in first
            if typ is not None and b in hops
        ]
        among = [i for i in hops if i != node_id]
    else:
        among = list(hops)
    if len(among) > 1:
        # Links among those nodes, checked in the engine so that links leaving the
        # neighbourhood never cross the socket. `b IN ns` compares nodes; `b.id IN $ids`
        # re-reads the parameter list per row and was 6x slower.
        links += store.run(
            "UNWIND $ids AS i MATCH (a:Entity {id: i}) WITH collect(a) AS ns "
            "UNWIND ns AS a MATCH (a)-[r]->(b:Entity) "
            f"WHERE b IN ns AND {visible} RETURN a.id, type(r), b.id, properties(r)",
            {"ids": among},
            read_only=True,
        ).rows
    ids = list(hops)
    edges = [relationship_dict(s, typ, t, rp, nodes[s], nodes[t]) for s, typ, t, rp in links]
    edges.sort(key=lambda e: (e["source"], e["type"], e["target"]))
    out_nodes = [
        {**node_dict(nodes[i]), "hops": hops[i]}
        for i in sorted(ids, key=lambda i: (hops[i], i))
        if i in nodes
    ]
    return {
        "center": node_id,
        "depth": depth,
        "truncated": truncated,
        "max_nodes": max_nodes,
        "nodes": out_nodes,
        "edges": edges,
    }


# --------------------------------------------------------------------------- initiatives

#: How an initiative's relationships are grouped in `get_initiative`:
#: (type, direction seen from the initiative) -> key.
INITIATIVE_ROLES: dict[tuple[str, str], str] = {
    ("RUNS", "in"): "run_by",
    ("FUNDS", "in"): "funded_by",
    ("IMPLEMENTS", "in"): "implemented_by",
    ("EVALUATES", "in"): "evaluated_by",
    ("PARTICIPATES_IN", "in"): "participants",
    ("CONTRIBUTES_TO", "in"): "contributors",
    ("INFORMS", "out"): "informs",
    ("INFORMS", "in"): "informed_by",
    ("EVALUATES", "out"): "evaluates",
}


def list_initiatives(
    store: Store,
    *,
    kind: str | None = None,
    country: str | None = None,
    status: str | None = None,
    theme: str | None = None,
    q: str | None = None,
    actor: str | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
    include_confidential: bool = False,
) -> dict[str, Any]:
    """Initiatives matching every filter, by name. `actor` keeps those the actor has a
    visible relationship with (runs, funds, implements, …)."""
    limit, offset = _page(limit, offset)
    where, params = ["true"], {}
    match = "MATCH (n:Initiative)"
    if kind:
        if kind not in schema.INITIATIVE_KINDS:
            raise ValueError(
                f"unknown initiative kind {kind!r}; expected one of "
                f"{', '.join(schema.INITIATIVE_KINDS)}"
            )
        where.append("n.kind = $kind")
        params["kind"] = kind
    if country:
        where.append("n.country = $country")
        params["country"] = country.strip().upper()
    if status:
        where.append("coalesce(n.status, 'active') = $status")
        params["status"] = status
    if theme:
        where.append("$theme IN coalesce(n.themes, [])")
        params["theme"] = _norm_theme(theme)
    if q:
        where.append("toLower(n.name) CONTAINS $q")
        params["q"] = q.strip().lower()
    if actor:
        match = "MATCH (:Actor {id: $actor})-[r]-(n:Initiative)"
        where.append(_visible("r", include_confidential))
        params["actor"] = actor
    return _node_page(store, match, where, params, limit, offset, distinct=True)


def get_initiative(
    store: Store, initiative_id: str, *, include_confidential: bool = False
) -> dict[str, Any] | None:
    """One initiative with who runs, funds, implements, evaluates, takes part in and
    contributes to it, what it informs / is informed by, and (for an evaluation) what it
    evaluates — each a list of {id, name, kind, family, country, type, status, since,
    confidential, note}; plus every visible relationship under `relationships`."""
    node, rels = _node_with_relationships(store, "Initiative", initiative_id, include_confidential)
    if node is None:
        return None
    groups: dict[str, list[dict[str, Any]]] = {
        k: [] for k in dict.fromkeys(INITIATIVE_ROLES.values())
    }
    for rel in rels:
        key = INITIATIVE_ROLES.get((rel["type"], rel["direction"]))
        if key is None:
            continue
        groups[key].append(
            {
                **rel["other"],
                "type": rel["type"],
                "status": rel["status"],
                "since": rel.get("since"),
                "confidential": rel["confidential"],
                "note": rel.get("note"),
            }
        )
    node.update(groups)
    node["relationships"] = rels
    return node


# --------------------------------------------------------------------------- relationships


def list_relationships(
    store: Store,
    *,
    types: Sequence[str] | None = None,
    axis: str | None = None,
    country: str | None = None,
    cross_border: bool | None = None,
    cross_sector: bool | None = None,
    status: str | None = None,
    node: str | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
    include_confidential: bool = False,
) -> dict[str, Any]:
    """Relationships matching every filter, ordered by source, type, target.

    `axis`, `cross_border` and `cross_sector` are properties of actor–actor
    relationships, so filtering on any of them keeps only those. `country` keeps
    relationships with an endpoint in that country; `node` those touching that id.
    Each item also names its endpoints (`source_name`, `source_kind`, …).
    """
    limit, offset = _page(limit, offset)
    wanted = list(dict.fromkeys(types or []))
    for t in wanted:
        if t not in schema.REL_TYPES:
            raise ValueError(
                f"unknown relationship type {t!r}; expected one of {', '.join(schema.REL_TYPES)}"
            )
    label = ":" + "|".join(wanted) if wanted else ""
    where = [_visible("r", include_confidential)]
    params: dict[str, Any] = {}
    if axis is not None or cross_border is not None or cross_sector is not None:
        where.append("a:Actor AND b:Actor")
    if axis is not None:
        if axis not in ("vertical", "horizontal"):
            raise ValueError(f"unknown axis {axis!r}; expected vertical or horizontal")
        op = "=" if axis == "horizontal" else "<>"
        where.append(f"{_level_expr('a')} {op} {_level_expr('b')}")
    if cross_border is not None:
        differ = "a.country IS NOT NULL AND b.country IS NOT NULL AND a.country <> b.country"
        where.append(differ if cross_border else f"NOT ({differ})")
    if cross_sector is not None:
        op = "<>" if cross_sector else "="
        where.append(f"{_sector_expr('a')} {op} {_sector_expr('b')}")
    if country:
        where.append("(a.country = $country OR b.country = $country)")
        params["country"] = country.strip().upper()
    if status:
        where.append("coalesce(r.status, 'active') = $status")
        params["status"] = status
    pattern = f"MATCH (a:Entity)-[r{label}]->(b:Entity)"
    if node:
        params["node"] = node
        pattern = (
            f"MATCH (x:Entity {{id: $node}})-[r{label}]-(y:Entity) "
            "WITH startNode(r) AS a, r, endNode(r) AS b"
        )
    cond = " AND ".join(where)
    total = store.run(f"{pattern} WHERE {cond} RETURN count(r)", params, read_only=True).scalar()
    rows = store.run(
        f"{pattern} WHERE {cond} "
        "RETURN a.id AS s, type(r) AS t, b.id AS o, properties(r), properties(a), properties(b) "
        "ORDER BY s, t, o SKIP $offset LIMIT $limit",
        {**params, "offset": offset, "limit": limit},
        read_only=True,
    ).rows
    items = []
    for s, typ, t, props, a, b in rows:
        rel = relationship_dict(s, typ, t, props, a, b)
        rel.update(
            {
                "source_name": a.get("name"),
                "source_kind": a.get("kind"),
                "target_name": b.get("name"),
                "target_kind": b.get("kind"),
            }
        )
        items.append(rel)
    return _paged(total, limit, offset, items)


# --------------------------------------------------------------------------- paths


def shortest_path(
    store: Store,
    source: str,
    target: str,
    *,
    include_confidential: bool = False,
    max_hops: int = DEFAULT_MAX_HOPS,
    types: Iterable[str] | None = None,
    actors_only: bool = False,
    graph: nx.MultiDiGraph | None = None,
) -> dict[str, Any]:
    """A shortest path between two nodes, ignoring direction, through visible relationships.

    Bidirectional breadth-first search, one hop at a time from the smaller side,
    so the work is bounded by the nodes within `max_hops` / 2 of either end
    (FalkorDB's `shortestPath` is directed only and allowed only in RETURN).
    Each hop is one Cypher query; or, when `graph` is given — a projection of
    the whole store made with the same `include_confidential` (e.g. one a
    cache already holds) — a lookup in memory, with the same result.
    `types` limits the relationship types walked; `actors_only` keeps
    initiatives out of the middle of the path.

    Returns {source, target, found, length, nodes, steps}; each step is
    {from, to, type, direction ("forward" when stored from→to, else
    "backward"), symmetric, status, confidential, since, also (other types
    joining the same pair)}. Raises KeyError naming an id not in the graph.
    """
    if graph is not None and graph.graph.get("include_confidential") != include_confidential:
        graph = None  # never walk a projection made for another visibility
    if not 1 <= max_hops <= MAX_HOPS:
        raise ValueError(f"max_hops must be between 1 and {MAX_HOPS}, not {max_hops}")
    wanted = sorted(set(types or []))
    for t in wanted:
        if t not in schema.REL_TYPES:
            raise ValueError(
                f"unknown relationship type {t!r}; expected one of {', '.join(schema.REL_TYPES)}"
            )
    walk: _Walk = (
        _GraphWalk(graph, wanted, actors_only, (source, target))
        if graph is not None
        else _CypherWalk(store, wanted, include_confidential, actors_only, (source, target))
    )
    for node_id in (source, target):
        if not walk.exists(node_id):
            raise KeyError(node_id)
    result: dict[str, Any] = {
        "source": source,
        "target": target,
        "found": False,
        "length": None,
        "max_hops": max_hops,
        "nodes": [],
        "steps": [],
    }
    ids = _bidirectional_bfs(walk, source, target, max_hops)
    if ids is None:
        return result
    props = walk.nodes(ids)
    pairs = list(pairwise(ids))
    found = walk.links(pairs)
    steps = []
    for a, b in pairs:
        options = sorted(
            found.get((a, b), []),
            key=lambda o: ((o[2] or {}).get("status", "active") != "active", o[1], o[0] != a),
        )
        s, typ, rp = options[0]
        rel = relationship_dict(s, typ, b if s == a else a, rp)
        steps.append(
            {
                "from": a,
                "to": b,
                "type": typ,
                "direction": "forward" if s == a else "backward",
                "symmetric": rel["symmetric"],
                "status": rel["status"],
                "confidential": rel["confidential"],
                "since": rel.get("since"),
                "also": sorted({o[1] for o in options[1:]} - {typ}),
            }
        )
    result.update(
        {
            "found": True,
            "length": len(ids) - 1,
            "nodes": [node_ref(props.get(i, {"id": i})) for i in ids],
            "steps": steps,
        }
    )
    return result


#: A relationship between two path nodes: (stored source id, type, properties).
_Link = tuple[str, str, dict[str, Any]]


class _Walk(Protocol):
    def exists(self, node_id: str) -> bool: ...

    def hop(self, frontier: list[str]) -> list[tuple[str, str]]:
        """(a, b) for every visible relationship from a frontier node a to a node b."""
        ...

    def nodes(self, ids: list[str]) -> dict[str, dict[str, Any]]: ...

    def links(self, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], list[_Link]]: ...


class _CypherWalk:
    def __init__(
        self,
        store: Store,
        types: list[str],
        include_confidential: bool,
        actors_only: bool,
        ends: tuple[str, str],
    ) -> None:
        self.store = store
        self.label = ":" + "|".join(types) if types else ""
        self.visible = _visible("r", include_confidential)
        self.actors_only = actors_only
        self.ends = list(ends)

    def exists(self, node_id: str) -> bool:
        return node_exists(self.store, node_id)

    def hop(self, frontier: list[str]) -> list[tuple[str, str]]:
        match = f"UNWIND $ids AS i MATCH (a:Entity {{id: i}})-[r{self.label}]-(b:Entity) "
        through = "AND b:Actor " if self.actors_only else ""
        rows = self.store.run(
            f"{match} WHERE {self.visible} {through}RETURN DISTINCT a.id, b.id",
            {"ids": frontier},
            read_only=True,
        ).rows
        if self.actors_only:  # the far end may be an initiative even when the middle may not
            rows += self.store.run(
                f"{match} WHERE {self.visible} AND b.id IN $ends RETURN DISTINCT a.id, b.id",
                {"ids": frontier, "ends": self.ends},
                read_only=True,
            ).rows
        return [(a, b) for a, b in rows]

    def nodes(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        rows = self.store.run(
            "UNWIND $ids AS i MATCH (n:Entity {id: i}) RETURN properties(n)",
            {"ids": ids},
            read_only=True,
        ).rows
        return {r[0]["id"]: r[0] for r in rows}

    def links(self, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], list[_Link]]:
        found: dict[tuple[str, str], list[_Link]] = {}
        if not pairs:
            return found
        for a, b, s, typ, rp in self.store.run(
            f"UNWIND $pairs AS p MATCH (a:Entity {{id: p[0]}})-[r{self.label}]-"
            f"(b:Entity {{id: p[1]}}) WHERE {self.visible} "
            "RETURN p[0], p[1], startNode(r).id, type(r), properties(r)",
            {"pairs": [list(p) for p in pairs]},
            read_only=True,
        ).rows:
            found.setdefault((a, b), []).append((s, typ, rp))
        return found


class _GraphWalk:
    """The same walk over a projection (`graph.projection.build_graph`) in memory."""

    def __init__(
        self, G: nx.MultiDiGraph, types: list[str], actors_only: bool, ends: tuple[str, str]
    ) -> None:
        self.G = G
        self.types = set(types)
        self.actors_only = actors_only
        self.ends = set(ends)

    def exists(self, node_id: str) -> bool:
        return node_id in self.G

    def _ok(self, keys: Iterable[str]) -> bool:
        return not self.types or any(k in self.types for k in keys)

    def hop(self, frontier: list[str]) -> list[tuple[str, str]]:
        G, out = self.G, set()
        for a in frontier:
            for adj in (G.succ[a], G.pred[a]):
                for b, keyed in adj.items():
                    if not self._ok(keyed):
                        continue
                    if (
                        self.actors_only
                        and G.nodes[b].get("family") != schema.ACTOR
                        and b not in self.ends
                    ):
                        continue
                    out.add((a, b))
        return list(out)

    def nodes(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        return {i: self.G.nodes[i] for i in ids}

    def links(self, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], list[_Link]]:
        G, found = self.G, {}
        for a, b in pairs:
            options: list[_Link] = []
            for s, t in ((a, b), (b, a)):
                for typ, d in G.succ[s].get(t, {}).items():
                    if not self.types or typ in self.types:
                        options.append((s, typ, d))
            found[(a, b)] = options
        return found


def _bidirectional_bfs(walk: _Walk, source: str, target: str, max_hops: int) -> list[str] | None:
    if source == target:
        return [source]
    parent: list[dict[str, str | None]] = [{source: None}, {target: None}]
    dist: list[dict[str, int]] = [{source: 0}, {target: 0}]
    frontier: list[list[str]] = [[source], [target]]
    for _ in range(max_hops):
        if not frontier[0] or not frontier[1]:
            return None
        side = 0 if len(frontier[0]) <= len(frontier[1]) else 1
        other = 1 - side
        rows = walk.hop(frontier[side])
        new: list[str] = []
        depth = dist[side][frontier[side][0]] + 1
        for a, b in sorted(rows):
            if b not in parent[side]:
                parent[side][b] = a
                dist[side][b] = depth
                new.append(b)
        frontier[side] = new
        meets = [n for n in new if n in parent[other]]
        if meets:
            meet = min(meets, key=lambda n: (dist[other][n], n))
            return _join(parent, meet)
    return None


def _join(parent: list[dict[str, str | None]], meet: str) -> list[str]:
    left, right = parent[0], parent[1]
    path_s: list[str] = []
    n: str | None = meet
    while n is not None:
        path_s.append(n)
        n = left[n]
    path_s.reverse()
    n = right[meet]
    while n is not None:
        path_s.append(n)
        n = right[n]
    return path_s


# --------------------------------------------------------------------------- export


def export_graph(
    store: Store,
    fmt: str,
    *,
    include_confidential: bool = False,
    countries: Iterable[str] | None = None,
    kinds: Iterable[str] | None = None,
    types: Iterable[str] | None = None,
    statuses: Iterable[str] | None = None,
    actor: str | None = None,
    depth: int = 1,
    table: str | None = None,
) -> tuple[bytes, str, str]:
    """The whole graph, or a filtered part, as (content, media type, file extension).

    Parts: `countries` (their nodes plus the country-less nodes linked to them),
    or the neighbourhood of `actor` to `depth`; then only nodes of `kinds` and
    relationships of `types` / `statuses`. Formats: see `graph.export`.
    """
    from graph import export as writers
    from graph.projection import project, project_neighbourhood

    if fmt not in writers.FORMATS:
        raise ValueError(
            f"unknown export format {fmt!r}; expected one of {', '.join(writers.FORMATS)}"
        )
    if actor is not None:
        if not 1 <= depth <= MAX_DEPTH:
            raise ValueError(f"depth must be between 1 and {MAX_DEPTH}, not {depth}")
        if not node_exists(store, actor):
            raise KeyError(actor)
        G = project_neighbourhood(store, actor, depth, include_confidential=include_confidential)
    else:
        codes = sorted({c.strip().upper() for c in countries or () if c.strip()}) or None
        G = project(store, countries=codes, include_confidential=include_confidential)
    G = writers.select(G, kinds=kinds, types=types, statuses=statuses)
    meta = {
        "include_confidential": include_confidential,
        "filters": {
            "countries": sorted({c.strip().upper() for c in countries or ()}),
            "kinds": sorted(set(kinds or ())),
            "types": sorted(set(types or ())),
            "statuses": sorted(set(statuses or ())),
            "actor": actor,
            "depth": depth if actor is not None else None,
        },
    }
    return writers.export(G, fmt, table=table, meta=meta)
