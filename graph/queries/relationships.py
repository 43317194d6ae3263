"""Relationships: one filtered page of them, with both endpoints' properties."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from graph.queries.fragments import VISIBILITIES, level_of, rel_label, sector_of, shown, visible
from graph.queries.nodes import Page
from graph.queries.statement import Statement


@dataclass(frozen=True)
class RelationshipFilter:
    """Which filters a relationship page applies (the values go in as parameters).

    `types` narrows the pattern; `axis` ("vertical" or "horizontal"), `cross_border`
    and `cross_sector` keep actor–actor relationships only; `country` (`$country`)
    keeps those with an endpoint there, `status` (`$status`) those with that status,
    `node` (`$node`) those touching that id.
    """

    types: tuple[str, ...] = ()
    axis: str | None = None
    cross_border: bool | None = None
    cross_sector: bool | None = None
    country: bool = False
    status: bool = False
    node: bool = False
    include_confidential: bool = False


@cache
def page(f: RelationshipFilter) -> Page:
    """Relationships `r` from `a` to `b` meeting `f`, ordered by source, type, target."""
    label = rel_label(list(f.types))
    where = [visible("r", include_confidential=f.include_confidential)]
    params: set[str] = set()
    if f.axis is not None or f.cross_border is not None or f.cross_sector is not None:
        where.append("a:Actor AND b:Actor")
    if f.axis is not None:
        if f.axis not in ("vertical", "horizontal"):
            raise ValueError(f"unknown axis {f.axis!r}; expected vertical or horizontal")
        op = "=" if f.axis == "horizontal" else "<>"
        where.append(f"{level_of('a')} {op} {level_of('b')}")
    if f.cross_border is not None:
        differ = "a.country IS NOT NULL AND b.country IS NOT NULL AND a.country <> b.country"
        where.append(differ if f.cross_border else f"NOT ({differ})")
    if f.cross_sector is not None:
        op = "<>" if f.cross_sector else "="
        where.append(f"{sector_of('a')} {op} {sector_of('b')}")
    if f.country:
        where.append("(a.country = $country OR b.country = $country)")
        params.add("country")
    if f.status:
        where.append("coalesce(r.status, 'active') = $status")
        params.add("status")
    pattern = f"MATCH (a:Entity)-[r{label}]->(b:Entity)"
    if f.node:
        params.add("node")
        pattern = (
            f"MATCH (x:Entity {{id: $node}})-[r{label}]-(y:Entity) "
            "WITH startNode(r) AS a, r, endNode(r) AS b"
        )
    cond = " AND ".join(where)
    name = f"relationships.page[{_describe(f)}]"
    return Page(
        Statement(f"{name}.count", f"{pattern} WHERE {cond} RETURN count(r)", frozenset(params)),
        Statement(
            f"{name}.items",
            f"{pattern} WHERE {cond} "
            "RETURN a.id AS s, type(r) AS t, b.id AS o, properties(r), properties(a), "
            "properties(b) ORDER BY s, t, o SKIP $offset LIMIT $limit",
            frozenset(params | {"offset", "limit"}),
        ),
    )


def _describe(f: RelationshipFilter) -> str:
    given = ["types=" + "|".join(f.types)] if f.types else []
    given += [f"{k}={v}" for k, v in vars(f).items() if k in _THREE_WAY and v is not None]
    given += [k for k in ("country", "status", "node") if getattr(f, k)]
    return ",".join([*given, shown(include_confidential=f.include_confidential)])


_THREE_WAY = ("axis", "cross_border", "cross_sector")


def _variants() -> Iterator[RelationshipFilter]:
    """No filter, each filter alone (each value of the three-way ones), and all at once."""
    for v in VISIBILITIES:
        yield RelationshipFilter(include_confidential=v)
    yield RelationshipFilter(types=("MEMBER_OF",))
    yield RelationshipFilter(types=("PARTNERS_WITH", "TWINNED_WITH"))
    for axis in ("vertical", "horizontal"):
        yield RelationshipFilter(axis=axis)
    for flag in (True, False):
        yield RelationshipFilter(cross_border=flag)
        yield RelationshipFilter(cross_sector=flag)
    yield RelationshipFilter(country=True)
    yield RelationshipFilter(status=True)
    yield RelationshipFilter(node=True)
    yield RelationshipFilter(("FUNDS",), "vertical", True, False, True, True, True, False)


def statements() -> Iterator[Statement]:
    for f in _variants():
        p = page(f)
        yield p.count
        yield p.items
