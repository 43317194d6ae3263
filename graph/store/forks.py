"""Keep FalkorDB's forks apart: a GRAPH.COPY never starts while an AOF rewrite runs.

GRAPH.COPY forks the server to dump the graph, and so does an AOF rewrite.
When a copy arrived while a rewrite's child was alive, the server logged
"Can't fork for module: File exists" and hung. So:

* the embedded server runs with automatic AOF rewrites off
  (`auto-aof-rewrite-percentage 0`);
* a copy waits, under a server-wide lock, until no fork of any kind is running
  or scheduled (`INFO persistence`);
* after a write the store itself starts the rewrite Redis would have started
  (the AOF has doubled since the last one and is past the minimum size), under
  the same lock, so it never overlaps a copy.
"""

from __future__ import annotations

import time

import redis

from graph.store.base import StoreBusy

#: The server-wide lock held while a fork is being started (copy or rewrite).
FORK_LOCK = "scn:lock:__forks__"
#: INFO persistence fields that are non-zero while a fork runs or is about to.
_BUSY_FIELDS = (
    "aof_rewrite_in_progress",
    "aof_rewrite_scheduled",
    "rdb_bgsave_in_progress",
    "module_fork_in_progress",
)
#: Like Redis's own rule: rewrite once the AOF has grown by this percentage...
REWRITE_GROWTH_PERCENT = 100
#: ...and is at least this large.
REWRITE_MIN_BYTES = 64 * 1024 * 1024


def fork_running(conn: redis.Redis) -> bool:
    info = conn.info("persistence")
    return any(int(info.get(f, 0) or 0) for f in _BUSY_FIELDS)


def wait_for_no_fork(conn: redis.Redis, limit_s: float) -> None:
    """Return once no fork runs or is scheduled; `StoreBusy` after `limit_s` seconds."""
    deadline = time.monotonic() + limit_s
    delay = 0.01
    while fork_running(conn):
        if time.monotonic() > deadline:
            raise StoreBusy(
                f"the FalkorDB server has been rewriting its append-only file (or saving) "
                f"for over {limit_s:g} s, and a large write must wait for it; try again later"
            )
        time.sleep(delay)
        delay = min(delay * 2, 0.25)


def disable_automatic_rewrites(conn: redis.Redis) -> bool:
    """Turn Redis's own AOF rewrites off; False if the server does not allow it
    (a managed server: its rewrites are then its own business)."""
    try:
        conn.config_set("auto-aof-rewrite-percentage", 0)
    except redis.ResponseError:
        return False
    return True


def rewrite_due(conn: redis.Redis) -> bool:
    """Has the AOF grown enough since its last rewrite for one to be worth it?"""
    info = conn.info("persistence")
    if not int(info.get("aof_enabled", 0) or 0):
        return False
    current = int(info.get("aof_current_size", 0) or 0)
    base = int(info.get("aof_base_size", 0) or 0)
    return current >= REWRITE_MIN_BYTES and current * 100 >= base * (100 + REWRITE_GROWTH_PERCENT)


def start_rewrite(conn: redis.Redis) -> bool:
    """Start an AOF rewrite now; False if another fork is running (try again later)."""
    if fork_running(conn):
        return False
    try:
        conn.bgrewriteaof()
    except redis.ResponseError:
        return False  # one started meanwhile
    return True
