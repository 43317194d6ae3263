"""What the app holds for its lifetime (store, keys, audit log, caches) and the
FastAPI dependencies that hand it to routes."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request

from api.analysis import server_analysis
from api.audit import AuditLog
from api.errors import ApiError
from api.keys import KeyStore
from api.sessions import SessionStore
from api.settings import Settings
from graph.analysis.cache import ResultCache
from graph.analysis.service import AnalysisService
from graph.store.base import Store


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

    def attach(self, store: Store) -> None:
        self.store = store
        self.analysis = server_analysis(store, self.cache)
        self.store_error = None


# The dependencies below take the request itself rather than depending on one another:
# FastAPI resolves every node of the dependency tree per request, so a flat tree is cheaper.


async def get_state(request: Request) -> AppState:
    return request.app.state.scn  # type: ignore[no-any-return]


def _open_store(state: AppState) -> Store:
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
