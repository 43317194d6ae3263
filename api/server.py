"""Run the app with uvicorn: in the foreground (`scn-graph serve`) or in a background
thread on a free port (`LiveServer`, for tests and benchmarks over real HTTP)."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from types import TracebackType
from typing import Any

import uvicorn


def tcp_socket(host: str, port: int, *, reuse_port: bool = False) -> socket.socket:
    """A listening socket for uvicorn that says it is TCP.

    asyncio turns Nagle's algorithm off (TCP_NODELAY) only on sockets whose
    `proto` is IPPROTO_TCP, and a connection accepted from a socket made with
    `socket.socket(AF_INET)` has proto 0. uvicorn writes a response's headers
    and body separately, so with Nagle on every request waited for the client's
    delayed ACK: 44 ms instead of 1 ms (measured here). uvicorn's own multi-worker
    socket has the same problem, which is why `scn-graph serve --workers` binds
    its sockets with this function. `reuse_port` lets several sockets listen on
    one port (see `WorkerSocket`).
    """
    sock = socket.socket(_family(host), socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if reuse_port:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on now (`serve --workers N --port 0`, tests, benchmarks)."""
    with contextlib.closing(tcp_socket(host, 0)) as sock:
        return int(sock.getsockname()[1])


class WorkerSocket(socket.socket):
    """What `scn-graph serve --workers N` hands uvicorn's supervisor instead of one
    shared listening socket: each worker process unpickles it into a listening
    socket of its own, bound to the same port with SO_REUSEPORT.

    With one shared socket, whichever worker wakes first accepts a whole burst
    of new connections: a client opening 32 keep-alive connections at once got
    29 on one worker and 3 on the other (counted with `ss`), and the busy
    worker's queue set the p95 latency while the other idled. With a socket per
    worker the kernel spreads connections over the workers by a hash of their
    addresses (what nginx's `reuseport` does). The supervisor never listens on
    this placeholder; uvicorn pickles the sockets it is given to start each
    worker (multiprocessing's spawn), and `__reduce__` makes the worker's copy a
    fresh socket rather than a duplicate of this one.
    """

    def __init__(self, host: str, port: int) -> None:
        # Fail now, in the supervisor, if the port is taken (rather than in every worker).
        # The probe does not ask for SO_REUSEPORT, so it also fails when another server's
        # workers hold the port with it, instead of silently sharing their connections.
        tcp_socket(host, port).close()
        super().__init__(_family(host), socket.SOCK_STREAM)
        self.address = (host, port)

    def __reduce__(self) -> tuple[Any, tuple[str, int]]:
        return (_worker_listener, self.address)


def _worker_listener(host: str, port: int) -> socket.socket:
    return tcp_socket(host, port, reuse_port=True)


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
