"""Losses are never silent: what the embedded server acknowledged, and what came back.

After every committed write the store waits until the server has fsynced its
append-only file (`WAITAOF`), and only then records the graph's generation in
`acknowledged.json` in the data directory (written to a temporary file, fsynced,
renamed). That file lives outside the AOF, so an unclean stop that truncates the AOF
cannot take it back with it.

When a fresh server has loaded its AOF, `check_lost_writes` compares each graph's
generation with the acknowledged one. A graph that came back behind lost its last
write: the finding is kept in `lost-writes.json` until it has been shown by
`scn-graph db start` / `db status` (every time, while this server runs) and, once, on
the standard error of the next command that opens the store.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import redis

from graph.queries.store import GENERATION

ACK_NAME = "acknowledged.json"
NOTICE_NAME = "lost-writes.json"


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_json_durably(path: Path, data: dict[str, Any]) -> None:
    """Replace `path` atomically, and make the new content survive a crash."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, json.dumps(data, indent=1, sort_keys=True).encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _who() -> str:
    """Who made the write, as far as this process knows: user and command."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = f"uid {os.getuid()}"
    command = " ".join(Path(a).name if i == 0 else a for i, a in enumerate(sys.argv[:2]))
    return f"{user} ({command or 'python'}, pid {os.getpid()})"


def record_acknowledged(data_dir: Path, graph: str, generation: int) -> None:
    """Note that `graph` reached `generation` on disk (call after WAITAOF succeeded)."""
    path = data_dir / ACK_NAME
    acks = _read_json(path)
    acks[graph] = {
        "generation": generation,
        "at": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
        "by": _who(),
    }
    _write_json_durably(path, acks)


def _graph_generation(client: redis.Redis, graph: str) -> int:
    try:
        reply = client.execute_command("GRAPH.RO_QUERY", graph, GENERATION.cypher)
    except redis.ResponseError:
        return 0  # the graph is gone entirely
    rows = reply[1] if len(reply) > 1 else []
    value = rows[0][0] if rows and rows[0] else 0
    return int(value or 0)


def check_lost_writes(data_dir: Path, client: redis.Redis) -> list[str]:
    """On a freshly started server: name each acknowledged write that did not come back.

    The finding replaces `lost-writes.json` (removed when nothing was lost), and the
    acknowledged generations are reset to what the graphs hold, so a loss is reported
    for the start that found it, not again at every later start.
    """
    path = data_dir / ACK_NAME
    acks = _read_json(path)
    messages: list[str] = []
    for graph, ack in sorted(acks.items()):
        expected = int(ack.get("generation", 0)) if isinstance(ack, dict) else 0
        found = _graph_generation(client, graph)
        if found < expected:
            messages.append(
                f"the last write to graph {graph!r} (generation {expected}, at {ack.get('at')}, "
                f"by {ack.get('by')}) was lost in an unclean stop: the graph is back at "
                f"generation {found}; load it again"
            )
            acks[graph] = {**ack, "generation": found}
    notice = data_dir / NOTICE_NAME
    if messages:
        _write_json_durably(path, acks)
        _write_json_durably(notice, {"messages": messages, "shown_to_a_command": False})
    else:
        with contextlib.suppress(FileNotFoundError):
            notice.unlink()
    return messages


def lost_writes(data_dir: Path) -> list[str]:
    """What the last start found lost (for `db start` and `db status`)."""
    messages = _read_json(data_dir / NOTICE_NAME).get("messages", [])
    return [str(m) for m in messages] if isinstance(messages, list) else []


def take_lost_writes(data_dir: Path) -> list[str]:
    """The finding, for the first command that opens the store after it; [] later."""
    path = data_dir / NOTICE_NAME
    notice = _read_json(path)
    if not notice or notice.get("shown_to_a_command"):
        return []
    with contextlib.suppress(OSError):
        _write_json_durably(path, {**notice, "shown_to_a_command": True})
    return lost_writes(data_dir)
