"""What several benchmarks share: a throw-away embedded server, and replacing one
section of docs/benchmarks.md with a run's findings."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from graph.store.embedded import EmbeddedServer

DOCS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


@contextmanager
def scratch_server(prefix: str) -> Iterator[tuple[Path, Path]]:
    """A running embedded server in a new /tmp folder: yields (folder, socket); stopped
    and the folder removed on the way out, whatever happened."""
    server_dir = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    server = EmbeddedServer(server_dir, idle_timeout=0)
    try:
        yield server_dir, server.ensure_running()
    finally:
        server.stop()
        shutil.rmtree(server_dir, ignore_errors=True)


def replace_docs_section(section: str, title: str) -> None:
    """Put `section` in place of the docs section headed `title` (e.g. "## History"), up
    to the next "## " heading; appended at the end when there is none yet."""
    text = DOCS.read_text()
    pattern = re.compile(rf"^{re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(section.rstrip("\n") + "\n\n", text)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    DOCS.write_text(text)
    print(f"wrote the {title[3:]!r} section of {DOCS}")
