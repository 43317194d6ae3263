"""Turn driver values into plain Python and parameters into plain JSON types.

The falkordb client writes any parameter that is not str, None, list or dict
as `str(value)`, and FalkorDB rejects map-valued properties, so parameters
are coerced here before they reach either engine.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import OrderedDict
from collections.abc import Mapping
from enum import Enum
from typing import Any

from graph.store.base import StoreError


def plain_param(value: Any) -> Any:
    """Coerce a parameter to JSON-like types both engines accept."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, Enum):
        return plain_param(value.value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): plain_param(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain_param(v) for v in value]
    return str(value)


def plain_params(params: Mapping[str, Any] | None) -> dict[str, Any]:
    return {k: plain_param(v) for k, v in (params or {}).items()}


_SCALARS = frozenset({str, int, float, bool, type(None)})


def falkordb_value(value: Any, ids: dict[int, Any] | None = None) -> Any:
    """A falkordb-client value as plain Python (see `QueryResult`).

    Every cell of every result passes through here, so the common types are told
    apart by their exact type first (maps come back as OrderedDict, lists as
    list) before any isinstance check against the client's graph classes.
    """
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is OrderedDict or kind is dict:
        return {k: falkordb_value(v, ids) for k, v in value.items()}
    if kind is list:
        return [falkordb_value(v, ids) for v in value]
    return _falkordb_graph_value(value, ids)


def _falkordb_graph_value(value: Any, ids: dict[int, Any] | None) -> Any:
    from falkordb.edge import Edge
    from falkordb.node import Node
    from falkordb.path import Path

    if isinstance(value, Node):
        return {**value.properties, "_labels": list(value.labels)}
    if isinstance(value, Edge):
        ids = ids or {}
        return {
            **value.properties,
            "_type": value.relation,
            "_start": ids.get(value.src_node),
            "_end": ids.get(value.dest_node),
        }
    if isinstance(value, Path):
        node_ids = {n.id: n.properties.get("id") for n in value.nodes()}
        return {
            "nodes": [falkordb_value(n) for n in value.nodes()],
            "relationships": [falkordb_value(e, node_ids) for e in value.edges()],
        }
    if isinstance(value, Mapping):
        return {k: falkordb_value(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [falkordb_value(v, ids) for v in value]
    return value


def neo4j_value(value: Any) -> Any:
    """A neo4j-driver value as plain Python (see `QueryResult`)."""
    from neo4j.graph import Node, Path, Relationship

    if isinstance(value, Node):
        return {**dict(value), "_labels": sorted(value.labels)}
    if isinstance(value, Relationship):
        start = value.start_node.get("id") if value.start_node is not None else None
        end = value.end_node.get("id") if value.end_node is not None else None
        return {**dict(value), "_type": value.type, "_start": start, "_end": end}
    if isinstance(value, Path):
        return {
            "nodes": [neo4j_value(n) for n in value.nodes],
            "relationships": [neo4j_value(r) for r in value.relationships],
        }
    if isinstance(value, Mapping):
        return {k: neo4j_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [neo4j_value(v) for v in value]
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value


_json_str = json.JSONEncoder(ensure_ascii=False).encode


def cypher_literal(value: Any) -> str:
    """`value` as a Cypher literal for FalkorDB's `CYPHER name=value` header.

    One pass does what `plain_param` and the falkordb client's own
    stringifier would do in two (the slow part of large batched writes).
    JSON string escapes are valid Cypher string escapes.
    """
    if isinstance(value, str):
        return _json_str(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return "null" if math.isnan(value) or math.isinf(value) else repr(value)
    if isinstance(value, Mapping):
        parts = []
        for k, v in value.items():
            key = str(k)
            if not key or "`" in key:
                raise StoreError(f"parameter map key {key!r} cannot be empty or hold a backtick")
            parts.append(f"`{key}`:{cypher_literal(v)}")
        return "{" + ",".join(parts) + "}"
    if isinstance(value, list | tuple | set | frozenset):
        return "[" + ",".join(map(cypher_literal, value)) + "]"
    if isinstance(value, Enum):
        return cypher_literal(value.value)
    if isinstance(value, dt.date | dt.datetime):
        return _json_str(value.isoformat())
    return _json_str(str(value))


def cypher_header(params: Mapping[str, Any] | None) -> str:
    """The `CYPHER a=1 b="x" ` prefix carrying `params`, or "" when there are none."""
    if not params:
        return ""
    for name in params:
        if not name.isidentifier():
            raise StoreError(f"parameter name {name!r} is not a valid identifier")
    return "CYPHER " + " ".join(f"{k}={cypher_literal(v)}" for k, v in params.items()) + " "
