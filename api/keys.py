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
the file atomically (`api.jsonfile`), so two `keys add` at once lose nothing
and a reader never sees half a file. The server re-reads the file when it
changes, so a revoked key stops working at the next request.

A key may expire (`keys add --expires 30d`, or an ISO date or time; see
`parse_expiry`): `expires_at` is kept in UTC, and an expired key is refused
everywhere with a 401 that says it expired, rather than as "not valid".
Browser sessions (`api.sessions`) name a key by `key_id`, a digest of its
stored hash: it changes when a key is revoked and re-added under the same
name, so a session never outlives the key it was opened with.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from api.jsonfile import JsonFileError, LockedJsonFile, Stamp

ROLES = ("reader", "analyst", "editor")
KEY_PREFIX = "scn_"
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")
FILE_VERSION = 1
_DURATION = re.compile(r"^\s*(\d{1,6})\s*([smhdw])\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800}


class KeyStoreError(ValueError):
    """A key operation that cannot be done (bad name, role, duplicate, unknown name)."""


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class ApiKey:
    name: str
    role: str
    created_at: str
    prefix: str
    #: When the key stops working (ISO 8601, UTC); None: never.
    expires_at: str | None = None
    #: A digest of the stored hash: which key a session belongs to (never shown).
    key_id: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "role": self.role,
            "created_at": self.created_at,
            "expires_at": self.expires_at,
            "prefix": self.prefix,
        }

    @property
    def expires(self) -> dt.datetime | None:
        return dt.datetime.fromisoformat(self.expires_at) if self.expires_at else None

    def expired(self, now: dt.datetime | None = None) -> bool:
        expires = self.expires
        return expires is not None and (now or utc_now()) >= expires


def hash_key(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def key_id(stored_hash: str) -> str:
    return hashlib.sha256(f"scn-key-id:{stored_hash}".encode()).hexdigest()[:32]


def new_secret() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def parse_expiry(text: str, now: dt.datetime | None = None) -> dt.datetime:
    """When a key given `--expires TEXT` stops working (UTC).

    TEXT is a duration from now (`45s`, `90m`, `12h`, `30d`, `2w`), an ISO date
    (`2027-01-31`: the key stops working at 00:00 UTC that day) or an ISO date
    and time (`2027-01-31T18:00`, UTC unless it carries an offset such as
    `+02:00` or `Z`). It must lie in the future.
    """
    now = now or utc_now()
    match = _DURATION.match(text or "")
    if match:
        moment = now + dt.timedelta(seconds=int(match[1]) * _UNIT_SECONDS[match[2].lower()])
    else:
        try:
            moment = dt.datetime.fromisoformat(text.strip())
        except ValueError:
            raise KeyStoreError(
                f"--expires {text!r}: expected a duration (45s, 90m, 12h, 30d, 2w), an ISO "
                "date (2027-01-31) or an ISO date and time (2027-01-31T18:00Z)"
            ) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
    if moment <= now:
        raise KeyStoreError(f"--expires {text!r} is not in the future ({_iso(moment)})")
    return moment.astimezone(dt.UTC)


class KeyStore:
    """The keys of one store, in one JSON file (see the module docstring)."""

    def __init__(self, path: Path, store_id: str) -> None:
        self.path = Path(path)
        self.store_id = store_id
        self._file = LockedJsonFile(self.path, prefix=".keys-")
        self._lock = threading.Lock()
        self._stamp: Stamp = None
        self._by_hash: dict[str, tuple[str, ApiKey]] = {}
        self._by_id: dict[str, ApiKey] = {}

    # -- file ----------------------------------------------------------------
    def _read(self) -> dict[str, Any]:
        try:
            data = self._file.read({"version": FILE_VERSION, "stores": {}})
        except JsonFileError as exc:
            raise KeyStoreError(f"the keys file {exc}") from exc
        if not isinstance(data.get("stores", {}), dict):
            raise KeyStoreError(f"the keys file {self.path} has an unexpected shape")
        data.setdefault("stores", {})
        return data

    def _section(self, data: dict[str, Any]) -> dict[str, Any]:
        section = data["stores"].setdefault(self.store_id, {})
        return section.setdefault("keys", {})

    # -- operations ----------------------------------------------------------------
    def add(
        self, name: str, role: str, *, expires_at: dt.datetime | None = None
    ) -> tuple[ApiKey, str]:
        """Create a key; returns it and the secret, which is shown this once only."""
        if not NAME_PATTERN.match(name or ""):
            raise KeyStoreError(
                f"key name {name!r}: use 1–64 letters, digits, and _ . @ - (e.g. 'alice')"
            )
        if role not in ROLES:
            raise KeyStoreError(f"role {role!r}: expected one of {', '.join(ROLES)}")
        secret = new_secret()
        with self._file.exclusive():
            data = self._read()
            keys = self._section(data)
            if name in keys:
                raise KeyStoreError(
                    f"a key named {name!r} exists; revoke it first or choose another name"
                )
            digest = hash_key(secret)
            key = ApiKey(
                name,
                role,
                _iso(utc_now()),
                secret[: len(KEY_PREFIX) + 4],
                _iso(expires_at) if expires_at else None,
                key_id(digest),
            )
            entry = {k: v for k, v in key.to_dict().items() if v is not None}
            keys[name] = {**entry, "sha256": digest}
            data["version"] = FILE_VERSION
            self._file.write(data)
        return key, secret

    def revoke(self, name: str) -> ApiKey:
        with self._file.exclusive():
            data = self._read()
            keys = self._section(data)
            if name not in keys:
                raise KeyStoreError(f"no key named {name!r} for this store")
            entry = keys.pop(name)
            self._file.write(data)
        return _key(name, entry)

    def entries(self) -> dict[str, dict[str, Any]]:
        """This store's keys as stored (hashes included): what a backup keeps."""
        keys = self._read()["stores"].get(self.store_id, {}).get("keys", {})
        return {name: dict(entry) for name, entry in keys.items() if isinstance(entry, dict)}

    def replace_entries(self, entries: dict[str, dict[str, Any]]) -> None:
        """Make `entries` (from `entries()`, e.g. of a backup) this store's keys; the
        other stores' keys in the file are kept."""
        with self._file.exclusive():
            data = self._read()
            data["stores"].setdefault(self.store_id, {})["keys"] = dict(entries)
            data["version"] = FILE_VERSION
            self._file.write(data)

    def list(self) -> list[ApiKey]:
        keys = self._read()["stores"].get(self.store_id, {}).get("keys", {})
        return sorted((_key(n, e) for n, e in keys.items()), key=lambda k: k.name)

    def verify(self, secret: str) -> ApiKey | None:
        """The key a presented secret belongs to (expired or not), or None."""
        if not secret:
            return None
        self._refresh()
        digest = hash_key(secret)
        found = self._by_hash.get(digest)
        if found is None:
            return None
        stored_hash, key = found
        return key if hmac.compare_digest(stored_hash, digest) else None

    def by_id(self, ident: str) -> ApiKey | None:
        """The key with this `key_id` (expired or not), or None once it is revoked."""
        self._refresh()
        return self._by_id.get(ident)

    def _refresh(self) -> None:
        """Re-read the file when it changed (cheap `stat` per request)."""
        stamp = self._file.stamp()
        if stamp == self._stamp and (stamp is not None or not self._by_hash):
            return
        with self._lock:
            keys = self._read()["stores"].get(self.store_id, {}).get("keys", {}) if stamp else {}
            self._by_hash = {
                e["sha256"]: (e["sha256"], _key(n, e))
                for n, e in keys.items()
                if isinstance(e, dict) and isinstance(e.get("sha256"), str)
            }
            self._by_id = {k.key_id: k for _, k in self._by_hash.values()}
            self._stamp = stamp


def _key(name: str, entry: dict[str, Any]) -> ApiKey:
    expires = entry.get("expires_at")
    stored = entry.get("sha256")
    return ApiKey(
        name=name,
        role=str(entry.get("role", "reader")),
        created_at=str(entry.get("created_at", "")),
        prefix=str(entry.get("prefix", "")),
        expires_at=str(expires) if expires else None,
        key_id=key_id(stored) if isinstance(stored, str) else "",
    )
