"""Where an upload lives while it is read: a private folder inside the data directory.

Each upload gets its own folder, `<data dir>/tmp/upload-<pid>-<random>` (mode
0700, in a `tmp` folder of mode 0700), removed when the request ends whatever
happens. A process killed mid-upload cannot remove its folder, so the app removes,
when it starts, every upload folder whose process is gone (the pid in the name):
the folders of other live workers are left alone.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

log = logging.getLogger("scn_graph.api")

PREFIX = "upload-"
_NAME = re.compile(rf"^{PREFIX}(\d+)-")


def private_dir(path: Path) -> Path:
    """`path` as a folder only its owner may enter (created if need be)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.chmod(0o700)
    return path


@contextlib.contextmanager
def upload_folder(tmp_root: Path) -> Iterator[Path]:
    """A fresh private folder for one upload, removed when the block ends."""
    folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=private_dir(tmp_root)))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def remove_stale_uploads(tmp_root: Path) -> list[str]:
    """Remove the upload folders left by processes that are gone; their names."""
    if not tmp_root.is_dir():
        return []
    removed = []
    for entry in sorted(tmp_root.iterdir()):
        match = _NAME.match(entry.name)
        if match and not _alive(int(match.group(1))):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry.name)
    if removed:
        log.warning("removed %d upload folder(s) left by a stopped server", len(removed))
    return removed
