"""API keys: stored hashed, per store; the anonymous-read default."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from api.keys import KeyStore
from api.settings import Settings, is_loopback


def test_keys_are_stored_hashed_per_store(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    a = KeyStore(path, "embedded:/x?graph=a")
    b = KeyStore(path, "embedded:/x?graph=b")
    _, secret = a.add("alice", "editor")
    assert secret.startswith("scn_") and len(secret) >= 40
    text = path.read_text()
    assert secret not in text and secret[4:] not in text
    assert json.loads(text)["stores"]["embedded:/x?graph=a"]["keys"]["alice"]["role"] == "editor"
    assert (path.stat().st_mode & 0o777) == 0o600
    assert a.verify(secret).name == "alice"
    assert b.verify(secret) is None  # a key opens only its own store
    assert a.verify(secret + "x") is None and a.verify("") is None
    with pytest.raises(ValueError, match="exists"):
        a.add("alice", "reader")
    with pytest.raises(ValueError, match="role"):
        a.add("bob", "admin")
    with pytest.raises(ValueError, match="name"):
        a.add("bad name!", "reader")
    assert [k.name for k in a.list()] == ["alice"] and b.list() == []
    a.revoke("alice")
    assert a.verify(secret) is None
    with pytest.raises(ValueError, match="no key"):
        a.revoke("alice")


def test_anonymous_read_default_follows_the_host(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SCN_GRAPH_ANONYMOUS_READ", raising=False)
    for host in ("127.0.0.1", "127.0.0.2", "::1", "localhost"):
        assert is_loopback(host)
        assert Settings.from_env(host=host).allows_anonymous_read
    for host in ("0.0.0.0", "::", "192.168.1.10", "example.org"):
        assert not is_loopback(host)
        assert not Settings.from_env(host=host).allows_anonymous_read
    monkeypatch.setenv("SCN_GRAPH_ANONYMOUS_READ", "true")
    assert Settings.from_env(host="0.0.0.0").allows_anonymous_read
    monkeypatch.setenv("SCN_GRAPH_ANONYMOUS_READ", "false")
    assert not Settings.from_env(host="127.0.0.1").allows_anonymous_read
    monkeypatch.setenv("SCN_GRAPH_ANONYMOUS_READ", "perhaps")
    with pytest.raises(ValueError, match="SCN_GRAPH_ANONYMOUS_READ"):
        Settings.from_env()
