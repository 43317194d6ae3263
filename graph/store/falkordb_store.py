"""FalkorDB executor: embedded (unix socket) or a FalkorDB server.

Writes are all-or-nothing, and readers keep reading the live graph throughout.
Under the graph's write lock, a small change (`records` <= `SMALL_WRITE_MAX`) is
applied in place as one query; a large load is staged: the live graph is copied
server-side (GRAPH.COPY) to a staging key, the writes go to the copy, and one
RENAME makes it live. Killed before the RENAME, the live graph is untouched and
the orphaned copy is deleted by the next writer (`graph.store.falkordb_writes`).
Copies and AOF rewrites never overlap (`graph.store.forks`).

Reads (`run(..., read_only=True)`) go as GRAPH.RO_QUERY in the compact format on
the store's own connection and are decoded by `graph.store.falkordb_reply`, in one
pass instead of the client's per-cell parsing (most of a large projection's cost).

Every call has a socket timeout (`SCN_GRAPH_STORE_TIMEOUT`): a server that stops
answering becomes a `StoreUnresponsive` error naming what it was asked, never a
wait without end. Calls are never retried (a retried write could apply twice).
"""

from __future__ import annotations

import os
import secrets
import socket
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import redis
from falkordb import FalkorDB
from redis.backoff import NoBackoff
from redis.lock import Lock
from redis.retry import Retry

from graph.store import durability, forks
from graph.store.analyst import RANGE_TOO_LARGE_MARK, cap_rows, guard_ranges
from graph.store.base import (
    BaseStore,
    QueryResult,
    QueryTimeout,
    QueryTooLarge,
    ReadOnlyViolation,
    StoreBusy,
    StoreError,
    StoreNotWritable,
    StoreUnresponsive,
)
from graph.store.dialect import FULLTEXT, INDEXES, Dialect
from graph.store.embedded import STAGING_MARK, is_not_writable
from graph.store.falkordb_pipeline import DEPTH, pipelined
from graph.store.falkordb_reply import decode_reply
from graph.store.falkordb_writes import InPlaceTx, StagedTx, small_write_max
from graph.store.values import cypher_header, falkordb_value

LOCK_TTL_S = 20  # a killed writer's lock frees itself after this long
LOCK_WAIT_S = 300  # how long a writer waits for another before giving up
#: Most values one `range()` of an analyst query may make (16 bytes each in FalkorDB).
MAX_RANGE_VALUES = 10_000_000

ENV_STORE_TIMEOUT = "SCN_GRAPH_STORE_TIMEOUT"
#: Seconds a call may wait for the server's answer (connecting, or reading a reply)
#: before it fails. Above the API's longest query time limit (60 s) and a large
#: load's slowest step (a GRAPH.COPY of 1M relationships took about 10 s).
DEFAULT_STORE_TIMEOUT_S = 120.0
#: How long a committed write waits for the server's fsync (normally under a second).
DURABLE_WAIT_MS = 10_000

_DELETE_IF_EQUAL = (
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"
)

T = TypeVar("T")


def store_timeout() -> float:
    """The socket timeout: `SCN_GRAPH_STORE_TIMEOUT` seconds if set, else the default."""
    raw = os.environ.get(ENV_STORE_TIMEOUT, "").strip()
    if not raw:
        return DEFAULT_STORE_TIMEOUT_S
    try:
        value = float(raw)
    except ValueError:
        raise StoreError(f"{ENV_STORE_TIMEOUT}={raw!r} is not a number of seconds") from None
    if value <= 0:
        raise StoreError(f"{ENV_STORE_TIMEOUT} must be a positive number of seconds, got {raw}")
    return value


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


def _raise_store_error(exc: redis.ResponseError, cypher: str) -> NoReturn:
    msg = str(exc)
    low = msg.lower()
    if is_not_writable(exc):
        raise StoreNotWritable(_not_writable_message(msg)) from exc
    if "timed out" in low:
        raise QueryTimeout(f"query stopped at its time limit: {msg}") from exc
    if "mem consumption exceeded" in low:
        raise QueryTooLarge(f"query stopped at the per-query memory limit: {msg}") from exc
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
        manage_rewrites: bool = False,
        ack_dir: Path | None = None,
    ) -> None:
        self.uri = uri
        self.graph_name = graph
        self.dialect = Dialect("falkordb")
        self._address: dict[str, Any] = (
            {"unix_socket_path": unix_socket_path}
            if unix_socket_path
            else {"host": host or "localhost", "port": port or 6379, "password": password}
        )
        self.timeout_s = store_timeout()
        self.small_write_max = small_write_max()
        limits: dict[str, Any] = {
            "socket_timeout": self.timeout_s,
            "socket_connect_timeout": self.timeout_s,
            "retry": Retry(NoBackoff(), 0),
        }
        try:
            if unix_socket_path:
                self._db = FalkorDB(unix_socket_path=unix_socket_path, **limits)
            else:
                self._db = FalkorDB(
                    host=host or "localhost", port=port or 6379, password=password, **limits
                )
            _ping_tolerating_misconf(self._db.connection)
        except (redis.ConnectionError, redis.TimeoutError, OSError) as exc:
            raise StoreError(
                f"cannot reach FalkorDB at {uri} within {self.timeout_s:g} s: {exc}"
            ) from exc
        self._redis: redis.Redis = self._db.connection
        self._graph = self._db.select_graph(graph)
        self._schema_ready = False
        self._ack_dir = ack_dir
        self._waitaof = True  # until the server says it keeps no AOF
        # The embedded server's AOF rewrites are scheduled by its writers, never
        # automatically, so they cannot collide with a GRAPH.COPY (`graph.store.forks`).
        self._manages_rewrites = manage_rewrites and self._call(
            "turning automatic AOF rewrites off", forks.disable_automatic_rewrites, self._redis
        )

    def _call(self, what: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run one client call; a silent or lost server becomes a one-line StoreError."""
        try:
            return fn(*args, **kwargs)
        except redis.TimeoutError as exc:
            raise StoreUnresponsive(
                f"FalkorDB at {self.uri} did not answer within {self.timeout_s:g} s while "
                f"{what} ({ENV_STORE_TIMEOUT} sets this limit); the server may be stuck: "
                "see `scn-graph db status`, and `scn-graph db stop` stops it"
            ) from exc
        except redis.ConnectionError as exc:
            raise ConnectionLost(
                f"lost the connection to FalkorDB at {self.uri} while {what}: {exc}"
            ) from exc
        except redis.ResponseError as exc:
            if is_not_writable(exc):
                raise StoreNotWritable(_not_writable_message(str(exc))) from exc
            raise

    # -- reading ---------------------------------------------------------
    def run(
        self,
        cypher: str,
        params: Mapping[str, Any] | None = None,
        *,
        read_only: bool = False,
        timeout_ms: int | None = None,
    ) -> QueryResult:
        what = f"running {'a read' if read_only else 'a'} query ({_first_words(cypher)})"
        return self._call(what, self._run, cypher, params, read_only, timeout_ms)

    def _run(
        self,
        cypher: str,
        params: Mapping[str, Any] | None,
        read_only: bool,
        timeout_ms: int | None,
    ) -> QueryResult:
        p = cypher_header(params)
        try:
            return self._on_graph(lambda: self._query(cypher, p, read_only, timeout_ms))
        except redis.ResponseError as exc:
            _raise_store_error(exc, cypher)

    def _on_graph(self, call: Callable[[], T]) -> T:
        """`call()`; when the graph was never written to (FalkorDB answers "empty key"),
        the graph created empty and `call()` once more."""
        try:
            return call()
        except redis.ResponseError as exc:
            if not _never_written(exc):
                raise
        self._graph.query("RETURN 1")
        return call()

    def _query(
        self, cypher: str, header: str, read_only: bool, timeout_ms: int | None
    ) -> QueryResult:
        if read_only:
            return self._read(header + cypher, timeout_ms)
        return _result(self._graph.query(header + cypher, timeout=timeout_ms))

    def _read(self, text: str, timeout_ms: int | None) -> QueryResult:
        """GRAPH.RO_QUERY (the engine refuses writes) in the compact format the client
        asks for too, decoded here in one pass (`graph.store.falkordb_reply`)."""
        command = self._ro_command(text)
        if timeout_ms is not None:
            command += ["timeout", int(timeout_ms)]
        return decode_reply(self._redis.execute_command(*command), self._graph)

    def _ro_command(self, text: str) -> list[Any]:
        return ["GRAPH.RO_QUERY", self.graph_name, text, "--compact"]

    def read_each(self, queries: Sequence[str]) -> Iterator[QueryResult]:
        """Pipelined (`graph.store.falkordb_pipeline`): the next query is sent before
        this one's reply is read, so the server runs it while the caller works."""
        if len(queries) < 2:
            return super().read_each(queries)
        return self._read_pipelined(list(queries))

    def _read_pipelined(self, queries: list[str]) -> Iterator[QueryResult]:
        """`queries[:read]` are answered and `queries[:sent]` sent; `queries[read:]` are
        what a failure leaves to the plain reader."""
        sent = read = 0
        with pipelined(self._redis.connection_pool) as conn:

            def send_next() -> None:
                nonlocal sent
                q = queries[sent]
                what = f"sending a read query ({_first_words(q)})"
                self._call(what, conn.send_command, *self._ro_command(q))
                sent += 1

            while sent < min(DEPTH, len(queries)):
                send_next()
            while read < len(queries):
                q = queries[read]
                what = f"running a read query ({_first_words(q)})"
                try:
                    reply = self._call(what, conn.read_response)
                    result = decode_reply(reply, self._graph)
                except redis.ResponseError as exc:
                    if not _never_written(exc):
                        _raise_store_error(exc, q)
                    conn.disconnect()  # replies may still be on their way
                    break  # `run` creates the graph and answers the rest
                if sent < len(queries):
                    send_next()
                read += 1
                yield result
                del reply, result
            else:
                return
        yield from super().read_each(queries[read:])

    def plan_operations(self, cypher: str, params: Mapping[str, Any] | None = None) -> list[str]:
        return self._call(f"planning a query ({_first_words(cypher)})", self._plan, cypher, params)

    def _plan(self, cypher: str, params: Mapping[str, Any] | None) -> list[str]:
        command = ("GRAPH.EXPLAIN", self.graph_name, cypher_header(params) + cypher)
        try:
            lines = self._on_graph(lambda: self._redis.execute_command(*command))
        except redis.ResponseError as exc:
            _raise_store_error(exc, cypher)
        names = (ln.decode() if isinstance(ln, bytes) else ln for ln in lines)
        return [n.split("|")[0].strip().lower().replace(" ", "") for n in names]

    # -- analysts' queries -----------------------------------------------
    def analyst_read(
        self,
        cypher: str,
        params: Mapping[str, Any] | None = None,
        *,
        timeout_ms: int,
        row_limit: int,
    ) -> QueryResult:
        """On a connection of its own whose socket gives up shortly after the engine's
        own time limit, so neither a slow answer nor its transfer outlasts it; the
        text is bounded first (`graph.store.analyst`)."""
        text = cap_rows(guard_ranges(cypher, MAX_RANGE_VALUES), row_limit)
        seconds = timeout_ms / 1000
        db = FalkorDB(
            **self._address,
            socket_timeout=seconds + 2,
            socket_connect_timeout=5,
            retry=Retry(NoBackoff(), 0),
        )
        graph = db.select_graph(self.graph_name)
        text = cypher_header(params) + text
        try:
            res = self._on_graph(lambda: graph.ro_query(text, timeout=timeout_ms))
        except redis.ResponseError as exc:
            if RANGE_TOO_LARGE_MARK in str(exc):
                raise QueryTooLarge(
                    f"a range() in the query would make more than {MAX_RANGE_VALUES:,} values"
                ) from exc
            _raise_store_error(exc, cypher)
        except redis.TimeoutError as exc:
            raise QueryTimeout(f"no answer within the time limit of {timeout_ms} ms") from exc
        except redis.ConnectionError as exc:
            raise StoreError(f"lost the connection to FalkorDB at {self.uri}: {exc}") from exc
        finally:
            with suppress(redis.RedisError):
                db.connection.close()
        return _result(res)

    # -- writing ---------------------------------------------------------
    @contextmanager
    def transaction(self, *, records: int | None = None) -> Iterator[InPlaceTx | StagedTx]:
        with self._held(f"scn:lock:{self.graph_name}", "writing"):
            self._call("dropping orphaned staging copies", self._drop_orphaned_staging)
            if records is not None and records <= self.small_write_max:
                yield from self._in_place()
            else:
                yield from self._staged()
            self._call("waiting for the write to reach the disk", self._make_durable)
        self._call("scheduling an AOF rewrite", self._rewrite_aof_if_due)

    def _make_durable(self) -> None:
        """Return only once the committed write is on disk, then record it as acknowledged.

        WAITAOF waits for the server's fsync of its append-only file (which runs every
        second), so a crash after this cannot lose the write; the generation recorded
        outside the AOF lets the next start notice if it did anyway (`durability`).
        """
        if self._waitaof:
            try:
                local, _ = self._redis.execute_command("WAITAOF", 1, 0, DURABLE_WAIT_MS)
            except redis.ResponseError as exc:
                if "appendonly" not in str(exc).lower():
                    raise
                self._waitaof = False  # a server without an AOF: nothing to wait for
            else:
                if int(local) < 1:
                    raise StoreError(
                        f"the write was applied, but FalkorDB at {self.uri} did not confirm "
                        f"it on disk within {DURABLE_WAIT_MS / 1000:g} s; a crash now could "
                        "lose it: see `scn-graph db status` and the server log"
                    )
        if self._ack_dir is not None:
            durability.record_acknowledged(self._ack_dir, self.graph_name, self.generation)

    def _in_place(self) -> Iterator[InPlaceTx]:
        """A small change: collected, then one query on the live graph (atomic)."""
        tx = InPlaceTx()
        yield tx
        self._bump_generation(tx)
        tx.commit(self._write_live)

    def _write_live(self, query: str) -> None:
        try:
            self._call("applying a write", self._graph.query, query)
        except redis.ResponseError as exc:
            _raise_store_error(exc, query)

    def _staged(self) -> Iterator[StagedTx]:
        """A large load: written to a copy, which one RENAME makes live."""
        staging = f"{self.graph_name}{STAGING_MARK}{secrets.token_hex(4)}"
        try:
            with _nothing_written_if_lost():
                if self._call("checking the graph", self._redis.exists, self.graph_name):
                    self._copy(staging)
                staged = self._db.select_graph(staging)
                tx = StagedTx(lambda cypher, params: self._run_on(staged, cypher, params))
                yield tx
                self._bump_generation(tx)
            self._call("swapping the staged graph in", self._redis.rename, staging, self.graph_name)
        except BaseException:
            with suppress(redis.RedisError):
                self._redis.delete(staging)
            raise

    def _copy(self, staging: str) -> None:
        """GRAPH.COPY the live graph, never while another fork (a rewrite) runs."""
        with self._held(forks.FORK_LOCK, "waiting for other copies"):
            self._call(
                "waiting for an AOF rewrite to finish",
                forks.wait_for_no_fork,
                self._redis,
                LOCK_WAIT_S,
            )
            self._call(
                f"copying graph {self.graph_name!r} to stage a large write",
                self._redis.execute_command,
                "GRAPH.COPY",
                self.graph_name,
                staging,
            )

    def _run_on(self, graph: Any, cypher: str, params: Mapping[str, Any] | None) -> QueryResult:
        try:
            res = self._call(
                f"writing to the staging copy ({_first_words(cypher)})",
                graph.query,
                cypher_header(params) + cypher,
            )
        except redis.ResponseError as exc:
            _raise_store_error(exc, cypher)
        return _result(res)

    def _rewrite_aof_if_due(self) -> None:
        """Start the AOF rewrite Redis would have started, when no copy can overlap it."""
        if not self._manages_rewrites or not forks.rewrite_due(self._redis):
            return
        lock = self._lock(forks.FORK_LOCK)
        if lock.acquire(blocking=False, token=_token()):
            try:
                forks.start_rewrite(self._redis)
            finally:
                with suppress(redis.exceptions.LockError):
                    lock.release()

    def _lock(self, name: str) -> Lock:
        return Lock(self._redis, name, timeout=LOCK_TTL_S, thread_local=False)

    @contextmanager
    def _held(self, name: str, what: str) -> Iterator[None]:
        """Hold lock `name` for the block, renewed in the background while it runs."""
        lock = self._call(f"{what}: taking the lock", self._acquire_lock, name)
        stop = threading.Event()
        keeper = threading.Thread(target=self._keep_lock, args=(lock, stop), daemon=True)
        keeper.start()
        try:
            yield
        finally:
            stop.set()
            keeper.join()
            with suppress(redis.exceptions.LockError, redis.RedisError):
                lock.release()

    def _acquire_lock(self, name: str) -> Lock:
        """A write lock. Its token names the holder (host:pid), so a holder that was
        killed is recognised at once instead of after the TTL."""
        lock = self._lock(name)
        token = _token()
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
            except (redis.exceptions.LockError, redis.RedisError):
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
        self._call("dropping the graph", self._redis.delete, self.graph_name)
        self._schema_ready = False

    def graphs(self) -> list[str]:
        listed = self._call("listing graphs", self._redis.execute_command, "GRAPH.LIST")
        return sorted(g.decode() if isinstance(g, bytes) else g for g in listed)

    def close(self) -> None:
        with suppress(redis.RedisError):
            self._redis.close()


class ConnectionLost(StoreError):
    """The server went away (stopped, killed) while a call was waiting for it."""


@contextmanager
def _nothing_written_if_lost() -> Iterator[None]:
    """Before the swap, a lost server means a load that left no trace: say so."""
    try:
        yield
    except ConnectionLost as exc:
        raise ConnectionLost(
            f"the database stopped during the load, and nothing was written: a load is "
            f"all-or-nothing, so the graph is as it was before it. Run the load again once "
            f"the database runs (`scn-graph db status`). ({exc})"
        ) from exc


def _ping_tolerating_misconf(conn: redis.Redis) -> None:
    """PING; a server that cannot write its disk refuses it, but still serves reads."""
    try:
        conn.ping()
    except redis.ResponseError as exc:
        if not is_not_writable(exc):
            raise


def _not_writable_message(detail: str) -> str:
    return (
        "the database cannot write to its disk, so it refuses every change and nothing was "
        "changed; reads still work. Free disk space or fix the permissions of the data "
        f"directory, then try again (`scn-graph db status`; server said: {detail})"
    )


def _token() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(8)}"


def _never_written(exc: redis.ResponseError) -> bool:
    """Whether FalkorDB refused a query because nothing was ever written to the graph."""
    return "empty key" in str(exc).lower()


def _first_words(cypher: str, n: int = 6) -> str:
    """The start of a query, to name it in an error without quoting its data."""
    words = cypher.split()
    return " ".join(words[:n]) + (" ..." if len(words) > n else "")
