"""Read queries pipelined on one connection, so the server runs one while the client
decodes the last.

Projecting a million relationships reads one relationship type at a time
(`graph.projection.project`); sent one after the other, the server sat idle while the
client decoded a type's rows and added them to the graph, and the client sat idle
while the server ran the next query (about 6 of the 30 s wall; docs/benchmarks.md,
"Projection and analysis on large graphs"). Here the next query is sent before this
one's reply is read, so the server (another core) runs it meanwhile. At most
`DEPTH` queries are in flight, so at most that many replies are held at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import redis

#: Queries in flight at once: the one being read and the one the server runs meanwhile.
DEPTH = 2


@contextmanager
def pipelined(pool: redis.ConnectionPool) -> Iterator[redis.Connection]:
    """A connection of `pool` for pipelined reads. Given back to the pool only when every
    reply sent for was read; a reader that stops early (an error, a caller that stops
    iterating) leaves replies on it, so it is closed instead and the pool opens another."""
    conn = pool.get_connection()
    done = False
    try:
        yield conn
        done = True
    finally:
        if not done:
            conn.disconnect()
        pool.release(conn)
