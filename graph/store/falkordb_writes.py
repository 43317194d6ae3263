"""The two ways a FalkorDB write transaction reaches the live graph.

* **In place** (`InPlaceTx`), for a small change: the statements are collected
  and sent at the end as *one* GRAPH.QUERY, chained with `WITH count(*)`.
  FalkorDB runs a query atomically (a failing query is undone as a whole, and
  readers see it all or not at all), so the change costs time proportional to
  itself, not to the graph.
* **Stage and swap** (`StagedTx`), for a large load: the writes go to a copy of
  the graph, which one RENAME makes live. A large load is many batched queries,
  and this keeps readers on the old graph until all of them are done.

`graph.store.falkordb_store.FalkorDBStore.transaction` picks one by the number
of records the caller says it changes (`SMALL_WRITE_MAX`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from typing import Any

from graph.store.base import QueryResult, StoreError
from graph.store.values import cypher_header

ENV_SMALL_WRITE_MAX = "SCN_GRAPH_SMALL_WRITE_MAX"
#: Changes of at most this many records are applied in place (one query); larger ones
#: are staged on a copy and swapped in. Measured by `benchmarks/bench_writes.py`
#: (docs/benchmarks.md, "Writes").
SMALL_WRITE_MAX = 2_000

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_RETURN = re.compile(r"\bRETURN\b", re.IGNORECASE)

Execute = Callable[[str], Any]


def small_write_max() -> int:
    """The in-place threshold: `SCN_GRAPH_SMALL_WRITE_MAX` if set (0 = always stage)."""
    raw = os.environ.get(ENV_SMALL_WRITE_MAX, "").strip()
    if not raw:
        return SMALL_WRITE_MAX
    try:
        value = int(raw)
    except ValueError:
        raise StoreError(
            f"{ENV_SMALL_WRITE_MAX}={raw!r} is not a whole number of records"
        ) from None
    return max(0, value)


def chain(parts: list[tuple[str, Mapping[str, Any]]]) -> tuple[str, dict[str, Any]]:
    """One Cypher query running `parts` in order, and its parameters.

    Each part's parameters are renamed `$sN_name` so parts may share names, and the
    parts are joined by `WITH count(*)`, which always yields one row: a part that
    matches nothing does not stop the ones after it. Parts must not RETURN.
    """
    texts: list[str] = []
    params: dict[str, Any] = {}
    for i, (cypher, given) in enumerate(parts):
        if _RETURN.search(cypher):
            raise StoreError(f"a statement of an in-place write cannot RETURN: {cypher[:80]}")

        def rename(m: re.Match[str], i: int = i, names: Mapping[str, Any] = given) -> str:
            return f"$s{i}_{m.group(1)}" if m.group(1) in names else m.group(0)

        texts.append(_PARAM.sub(rename, cypher))
        params.update({f"s{i}_{k}": v for k, v in given.items()})
    query = texts[0] if texts else ""
    for i, text in enumerate(texts[1:], start=1):
        query += f" WITH count(*) AS _s{i} {text}"
    return query, params


class InPlaceTx:
    """Collects the statements of a small write; `commit` sends them as one query.

    Nothing is sent before the commit, so `run` returns an empty result: callers of
    an in-place transaction write, they do not read back.
    """

    def __init__(self) -> None:
        self._parts: list[tuple[str, Mapping[str, Any]]] = []

    def run(self, cypher: str, params: Mapping[str, Any] | None = None) -> QueryResult:
        self._parts.append((cypher, dict(params or {})))
        return QueryResult([])

    def commit(self, execute: Execute) -> None:
        if self._parts:
            query, params = chain(self._parts)
            execute(cypher_header(params) + query)


class StagedTx:
    """Runs each statement at once on the staging copy of the graph."""

    def __init__(self, execute: Callable[[str, Mapping[str, Any] | None], QueryResult]) -> None:
        self._execute = execute

    def run(self, cypher: str, params: Mapping[str, Any] | None = None) -> QueryResult:
        return self._execute(cypher, params)
