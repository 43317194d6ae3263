"""The one store interface everything else uses.

An engine executor runs Cypher and returns plain Python values (dicts, lists,
str, int, float, bool, None), so callers never see driver types. Writes that
must be all-or-nothing go through `Store.transaction()`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

from graph.queries import store as queries


class StoreError(Exception):
    """A store problem a person can act on (connection, bad query, timeout)."""


class ReadOnlyViolation(StoreError):
    """A write was attempted where only reads are allowed; nothing changed."""


class QueryTimeout(StoreError):
    """The query ran past its time limit and was stopped; nothing changed."""


class QueryTooLarge(StoreError):
    """The query needed more memory (or values) than one query may have; it was stopped."""


class StoreBusy(StoreError):
    """Another process holds the write lock for longer than we may wait."""


class StoreNotWritable(StoreError):
    """The server cannot write to its disk and refuses writes; reads still work."""


class StoreUnresponsive(StoreError):
    """The server did not answer within the client's socket timeout. Unlike a
    `QueryTimeout`, the server may still be running the request."""


@dataclass
class QueryResult:
    """Columns and rows of plain values.

    Nodes come back as dicts of their properties plus `_labels` (list) and
    relationships as dicts of their properties plus `_type`, `_start`, `_end`
    (the `id` properties of the endpoints when known, else None). Paths come
    back as {"nodes": [...], "relationships": [...]}.
    """

    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)

    def dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def scalar(self) -> Any:
        return self.rows[0][0] if self.rows else None

    def __iter__(self) -> Iterator[list[Any]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


class Tx(Protocol):
    """A write unit: everything run on it becomes visible together, or not at all.

    In a transaction opened with `records=` (a change the caller has counted) the
    engine may defer the statements to the commit, so their results are empty:
    such a transaction only writes.
    """

    def run(self, cypher: str, params: Mapping[str, Any] | None = None) -> QueryResult: ...


class Store(Protocol):
    """What every engine provides. See `graph.store.open_store`."""

    engine: str  # "falkordb" or "neo4j"
    uri: str

    def run(
        self,
        cypher: str,
        params: Mapping[str, Any] | None = None,
        *,
        read_only: bool = False,
        timeout_ms: int | None = None,
    ) -> QueryResult:
        """Run one query. With read_only=True the *engine* refuses writes
        (GRAPH.RO_QUERY on FalkorDB, READ access mode on Neo4j) and
        `ReadOnlyViolation` is raised."""
        ...

    def read_each(self, queries: Sequence[str]) -> Iterator[QueryResult]:
        """Each of `queries` (taking no parameters) run read-only, in order, its result
        yielded before the next is read. An engine may run the next query while the
        caller works on the last result (FalkorDB does), but holds no more than those two."""
        ...

    def analyst_read(
        self,
        cypher: str,
        params: Mapping[str, Any] | None = None,
        *,
        timeout_ms: int,
        row_limit: int,
    ) -> QueryResult:
        """Someone else's read-only query, bounded: the engine stops it after
        `row_limit` rows and `timeout_ms` (plan, run and transfer, on a connection of
        its own), and past the per-query memory limit (`QueryTooLarge`)."""
        ...

    def transaction(self, *, records: int | None = None) -> AbstractContextManager[Tx]:
        """All-or-nothing writes. Killed at any moment, the graph stays as before.

        `records`: how many nodes and relationships the writes change, when the caller
        knows (a loader after its diff). The engine uses it to choose how to apply
        them: FalkorDB applies a small change in place as one query and stages a
        large one on a copy; Neo4j runs one transaction either way. With `records`
        the statements must only write (see `Tx`); without it they may read too."""
        ...

    def plan_operations(self, cypher: str, params: Mapping[str, Any] | None = None) -> list[str]:
        """The engine's own plan of a query, as operator names normalised to lower case
        without spaces (e.g. "loadcsv", "nodebylabelscan"); nothing is run."""
        ...

    def ensure_schema(self) -> None:
        """Create the indexes the product queries by (idempotent)."""
        ...

    def ping(self) -> bool: ...

    def clear(self) -> None:
        """Delete the whole graph (tests and `--replace` loads)."""
        ...

    def drop(self) -> None:
        """Remove the graph entirely, its generation too (tests)."""
        ...

    def close(self) -> None: ...

    @property
    def generation(self) -> int:
        """A number that changes on every committed write; caches key on it."""
        ...


class BaseStore:
    """What every executor does the same way, through its own `run` and `transaction`:
    the generation caches key on, bumped last in each write transaction, and clearing."""

    def run(
        self,
        cypher: str,
        params: Mapping[str, Any] | None = None,
        *,
        read_only: bool = False,
        timeout_ms: int | None = None,
    ) -> QueryResult:
        raise NotImplementedError

    def read_each(self, queries: Sequence[str]) -> Iterator[QueryResult]:
        for q in queries:
            yield self.run(q, read_only=True)

    def transaction(self, *, records: int | None = None) -> AbstractContextManager[Tx]:
        raise NotImplementedError

    @staticmethod
    def _bump_generation(tx: Tx) -> None:
        """The last write of every transaction: the generation moves with each commit."""
        queries.BUMP_GENERATION.write(tx)

    @property
    def generation(self) -> int:
        return int(queries.GENERATION.read(self).scalar() or 0)

    def clear(self) -> None:
        with self.transaction() as tx:
            queries.CLEAR.write(tx)
