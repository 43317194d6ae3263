"""FalkorDB executor: embedded (unix socket) or a FalkorDB server.

Atomic writes use stage-and-swap: under a lock, the live graph is copied
server-side (GRAPH.COPY) to a staging key, the writes go to the copy, and a
single RENAME makes the result live. Killed at any point before the RENAME,
the live graph is untouched and the orphaned copy is deleted by the next
writer; RENAME itself is atomic. Readers keep reading the live graph
throughout.
"""

from __future__ import annotations

import os
import secrets
import socket
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from typing import Any

import redis
from falkordb import FalkorDB
from redis.lock import Lock

from graph.store.base import (
    BaseStore,
    QueryResult,
    QueryTimeout,
    ReadOnlyViolation,
    StoreBusy,
    StoreError,
)
from graph.store.dialect import FULLTEXT, INDEXES, Dialect
from graph.store.values import cypher_header, falkordb_value

LOCK_TTL_S = 20  # a killed writer's lock frees itself after this long
LOCK_WAIT_S = 300  # how long a writer waits for another before giving up
STAGING_MARK = "__staging__"

_DELETE_IF_EQUAL = (
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"
)


def _holder_is_dead(token: str) -> bool:
    """True if the lock holder ran on this host and its process is gone."""
    host, _, rest = token.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False  # another machine: wait for the TTL
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _raise_store_error(exc: redis.ResponseError, cypher: str) -> None:
    msg = str(exc)
    low = msg.lower()
    if "timed out" in low:
        raise QueryTimeout(f"query stopped at its time limit: {msg}") from exc
    if "read-only" in low or "ro_query" in low:
        raise ReadOnlyViolation(
            "this query would change the graph, and only read queries are allowed here; "
            "nothing was changed"
        ) from exc
    raise StoreError(f"query failed: {msg}") from exc


def _result(res: Any) -> QueryResult:
    columns = [h[1] if isinstance(h, list | tuple) else str(h) for h in (res.header or [])]
    rows = [[falkordb_value(v) for v in row] for row in (res.result_set or [])]
    stats = {
        k: getattr(res, k)
        for k in (
            "nodes_created",
            "nodes_deleted",
            "relationships_created",
            "relationships_deleted",
            "properties_set",
            "labels_added",
        )
        if getattr(res, k, 0)
    }
    return QueryResult(columns, rows, stats)


class _FalkorTx:
    """Runs writes on the staging copy of the graph."""

    def __init__(self, db: FalkorDB, staging: str) -> None:
        self._graph = db.select_graph(staging)

    def run(self, cypher: str, params: Mapping[str, Any] | None = None) -> QueryResult:
        try:
            res = self._graph.query(cypher_header(params) + cypher)
        except redis.ResponseError as exc:
            _raise_store_error(exc, cypher)
        return _result(res)


class FalkorDBStore(BaseStore):
    """The store on a FalkorDB server (embedded or remote)."""

    engine = "falkordb"

    def __init__(
        self,
        *,
        graph: str,
        uri: str,
        unix_socket_path: str | None = None,
        host: str | None = None,
        port: int | None = None,
        password: str | None = None,
    ) -> None:
        self.uri = uri
        self.graph_name = graph
        self.dialect = Dialect("falkordb")
        try:
            if unix_socket_path:
                self._db = FalkorDB(unix_socket_path=unix_socket_path)
            else:
                self._db = FalkorDB(host=host or "localhost", port=port or 6379, password=password)
            self._db.connection.ping()
        except (redis.ConnectionError, OSError) as exc:
            raise StoreError(f"cannot reach FalkorDB at {uri}: {exc}") from exc
        self._redis: redis.Redis = self._db.connection
        self._graph = self._db.select_graph(graph)
        self._schema_ready = False

    # -- reading ---------------------------------------------------------
    def run(
        self,
        cypher: str,
        params: Mapping[str, Any] | None = None,
        *,
        read_only: bool = False,
        timeout_ms: int | None = None,
    ) -> QueryResult:
        p = cypher_header(params)
        try:
            try:
                res = self._query(cypher, p, read_only, timeout_ms)
            except redis.ResponseError as exc:
                if "empty key" not in str(exc).lower():
                    raise
                # A graph nothing was written to yet: create it empty, then read.
                self._graph.query("RETURN 1")
                res = self._query(cypher, p, read_only, timeout_ms)
        except redis.ResponseError as exc:
            _raise_store_error(exc, cypher)
        except redis.ConnectionError as exc:
            raise StoreError(f"lost the connection to FalkorDB at {self.uri}: {exc}") from exc
        return _result(res)

    def _query(self, cypher: str, header: str, read_only: bool, timeout_ms: int | None) -> Any:
        if read_only:
            return self._graph.ro_query(header + cypher, timeout=timeout_ms)
        return self._graph.query(header + cypher, timeout=timeout_ms)

    def plan_operations(self, cypher: str, params: Mapping[str, Any] | None = None) -> list[str]:
        command = ("GRAPH.EXPLAIN", self.graph_name, cypher_header(params) + cypher)
        try:
            try:
                lines = self._redis.execute_command(*command)
            except redis.ResponseError as exc:
                if "empty key" not in str(exc).lower():
                    raise
                self._graph.query("RETURN 1")  # a graph nothing was written to yet
                lines = self._redis.execute_command(*command)
        except redis.ResponseError as exc:
            _raise_store_error(exc, cypher)
        names = (ln.decode() if isinstance(ln, bytes) else ln for ln in lines)
        return [n.split("|")[0].strip().lower().replace(" ", "") for n in names]

    # -- writing ---------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[_FalkorTx]:
        lock = self._acquire_lock()
        stop = threading.Event()
        keeper = threading.Thread(target=self._keep_lock, args=(lock, stop), daemon=True)
        keeper.start()
        staging = f"{self.graph_name}{STAGING_MARK}{secrets.token_hex(4)}"
        try:
            self._drop_orphaned_staging()
            if self._redis.exists(self.graph_name):
                self._redis.execute_command("GRAPH.COPY", self.graph_name, staging)
            tx = _FalkorTx(self._db, staging)
            yield tx
            self._bump_generation(tx)
            self._redis.rename(staging, self.graph_name)
        except BaseException:
            self._redis.delete(staging)
            raise
        finally:
            stop.set()
            keeper.join()
            with suppress(redis.exceptions.LockError):
                lock.release()

    def _acquire_lock(self) -> Lock:
        """The graph's write lock. Its token names the holder (host:pid), so a
        holder that was killed is recognised at once instead of after the TTL."""
        lock = Lock(
            self._redis, f"scn:lock:{self.graph_name}", timeout=LOCK_TTL_S, thread_local=False
        )
        token = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(8)}"
        deadline = time.monotonic() + LOCK_WAIT_S
        while not lock.acquire(blocking=False, token=token):
            holder = self._redis.get(lock.name)
            if holder is not None and _holder_is_dead(
                holder.decode() if isinstance(holder, bytes) else holder
            ):
                self._redis.eval(_DELETE_IF_EQUAL, 1, lock.name, holder)
                continue
            if time.monotonic() > deadline:
                raise StoreBusy(
                    f"another process has been writing to graph {self.graph_name!r} for over "
                    f"{LOCK_WAIT_S} s; try again later"
                )
            time.sleep(0.05)
        return lock

    @staticmethod
    def _keep_lock(lock: Lock, stop: threading.Event) -> None:
        while not stop.wait(LOCK_TTL_S / 4):
            try:
                lock.reacquire()
            except redis.exceptions.LockError:
                return

    def _drop_orphaned_staging(self) -> None:
        """Copies left by writers that were killed before their swap."""
        for key in self._redis.scan_iter(match=f"{self.graph_name}{STAGING_MARK}*"):
            self._redis.delete(key)

    # -- schema and housekeeping ----------------------------------------
    def ensure_schema(self) -> None:
        if self._schema_ready:
            return
        if self._missing_indexes(self.run(self.dialect.list_indexes(), read_only=True)):
            with self.transaction() as tx:
                # Checked again under the write lock: another process may have just made them.
                for ddl in self._missing_indexes(tx.run(self.dialect.list_indexes())):
                    tx.run(ddl)
        self._schema_ready = True

    def _missing_indexes(self, listing: QueryResult) -> list[str]:
        """DDL for the indexes that `listing` (from CALL db.indexes()) lacks."""
        found: set[tuple[str, str, str]] = set()
        for label, props, types in listing.rows:
            for prop in props:
                for t in types.get(prop, []) if isinstance(types, dict) else []:
                    found.add((label, prop, t))
        ddl = [
            self.dialect.create_index(lbl, p)
            for lbl, p in INDEXES
            if (lbl, p, "RANGE") not in found
        ]
        ddl += [
            self.dialect.create_fulltext(lbl, p)
            for lbl, p in FULLTEXT
            if (lbl, p, "FULLTEXT") not in found
        ]
        return ddl

    def ping(self) -> bool:
        try:
            return bool(self._redis.ping())
        except (redis.RedisError, OSError):
            return False

    def drop(self) -> None:
        """Remove the graph key entirely (tests)."""
        self._redis.delete(self.graph_name)
        self._schema_ready = False

    def graphs(self) -> list[str]:
        return sorted(
            g.decode() if isinstance(g, bytes) else g
            for g in self._redis.execute_command("GRAPH.LIST")
        )

    def close(self) -> None:
        with suppress(redis.RedisError):
            self._redis.close()
