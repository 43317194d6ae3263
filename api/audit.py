"""The audit log: one JSON line per write, appended, never rewritten.

Each entry: `when` (UTC, ISO 8601), `who` (the key's name), `role`, `store`
(the store's URI without secrets), `method`, `path`, `action` (e.g.
`actor.create`, `ingest`) and `summary` (what changed: ids and counts).
Entries are appended with `O_APPEND` under an `flock`, so concurrent
writers — several server workers — never interleave lines. The file lives
beside the keys file (`audit.jsonl`) unless `SCN_GRAPH_AUDIT_FILE` says
otherwise; `GET /api/audit` shows the current store's entries to editors.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
from collections import deque
from pathlib import Path
from typing import Any


class AuditLog:
    def __init__(self, path: Path, store_id: str) -> None:
        self.path = Path(path)
        self.store_id = store_id

    def record(
        self,
        *,
        who: str,
        role: str | None,
        method: str,
        path: str,
        action: str,
        summary: dict[str, Any],
    ) -> dict[str, Any]:
        entry = {
            "when": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
            "who": who,
            "role": role,
            "store": self.store_id,
            "method": method,
            "path": path,
            "action": action,
            "summary": summary,
        }
        line = (json.dumps(entry, ensure_ascii=False, default=str) + "\n").encode()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            os.write(fd, line)
            os.fsync(fd)
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
        return entry

    def entries(self, *, limit: int = 100, offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
        """(total, newest-first page) of this store's entries."""
        keep: deque[dict[str, Any]] = deque(maxlen=offset + limit)
        total = 0
        try:
            with self.path.open(encoding="utf-8") as fh:
                for line in fh:
                    try:
                        entry = json.loads(line)
                    except json.JSONDecodeError:
                        continue  # a torn last line after a crash
                    if not isinstance(entry, dict) or entry.get("store") != self.store_id:
                        continue
                    total += 1
                    keep.append(entry)
        except FileNotFoundError:
            return 0, []
        newest = list(reversed(keep))
        return total, newest[offset : offset + limit]
