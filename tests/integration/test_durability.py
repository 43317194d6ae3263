"""No graph data outside the data directory, no silent loss, one clear line per fault.

Each test runs its own embedded server in a fresh data directory (they kill it, make
its disk unwritable or its directory read-only), and drives the real `scn-graph`
command in subprocesses. The data directories sit in a world-traversable folder, so
that only the data directory's own permissions stand between another local user and
the graph.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis

from graph.store import open_store
from graph.store.embedded import ENV_APPENDFSYNC, EmbeddedServer
from tests.support.api import running_api
from tests.support.paths import ROOT

CLI = [sys.executable, "-m", "cli"]
SMALL = {"actors": [{"id": "paris", "kind": "city", "name": "Paris", "country": "FR"}]}
OTHER = {"actors": [{"id": "lyon", "kind": "city", "name": "Lyon", "country": "FR"}]}


@pytest.fixture(autouse=True)
def default_fsync_policy(monkeypatch: pytest.MonkeyPatch) -> None:
    """These servers run the product's default (`everysec`), not the suite's `always`."""
    monkeypatch.delenv(ENV_APPENDFSYNC, raising=False)


@pytest.fixture
def data_dir() -> Iterator[Path]:
    """A data directory (not yet created) in a folder any local user may enter."""
    parent = Path(tempfile.mkdtemp(prefix="scn-dur-", dir="/tmp"))
    parent.chmod(0o755)
    path = parent / "data"
    yield path
    with contextlib.suppress(Exception):
        EmbeddedServer(path).stop()
    _unfreeze(path)
    shutil.rmtree(parent, ignore_errors=True)


def _cli(
    *args: str, store: str | None = None, timeout: float = 90, user: list[str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCN_GRAPH_")}
    if store:
        env["SCN_GRAPH_STORE"] = store
    return subprocess.run(
        [*(user or []), *CLI, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _write(tmp: Path, name: str, data: dict) -> Path:
    path = tmp / name
    path.write_text(json.dumps(data))
    return path


def _kill_server(server: EmbeddedServer) -> None:
    """SIGKILL redis-server (an unclean stop) and wait until the directory is free."""
    pid = int(server.pid_path.read_text().split()[0])
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 20
    while server.is_running() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not server.is_running()


def _descendants(pid: int) -> list[int]:
    out = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            for child in (task / "children").read_text().split():
                out += _descendants(int(child))
    return out


def _open_dumps(pid: int) -> set[str]:
    """Paths of .dump files the server or its forks have open right now."""
    found = set()
    for p in _descendants(pid):
        for fd in Path(f"/proc/{p}/fd").glob("*"):
            with contextlib.suppress(OSError):
                target = os.readlink(fd)
                if target.endswith(".dump"):
                    found.add(target)
    return found


def _other_user() -> list[str] | None:
    """A command prefix that runs as `nobody`, when we are root and can switch users."""
    if os.geteuid() != 0:
        return None
    if shutil.which("setpriv"):
        return ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
    if shutil.which("runuser"):
        return ["runuser", "-u", "nobody", "--"]
    return None


def _aof_tail(data_dir: Path) -> Path:
    return sorted((data_dir / "appendonlydir").glob("*.incr.aof"))[-1]


def _freeze(path: Path) -> bool:
    """Make a file unwritable even for root (the immutable attribute)."""
    if not shutil.which("chattr"):
        return False
    return subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode == 0


def _wait_for_aof_status(data_dir: Path, status: str) -> None:
    conn = redis.Redis(unix_socket_path=str(data_dir / "falkordb.sock"), decode_responses=True)
    deadline = time.monotonic() + 15
    while conn.info("persistence")["aof_last_write_status"] != status:
        assert time.monotonic() < deadline, f"the AOF write status never became {status}"
        time.sleep(0.1)
    conn.close()


def _unfreeze(data_dir: Path) -> None:
    if not shutil.which("chattr") or not data_dir.is_dir():
        return
    subprocess.run(["chattr", "-i", str(data_dir)], capture_output=True)
    for f in data_dir.joinpath("appendonlydir").glob("*"):
        subprocess.run(["chattr", "-i", str(f)], capture_output=True)


# --------------------------------------------------------------------------- #
# 2. No graph data outside the data directory
# --------------------------------------------------------------------------- #


def test_copy_dump_stays_private_and_leftovers_go_at_start(data_dir: Path) -> None:
    server = EmbeddedServer(data_dir, idle_timeout=120)
    server.ensure_running()
    store = open_store(f"embedded:{data_dir}?graph=g")
    # A graph whose GRAPH.COPY dump takes long enough to be seen (tens of MB).
    store.run(
        "UNWIND range(1, 250000) AS i CREATE (:Actor {id: 'a' + toString(i), "
        "name: 'a confidential partner name number ' + toString(i)})"
    )
    store._redis.execute_command("GRAPH.QUERY", "g__staging__dead", "CREATE ()")  # type: ignore[attr-defined]
    redis_pid = int(server.pid_path.read_text().split()[0])
    tmp_dir = data_dir / "tmp"

    def large_write() -> None:
        with contextlib.suppress(Exception), store.transaction() as tx:  # staged: copies
            tx.run("CREATE (:Actor {id: 'new'})")

    writer = threading.Thread(target=large_write, daemon=True)
    writer.start()
    open_elsewhere: set[str] = set()
    dump: Path | None = None
    deadline = time.monotonic() + 60
    while dump is None and time.monotonic() < deadline and writer.is_alive():
        open_elsewhere |= {p for p in _open_dumps(redis_pid) if not p.startswith(str(tmp_dir))}
        dump = next(iter(tmp_dir.glob("*.dump")), None)
    assert dump is not None, "no GRAPH.COPY dump appeared in the data directory's tmp"
    _kill_server(server)  # killed during the copy: the dump is left behind
    writer.join(30)
    assert open_elsewhere == set(), f"the server wrote dumps outside its data dir: {open_elsewhere}"
    assert dump.exists()
    assert stat.S_IMODE(dump.stat().st_mode) == 0o600
    assert stat.S_IMODE(tmp_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    other = _other_user()
    if other is not None:  # as another local user: not readable
        denied = subprocess.run([*other, "cat", str(dump)], capture_output=True, text=True)
        assert denied.returncode != 0
        assert "Permission denied" in denied.stderr
    # The next start removes the leftover dump and the orphaned staging graph.
    started = _cli("db", "start", "--data-dir", str(data_dir))
    assert started.returncode == 0, started.stderr
    assert list(tmp_dir.glob("*.dump")) == []
    status = json.loads(_cli("db", "status", "--json", "--data-dir", str(data_dir)).stdout)
    assert not [g for g in status["graphs"] if "__staging__" in g], status["graphs"]
    store.close()


# --------------------------------------------------------------------------- #
# 7. Durability: an acknowledged write that did not come back is said, plainly
# --------------------------------------------------------------------------- #


def test_lost_write_after_unclean_stop_is_reported(data_dir: Path, tmp_path: Path) -> None:
    uri = f"embedded:{data_dir}?graph=g"
    first = _cli("ingest", str(_write(tmp_path, "a.json", SMALL)), store=uri)
    assert first.returncode == 0, first.stderr
    server = EmbeddedServer(data_dir)
    size_before = _aof_tail(data_dir).stat().st_size
    second = _cli("ingest", str(_write(tmp_path, "b.json", OTHER)), store=uri)
    assert second.returncode == 0, second.stderr
    probe = open_store(uri)
    acked = probe.generation
    probe.close()
    _kill_server(server)
    # An unclean stop that lost the AOF's tail, cut in the middle of a command.
    with _aof_tail(data_dir).open("r+b") as f:
        f.truncate(size_before + 7)

    started = _cli("db", "start", "--data-dir", str(data_dir))
    assert started.returncode == 0, started.stderr
    said = started.stdout + started.stderr
    assert f"generation {acked}" in said and "was lost in an unclean stop" in said, said
    status = _cli("db", "status", "--data-dir", str(data_dir))
    assert "was lost in an unclean stop" in status.stdout + status.stderr
    nxt = _cli("stats", store=uri)
    assert nxt.returncode == 0, nxt.stderr
    assert "was lost in an unclean stop" in nxt.stderr
    assert "lyon" not in _cli("actors", store=uri).stdout.lower()  # really lost
    again = _cli("stats", store=uri)
    assert "was lost" not in again.stderr  # said once to commands, not forever


def test_acknowledged_generation_follows_each_write(data_dir: Path) -> None:
    store = open_store(f"embedded:{data_dir}?graph=g")
    from tests.support.store import load

    load(store, SMALL)
    acks = json.loads((data_dir / "acknowledged.json").read_text())
    assert acks["g"]["generation"] == store.generation
    assert stat.S_IMODE((data_dir / "acknowledged.json").stat().st_mode) == 0o600
    store.close()


# --------------------------------------------------------------------------- #
# 8. Faults: one clear line, quickly
# --------------------------------------------------------------------------- #


def test_read_only_data_dir_is_one_clear_line(data_dir: Path) -> None:
    data_dir.mkdir(mode=0o700)
    if os.geteuid() != 0:
        data_dir.chmod(0o500)
    elif not _freeze(data_dir):  # root writes anywhere, except into an immutable folder
        pytest.skip("running as root without chattr +i: cannot make a folder read-only")
    res = _cli("db", "start", "--data-dir", str(data_dir))
    lines = [ln for ln in res.stderr.splitlines() if ln.strip()]
    assert res.returncode in (1, 2)
    assert "Traceback" not in res.stderr
    assert len(lines) == 1, res.stderr
    assert str(data_dir) in lines[0] and "writable" in lines[0]


def test_unwritable_aof_is_said_quickly_and_reads_go_on(data_dir: Path, tmp_path: Path) -> None:
    uri = f"embedded:{data_dir}?graph=g"
    assert _cli("ingest", str(_write(tmp_path, "a.json", SMALL)), store=uri).returncode == 0
    if not _freeze(_aof_tail(data_dir)):
        pytest.skip("chattr +i is not available here: cannot make the AOF unwritable")
    conn = redis.Redis(unix_socket_path=str(data_dir / "falkordb.sock"))
    conn.set("poke", 1)  # the failed AOF write turns the server to MISCONF
    conn.close()
    _wait_for_aof_status(data_dir, "err")

    t0 = time.monotonic()
    stats = _cli("stats", store=uri, timeout=40)
    assert stats.returncode == 0, stats.stderr
    assert time.monotonic() - t0 < 30  # not the 60 s "may still be loading" wait
    write = _cli("ingest", str(_write(tmp_path, "b.json", OTHER)), store=uri, timeout=40)
    lines = [ln for ln in write.stderr.splitlines() if ln.strip()]
    assert write.returncode == 2
    assert "Traceback" not in write.stderr
    assert any("cannot write to its disk" in ln for ln in lines), write.stderr

    with running_api(data_dir, tmp_path, graph="g") as api:
        editor = {"Authorization": f"Bearer {api.keys['editor']}"}
        reader = {"Authorization": f"Bearer {api.keys['reader']}"}
        assert httpx.get(f"{api.url}/api/actors/paris", headers=reader).status_code == 200
        res = httpx.patch(f"{api.url}/api/actors/paris", json={"name": "P"}, headers=editor)
        assert res.status_code == 503, res.text
        assert "cannot write to its disk" in res.json()["error"]["message"]
        _unfreeze(data_dir)  # the server writes again by itself, and the API recovers
        _wait_for_aof_status(data_dir, "ok")
        res = httpx.patch(f"{api.url}/api/actors/paris", json={"name": "P"}, headers=editor)
        assert res.status_code == 200, res.text


def test_database_killed_during_a_cli_load_is_one_line(data_dir: Path, tmp_path: Path) -> None:
    uri = f"embedded:{data_dir}?graph=g"
    assert _cli("ingest", str(_write(tmp_path, "a.json", SMALL)), store=uri).returncode == 0
    n = 6000
    big = {
        "actors": [
            {"id": f"d{i}", "kind": "city", "name": f"D {i}", "country": "FR"} for i in range(n)
        ]
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCN_GRAPH_")}
    proc = subprocess.Popen(
        [*CLI, "ingest", str(_write(tmp_path, "big.json", big))],
        cwd=ROOT,
        env={**env, "SCN_GRAPH_STORE": uri},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    conn = redis.Redis(unix_socket_path=str(data_dir / "falkordb.sock"))
    deadline = time.monotonic() + 120
    while not conn.keys("g__staging__*"):
        assert proc.poll() is None and time.monotonic() < deadline, "the load never staged"
        time.sleep(0.02)
    conn.close()
    _kill_server(EmbeddedServer(data_dir))
    _, err = proc.communicate(timeout=120)
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert proc.returncode == 2
    assert "Traceback" not in err
    assert len(lines) == 1, err
    assert "database stopped" in lines[0] and "nothing was written" in lines[0]


def test_serve_stops_quickly_on_sigterm_while_a_request_computes(
    data_dir: Path, tmp_path: Path
) -> None:
    from api.server import free_port

    uri = f"embedded:{data_dir}?graph=g"
    assert _cli("ingest", str(_write(tmp_path, "a.json", SMALL)), store=uri).returncode == 0
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCN_GRAPH_")}
    env.update(SCN_GRAPH_STORE=uri, SCN_GRAPH_KEYS_FILE=str(tmp_path / "keys.json"))
    key = subprocess.run(
        [*CLI, "keys", "add", "ana", "--role", "analyst"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    port = free_port("127.0.0.1")
    serve = subprocess.Popen(
        [*CLI, "serve", "--port", str(port), "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            assert serve.poll() is None and time.monotonic() < deadline, "serve never came up"
            time.sleep(0.2)
        # A request that computes for many seconds (up to the analyst query's limit).
        heavy = {"cypher": "UNWIND range(1, 3000000000) AS x RETURN count(x)", "timeout_ms": 60000}

        def ask() -> None:
            with contextlib.suppress(httpx.HTTPError):
                httpx.post(
                    f"{url}/api/query",
                    json=heavy,
                    headers={"Authorization": f"Bearer {key}"},
                    timeout=90,
                )

        threading.Thread(target=ask, daemon=True).start()
        time.sleep(2.0)  # the query is running in the server now
        started = time.monotonic()
        serve.send_signal(signal.SIGTERM)
        serve.wait(30)
        assert time.monotonic() - started < 8, "serve took too long to stop on SIGTERM"
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.wait()
