"""The unit layer: no store, no server, no network, no browser, no subprocess.

The fixtures that start the embedded FalkorDB live in `tests/integration/conftest.py`,
so a unit test that asks for `store`, `store_uri`, `server_dir` or `env` fails at once
with "fixture not found". A unit test that reaches a store another way (`open_store`,
an HTTP server, a CLI run in a subprocess) is refused by the guard below, and fails
even if the code under test swallows the refusal: move such a test to
tests/integration/.
"""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from graph.store.embedded import EmbeddedServer

MOVE = "move the test to tests/integration/"


class OutsideUnitLayer(AssertionError):
    """A unit test tried to use a store, a socket or a process."""


@pytest.fixture(autouse=True)
def unit_guard(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Refuse sockets, subprocesses and the embedded server; fail the test if tried.

    Yields the list of refused attempts, so a test of the guard can check and clear it.
    """
    attempts: list[str] = []

    def refuse(what: str) -> Callable[..., Any]:
        def guard(*_args: Any, **_kwargs: Any) -> Any:
            attempts.append(what)
            raise OutsideUnitLayer(f"a unit test may not {what}: {MOVE}")

        return guard

    for method in ("connect", "connect_ex", "bind"):
        monkeypatch.setattr(socket.socket, method, refuse(f"use a socket ({method})"))
    monkeypatch.setattr(subprocess.Popen, "__init__", refuse("start a process"))
    monkeypatch.setattr(EmbeddedServer, "ensure_running", refuse("start the embedded FalkorDB"))
    yield attempts
    if attempts:
        pytest.fail(f"this unit test tried to {', '.join(sorted(set(attempts)))}: {MOVE}")
