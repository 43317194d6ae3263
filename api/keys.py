"""API keys: created once, shown once, stored hashed, per store.

Where: a JSON file, `keys.json` in the data directory (the embedded store's
directory, else the per-user data directory), or `SCN_GRAPH_KEYS_FILE`. Keys
are grouped under the store they open (its URI without secrets), so one file
can serve several stores and a key for one graph opens no other.

Why a file and not `(:ApiKey)` nodes in the graph: keys are not data about
prevention work. In the graph they would be readable through the analysts'
read-only Cypher, wiped by `Store.clear()` and `--replace` loads, written
into exports, and every key change would bump the graph's generation and
throw away the analysis caches. A file with mode 0600 in the data directory
(a volume in docker-compose) has none of these problems, and `scn-graph keys`
works without starting the database.

How: a key is `scn_` + 43 URL-safe characters from `secrets.token_urlsafe(32)`
(256 random bits). Only its SHA-256 is stored. Slow salted hashes (scrypt,
PBKDF2) protect guessable passwords; a 256-bit random token cannot be
guessed, so they would only add cost to every request. Presented keys are hashed and
compared with `hmac.compare_digest`. The first 8 characters are kept as a
`prefix` so a person can tell keys apart in `keys list`.

Writes to the file take an exclusive `flock` on `keys.json.lock` and replace
the file atomically, so two `keys add` at once lose nothing and a reader
never sees half a file. The server re-reads the file when it changes, so a
revoked key stops working at the next request.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import hmac
import json
import os
import re
import secrets
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROLES = ("reader", "analyst", "editor")
KEY_PREFIX = "scn_"
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")
FILE_VERSION = 1


class KeyStoreError(ValueError):
    """A key operation that cannot be done (bad name, role, duplicate, unknown name)."""


@dataclass(frozen=True)
class ApiKey:
    name: str
    role: str
    created_at: str
    prefix: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "role": self.role,
            "created_at": self.created_at,
            "prefix": self.prefix,
        }


def hash_key(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def new_secret() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


class KeyStore:
    """The keys of one store, in one JSON file (see the module docstring)."""

    def __init__(self, path: Path, store_id: str) -> None:
        self.path = Path(path)
        self.store_id = store_id
        self._lock = threading.Lock()
        self._stamp: tuple[int, int, int] | None = None
        self._by_hash: dict[str, tuple[str, ApiKey]] = {}

    # -- file ----------------------------------------------------------------
    def _read(self) -> dict[str, Any]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {"version": FILE_VERSION, "stores": {}}
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise KeyStoreError(
                f"the keys file {self.path} is not valid JSON ({exc}); fix or remove it"
            ) from exc
        if not isinstance(data, dict) or not isinstance(data.get("stores", {}), dict):
            raise KeyStoreError(f"the keys file {self.path} has an unexpected shape")
        data.setdefault("stores", {})
        return data

    def _write(self, data: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".keys-", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, indent=2, sort_keys=True)
                fh.write("\n")
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise

    @contextlib.contextmanager
    def _exclusive(self) -> Iterator[dict[str, Any]]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.path.with_name(self.path.name + ".lock")
        fd = os.open(lock_path, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield self._read()
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def _section(self, data: dict[str, Any]) -> dict[str, Any]:
        section = data["stores"].setdefault(self.store_id, {})
        return section.setdefault("keys", {})

    # -- operations ----------------------------------------------------------------
    def add(self, name: str, role: str) -> tuple[ApiKey, str]:
        """Create a key; returns it and the secret, which is shown this once only."""
        if not NAME_PATTERN.match(name or ""):
            raise KeyStoreError(
                f"key name {name!r}: use 1–64 letters, digits, and _ . @ - (e.g. 'alice')"
            )
        if role not in ROLES:
            raise KeyStoreError(f"role {role!r}: expected one of {', '.join(ROLES)}")
        secret = new_secret()
        with self._exclusive() as data:
            keys = self._section(data)
            if name in keys:
                raise KeyStoreError(
                    f"a key named {name!r} exists; revoke it first or choose another name"
                )
            created = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            key = ApiKey(name, role, created, secret[: len(KEY_PREFIX) + 4])
            keys[name] = {**key.to_dict(), "sha256": hash_key(secret)}
            data["version"] = FILE_VERSION
            self._write(data)
        return key, secret

    def revoke(self, name: str) -> ApiKey:
        with self._exclusive() as data:
            keys = self._section(data)
            if name not in keys:
                raise KeyStoreError(f"no key named {name!r} for this store")
            entry = keys.pop(name)
            self._write(data)
        return _key(name, entry)

    def list(self) -> list[ApiKey]:
        keys = self._read()["stores"].get(self.store_id, {}).get("keys", {})
        return sorted((_key(n, e) for n, e in keys.items()), key=lambda k: k.name)

    def verify(self, secret: str) -> ApiKey | None:
        """The key a presented secret belongs to, or None."""
        if not secret:
            return None
        self._refresh()
        digest = hash_key(secret)
        found = self._by_hash.get(digest)
        if found is None:
            return None
        stored_hash, key = found
        return key if hmac.compare_digest(stored_hash, digest) else None

    def _refresh(self) -> None:
        """Re-read the file when it changed (cheap `stat` per request)."""
        try:
            st = self.path.stat()
            stamp: tuple[int, int, int] | None = (st.st_mtime_ns, st.st_size, st.st_ino)
        except FileNotFoundError:
            stamp = None
        if stamp == self._stamp and (stamp is not None or not self._by_hash):
            return
        with self._lock:
            keys = self._read()["stores"].get(self.store_id, {}).get("keys", {}) if stamp else {}
            self._by_hash = {
                e["sha256"]: (e["sha256"], _key(n, e))
                for n, e in keys.items()
                if isinstance(e, dict) and isinstance(e.get("sha256"), str)
            }
            self._stamp = stamp


def _key(name: str, entry: dict[str, Any]) -> ApiKey:
    return ApiKey(
        name=name,
        role=str(entry.get("role", "reader")),
        created_at=str(entry.get("created_at", "")),
        prefix=str(entry.get("prefix", "")),
    )
