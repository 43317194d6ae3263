"""Neo4j 5 executor on the official `neo4j` driver.

Reads run in READ access mode, so the server itself refuses writes;
`transaction()` is a real Neo4j transaction, committed only when the block
ends without an exception.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from graph.queries import store as queries
from graph.store.analyst import cap_rows
from graph.store.base import (
    BaseStore,
    QueryResult,
    QueryTimeout,
    QueryTooLarge,
    ReadOnlyViolation,
    StoreError,
)
from graph.store.dialect import FULLTEXT, INDEXES, Dialect
from graph.store.values import neo4j_value, plain_params


def _translate(exc: Exception) -> StoreError:
    from neo4j.exceptions import ClientError

    code = getattr(exc, "code", "") or ""
    if isinstance(exc, ClientError) and (
        "AccessMode" in code
        or "Forbidden" in code
        or ("read" in str(exc).lower() and "write" in str(exc).lower())
    ):
        return ReadOnlyViolation(
            "this query would change the graph, and only read queries are allowed here; "
            "nothing was changed"
        )
    if "MemoryPoolOutOfMemory" in code or "OutOfMemory" in code:
        return QueryTooLarge(f"query stopped at the transaction memory limit: {exc}")
    if "Timeout" in code or "TransactionTimedOut" in code:
        return QueryTimeout(f"query stopped at its time limit: {exc}")
    return StoreError(f"query failed: {exc}")


class _Neo4jTx:
    def __init__(self, tx: Any) -> None:
        self._tx = tx

    def run(self, cypher: str, params: Mapping[str, Any] | None = None) -> QueryResult:
        from neo4j.exceptions import Neo4jError

        try:
            res = self._tx.run(cypher, plain_params(params))
            records = list(res)
        except Neo4jError as exc:
            raise _translate(exc) from exc
        keys = list(res.keys())
        return QueryResult(keys, [[neo4j_value(r[k]) for k in keys] for r in records])


class Neo4jStore(BaseStore):
    """The store on a Neo4j 5 server, cluster (neo4j://) or Aura (neo4j+s://)."""

    engine = "neo4j"

    def __init__(
        self,
        *,
        url: str,
        uri: str,
        database: str = "",
        username: str | None = None,
        password: str | None = None,
    ) -> None:
        import neo4j
        from neo4j.exceptions import Neo4jError, ServiceUnavailable

        self.uri = uri
        self.database = database or None
        self.dialect = Dialect("neo4j")
        auth = (username or "neo4j", password) if password else None
        try:
            self._driver = neo4j.GraphDatabase.driver(url, auth=auth)
            self._driver.verify_connectivity()
        except (ServiceUnavailable, Neo4jError, ValueError, OSError) as exc:
            raise StoreError(f"cannot reach Neo4j at {uri}: {exc}") from exc
        self._schema_ready = False

    def run(
        self,
        cypher: str,
        params: Mapping[str, Any] | None = None,
        *,
        read_only: bool = False,
        timeout_ms: int | None = None,
    ) -> QueryResult:
        import neo4j
        from neo4j.exceptions import Neo4jError

        mode = neo4j.READ_ACCESS if read_only else neo4j.WRITE_ACCESS
        query = neo4j.Query(cypher, timeout=timeout_ms / 1000 if timeout_ms else None)
        try:
            with self._driver.session(database=self.database, default_access_mode=mode) as s:
                res = s.run(query, plain_params(params))
                records = list(res)
                keys = list(res.keys())
        except Neo4jError as exc:
            raise _translate(exc) from exc
        return QueryResult(keys, [[neo4j_value(r[k]) for k in keys] for r in records])

    def analyst_read(
        self,
        cypher: str,
        params: Mapping[str, Any] | None = None,
        *,
        timeout_ms: int,
        row_limit: int,
    ) -> QueryResult:
        """A READ transaction with a timeout; the server's `db.memory.transaction.max`
        bounds its memory (the driver cannot set that per transaction). Records are
        streamed and at most `row_limit` taken, also bounded in the query itself."""
        import neo4j
        from neo4j.exceptions import Neo4jError

        query = neo4j.Query(cap_rows(cypher, row_limit), timeout=timeout_ms / 1000)
        try:
            with self._driver.session(
                database=self.database, default_access_mode=neo4j.READ_ACCESS
            ) as s:
                res = s.run(query, plain_params(params))
                keys = list(res.keys())
                records = [r for _, r in zip(range(row_limit), res, strict=False)]
        except Neo4jError as exc:
            raise _translate(exc) from exc
        return QueryResult(keys, [[neo4j_value(r[k]) for k in keys] for r in records])

    def plan_operations(self, cypher: str, params: Mapping[str, Any] | None = None) -> list[str]:
        import neo4j
        from neo4j.exceptions import Neo4jError

        try:
            with self._driver.session(
                database=self.database, default_access_mode=neo4j.READ_ACCESS
            ) as s:
                summary = s.run("EXPLAIN " + cypher, plain_params(params)).consume()
        except Neo4jError as exc:
            raise _translate(exc) from exc
        ops: list[str] = []
        stack = [summary.plan] if summary.plan else []
        while stack:
            node = stack.pop()
            ops.append(str(node.get("operatorType", "")).split("@")[0].lower().replace(" ", ""))
            stack.extend(node.get("children", []))
        return ops

    @contextmanager
    def transaction(self, *, records: int | None = None) -> Iterator[_Neo4jTx]:
        """One Neo4j transaction, whatever its size (`records` is not needed here)."""
        with self._driver.session(database=self.database) as s:
            tx = s.begin_transaction()
            try:
                wrapped = _Neo4jTx(tx)
                yield wrapped
                self._bump_generation(wrapped)
                tx.commit()
            except BaseException:
                if tx.closed() is False:
                    tx.rollback()
                raise

    def ensure_schema(self) -> None:
        if self._schema_ready:
            return
        for label, prop in INDEXES:
            self.run(self.dialect.create_index(label, prop))
        for label, prop in FULLTEXT:
            self.run(self.dialect.create_fulltext(label, prop))
        self._schema_ready = True

    def ping(self) -> bool:
        try:
            self._driver.verify_connectivity()
            return True
        except Exception:
            return False

    def drop(self) -> None:
        queries.DELETE_ALL.write(self)

    def close(self) -> None:
        self._driver.close()
