"""Decode FalkorDB's compact reply to a read query straight into plain Python.

A compact reply (`GRAPH.RO_QUERY ... --compact`) is a header of (type, name)
pairs, rows of `[type, value]` cells, and the statistics. The falkordb client
turns every cell into a value through a dispatch of several calls (and our
`falkordb_value` then walks every value again); on the projection of a million
relationships that was most of the read (docs/benchmarks.md, "Projection and
analysis on large graphs"). Here the cells that are already plain (strings,
integers, nulls) are taken as they are in one pass, booleans, doubles, arrays
and maps are decoded as the client would, and only graph values (nodes, edges,
paths, points, temporal values) go through the client's parser and
`falkordb_value`, so the values are exactly those of the client path.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from falkordb import query_result as client_reply
from redis import ResponseError

from graph.store.base import QueryResult
from graph.store.values import falkordb_value

# The compact reply's scalar type tags (falkordb.query_result.ResultSetScalarTypes).
NULL, STRING, INTEGER, BOOLEAN, DOUBLE, ARRAY, MAP = 1, 2, 3, 4, 5, 6, 10


def decode_reply(response: Sequence[Any], graph: Any) -> QueryResult:
    """The plain-value `QueryResult` of a compact reply to a read query.

    `graph` is the client's graph object, whose schema names the labels and
    types of graph values. An error the server put in the reply is raised as
    the client raises it. A read query changes nothing, so there are no write
    statistics to report.
    """
    _raise_reply_error(response)
    if len(response) == 1:  # statistics only: a query without RETURN
        return QueryResult([], [])
    header, rows = response[0], response[1]
    columns = [h[1] if isinstance(h, list | tuple) else str(h) for h in header]
    if not columns:
        return QueryResult([], [])
    return QueryResult(columns, decode_rows(rows, graph))


def decode_rows(rows: Sequence[Sequence[Any]], graph: Any) -> list[list[Any]]:
    """Every row's cells as plain values; strings, integers and nulls as they came, and
    booleans decoded in place (the projection's `confidential` is one on every row)."""
    return [
        [
            cell[1]
            if 0 < (tag := cell[0]) <= INTEGER
            else cell[1] == "true"
            if tag == BOOLEAN
            else decode_cell(cell, graph)
            for cell in row
        ]
        for row in rows
    ]


def decode_cell(cell: Sequence[Any], graph: Any) -> Any:
    """One `[type, value]` cell as the client's `parse_scalar` then `falkordb_value`
    would make it."""
    tag, value = cell[0], cell[1]
    if tag in (STRING, INTEGER, NULL):
        return value
    if tag == BOOLEAN:
        return value == "true"
    if tag == DOUBLE:
        return float(value)
    if tag == ARRAY:
        return [c[1] if 0 < c[0] <= INTEGER else decode_cell(c, graph) for c in value]
    if tag == MAP:
        keys, cells = value[::2], value[1::2]
        return {
            k: c[1] if 0 < c[0] <= INTEGER else decode_cell(c, graph)
            for k, c in zip(keys, cells, strict=True)
        }
    return falkordb_value(client_reply.parse_scalar(cell, graph))


def _raise_reply_error(response: Sequence[Any]) -> None:
    """A reply may carry the server's error as its first or last element."""
    if response and isinstance(response[0], ResponseError):
        raise response[0]
    if response and isinstance(response[-1], ResponseError):
        raise response[-1]
