"""Shared pieces of the API tests: the dataset, a live server, keys, a leak detector.

The API tests run the real app under uvicorn on 127.0.0.1 (a free port, a
background thread) against the real embedded FalkorDB, and talk to it with
httpx over real HTTP. This module holds no tests itself.
"""

from __future__ import annotations

import contextlib
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from api.app import create_app
from api.keys import KeyStore
from api.server import LiveServer
from api.settings import Settings
from graph.store import Store, open_store
from tests.support.store import load

ROLES = ("reader", "analyst", "editor")

#: Relationships marked confidential; each note carries a marker that must never reach
#: a reader or an anonymous caller.
CONFIDENTIAL = [
    {
        "source": "shadow-fund",
        "type": "FUNDS",
        "target": "leeds-roots",
        "confidential": True,
        "note": "SECRET-MARK-1 undisclosed funding",
    },
    {
        "source": "london",
        "type": "SHARES_INFORMATION_WITH",
        "target": "home-office",
        "confidential": True,
        "note": "SECRET-MARK-2 data-sharing agreement",
    },
    {
        "source": "paris",
        "type": "PARTNERS_WITH",
        "target": "berlin",
        "confidential": True,
        "note": "SECRET-MARK-3 quiet partnership",
    },
]
CONFIDENTIAL_EDGES = {(r["source"], r["type"], r["target"]) for r in CONFIDENTIAL}
MARKERS = ("SECRET-MARK-1", "SECRET-MARK-2", "SECRET-MARK-3")

DATA: dict[str, Any] = {
    "actors": [
        {
            "id": "london",
            "name": "London",
            "kind": "city",
            "country": "GB",
            "themes": ["hate", "polarisation"],
            "threats": ["antisemitism"],
            "lat": 51.5,
            "lon": -0.12,
        },
        {
            "id": "leeds",
            "name": "Leeds",
            "kind": "city",
            "country": "GB",
            "themes": ["hate"],
            "lat": 53.8,
            "lon": -1.55,
        },
        {
            "id": "bradford",
            "name": "Bradford",
            "kind": "city",
            "country": "GB",
            "themes": ["polarisation"],
        },
        {"id": "paris", "name": "Paris", "kind": "city", "country": "FR", "themes": ["hate"]},
        {
            "id": "berlin",
            "name": "Berlin",
            "kind": "city",
            "country": "DE",
            "themes": ["disinformation"],
        },
        {"id": "home-office", "name": "Home Office", "kind": "national_body", "country": "GB"},
        {
            "id": "ministere",
            "name": "Ministère de l'Intérieur",
            "kind": "national_body",
            "country": "FR",
        },
        {
            "id": "leeds-roots",
            "name": "Leeds Roots",
            "kind": "cso",
            "country": "GB",
            "grassroots": True,
            "city": "leeds",
            "themes": ["hate"],
        },
        {
            "id": "big-charity",
            "name": "Big Charity",
            "kind": "cso",
            "country": "GB",
            "themes": ["hate", "polarisation"],
        },
        {
            "id": "techco",
            "name": "TechCo",
            "kind": "private_sector",
            "country": "GB",
            "sector": "tech",
        },
        {
            "id": "uni",
            "name": "University of Leeds",
            "kind": "research",
            "country": "GB",
            "themes": ["m_and_e"],
        },
        {"id": "scn", "name": "Strong Cities Network", "kind": "international_org"},
        {"id": "shadow-fund", "name": "Shadow Fund", "kind": "international_org"},
        {
            "id": "leeds-police",
            "name": "Leeds Police",
            "kind": "statutory_service",
            "country": "GB",
            "city": "leeds",
        },
    ],
    "initiatives": [
        {
            "id": "prevent",
            "name": "Prevent strategy",
            "kind": "framework",
            "country": "GB",
            "level": "national",
            "themes": ["violent_extremism"],
        },
        {
            "id": "youth-prog",
            "name": "Youth Resilience Programme",
            "kind": "program",
            "country": "GB",
            "themes": ["polarisation"],
        },
        {
            "id": "youth-eval",
            "name": "Youth programme evaluation",
            "kind": "evaluation",
            "country": "GB",
            "published": False,
        },
        {"id": "toolkit", "name": "Prevention toolkit", "kind": "resource", "status": "planned"},
    ],
    "relationships": [
        {"source": "london", "type": "TWINNED_WITH", "target": "paris", "since": "2001"},
        {"source": "leeds", "type": "PARTNERS_WITH", "target": "bradford"},
        {"source": "leeds", "type": "PARTNERS_WITH", "target": "leeds-roots"},
        {"source": "london", "type": "PARTNERS_WITH", "target": "big-charity"},
        {"source": "london", "type": "COORDINATES_WITH", "target": "techco"},
        {"source": "london", "type": "MEMBER_OF", "target": "scn"},
        {"source": "paris", "type": "MEMBER_OF", "target": "scn"},
        {"source": "berlin", "type": "MEMBER_OF", "target": "scn"},
        {"source": "leeds", "type": "MEMBER_OF", "target": "scn"},
        {"source": "home-office", "type": "FUNDS", "target": "big-charity"},
        {"source": "home-office", "type": "RUNS", "target": "prevent"},
        {"source": "leeds", "type": "IMPLEMENTS", "target": "prevent"},
        {"source": "leeds", "type": "CONTRIBUTES_TO", "target": "prevent", "status": "planned"},
        {"source": "leeds-roots", "type": "RUNS", "target": "youth-prog"},
        {"source": "leeds", "type": "FUNDS", "target": "youth-prog"},
        {"source": "uni", "type": "EVALUATES", "target": "youth-prog"},
        {"source": "youth-eval", "type": "EVALUATES", "target": "youth-prog"},
        {"source": "bradford", "type": "PARTICIPATES_IN", "target": "youth-prog"},
        {"source": "prevent", "type": "INFORMS", "target": "youth-prog"},
        {"source": "leeds-police", "type": "LOCATED_IN", "target": "leeds"},
        {"source": "ministere", "type": "COORDINATES_WITH", "target": "paris"},
        *CONFIDENTIAL,
    ],
}


@dataclass
class Api:
    """A running server and the keys made for it."""

    url: str
    keys: dict[str, str]
    store: Store
    store_uri: str
    settings: Settings
    server: LiveServer

    def client(self, role: str | None = None, **kw: Any) -> httpx.Client:
        headers = dict(kw.pop("headers", {}))
        if role is not None:
            headers["Authorization"] = f"Bearer {self.keys[role]}"
        return httpx.Client(base_url=self.url, headers=headers, timeout=60, **kw)


@contextlib.contextmanager
def running_api(
    server_dir: Path,
    work_dir: Path,
    *,
    data: dict[str, Any] | None = None,
    graph: str | None = None,
    **settings: Any,
) -> Iterator[Api]:
    """A fresh graph loaded with `data`, served over HTTP, with one key per role."""
    uri = f"embedded:{server_dir}?graph={graph or 'api' + uuid.uuid4().hex[:10]}"
    store = open_store(uri)
    if data:
        load(store, data)
    st = Settings(
        store_uri=uri,
        keys_file=work_dir / "keys.json",
        audit_file=work_dir / "audit.jsonl",
        **settings,
    )
    ks = KeyStore(st.resolved_keys_file, st.store_id)
    keys = {role: ks.add(f"{role}-{uuid.uuid4().hex[:6]}", role)[1] for role in ROLES}
    server = LiveServer(create_app(settings=st)).start()
    try:
        yield Api(server.url, keys, store, uri, st, server)
    finally:
        server.stop()
        store.drop()  # type: ignore[attr-defined]
        store.close()


def leaks(value: Any) -> list[str]:
    """Where a JSON value shows a confidential relationship (empty list: nowhere)."""
    found: list[str] = []

    def walk(v: Any, path: str) -> None:
        if isinstance(v, dict):
            if v.get("confidential") is True:
                found.append(f"{path}: confidential=true")
            ends = (v.get("source", v.get("from")), v.get("target", v.get("to")))
            typ = v.get("type")
            if typ and (
                (ends[0], typ, ends[1]) in CONFIDENTIAL_EDGES
                or (ends[1], typ, ends[0]) in CONFIDENTIAL_EDGES
            ):
                found.append(f"{path}: {ends[0]} {typ} {ends[1]}")
            for k, x in v.items():
                walk(x, f"{path}.{k}")
        elif isinstance(v, list):
            for i, x in enumerate(v):
                walk(x, f"{path}[{i}]")
        elif isinstance(v, str) and any(m in v for m in MARKERS):
            found.append(f"{path}: marker in text")

    walk(value, "$")
    return found


def text_leaks(text: str) -> list[str]:
    return [m for m in MARKERS if m in text]


def wait_for_serve(url: str, proc: subprocess.Popen, timeout: float = 60) -> httpx.Response:
    """The first answer of a `scn-graph serve` started as `proc`; fail if it exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"serve exited with {proc.returncode}: {proc.stderr.read()}")
        try:
            return httpx.get(url, timeout=2)
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("serve did not answer in time")
