"""Server settings: from arguments, else the environment, else defaults.

| setting | environment | default |
|---|---|---|
| store URI | `SCN_GRAPH_STORE` | the embedded store in the per-user data directory |
| host the server listens on | (set by `scn-graph serve --host`) | 127.0.0.1 |
| anonymous read access | `SCN_GRAPH_ANONYMOUS_READ` (true/false) | true only on a loopback host |
| API keys file | `SCN_GRAPH_KEYS_FILE` | `keys.json` in the data directory |
| audit log | `SCN_GRAPH_AUDIT_FILE` | `audit.jsonl` beside the keys file |
| Cypher row cap | `SCN_GRAPH_QUERY_ROW_CAP` | 1000 |
| Cypher time limit | `SCN_GRAPH_QUERY_TIMEOUT_MS` | 10 000 ms |
| longest time limit a caller may ask | `SCN_GRAPH_QUERY_MAX_TIMEOUT_MS` | 60 000 ms |
| Cypher queries running at once (per API process) | `SCN_GRAPH_QUERY_CONCURRENCY` | 2 |
| largest Cypher answer | `SCN_GRAPH_QUERY_MAX_RESPONSE_MB` | 16 |
| largest upload (and input file of the CLI) | `SCN_GRAPH_UPLOAD_MAX_MB` | 20 |
| a workbook's unpacked size (half of it per part) | `SCN_GRAPH_XLSX_MAX_UNPACKED_MB` | 100 |
| a workbook part's unpacked : packed ratio | `SCN_GRAPH_XLSX_MAX_RATIO` | 200 |
| rows of one sheet or CSV file | `SCN_GRAPH_MAX_ROWS` | 100 000 |
| largest request body other than an upload | `SCN_GRAPH_REQUEST_MAX_KB` | 1024 |
| browser session length (`/login`) | `SCN_GRAPH_SESSION_MINUTES` | 480 (8 hours) |
| sessions file | (beside the keys file) | `sessions.json` |

Anonymous reading defaults to on only when the server listens on a loopback
address (127.0.0.0/8, ::1, localhost): a server reachable from other
machines needs a key for everything unless `SCN_GRAPH_ANONYMOUS_READ=true`
says otherwise. Writes always need an editor key, whatever the setting.

The upload limits are `ingest.limits`' (the CLI applies the same ones to the
files it reads); request bodies are counted as they arrive (`api.body_limit`).
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, replace
from pathlib import Path

from graph.store.embedded import default_data_dir
from graph.store.uri import parse_store_uri
from ingest.limits import InputLimits

ENV_STORE = "SCN_GRAPH_STORE"
ENV_ANONYMOUS_READ = "SCN_GRAPH_ANONYMOUS_READ"
ENV_KEYS_FILE = "SCN_GRAPH_KEYS_FILE"
ENV_AUDIT_FILE = "SCN_GRAPH_AUDIT_FILE"
ENV_ROW_CAP = "SCN_GRAPH_QUERY_ROW_CAP"
ENV_TIMEOUT = "SCN_GRAPH_QUERY_TIMEOUT_MS"
ENV_MAX_TIMEOUT = "SCN_GRAPH_QUERY_MAX_TIMEOUT_MS"
ENV_QUERY_CONCURRENCY = "SCN_GRAPH_QUERY_CONCURRENCY"
ENV_QUERY_RESPONSE_MB = "SCN_GRAPH_QUERY_MAX_RESPONSE_MB"
ENV_UPLOAD_MB = "SCN_GRAPH_UPLOAD_MAX_MB"
ENV_REQUEST_KB = "SCN_GRAPH_REQUEST_MAX_KB"
ENV_HOST = "SCN_GRAPH_HOST"
ENV_SESSION_MINUTES = "SCN_GRAPH_SESSION_MINUTES"

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class SettingsError(ValueError):
    """A setting has a value that cannot be used; the message names it."""


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    h = host.strip().strip("[]").lower()
    if h in ("localhost", "localhost.localdomain", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(h).is_loopback
    except ValueError:
        return False


def parse_bool(name: str, value: str) -> bool:
    v = value.strip().lower()
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    raise SettingsError(f"{name}={value!r}: expected true or false")


def _int_env(name: str, default: int, *, minimum: int = 1) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r}: expected a whole number") from None
    if value < minimum:
        raise SettingsError(f"{name}={raw!r}: must be at least {minimum}")
    return value


def _upload_limits() -> dict[str, int]:
    """The upload settings from the environment (`ingest.limits` reads them)."""
    try:
        limits = InputLimits.from_env()
    except ValueError as exc:
        raise SettingsError(str(exc)) from None
    return {
        "upload_max_bytes": limits.max_file_bytes,
        "upload_max_unpacked_bytes": limits.max_unpacked_bytes,
        "upload_max_ratio": limits.max_ratio,
        "upload_max_rows": limits.max_rows,
    }


@dataclass(frozen=True)
class Settings:
    store_uri: str | None = None
    host: str = "127.0.0.1"
    #: None = decide from `host` (on for loopback only).
    anonymous_read: bool | None = None
    keys_file: Path | None = None
    audit_file: Path | None = None
    query_row_cap: int = 1000
    query_timeout_ms: int = 10_000
    query_max_timeout_ms: int = 60_000
    #: Analyst queries running at once in this process; more get 429.
    query_concurrency: int = 2
    #: Largest answer of POST /api/query (its rows as JSON); past it rows are cut.
    query_max_response_bytes: int = 16 * 1024 * 1024
    # -- uploads and request bodies (the file limits are `ingest.limits.InputLimits`) --
    upload_max_bytes: int = InputLimits.max_file_bytes
    upload_max_unpacked_bytes: int = InputLimits.max_unpacked_bytes
    upload_max_ratio: int = InputLimits.max_ratio
    upload_max_rows: int = InputLimits.max_rows
    request_max_bytes: int = 1024 * 1024
    #: Cached analysis results kept (gaps, metrics, recommendations, projections).
    cache_entries: int = 256
    #: How long a browser session from `/login` lasts (fixed, not sliding; api.sessions).
    session_ttl_seconds: float = 8 * 3600
    #: Sessions kept per key and in all; a sign-in beyond either ends the oldest.
    session_max_per_key: int = 10
    session_max_total: int = 10_000
    #: Mount the pages (`viz.routes`) when the viz package is importable.
    mount_pages: bool = True

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Settings from the environment; keyword arguments win over it."""
        env_anon = os.environ.get(ENV_ANONYMOUS_READ)
        values: dict[str, object] = {
            "store_uri": os.environ.get(ENV_STORE) or None,
            "host": os.environ.get(ENV_HOST) or "127.0.0.1",
            "anonymous_read": (
                parse_bool(ENV_ANONYMOUS_READ, env_anon)
                if env_anon is not None and env_anon.strip()
                else None
            ),
            "keys_file": Path(os.environ[ENV_KEYS_FILE]).expanduser()
            if os.environ.get(ENV_KEYS_FILE)
            else None,
            "audit_file": Path(os.environ[ENV_AUDIT_FILE]).expanduser()
            if os.environ.get(ENV_AUDIT_FILE)
            else None,
            "query_row_cap": _int_env(ENV_ROW_CAP, 1000),
            "query_timeout_ms": _int_env(ENV_TIMEOUT, 10_000),
            "query_max_timeout_ms": _int_env(ENV_MAX_TIMEOUT, 60_000),
            "query_concurrency": _int_env(ENV_QUERY_CONCURRENCY, 2),
            "query_max_response_bytes": _int_env(ENV_QUERY_RESPONSE_MB, 16) * 1024 * 1024,
            **_upload_limits(),
            "request_max_bytes": _int_env(ENV_REQUEST_KB, 1024) * 1024,
            "session_ttl_seconds": _int_env(ENV_SESSION_MINUTES, 480) * 60,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]

    def with_(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]

    # -- derived -----------------------------------------------------------------
    @property
    def input_limits(self) -> InputLimits:
        """The limits an uploaded file is held to (the CLI's, from these settings)."""
        return InputLimits(
            max_file_bytes=self.upload_max_bytes,
            max_unpacked_bytes=self.upload_max_unpacked_bytes,
            max_ratio=self.upload_max_ratio,
            max_rows=self.upload_max_rows,
        )

    @property
    def upload_tmp_dir(self) -> Path:
        """Where uploads are unpacked while they are read: inside the data directory."""
        return self.data_dir / "tmp"

    @property
    def allows_anonymous_read(self) -> bool:
        if self.anonymous_read is not None:
            return self.anonymous_read
        return is_loopback(self.host)

    @property
    def store_id(self) -> str:
        """The store's URI without secrets: keys and audit entries are kept per store."""
        return parse_store_uri(self.store_uri, default_dir=default_data_dir()).display()

    @property
    def data_dir(self) -> Path:
        addr = parse_store_uri(self.store_uri, default_dir=default_data_dir())
        return addr.path if addr.engine == "embedded" and addr.path else default_data_dir()

    @property
    def resolved_keys_file(self) -> Path:
        return Path(self.keys_file) if self.keys_file else self.data_dir / "keys.json"

    @property
    def resolved_sessions_file(self) -> Path:
        return self.resolved_keys_file.with_name("sessions.json")

    @property
    def resolved_audit_file(self) -> Path:
        if self.audit_file:
            return Path(self.audit_file)
        return self.resolved_keys_file.with_name("audit.jsonl")
