"""`serve --workers N`: a listening socket per worker on one port (api.server.WorkerSocket).

The supervisor hands uvicorn a placeholder that never listens; each worker
unpickles it into a socket of its own with SO_REUSEPORT, so the kernel spreads
new connections over the workers instead of one worker accepting a whole burst.
These tests pickle the placeholder the way multiprocessing's spawn does, and run
the real `scn-graph serve --workers 2` and look, in /proc, at which worker
process owns each accepted connection.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import os
import pickle
import re
import select
import signal
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from http.client import HTTPConnection
from multiprocessing.reduction import ForkingPickler
from pathlib import Path

import pytest

from api.server import WorkerSocket, free_port
from tests.support.api import wait_for_serve

HOSTS = ["127.0.0.1", "::1"]
LISTEN, ESTABLISHED = "0A", "01"  # TCP states in /proc/net/tcp


def _free_port_on(host: str) -> int:
    try:
        return free_port(host)
    except OSError as exc:
        pytest.skip(f"cannot bind {host}: {exc}")


def _worker_copy(placeholder: WorkerSocket) -> socket.socket:
    """What a worker started by multiprocessing's spawn gets from the pickled placeholder."""
    return pickle.loads(ForkingPickler.dumps(placeholder))


def _connect(host: str, port: int) -> socket.socket:
    return socket.create_connection((host, port), timeout=5)


# --- the socket itself --------------------------------------------------------------------


@pytest.mark.parametrize("host", HOSTS)
def test_worker_copies_are_fresh_reuseport_tcp_sockets_on_the_port(host: str) -> None:
    """Each copy is a socket of its own (not a duplicate of the placeholder) and several
    can listen on the port at once; their connections say TCP, so asyncio turns Nagle off."""
    port = _free_port_on(host)
    with contextlib.ExitStack() as stack:
        placeholder = stack.enter_context(WorkerSocket(host, port))
        copies = [stack.enter_context(_worker_copy(placeholder)) for _ in range(2)]
        for c in copies:
            assert type(c) is socket.socket
            assert c.fileno() != placeholder.fileno()
            assert c.getsockname()[:2] == (host, port)
            assert c.family == placeholder.family
            assert c.type == socket.SOCK_STREAM
            assert c.proto == socket.IPPROTO_TCP
            assert c.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) != 0
        for c in copies:
            c.listen()  # both at once: would be EADDRINUSE without SO_REUSEPORT on both
        client = stack.enter_context(_connect(host, port))
        ready, _, _ = select.select(copies, [], [], 5)
        assert ready, "no copy got the connection"
        conn, _ = ready[0].accept()
        with conn:
            assert conn.proto == socket.IPPROTO_TCP
            assert conn.getpeername()[:2] == client.getsockname()[:2]


def test_the_placeholder_never_listens() -> None:
    """Connections must go to the workers' sockets only: before a copy listens, the port
    refuses them; once one listens, they are accepted."""
    port = free_port()
    with WorkerSocket("127.0.0.1", port) as placeholder:
        assert placeholder.getsockname()[1] == 0  # not even bound
        with pytest.raises(ConnectionRefusedError):
            _connect("127.0.0.1", port).close()
        with _worker_copy(placeholder) as copy:
            with pytest.raises(ConnectionRefusedError):  # bound, not yet listening
                _connect("127.0.0.1", port).close()
            copy.listen()
            with _connect("127.0.0.1", port):
                conn, _ = copy.accept()
                conn.close()


def test_worker_socket_refuses_a_port_held_by_a_plain_listener() -> None:
    """A port another program listens on (without SO_REUSEPORT) fails in the supervisor,
    not later in every worker."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        with pytest.raises(OSError) as exc:
            WorkerSocket("127.0.0.1", port)
        assert exc.value.errno == errno.EADDRINUSE
        with _connect("127.0.0.1", port):  # the holder still has the port
            conn, _ = holder.accept()
            conn.close()


def test_worker_socket_refuses_a_port_another_servers_workers_hold() -> None:
    """A second `serve --workers` on a port the workers of a first one listen on (with
    SO_REUSEPORT) is refused rather than silently sharing their connections."""
    port = free_port()
    worker = pickle.loads(ForkingPickler.dumps(WorkerSocket("127.0.0.1", port)))
    try:
        worker.listen()
        with pytest.raises(OSError) as exc:
            WorkerSocket("127.0.0.1", port)
        assert exc.value.errno == errno.EADDRINUSE
    finally:
        worker.close()


def test_a_refused_port_leaves_no_socket_open() -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ResourceWarning)
            with contextlib.suppress(OSError):
                WorkerSocket("127.0.0.1", port)
            gc.collect()
    assert not [w for w in caught if issubclass(w.category, ResourceWarning)]


# --- scn-graph serve --workers --------------------------------------------------------------


def _stat(pid: int) -> tuple[int, int] | None:
    """(parent pid, process group) of a process, None once it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2 :].split()  # the name, in (), may hold spaces
    return int(fields[1]), int(fields[2])


def _pids() -> list[int]:
    return [int(p) for p in os.listdir("/proc") if p.isdigit()]


def _children(pid: int) -> list[int]:
    return [p for p in _pids() if (s := _stat(p)) is not None and s[0] == pid]


def _group(pgid: int) -> list[int]:
    return [p for p in _pids() if (s := _stat(p)) is not None and s[1] == pgid]


def _tcp_sockets() -> list[tuple[int, int, str, int]]:
    """(local port, remote port, state, inode) of every TCP socket on this host."""
    rows = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(FileNotFoundError):
            for line in Path(table).read_text().splitlines()[1:]:
                f = line.split()
                local, remote = (int(a.rsplit(":", 1)[1], 16) for a in (f[1], f[2]))
                rows.append((local, remote, f[3], int(f[9])))
    return rows


def _socket_inodes(pid: int) -> set[int]:
    """Inodes of the sockets a process has open."""
    inodes = set()
    with contextlib.suppress(OSError):
        for fd in os.listdir(f"/proc/{pid}/fd"):
            with contextlib.suppress(OSError):  # closed meanwhile
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
                if target.startswith("socket:["):
                    inodes.add(int(target[len("socket:[") : -1]))
    return inodes


@contextlib.contextmanager
def _serving(env: dict[str, str], *args: str) -> Iterator[subprocess.Popen[str]]:
    """`scn-graph serve ARGS` in a session of its own; it and its workers are stopped after."""
    exe = Path(sys.executable).with_name("scn-graph")
    proc = subprocess.Popen(
        [str(exe), "serve", "--log-level", "warning", *args],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)  # not reaped yet: the group is still ours
                proc.communicate()
        for pid in _group(proc.pid):  # a worker the supervisor left behind
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def _listening_workers(
    proc: subprocess.Popen[str], port: int, n: int, timeout: float = 60
) -> dict[int, set[int]]:
    """Worker pid -> inodes of its listening sockets on `port`, once `n` workers listen."""
    deadline = time.monotonic() + timeout
    while True:
        assert proc.poll() is None, f"serve exited with {proc.returncode}"
        listening = {inode for lp, _, st, inode in _tcp_sockets() if lp == port and st == LISTEN}
        owners = {pid: _socket_inodes(pid) & listening for pid in _children(proc.pid)}
        owners = {pid: inodes for pid, inodes in owners.items() if inodes}
        if len(owners) >= n:
            assert not _socket_inodes(proc.pid) & listening, "the supervisor listens"
            return owners
        assert time.monotonic() < deadline, f"{len(owners)} of {n} workers listen: {owners}"
        time.sleep(0.1)


def test_serve_with_workers_refuses_a_taken_port(env: dict[str, str]) -> None:
    """Exit code 2 and the address in the message, not a traceback from each worker."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        with _serving(env, "--workers", "2", "--port", str(port)) as proc:
            try:
                _, err = proc.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                pytest.fail("serve did not give up on a taken port")
        assert proc.returncode == 2, err
        assert f"cannot listen on 127.0.0.1:{port}" in err
        assert "Traceback" not in err


def test_serve_with_workers_spreads_connections_over_the_workers(env: dict[str, str]) -> None:
    """16 keep-alive connections end up on both workers. Each worker listens on a socket of
    its own (distinct inodes; with one shared socket, whichever worker woke first took a
    whole burst). All 16 on one worker by chance: 2 * (1/2)**16."""
    port = free_port()
    with _serving(env, "--workers", "2", "--port", str(port)) as proc:
        assert wait_for_serve(f"http://127.0.0.1:{port}/health", proc).status_code == 200
        workers = _listening_workers(proc, port, 2)
        assert len(workers) == 2
        a, b = workers.values()
        assert len(a) == len(b) == 1 and not a & b, workers  # a socket per worker

        conns = [HTTPConnection("127.0.0.1", port, timeout=10) for _ in range(16)]
        try:
            for c in conns:
                c.connect()
            for c in conns:
                c.request("GET", "/health")
                r = c.getresponse()
                assert r.status == 200
                r.read()
                assert not r.will_close  # kept alive
            client_ports = {c.sock.getsockname()[1] for c in conns}  # type: ignore[union-attr]
            accepted = {
                inode
                for lp, rp, st, inode in _tcp_sockets()
                if lp == port and rp in client_ports and st == ESTABLISHED
            }
            per_worker = {pid: len(_socket_inodes(pid) & accepted) for pid in workers}
        finally:
            for c in conns:
                c.close()
    assert len(accepted) == 16
    assert sum(per_worker.values()) == 16, per_worker  # every connection is a worker's
    assert all(n >= 1 for n in per_worker.values()), per_worker


def test_serve_with_workers_on_port_zero_picks_one_port_for_all(env: dict[str, str]) -> None:
    """`--port 0` with several workers: one free port is chosen first and printed (each
    worker binding port 0 itself would listen on a different random port)."""
    with _serving(env, "--workers", "2", "--port", "0") as proc:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)", first)
        assert match, first
        port = int(match.group(1))
        assert port != 0
        assert wait_for_serve(f"http://127.0.0.1:{port}/health", proc).status_code == 200
        assert len(_listening_workers(proc, port, 2)) == 2
