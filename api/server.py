"""Run the app with uvicorn: in the foreground (`scn-graph serve`) or in a background
thread on a free port (`LiveServer`, for tests and benchmarks over real HTTP)."""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType
from typing import Any

import uvicorn


def tcp_socket(host: str, port: int) -> socket.socket:
    """A listening socket for uvicorn that says it is TCP.

    asyncio turns Nagle's algorithm off (TCP_NODELAY) only on sockets whose
    `proto` is IPPROTO_TCP, and a connection accepted from a socket made with
    `socket.socket(AF_INET)` has proto 0. uvicorn writes a response's headers
    and body separately, so with Nagle on every request waited for the client's
    delayed ACK: 44 ms instead of 1 ms (measured here). uvicorn's own multi-worker
    socket has the same problem, which is why `scn-graph serve --workers` binds
    its socket with this function.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


class LiveServer:
    """uvicorn serving `app` on 127.0.0.1 and a free port, in a daemon thread.

    with LiveServer(create_app(uri)) as server:
        httpx.get(server.url + "/health")
    """

    def __init__(self, app: Any, host: str = "127.0.0.1", port: int = 0, **config: Any) -> None:
        self.app = app
        self.host = host
        self._sock = tcp_socket(host, port)
        self.port = self._sock.getsockname()[1]
        config.setdefault("log_level", "warning")
        config.setdefault("access_log", False)
        self.server = uvicorn.Server(uvicorn.Config(app, lifespan="on", **config))
        self._thread = threading.Thread(
            target=self.server.run,
            kwargs={"sockets": [self._sock]},
            daemon=True,
            name=f"uvicorn-{self.port}",
        )

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self, timeout: float = 30.0) -> LiveServer:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self._thread.is_alive():
                raise RuntimeError("the API server stopped while starting; see its log")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the API server did not start within {timeout:.0f} s")
            time.sleep(0.01)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self.server.should_exit = True
        self._thread.join(timeout)
        self._sock.close()

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
