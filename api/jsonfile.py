"""A small JSON file shared by processes: locked writes, atomic replace, cheap change checks.

The keys file and the sessions file both need the same three things: two
writers at once (two `keys add`, two workers signing people in) must lose
nothing, so writes take an exclusive `flock` on `<file>.lock`; a reader must
never see half a file, so a write goes to a temporary file in the same
directory (mode 0600, fsynced) that replaces the old one atomically; and a
server must notice another process's change at once without re-reading the
file on every request, so `stamp()` is one `stat`.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

#: What changes when the file is replaced: (mtime, size, inode); None when it is absent.
Stamp = tuple[int, int, int] | None


class JsonFileError(ValueError):
    """The file exists but is not the JSON object expected."""


class LockedJsonFile:
    """One JSON object in one file (see the module docstring)."""

    def __init__(self, path: Path, *, prefix: str) -> None:
        self.path = Path(path)
        self._prefix = prefix

    def stamp(self) -> Stamp:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def read(self, empty: dict[str, Any]) -> dict[str, Any]:
        """The object in the file, or `empty` when there is no file yet."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return empty
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise JsonFileError(f"{self.path} is not valid JSON ({exc}); fix or remove it") from exc
        if not isinstance(data, dict):
            raise JsonFileError(f"{self.path} has an unexpected shape")
        return data

    def write(self, data: dict[str, Any]) -> None:
        """Replace the file with `data` atomically (call it inside `exclusive()`)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=self._prefix, dir=self.path.parent)
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
    def exclusive(self) -> Iterator[None]:
        """Hold the file's lock: read, change and `write` inside it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.path.with_name(self.path.name + ".lock")
        fd = os.open(lock_path, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
