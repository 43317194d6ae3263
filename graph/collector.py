"""Pausing Python's cyclic garbage collector around work that makes no cycles.

Building a graph of a million edges, the gap index over it or the text of a table
of 100,000 rows allocates millions of containers that all survive; every collection
the allocations trigger walks them and frees nothing (about a third of the graph's
build on 1M edges, docs/benchmarks.md).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block; the previous state is restored
    after it. Process-wide, so keep the block to the build itself.

    >>> import gc
    >>> with collector_paused():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
