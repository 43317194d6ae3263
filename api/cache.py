"""Cached analysis results, invalidated by any write.

Gap findings, structure metrics, recommendations and the networkx
projections they are computed from are cached under
`(store generation, visibility, what, parameters)`. The store's generation
changes on every committed write — through the API, the CLI or another
process — so a result computed before a write is never served after it: each
request reads the generation (one indexed lookup) and entries of older
generations are dropped. Writes through the API also clear the cache at once.

Visibility (whether confidential relationships are included) is part of the
key, so a reader can never be served a result computed for an analyst.

Concurrent requests for the same missing entry compute it once: the others
wait for the first (single flight), which matters when 32 clients ask for
the gap list right after a write.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class ResultCache:
    def __init__(self, max_entries: int = 256) -> None:
        self.max_entries = max_entries
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._inflight: dict[Hashable, threading.Lock] = {}
        self._generation: int | None = None
        self.hits = 0
        self.misses = 0

    def _note_generation(self, generation: int) -> None:
        """Drop every entry of another generation (caller holds the lock)."""
        if generation != self._generation:
            self._data.clear()
            self._generation = generation

    def get_or_compute(self, generation: int, key: Hashable, compute: Callable[[], T]) -> T:
        full = (generation, key)
        with self._lock:
            self._note_generation(generation)
            if full in self._data:
                self._data.move_to_end(full)
                self.hits += 1
                return self._data[full]  # type: ignore[no-any-return]
            flight = self._inflight.setdefault(full, threading.Lock())
        with flight:
            try:
                with self._lock:
                    if full in self._data:
                        self.hits += 1
                        return self._data[full]  # type: ignore[no-any-return]
                self.misses += 1
                value = compute()
                with self._lock:
                    if self._generation == generation:
                        self._data[full] = value
                        while len(self._data) > self.max_entries:
                            self._data.popitem(last=False)
                return value
            finally:
                with self._lock:
                    self._inflight.pop(full, None)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self._generation = None

    def __len__(self) -> int:
        return len(self._data)
