"""Driving `tests.support.load_worker` from a test: start it, wait for a line of its
progress (to SIGKILL it there), and the whole graph as rows to compare before and after."""

from __future__ import annotations

import subprocess
import sys
import time

from graph.store import Store
from tests.support.paths import ROOT

WORKER = [sys.executable, "-m", "tests.support.load_worker"]


def snapshot(store: Store) -> list[list[object]]:
    """Every node (revisions too) with its properties and outgoing relationships."""
    return store.run(
        "MATCH (n) OPTIONAL MATCH (n)-[r]->(m) "
        "RETURN n.id, properties(n), type(r), properties(r), m.id "
        "ORDER BY n.id, type(r), m.id",
        read_only=True,
    ).rows


def start_worker(
    uri: str, prefix: str, actors: int, rels: int, *extra: str
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*WORKER, uri, prefix, str(actors), str(rels), *extra],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_line(proc: subprocess.Popen[str], prefix: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line.startswith(prefix):
            return line
        if not line and proc.poll() is not None:
            raise AssertionError(f"worker ended early: {proc.stderr.read() if proc.stderr else ''}")
    raise AssertionError(f"no {prefix!r} line within {timeout} s")
