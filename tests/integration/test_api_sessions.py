"""Browser sessions from /login, and keys that expire, over real HTTP and the real CLI.

The session cookie is an opaque id the server maps to a key; it holds nothing of
the key, ends at its configured life, with its key (revoked or expired), and at
/logout on the server. Keys made with `keys add --expires` are refused once due.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from api.keys import KeyStore, hash_key
from cli.main import app
from tests.support.api import DATA, Api, running_api

runner = CliRunner()
COOKIE = "scn_session"
TTL = 5.0


@pytest.fixture(scope="module")
def api(server_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    work = tmp_path_factory.mktemp("api-sessions")
    with running_api(
        server_dir,
        work,
        data=DATA,
        anonymous_read=False,
        session_ttl_seconds=TTL,
        session_max_per_key=3,
        session_max_total=5,
    ) as running:
        yield running


@pytest.fixture
def cli_env(api: Api, monkeypatch: pytest.MonkeyPatch) -> Api:
    """The CLI pointed at the running server's store and keys file."""
    monkeypatch.setenv("SCN_GRAPH_KEYS_FILE", str(api.settings.resolved_keys_file))
    monkeypatch.setenv("SCN_GRAPH_STORE", api.store_uri)
    return api


def new_key(api: Api, role: str = "reader", **kw: object) -> tuple[str, str]:
    name = f"s-{uuid.uuid4().hex[:8]}"
    ks = KeyStore(api.settings.resolved_keys_file, api.settings.store_id)
    return name, ks.add(name, role, **kw)[1]  # type: ignore[arg-type]


def sign_in(api: Api, secret: str) -> httpx.Response:
    r = httpx.post(f"{api.url}/login", data={"key": secret, "next": "/report"})
    assert r.status_code == 303, r.text
    return r


def cookie_of(r: httpx.Response) -> str:
    return r.cookies[COOKIE]


def read_with(api: Api, cookie: str) -> httpx.Response:
    """A read sending exactly this cookie, as a kept copy of it would be sent."""
    return httpx.get(f"{api.url}/api/me", headers={"Cookie": f"{COOKIE}={cookie}"})


def test_the_cookie_holds_nothing_of_the_key(api: Api) -> None:
    secret = api.keys["analyst"]
    r = sign_in(api, secret)
    header = r.headers["set-cookie"]
    value = cookie_of(r)
    assert "scn_key" not in header
    pieces = {secret, secret.removeprefix("scn_"), hash_key(secret), hash_key(secret)[:16]}
    assert not any(p in header for p in pieces), header
    assert not any(secret[i : i + 8] in value for i in range(len(secret) - 7))
    attrs = {a.strip().split("=")[0].lower() for a in header.split(";")}
    assert {"httponly", "path", "max-age"} <= attrs and "samesite=strict" in header.lower()
    # the server-side record keeps neither the cookie nor the key
    stored = api.settings.resolved_sessions_file.read_text()
    assert value not in stored and secret not in stored
    me = read_with(api, value)
    assert me.status_code == 200 and me.json()["role"] == "analyst"


def test_a_session_expires_at_its_configured_life(api: Api) -> None:
    cookie = cookie_of(sign_in(api, api.keys["reader"]))
    assert read_with(api, cookie).status_code == 200
    time.sleep(TTL + 0.5)
    r = read_with(api, cookie)
    assert r.status_code == 401
    assert "session expired" in r.json()["error"]["message"]
    assert f"{COOKIE}=" in r.headers.get("set-cookie", "")  # the browser is told to drop it


def test_logout_ends_the_session_on_the_server(api: Api) -> None:
    cookie = cookie_of(sign_in(api, api.keys["reader"]))
    assert read_with(api, cookie).status_code == 200
    out = httpx.post(f"{api.url}/logout", headers={"Cookie": f"{COOKIE}={cookie}"})
    assert out.status_code == 303
    r = read_with(api, cookie)  # a copy of the old cookie, kept after logout
    assert r.status_code == 401 and "sign in again" in r.json()["error"]["message"]


def test_revoking_the_key_ends_its_sessions(cli_env: Api) -> None:
    api = cli_env
    name, secret = new_key(api)
    cookie = cookie_of(sign_in(api, secret))
    assert read_with(api, cookie).status_code == 200
    r = runner.invoke(app, ["keys", "revoke", name])
    assert r.exit_code == 0 and "ended 1 browser session" in r.stdout, r.output
    refused = read_with(api, cookie)
    assert refused.status_code == 401
    assert "sign in again" in refused.json()["error"]["message"]
    # a new key under the same name does not revive the old key's session
    KeyStore(api.settings.resolved_keys_file, api.settings.store_id).add(name, "editor")
    assert read_with(api, cookie).status_code == 401


def test_revocation_is_enforced_even_when_the_sessions_file_is_not_touched(api: Api) -> None:
    name, secret = new_key(api)
    cookie = cookie_of(sign_in(api, secret))
    KeyStore(api.settings.resolved_keys_file, api.settings.store_id).revoke(name)
    r = read_with(api, cookie)
    assert r.status_code == 401 and "was revoked" in r.json()["error"]["message"]


def test_sessions_are_bounded_per_key_and_in_all(api: Api) -> None:
    _, first = new_key(api)
    _, second = new_key(api)
    mine = [cookie_of(sign_in(api, first)) for _ in range(4)]
    # at most 3 per key: the oldest of four ended
    assert [read_with(api, c).status_code for c in mine] == [401, 200, 200, 200]
    theirs = [cookie_of(sign_in(api, second)) for _ in range(3)]
    # at most 5 in all: the oldest (of any key) made room for the newest
    assert [read_with(api, c).status_code for c in mine[1:] + theirs] == [401] + [200] * 5
    data = json.loads(api.settings.resolved_sessions_file.read_text())
    assert len(data["stores"][api.settings.store_id]["sessions"]) <= 5


def test_an_expired_key_is_refused_everywhere_with_a_message(cli_env: Api) -> None:
    api = cli_env
    name = f"short-{uuid.uuid4().hex[:6]}"
    r = runner.invoke(app, ["keys", "add", name, "--role", "reader", "--expires", "6s"])
    assert r.exit_code == 0, r.output
    secret = r.stdout.strip().splitlines()[0]
    header = {"Authorization": f"Bearer {secret}"}
    assert httpx.get(f"{api.url}/api/me", headers=header).status_code == 200
    cookie = cookie_of(sign_in(api, secret))
    assert read_with(api, cookie).status_code == 200
    time.sleep(6.5)
    for r in (
        httpx.get(f"{api.url}/api/me", headers=header),
        httpx.get(f"{api.url}/api/me", headers={"X-API-Key": secret}),
        read_with(api, cookie),
    ):
        assert r.status_code == 401
        message = r.json()["error"]["message"]
        assert f"the API key {name!r} expired at" in message, message
    page = httpx.post(f"{api.url}/login", data={"key": secret})
    assert page.status_code == 401 and "expired at" in page.text
    assert COOKIE not in page.headers.get("set-cookie", "")


def test_keys_add_expires_is_listed(cli_env: Api) -> None:
    name = f"day-{uuid.uuid4().hex[:6]}"
    before = dt.datetime.now(dt.UTC)
    r = runner.invoke(app, ["keys", "add", name, "--role", "analyst", "--expires", "1d"])
    assert r.exit_code == 0, r.output
    assert "expires" in r.stderr
    listed = {
        k["name"]: k for k in json.loads(runner.invoke(app, ["keys", "list", "-f", "json"]).stdout)
    }
    expires = dt.datetime.fromisoformat(listed[name]["expires_at"])
    assert dt.timedelta(hours=23, minutes=59) < expires - before < dt.timedelta(days=1, minutes=1)
    assert listed[name]["expired"] is False
    assert any(k["expires_at"] is None for k in listed.values())
    table = runner.invoke(app, ["keys", "list"]).stdout
    assert listed[name]["expires_at"] in table and "never" in table

    r = runner.invoke(
        app, ["keys", "add", f"{name}-d", "--role", "reader", "--expires", "2099-01-31"]
    )
    assert r.exit_code == 0, r.output
    for bad in ("yesterday", "2001-01-01", "0d", "5y"):
        r = runner.invoke(app, ["keys", "add", f"{name}-x", "--role", "reader", "--expires", bad])
        assert r.exit_code == 2 and "--expires" in r.stderr, (bad, r.output)


def test_an_unreadable_sessions_file_is_a_clear_503_not_a_crash(api: Api) -> None:
    cookie = cookie_of(sign_in(api, api.keys["reader"]))
    path = api.settings.resolved_sessions_file
    kept = path.read_text()
    try:
        path.write_text("{ not json")
        r = read_with(api, cookie)
        assert r.status_code == 503, r.text
        assert "sessions file is unusable" in r.json()["error"]["message"]
        assert str(path) not in r.text  # the server's paths stay in its log
    finally:
        path.write_text(kept)
    assert read_with(api, cookie_of(sign_in(api, api.keys["reader"]))).status_code == 200
