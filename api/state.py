"""What the app holds for its lifetime (store, keys, audit log, caches) and the
FastAPI dependencies that hand it to routes."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request

from api.analysis import server_analysis
from api.audit import AuditLog
from api.errors import RESTARTING_MESSAGE, ApiError
from api.keys import KeyStore
from api.sessions import SessionStore
from api.settings import Settings
from graph.analysis.cache import ResultCache
from graph.analysis.service import AnalysisService
from graph.store.base import Store
from graph.store.embedded import EmbeddedServer, EmbeddedServerError, default_data_dir
from graph.store.uri import parse_store_uri

log = logging.getLogger("scn_graph.api")


@dataclass
class AppState:
    settings: Settings
    keys: KeyStore
    audit: AuditLog
    cache: ResultCache
    sessions: SessionStore
    store: Store | None = None
    analysis: AnalysisService | None = None
    #: API writes are applied one at a time (the store also locks across processes).
    write_lock: threading.Lock = field(default_factory=threading.Lock)
    store_error: str | None = None
    #: Places for analyst queries (`POST /api/query`); one more gets 429.
    analyst_slots: threading.BoundedSemaphore = field(init=False)
    #: True while the embedded server is being started again after it died.
    restarting: bool = False
    _restart_lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.analyst_slots = threading.BoundedSemaphore(self.settings.query_concurrency)

    def attach(self, store: Store) -> None:
        self.store = store
        self.analysis = server_analysis(store, self.cache)
        self.store_error = None

    def restart_if_down(self) -> bool:
        """After a store error: if the embedded server this app uses is gone, start it
        again in the background and say so (True) — the store's connections find it
        again by themselves. Other engines are someone else's to restart."""
        addr = parse_store_uri(self.settings.store_uri, default_dir=default_data_dir())
        if addr.engine != "embedded" or addr.path is None:
            return False
        server = EmbeddedServer(addr.path)
        with self._restart_lock:
            if self.restarting:
                return True
            if self.store is not None and self.store.ping():
                return False
            self.restarting = True
        threading.Thread(target=self._restart, args=(server,), daemon=True).start()
        return True

    def _restart(self, server: EmbeddedServer) -> None:
        log.error("the embedded database in %s is down; starting it again", server.data_dir)
        try:
            server.ensure_running()
        except EmbeddedServerError as exc:
            log.error("could not restart the embedded database: %s", exc)
        finally:
            self.restarting = False


# The dependencies below take the request itself rather than depending on one another:
# FastAPI resolves every node of the dependency tree per request, so a flat tree is cheaper.


async def get_state(request: Request) -> AppState:
    return request.app.state.scn  # type: ignore[no-any-return]


def _open_store(state: AppState) -> Store:
    if state.restarting:
        raise ApiError(503, RESTARTING_MESSAGE, headers={"Retry-After": "2"})
    if state.store is None:
        raise ApiError(
            503,
            f"the graph store is not open: {state.store_error or 'the server is starting'}",
            headers={"Retry-After": "5"},
        )
    return state.store


async def get_store(request: Request) -> Store:
    return _open_store(request.app.state.scn)


async def get_analysis(request: Request) -> AnalysisService:
    state: AppState = request.app.state.scn
    _open_store(state)
    assert state.analysis is not None
    return state.analysis


State = Annotated[AppState, Depends(get_state)]
StoreDep = Annotated[Store, Depends(get_store)]
AnalysisDep = Annotated[AnalysisService, Depends(get_analysis)]
