"""The auth matrix over real HTTP: each role (and anonymous, and a wrong key) × each
endpoint class, with anonymous reading on and off; refusals and revocation.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.app import create_app
from api.keys import KeyStore
from api.server import LiveServer
from tests.support.api import DATA, Api, running_api

YAML = b"""actors:
  - {id: wakefield, name: Wakefield, kind: city, country: GB}
"""

#: (class, method, path, kwargs). Writes are dry runs, so the editor's pass changes nothing.
READS: list[tuple[str, str, dict[str, Any]]] = [
    ("GET", "/api/stats", {}),
    ("GET", "/api/me", {}),
    ("GET", "/api/actors", {"params": {"kind": "city"}}),
    ("GET", "/api/actors/london", {}),
    ("GET", "/api/actors/london/neighbourhood", {"params": {"depth": 2}}),
    ("GET", "/api/actors/leeds/recommendations", {}),
    ("GET", "/api/initiatives", {}),
    ("GET", "/api/initiatives/youth-prog", {}),
    ("GET", "/api/relationships", {"params": {"axis": "vertical"}}),
    ("GET", "/api/path", {"params": {"source": "leeds", "target": "paris"}}),
    ("GET", "/api/gaps", {}),
    ("GET", "/api/gaps/summary", {}),
    ("GET", "/api/gaps/types", {}),
    ("GET", "/api/metrics", {}),
    ("GET", "/api/export", {"params": {"format": "graphml"}}),
]
QUERY = [("POST", "/api/query", {"json": {"cypher": "MATCH (n:City) RETURN count(n)"}})]
WRITES: list[tuple[str, str, dict[str, Any]]] = [
    (
        "POST",
        "/api/actors",
        {"params": {"dry_run": True}, "json": {"id": "york", "name": "York", "kind": "city"}},
    ),
    (
        "PUT",
        "/api/actors/leeds",
        {"params": {"dry_run": True}, "json": {"name": "Leeds", "kind": "city", "country": "GB"}},
    ),
    ("PATCH", "/api/actors/leeds", {"params": {"dry_run": True}, "json": {"note": "x"}}),
    ("DELETE", "/api/actors/no-such-actor", {}),
    ("POST", "/api/ingest", {"files": {"file": ("new.yaml", YAML)}, "data": {"dry_run": "true"}}),
]
AUDIT = [("GET", "/api/audit", {})]

WHO = ("anonymous", "reader", "analyst", "editor", "wrong-key")


def expected(cls: str, who: str, anonymous_read: bool) -> set[int]:
    if who == "wrong-key":
        return {401}
    if cls == "read":
        if who == "anonymous":
            return {200} if anonymous_read else {401}
        return {200}
    allowed = {"query": ("analyst", "editor"), "write": ("editor",), "audit": ("editor",)}[cls]
    if who == "anonymous":
        return {401}
    if who not in allowed:
        return {403}
    return {200, 201, 404} if cls == "write" else {200}


@pytest.fixture(scope="module")
def apis(server_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[bool, Api]]:
    """The same store served twice: anonymous reading on, and off."""
    work = tmp_path_factory.mktemp("api-auth")
    with running_api(server_dir, work, data=DATA, anonymous_read=True) as on:
        closed = on.settings.with_(anonymous_read=False)
        with LiveServer(create_app(settings=closed)) as srv:
            off = Api(srv.url, on.keys, on.store, on.store_uri, closed, srv)
            yield {True: on, False: off}


def _call(api: Api, who: str, method: str, path: str, kw: dict[str, Any]) -> httpx.Response:
    headers = {}
    if who == "wrong-key":
        headers["Authorization"] = "Bearer scn_this-is-not-a-key"
    elif who != "anonymous":
        headers["Authorization"] = f"Bearer {api.keys[who]}"
    with httpx.Client(base_url=api.url, timeout=60) as c:
        return c.request(method, path, headers=headers, **kw)


@pytest.mark.parametrize("anonymous_read", [True, False], ids=["anon-read-on", "anon-read-off"])
@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize(
    "cls,calls",
    [("read", READS), ("query", QUERY), ("write", WRITES), ("audit", AUDIT)],
    ids=["read", "query", "write", "audit"],
)
def test_auth_matrix(
    apis: dict[bool, Api], anonymous_read: bool, who: str, cls: str, calls: list
) -> None:
    api = apis[anonymous_read]
    want = expected(cls, who, anonymous_read)
    for method, path, kw in calls:
        r = _call(api, who, method, path, kw)
        assert r.status_code in want, (method, path, who, r.status_code, r.text)
        if r.status_code in (401, 403):
            err = r.json()["error"]
            assert err["status"] == r.status_code and err["message"]
        if r.status_code == 401:
            assert r.headers.get("www-authenticate") == "Bearer"


def test_health_needs_no_key(apis: dict[bool, Api]) -> None:
    for api in apis.values():
        assert httpx.get(api.url + "/health").status_code == 200


def test_refused_writes_change_nothing(apis: dict[bool, Api]) -> None:
    api = apis[True]
    before = _call(api, "editor", "GET", "/api/stats", {}).json()
    for who in ("anonymous", "reader", "analyst", "wrong-key"):
        for method, path, kw in WRITES:
            kw = {k: v for k, v in kw.items() if k != "params"}  # real writes, not dry runs
            assert _call(api, who, method, path, kw).status_code in (401, 403)
    assert _call(api, "editor", "GET", "/api/stats", {}).json() == before
    assert _call(api, "editor", "GET", "/api/actors/york", {}).status_code == 404
    audit = _call(api, "editor", "GET", "/api/audit", {}).json()
    assert audit["total"] == 0


def test_messages_say_what_to_do(apis: dict[bool, Api]) -> None:
    r = _call(apis[False], "anonymous", "GET", "/api/actors", {})
    assert "needs an API key" in r.json()["error"]["message"]
    r = _call(apis[True], "reader", "POST", "/api/query", QUERY[0][2])
    assert (
        "analyst role" in r.json()["error"]["message"] and "reader" in r.json()["error"]["message"]
    )
    r = _call(apis[True], "wrong-key", "GET", "/api/actors", {})
    assert "not valid" in r.json()["error"]["message"]


def test_x_api_key_header_and_bad_schemes(apis: dict[bool, Api]) -> None:
    api = apis[False]
    r = httpx.get(api.url + "/api/me", headers={"X-API-Key": api.keys["analyst"]})
    assert r.status_code == 200 and r.json()["role"] == "analyst"
    r = httpx.get(api.url + "/api/me", headers={"Authorization": "Basic dXNlcjpwdw=="})
    assert r.status_code == 401 and "Bearer" in r.json()["error"]["message"]
    # a wrong key never falls back to anonymous reading
    r = httpx.get(apis[True].url + "/api/me", headers={"X-API-Key": "nope"})
    assert r.status_code == 401


def test_revoked_key_stops_working_at_once(
    server_dir: Path, tmp_path: Path, apis: dict[bool, Api]
) -> None:
    api = apis[False]
    ks = KeyStore(api.settings.resolved_keys_file, api.settings.store_id)
    _, secret = ks.add("temp-user", "reader")
    assert httpx.get(api.url + "/api/me", headers={"X-API-Key": secret}).json()["name"] == (
        "temp-user"
    )
    ks.revoke("temp-user")
    assert httpx.get(api.url + "/api/me", headers={"X-API-Key": secret}).status_code == 401


def test_factory_app_fails_closed_without_a_known_host(monkeypatch, tmp_path) -> None:
    """`uvicorn --factory api.app:app_from_env --host 0.0.0.0` must not allow anonymous reads."""
    import httpx

    from api.app import app_from_env
    from api.server import LiveServer

    monkeypatch.delenv("SCN_GRAPH_HOST", raising=False)
    monkeypatch.delenv("SCN_GRAPH_ANONYMOUS_READ", raising=False)
    monkeypatch.setenv("SCN_GRAPH_STORE", f"embedded:{tmp_path / 'db'}?graph=f")
    monkeypatch.setenv("SCN_GRAPH_KEYS_FILE", str(tmp_path / "keys.json"))
    with LiveServer(app_from_env()) as server:
        assert httpx.get(f"{server.url}/api/stats").status_code == 401
    monkeypatch.setenv("SCN_GRAPH_HOST", "127.0.0.1")
    try:
        with LiveServer(app_from_env()) as server:
            assert httpx.get(f"{server.url}/api/stats").status_code == 200
    finally:
        from graph.store.embedded import EmbeddedServer

        EmbeddedServer(tmp_path / "db").stop()
