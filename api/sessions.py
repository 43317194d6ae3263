"""Browser sessions opened by `/login`: an opaque id in the cookie, the rest on the server.

Why: the cookie used to be the API key itself, so anything that read a
browser's cookies (a shared machine, a stolen profile) had the key for as
long as the key lived. Now the cookie carries only a random session id
(`secrets.token_urlsafe(32)`, 256 bits) that says nothing about the key;
the server keeps, per session, the `key_id` of the key it was opened with
and when it ends.

Where: `sessions.json` beside the keys file (mode 0600; the same locked,
atomically replaced JSON file as the keys, see `api.jsonfile`), grouped by
store like the keys. Only the SHA-256 of each session id is stored, so the
file opens no session either. Sessions survive what keys survive: a server
restart keeps people signed in, and all workers of `serve --workers N`
share them.

Rules:
- **Fixed expiry**: a session ends `session_ttl_seconds` after sign-in
  (default 8 hours, `SCN_GRAPH_SESSION_MINUTES`), or when its key expires,
  whichever comes first. It does not slide with use: extending it would
  mean a file write per page view, and a fixed end is easier to reason about.
- **Revoked with the key**: every request checks that the session's key still
  exists and has not expired, so revoking or expiring a key ends its
  sessions at the next request; `keys revoke` also deletes them from the file.
- **`/logout` ends the session on the server**: the old cookie is refused
  afterwards even if a copy of it was kept.
- **Bounded**: at most `session_max_per_key` sessions per key (default 10)
  and `session_max_total` in all (default 10 000); a new sign-in beyond either
  ends the oldest session. Expired sessions are dropped at every sign-in. Only
  a valid key can open a session, so anonymous callers cannot fill the file.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from api.jsonfile import JsonFileError, LockedJsonFile, Stamp
from api.keys import ApiKey
from api.settings import Settings

FILE_VERSION = 1


class SessionStoreError(ValueError):
    """The sessions file cannot be used (the message names it)."""


@dataclass(frozen=True)
class Session:
    key_id: str
    key_name: str
    created_at: float
    expires_at: float

    def expired(self, now: float | None = None) -> bool:
        return (time.time() if now is None else now) >= self.expires_at


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class SessionStore:
    """The sign-in sessions of one store (see the module docstring)."""

    def __init__(
        self,
        path: Path,
        store_id: str,
        *,
        ttl_seconds: float = 8 * 3600,
        max_per_key: int = 10,
        max_total: int = 10_000,
    ) -> None:
        self.path = Path(path)
        self.store_id = store_id
        self.ttl_seconds = ttl_seconds
        self.max_per_key = max_per_key
        self.max_total = max_total
        self._file = LockedJsonFile(self.path, prefix=".sessions-")
        self._lock = threading.Lock()
        self._stamp: Stamp = None
        self._by_hash: dict[str, Session] = {}

    # -- file ----------------------------------------------------------------
    def _read(self) -> dict[str, Any]:
        try:
            data = self._file.read({"version": FILE_VERSION, "stores": {}})
        except JsonFileError as exc:
            raise SessionStoreError(f"the sessions file {exc}") from exc
        if not isinstance(data.get("stores", {}), dict):
            raise SessionStoreError(f"the sessions file {self.path} has an unexpected shape")
        data.setdefault("stores", {})
        return data

    def _section(self, data: dict[str, Any]) -> dict[str, Any]:
        section = data["stores"].setdefault(self.store_id, {})
        sessions = section.setdefault("sessions", {})
        if not isinstance(sessions, dict):
            raise SessionStoreError(f"the sessions file {self.path} has an unexpected shape")
        return sessions

    def _change(self, edit: Any) -> Any:
        """Apply `edit(sessions)` to this store's sessions under the file lock."""
        with self._file.exclusive():
            data = self._read()
            result = edit(self._section(data))
            data["version"] = FILE_VERSION
            self._file.write(data)
        return result

    # -- operations ----------------------------------------------------------------
    def open(self, key: ApiKey, now: float | None = None) -> tuple[str, Session]:
        """A new session for `key`; returns the id for the cookie (never stored) and it."""
        now = time.time() if now is None else now
        ends = now + self.ttl_seconds
        if key.expires is not None:
            ends = min(ends, key.expires.timestamp())
        token = secrets.token_urlsafe(32)
        session = Session(key.key_id, key.name, now, ends)

        def edit(sessions: dict[str, Any]) -> None:
            for h in [h for h, e in sessions.items() if _entry(e).expired(now)]:
                del sessions[h]
            _drop_oldest(sessions, self.max_per_key - 1, key_id=key.key_id)
            _drop_oldest(sessions, self.max_total - 1)
            sessions[_digest(token)] = {
                "key_id": session.key_id,
                "key": session.key_name,
                "created_at": session.created_at,
                "expires_at": session.expires_at,
            }

        self._change(edit)
        return token, session

    def lookup(self, token: str) -> Session | None:
        """The session a cookie names (expired or not), or None: unknown or ended."""
        if not token:
            return None
        self._refresh()
        # Looked up by the SHA-256 of the id, so lookup time says nothing about stored ids.
        return self._by_hash.get(_digest(token))

    def end(self, token: str) -> bool:
        """End one session (`/logout`); True when it existed."""
        digest = _digest(token)
        return bool(self._change(lambda sessions: sessions.pop(digest, None) is not None))

    def end_key(self, ident: str) -> int:
        """End every session of the key with this `key_id` (`keys revoke`); how many."""

        def edit(sessions: dict[str, Any]) -> int:
            gone = [h for h, e in sessions.items() if _entry(e).key_id == ident]
            for h in gone:
                del sessions[h]
            return len(gone)

        return int(self._change(edit))

    def count(self) -> int:
        self._refresh()
        return len(self._by_hash)

    def _refresh(self) -> None:
        """Re-read the file when another process (or this one) changed it."""
        stamp = self._file.stamp()
        if stamp == self._stamp and (stamp is not None or not self._by_hash):
            return
        with self._lock:
            data = self._read() if stamp else {"stores": {}}
            entries = data["stores"].get(self.store_id, {}).get("sessions", {})
            self._by_hash = {
                h: _entry(e) for h, e in entries.items() if isinstance(e, dict) and e.get("key_id")
            }
            self._stamp = stamp


def _entry(e: dict[str, Any]) -> Session:
    return Session(
        key_id=str(e.get("key_id", "")),
        key_name=str(e.get("key", "")),
        created_at=float(e.get("created_at", 0)),
        expires_at=float(e.get("expires_at", 0)),
    )


def _drop_oldest(sessions: dict[str, Any], keep: int, *, key_id: str | None = None) -> None:
    """Delete the oldest sessions (of one key, or of all) until at most `keep` remain."""
    mine = [h for h, e in sessions.items() if key_id is None or _entry(e).key_id == key_id]
    mine.sort(key=lambda h: _entry(sessions[h]).created_at)
    for h in mine[: max(0, len(mine) - max(keep, 0))]:
        del sessions[h]


def session_store(settings: Settings) -> SessionStore:
    """The sessions of the store `settings` open, with their configured limits."""
    return SessionStore(
        settings.resolved_sessions_file,
        settings.store_id,
        ttl_seconds=settings.session_ttl_seconds,
        max_per_key=settings.session_max_per_key,
        max_total=settings.session_max_total,
    )
