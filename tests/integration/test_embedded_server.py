"""The embedded FalkorDB server, with real processes: no mocks.

Each test has its own data directory and stops its server in a finalizer.
"""

from __future__ import annotations

import os
import signal
import socket
import stat
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from falkordb import FalkorDB

from graph.store.embedded import (
    EmbeddedServer,
    EmbeddedServerError,
)
from tests.support.paths import ROOT

REPO_ROOT = ROOT

# A safety net: if a finalizer never runs, the keeper still stops soon.
SAFETY_IDLE = 30.0


@pytest.fixture
def make_server(tmp_path: Path) -> Iterator[Callable[..., EmbeddedServer]]:
    made: list[EmbeddedServer] = []

    def make(data_dir: Path | None = None, **kwargs: float) -> EmbeddedServer:
        kwargs.setdefault("idle_timeout", SAFETY_IDLE)
        srv = EmbeddedServer(data_dir or tmp_path / "db", **kwargs)
        made.append(srv)
        return srv

    yield make
    for srv in made:
        srv.stop()


def wait_until(cond: Callable[[], bool], timeout: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(step)
    return cond()


def pid_gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except (OSError, IndexError):
        return True
    return state in ("Z", "X")


def node_count(sock: Path, graph: str = "t") -> int:
    db = FalkorDB(unix_socket_path=str(sock))
    try:
        res = db.select_graph(graph).query("MATCH (n:N) RETURN count(n)")
        return res.result_set[0][0]
    finally:
        db.connection.close()


def write_nodes(sock: Path, ids: list[str], graph: str = "t") -> None:
    db = FalkorDB(unix_socket_path=str(sock))
    try:
        db.select_graph(graph).query("UNWIND $ids AS id CREATE (:N {id: id})", {"ids": ids})
    finally:
        db.connection.close()


def listening_tcp_inodes() -> set[str]:
    inodes = set()
    for name in ("tcp", "tcp6"):
        path = Path("/proc/net") / name
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            cols = line.split()
            if len(cols) > 9 and cols[3] == "0A":  # LISTEN
                inodes.add(cols[9])
    return inodes


def socket_inodes(pid: int) -> set[str]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    return inodes


def test_starts_answers_ping_and_listens_on_no_tcp_port(make_server) -> None:
    srv = make_server()
    assert not srv.is_running()

    sock = srv.ensure_running(timeout=30)

    assert sock == srv.socket_path == srv.data_dir / "falkordb.sock"
    assert srv.is_running()
    mode = sock.stat().st_mode
    assert stat.S_ISSOCK(mode)
    assert stat.S_IMODE(mode) == 0o700
    db = FalkorDB(unix_socket_path=str(sock))
    try:
        assert db.connection.ping()
        assert db.connection.config_get("port") == {"port": "0"}
        assert db.connection.config_get("appendonly") == {"appendonly": "yes"}
        effects = db.connection.execute_command("GRAPH.CONFIG", "GET", "EFFECTS_THRESHOLD")
        assert effects[1] == 0
    finally:
        db.connection.close()
    pid = srv.status()["pid"]
    assert isinstance(pid, int)
    assert not socket_inodes(pid) & listening_tcp_inodes()
    assert (srv.data_dir / "falkordb.log").exists()


def test_status_fields(make_server) -> None:
    srv = make_server(idle_timeout=45)
    before = srv.status()
    assert before["running"] is False
    assert before["pid"] is None
    assert before["graphs"] == []
    assert before["uptime_s"] is None
    assert before["socket"] == str(srv.socket_path)
    assert before["data_dir"] == str(srv.data_dir)
    assert before["idle_timeout"] == 45

    sock = srv.ensure_running()
    write_nodes(sock, ["a"], graph="partners")
    after = srv.status()

    assert after["running"] is True
    assert after["pid"] == int((srv.data_dir / "falkordb.pid").read_text())
    assert after["graphs"] == ["partners"]
    assert isinstance(after["uptime_s"], int)
    assert isinstance(after["used_memory_human"], str)
    assert after["idle_timeout"] == 45
    assert after["socket"] == str(sock)
    assert after["data_dir"] == str(srv.data_dir)


def test_data_survives_stop_and_start(make_server) -> None:
    srv = make_server()
    sock = srv.ensure_running()
    first_pid = srv.status()["pid"]
    write_nodes(sock, [f"n{i}" for i in range(50)])

    assert srv.stop() is True
    assert not srv.is_running()
    assert not srv.socket_path.exists()
    assert pid_gone(first_pid)
    assert srv.stop() is False  # nothing left to stop

    sock = srv.ensure_running()
    assert srv.status()["pid"] != first_pid
    assert node_count(sock) == 50


def test_second_instance_reuses_the_running_server(make_server) -> None:
    one = make_server()
    sock = one.ensure_running()
    write_nodes(sock, ["x"])

    two = make_server(one.data_dir)
    assert two.is_running()
    assert two.ensure_running() == sock
    assert two.status()["pid"] == one.status()["pid"]
    assert node_count(two.socket_path) == 1


CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from falkordb import FalkorDB
    from graph.store.embedded import EmbeddedServer

    data_dir, tag, go = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    while not go.exists():
        time.sleep(0.005)
    srv = EmbeddedServer(data_dir)
    sock = srv.ensure_running(timeout=60)
    g = FalkorDB(unix_socket_path=str(sock)).select_graph("t")
    for i in range(200):
        g.query("CREATE (:N {id: $id})", {"id": f"{tag}-{i}"})
    print(srv.status()["pid"])
    """
)


def test_two_processes_share_one_server_and_lose_nothing(make_server, tmp_path) -> None:
    srv = make_server()
    go = tmp_path / "go"
    env = dict(os.environ, SCN_GRAPH_IDLE_TIMEOUT=str(SAFETY_IDLE))
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH")) if p)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, str(srv.data_dir), tag, str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for tag in ("a", "b")
    ]
    time.sleep(0.5)  # let both interpreters import and wait at the line
    go.touch()
    outputs = [p.communicate(timeout=60) for p in procs]
    for p, (_, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, err

    pids = {int(out.strip()) for out, _ in outputs}
    assert pids == {srv.status()["pid"]}
    log = (srv.data_dir / "falkordb.log").read_text()
    assert log.count("keeper: started redis-server") == 1
    assert node_count(srv.ensure_running()) == 400
    db = FalkorDB(unix_socket_path=str(srv.socket_path))
    try:
        distinct = db.select_graph("t").query("MATCH (n:N) RETURN count(DISTINCT n.id)")
        assert distinct.result_set[0][0] == 400
    finally:
        db.connection.close()


def test_sigkill_of_server_and_keeper_leaves_nothing_that_blocks(make_server) -> None:
    srv = make_server()
    sock = srv.ensure_running()
    write_nodes(sock, ["kept-1", "kept-2"])
    status = srv.status()
    redis_pid, keeper_pid = status["pid"], status["keeper_pid"]

    os.kill(keeper_pid, signal.SIGKILL)
    os.kill(redis_pid, signal.SIGKILL)
    assert wait_until(lambda: pid_gone(redis_pid) and pid_gone(keeper_pid), 10)
    # What a crash leaves behind: the socket and both pid files.
    assert srv.socket_path.exists()
    assert (srv.data_dir / "falkordb.pid").exists()
    assert (srv.data_dir / "keeper.pid").exists()
    assert not srv.is_running()
    assert srv.status()["pid"] is None

    sock = srv.ensure_running(timeout=30)
    new = srv.status()
    assert new["running"] and new["pid"] not in (None, redis_pid)
    # Acknowledged writes were in the AOF before the kill.
    assert node_count(sock) == 2


def test_sigkill_of_keeper_takes_the_server_down(make_server) -> None:
    srv = make_server()
    srv.ensure_running()
    status = srv.status()

    os.kill(status["keeper_pid"], signal.SIGKILL)

    # PR_SET_PDEATHSIG: redis-server does not outlive its keeper.
    assert wait_until(lambda: pid_gone(status["pid"]), 10)
    assert wait_until(lambda: not srv.is_running(), 5)
    srv.ensure_running()
    assert srv.status()["pid"] != status["pid"]


def test_keeper_exits_when_server_dies(make_server) -> None:
    srv = make_server()
    srv.ensure_running()
    status = srv.status()

    os.kill(status["pid"], signal.SIGKILL)

    assert wait_until(lambda: pid_gone(status["keeper_pid"]), 10)
    assert not srv.is_running()
    assert not srv.socket_path.exists()  # the keeper cleaned up
    srv.ensure_running()
    assert srv.status()["running"]


def test_stale_files_pointing_at_an_unrelated_live_process(make_server) -> None:
    srv = make_server()
    srv.data_dir.mkdir(parents=True)
    me = os.getpid()
    (srv.data_dir / "falkordb.pid").write_text(f"{me}\n")
    (srv.data_dir / "keeper.pid").write_text(f"{me}\n")
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(srv.socket_path))  # a socket file nobody listens on
    stale.close()

    assert not srv.is_running()
    assert srv.status()["pid"] is None
    assert srv.stop() is False  # and, above all, it did not kill us

    srv.ensure_running()
    pid = srv.status()["pid"]
    assert pid is not None and pid != me
    assert int((srv.data_dir / "keeper.pid").read_text()) != me


def test_stops_by_itself_after_the_last_client_leaves(make_server) -> None:
    srv = make_server(idle_timeout=2)
    sock = srv.ensure_running()
    redis_pid = srv.status()["pid"]

    db = FalkorDB(unix_socket_path=str(sock))
    db.connection.ping()
    time.sleep(3.5)  # longer than the idle timeout, but a client is connected
    assert srv.is_running()
    db.connection.close()

    assert wait_until(lambda: not srv.is_running(), 10)
    assert pid_gone(redis_pid)
    assert not srv.socket_path.exists()
    assert not (srv.data_dir / "keeper.pid").exists()
    assert "no client for 2 s" in (srv.data_dir / "falkordb.log").read_text()


def test_startup_failure_is_reported_with_the_log(make_server) -> None:
    srv = make_server()
    aof = srv.data_dir / "appendonlydir"
    aof.mkdir(parents=True)
    (aof / "appendonly.aof.manifest").write_text("this is not a manifest\n")

    with pytest.raises(EmbeddedServerError) as err:
        srv.ensure_running(timeout=20)

    assert str(srv.data_dir / "falkordb.log") in str(err.value)
    assert not srv.is_running()


def test_socket_path_too_long_is_an_actionable_error(tmp_path) -> None:
    srv = EmbeddedServer(tmp_path / ("d" * 120))
    with pytest.raises(EmbeddedServerError, match="SCN_GRAPH_HOME"):
        srv.ensure_running()
