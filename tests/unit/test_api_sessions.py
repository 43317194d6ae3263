"""Key expiry parsing and the session store's rules, on files only (no store or socket)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from api.keys import KeyStore, KeyStoreError, parse_expiry
from api.sessions import SessionStore

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("45s", NOW + dt.timedelta(seconds=45)),
        ("90m", NOW + dt.timedelta(minutes=90)),
        ("12h", NOW + dt.timedelta(hours=12)),
        ("30d", NOW + dt.timedelta(days=30)),
        ("2W", NOW + dt.timedelta(weeks=2)),
        ("2027-01-31", dt.datetime(2027, 1, 31, tzinfo=dt.UTC)),
        ("2027-01-31T18:00", dt.datetime(2027, 1, 31, 18, tzinfo=dt.UTC)),
        ("2027-01-31T18:00+02:00", dt.datetime(2027, 1, 31, 16, tzinfo=dt.UTC)),
        ("2027-01-31T18:00Z", dt.datetime(2027, 1, 31, 18, tzinfo=dt.UTC)),
    ],
)
def test_expiry_accepts_durations_dates_and_times(text: str, expected: dt.datetime) -> None:
    assert parse_expiry(text, NOW) == expected


@pytest.mark.parametrize("text", ["", "soon", "5y", "-3d", "0h", "2026-05-31", "2026-06-01T11:59"])
def test_expiry_refuses_nonsense_and_the_past(text: str) -> None:
    with pytest.raises(KeyStoreError, match="--expires"):
        parse_expiry(text, NOW)


def test_a_key_with_an_expiry_keeps_it_and_says_when_it_is_due(tmp_path: Path) -> None:
    keys = KeyStore(tmp_path / "keys.json", "s")
    key, secret = keys.add("temp", "reader", expires_at=NOW)
    found = keys.verify(secret)
    assert found is not None and found.expires_at == "2026-06-01T12:00:00+00:00"
    assert found.expired(NOW) and not found.expired(NOW - dt.timedelta(seconds=1))
    assert keys.list()[0].to_dict()["expires_at"] == found.expires_at
    assert keys.by_id(key.key_id) == found


def test_a_re_added_key_has_a_new_identity(tmp_path: Path) -> None:
    keys = KeyStore(tmp_path / "keys.json", "s")
    first, _ = keys.add("alice", "reader")
    keys.revoke("alice")
    second, _ = keys.add("alice", "reader")
    assert first.key_id != second.key_id and keys.by_id(first.key_id) is None


def test_sessions_end_at_their_life_or_their_keys_expiry(tmp_path: Path) -> None:
    keys = KeyStore(tmp_path / "keys.json", "s")
    forever, _ = keys.add("a", "reader")
    soon, _ = keys.add("b", "reader", expires_at=NOW + dt.timedelta(minutes=5))
    sessions = SessionStore(tmp_path / "sessions.json", "s", ttl_seconds=3600)
    t = NOW.timestamp()
    token, long = sessions.open(forever, now=t)
    _, short = sessions.open(soon, now=t)
    assert long.expires_at == t + 3600 and short.expires_at == t + 300
    assert sessions.lookup(token) == long and sessions.lookup(token + "x") is None
    assert token not in (tmp_path / "sessions.json").read_text()
    assert (tmp_path / "sessions.json").stat().st_mode & 0o777 == 0o600
    assert sessions.end(token) and sessions.lookup(token) is None and not sessions.end(token)
    assert sessions.end_key(soon.key_id) == 1 and sessions.count() == 0


def test_sign_in_drops_expired_sessions(tmp_path: Path) -> None:
    key, _ = KeyStore(tmp_path / "keys.json", "s").add("a", "reader")
    sessions = SessionStore(tmp_path / "sessions.json", "s", ttl_seconds=10)
    t = NOW.timestamp()
    old, _ = sessions.open(key, now=t)
    sessions.open(key, now=t + 11)
    assert sessions.lookup(old) is None and sessions.count() == 1


def test_session_length_is_configured_in_minutes(monkeypatch: pytest.MonkeyPatch) -> None:
    from api.settings import Settings

    monkeypatch.delenv("SCN_GRAPH_SESSION_MINUTES", raising=False)
    assert Settings.from_env().session_ttl_seconds == 8 * 3600
    monkeypatch.setenv("SCN_GRAPH_SESSION_MINUTES", "15")
    settings = Settings.from_env(keys_file=Path("/k/keys.json"))
    assert settings.session_ttl_seconds == 900
    assert settings.resolved_sessions_file == Path("/k/sessions.json")
