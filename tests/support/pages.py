"""The invented network the page tests draw (with and without a browser), and a
minimal app that mounts the pages router with roles from an X-Role header.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

CONFIDENTIAL_NOTE = "back-channel on extremism cases"


#: An invented network: three countries, six cities, every link style the pages draw.
SAMPLE: dict[str, Any] = {
    "actors": [
        {
            "id": "de-amberg",
            "kind": "city",
            "name": "Amberg",
            "country": "DE",
            "lat": 49.44,
            "lon": 11.86,
            "themes": ["hate"],
            "threats": ["disinformation"],
        },
        {
            "id": "de-borken",
            "kind": "city",
            "name": "Borken",
            "country": "DE",
            "lat": 51.84,
            "lon": 6.86,
        },
        {
            "id": "de-celle",
            "kind": "city",
            "name": "Celle",
            "country": "DE",
            "lat": 52.62,
            "lon": 10.08,
        },
        {
            "id": "fr-dole",
            "kind": "city",
            "name": "Dole",
            "country": "FR",
            "lat": 47.09,
            "lon": 5.49,
        },
        {
            "id": "fr-evry",
            "kind": "city",
            "name": "Évry",
            "country": "FR",
            "lat": 48.63,
            "lon": 2.44,
        },
        {
            "id": "pl-gniezno",
            "kind": "city",
            "name": "Gniezno",
            "country": "PL",
            "lat": 52.53,
            "lon": 17.6,
        },
        {
            "id": "de-ministry",
            "kind": "national_body",
            "name": "Interior Ministry (DE)",
            "country": "DE",
        },
        {
            "id": "fr-ministry",
            "kind": "national_body",
            "name": "Interior Ministry (FR)",
            "country": "FR",
        },
        {
            "id": "de-youth",
            "kind": "cso",
            "name": "Youth Voices Amberg",
            "country": "DE",
            "grassroots": True,
            "city": "de-amberg",
        },
        {"id": "fr-cso", "kind": "cso", "name": "Dialogue Évry", "country": "FR"},
        {
            "id": "de-tech",
            "kind": "private_sector",
            "name": "Borken Tech",
            "country": "DE",
            "sector": "tech",
        },
        {
            "id": "de-police",
            "kind": "statutory_service",
            "name": "Amberg Police",
            "country": "DE",
            "city": "de-amberg",
        },
        {"id": "net", "kind": "international_org", "name": "Cities Network"},
    ],
    "initiatives": [
        {
            "id": "de-strategy",
            "kind": "framework",
            "name": "National Prevention Strategy",
            "country": "DE",
            "level": "national",
        },
        {"id": "exchange", "kind": "program", "name": "Three-City Exchange"},
        {
            "id": "fr-fund",
            "kind": "program",
            "name": "Planned Prevention Fund",
            "country": "FR",
            "status": "planned",
        },
    ],
    "relationships": [
        {"source": "de-amberg", "type": "TWINNED_WITH", "target": "fr-dole"},
        {"source": "de-amberg", "type": "PARTNERS_WITH", "target": "de-borken"},
        {"source": "fr-dole", "type": "COORDINATES_WITH", "target": "fr-evry", "status": "planned"},
        {"source": "de-celle", "type": "SHARES_INFORMATION_WITH", "target": "pl-gniezno"},
        {
            "source": "de-amberg",
            "type": "PARTNERS_WITH",
            "target": "de-ministry",
            "confidential": True,
            "note": CONFIDENTIAL_NOTE,
        },
        {"source": "de-borken", "type": "CONTRIBUTES_TO", "target": "de-strategy"},
        {"source": "de-ministry", "type": "FUNDS", "target": "de-youth"},
        {"source": "de-amberg", "type": "PARTNERS_WITH", "target": "de-youth"},
        {"source": "de-amberg", "type": "RUNS", "target": "exchange"},
        {"source": "fr-dole", "type": "PARTICIPATES_IN", "target": "exchange"},
        {"source": "pl-gniezno", "type": "PARTICIPATES_IN", "target": "exchange"},
        {"source": "de-amberg", "type": "MEMBER_OF", "target": "net"},
        {"source": "fr-evry", "type": "MEMBER_OF", "target": "net"},
        {"source": "de-tech", "type": "PARTNERS_WITH", "target": "de-borken"},
        {"source": "de-police", "type": "LOCATED_IN", "target": "de-amberg"},
        {"source": "fr-ministry", "type": "RUNS", "target": "fr-fund"},
        {"source": "fr-cso", "type": "PARTNERS_WITH", "target": "fr-evry"},
    ],
}


SAMPLE_NODES = len(SAMPLE["actors"]) + len(SAMPLE["initiatives"])


def body_attr(html: str, name: str) -> str:
    m = re.search(rf'data-{name}="([^"]*)"', html)
    assert m, f"no data-{name} on <body>"
    return m.group(1)


def page_config(html: str) -> str:
    m = re.search(r'<script type="application/json" id="scn-config">(.*?)</script>', html, re.S)
    assert m
    return m.group(1)


def make_test_app(store):  # type: ignore[no-untyped-def]
    """A minimal app mounting the pages router, with roles from an X-Role header,
    and a neighbourhood endpoint of the shape the pages expand from."""
    from fastapi import FastAPI, Header, HTTPException

    from graph.projection import project_neighbourhood
    from viz.routes import make_router

    app = FastAPI()

    def get_store():  # type: ignore[no-untyped-def]
        return store

    def get_visibility(x_role: str = Header("reader")) -> bool:
        return x_role in ("analyst", "editor")

    app.include_router(make_router(get_store, get_visibility))

    @app.get("/api/actors/{actor_id}/neighbourhood")
    def neighbourhood(actor_id: str, depth: int = 1) -> dict[str, Any]:
        H = project_neighbourhood(store, actor_id, depth, include_confidential=False)
        if actor_id not in H:
            raise HTTPException(404, f"No actor with id {actor_id!r}")
        return {
            "nodes": [
                {"id": n, **{k: d.get(k) for k in ("name", "kind", "country")}}
                for n, d in H.nodes(data=True)
            ],
            "edges": [
                {
                    "source": u,
                    "target": v,
                    "type": k,
                    "axis": d.get("axis"),
                    "cross_border": d.get("cross_border"),
                    "status": d.get("status"),
                    "symmetric": d.get("symmetric"),
                }
                for u, v, k, d in H.edges(keys=True, data=True)
            ],
        }

    return app


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """`app` behind real HTTP on a free loopback port, in a thread: yields its base URL,
    and stops the server when done."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "test server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
