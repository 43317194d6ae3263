"""`scn-graph keys add|list|revoke` and `scn-graph serve`, as a user runs them."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from api.server import free_port
from cli.main import app
from tests.support.api import wait_for_serve

runner = CliRunner()


def test_keys_add_list_revoke(env: dict[str, str]) -> None:
    r = runner.invoke(app, ["keys", "add", "alice", "--role", "editor"])
    assert r.exit_code == 0, r.output
    secret = r.stdout.strip().splitlines()[0]
    assert secret.startswith("scn_")
    assert "not shown again" in r.stderr
    assert secret not in Path(env["SCN_GRAPH_KEYS_FILE"]).read_text()

    r = runner.invoke(app, ["keys", "add", "alice", "--role", "reader"])
    assert r.exit_code == 2 and "exists" in r.stderr
    r = runner.invoke(app, ["keys", "add", "bob", "--role", "admin"])
    assert r.exit_code == 2
    runner.invoke(app, ["keys", "add", "bob", "--role", "reader"])

    r = runner.invoke(app, ["keys", "list", "--format", "json"])
    listed = json.loads(r.stdout)
    assert [(k["name"], k["role"]) for k in listed] == [("alice", "editor"), ("bob", "reader")]
    assert all(secret[:8] == k["prefix"] for k in listed if k["name"] == "alice")
    assert secret not in r.stdout
    r = runner.invoke(app, ["keys", "list"])
    assert "alice" in r.stdout and "editor" in r.stdout

    r = runner.invoke(app, ["keys", "revoke", "alice"])
    assert r.exit_code == 0 and "Revoked 'alice'" in r.stdout
    r = runner.invoke(app, ["keys", "revoke", "alice"])
    assert r.exit_code == 2 and "no key" in r.stderr
    # keys belong to a store: another graph has none
    other = env["SCN_GRAPH_STORE"] + "x"
    r = runner.invoke(app, ["keys", "list", "--store", other])
    assert "No API keys" in r.stdout


@pytest.mark.parametrize("workers", [1, 2])
def test_serve_runs_the_api_on_the_store(env: dict[str, str], workers: int) -> None:
    r = runner.invoke(app, ["keys", "add", "ed", "--role", "editor"])
    secret = r.stdout.strip().splitlines()[0]
    port = free_port()
    exe = Path(sys.executable).with_name("scn-graph")
    proc = subprocess.Popen(
        [
            str(exe),
            "serve",
            "--port",
            str(port),
            "--no-anonymous-read",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        assert wait_for_serve(base + "/health", proc).json()["status"] == "ok"
        assert httpx.get(base + "/api/stats").status_code == 401  # anonymous reading off
        r = httpx.post(
            base + "/api/actors",
            json={"id": "york", "name": "York", "kind": "city"},
            headers={"Authorization": f"Bearer {secret}"},
        )
        assert r.status_code == 201, r.text
        me = httpx.get(base + "/api/me", headers={"X-API-Key": secret}).json()
        assert me["name"] == "ed" and me["anonymous_read_allowed"] is False
        # Nagle's algorithm is off: with it on, EVERY request waits ~40 ms for the
        # client's delayed ACK, so even the fastest of 20 would take 40 ms; the fastest,
        # not the median, tells the two apart on a busy machine.
        with httpx.Client(base_url=base) as c:
            times = []
            for _ in range(20):
                t = time.perf_counter()
                c.get("/health")
                times.append(time.perf_counter() - t)
        assert min(times) < 0.030, times
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            out, _ = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
    assert f"http://127.0.0.1:{port}" in out and "anonymous reading: off" in out


def test_serve_reports_a_bad_setting(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCN_GRAPH_ANONYMOUS_READ", "sometimes")
    r = runner.invoke(app, ["serve", "--port", "0"])
    assert r.exit_code == 2 and "SCN_GRAPH_ANONYMOUS_READ" in r.stderr
