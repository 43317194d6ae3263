"""Analysis results cached per store generation, so a write invalidates them.

Gap findings, structure metrics, recommendations and the networkx
projections they are computed from (`graph.analysis.service`) are cached
under `(store generation, (what, visibility, basis, parameters))`. The store's
generation changes on every committed write — through the API, the CLI or
another process — and each lookup reads it (one indexed query), so a result
computed before a write is never served after it. The API also clears the
cache at once after its own writes.

Visibility (whether confidential relationships are included) and the evidence
basis (`any`, or `stated` records only) are part of the key, so a reader can
never be served a result computed for an analyst, nor a stated-only answer one
computed with inferred records.

Entries are grouped by generation and only the two generations used most
recently are kept: a request that read the generation just before a write
still finishes with its own (consistent) results without throwing away the
new generation's. Within a generation, the expensive results (projections,
all findings) are *pinned* — kept until their generation goes — and the many
cheap ones (one actor's recommendations, a filtered gap list) are evicted
least-recently-used beyond `max_entries`.

Concurrent requests for the same missing entry compute it once: the others
wait for the first (single flight), which matters when 32 clients ask for
the gap list right after a write.

`settled` takes big long-lived results out of the cyclic garbage collector's
reach (a server's concern; a one-shot command has no use for it).
"""

from __future__ import annotations

import gc
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")

#: Generations kept at once (the current one and the one just before it).
GENERATIONS_KEPT = 2

#: Projections at least this big (and their findings) are worth freezing out of the
#: cyclic GC when they are kept for long (see `settled`); below it scanning costs little.
SETTLE_MIN_NODES = 2000


@dataclass
class _Generation:
    pinned: dict[Hashable, Any] = field(default_factory=dict)
    lru: OrderedDict[Hashable, Any] = field(default_factory=OrderedDict)

    def get(self, key: Hashable) -> tuple[bool, Any]:
        if key in self.pinned:
            return True, self.pinned[key]
        if key in self.lru:
            self.lru.move_to_end(key)
            return True, self.lru[key]
        return False, None

    def __len__(self) -> int:
        return len(self.pinned) + len(self.lru)


class ResultCache:
    def __init__(self, max_entries: int = 256) -> None:
        self.max_entries = max_entries
        self._gens: OrderedDict[int, _Generation] = OrderedDict()
        self._lock = threading.Lock()
        self._inflight: dict[tuple[int, Hashable], threading.Lock] = {}
        self.hits = 0
        self.misses = 0

    def _generation(self, generation: int) -> _Generation:
        """The entries of `generation`, made most recent (caller holds the lock)."""
        gen = self._gens.get(generation)
        if gen is None:
            gen = self._gens[generation] = _Generation()
            while len(self._gens) > GENERATIONS_KEPT:
                self._gens.popitem(last=False)
        self._gens.move_to_end(generation)
        return gen

    def get_or_compute(
        self, generation: int, key: Hashable, compute: Callable[[], T], *, pinned: bool = False
    ) -> T:
        full = (generation, key)
        with self._lock:
            found, value = self._generation(generation).get(key)
            if found:
                self.hits += 1
                return value  # type: ignore[no-any-return]
            flight = self._inflight.setdefault(full, threading.Lock())
        with flight:
            try:
                with self._lock:
                    found, value = self._generation(generation).get(key)
                    if found:
                        self.hits += 1
                        return value  # type: ignore[no-any-return]
                self.misses += 1
                value = compute()
                with self._lock:
                    gen = self._gens.get(generation)
                    if gen is not None:  # not dropped (by a clear or newer generations)
                        if pinned:
                            gen.pinned[key] = value
                        else:
                            gen.lru[key] = value
                            while len(gen.lru) > self.max_entries:
                                gen.lru.popitem(last=False)
                return value
            finally:
                with self._lock:
                    self._inflight.pop(full, None)

    def peek(self, generation: int, key: Hashable) -> Any:
        """The cached value, or None; never computes."""
        with self._lock:
            gen = self._gens.get(generation)
            return None if gen is None else gen.get(key)[1]

    def clear(self) -> None:
        with self._lock:
            self._gens.clear()

    def __len__(self) -> int:
        return sum(len(g) for g in self._gens.values())


def settled(value: T) -> T:
    """Exempt the long-lived cached results from the cyclic garbage collector.

    A cached projection and its findings are a few hundred thousand objects per
    visibility on the twin-cities graph; every full collection walked them all,
    and under load 23 full collections in a benchmark run stopped the server for
    4.2 s in all (up to 0.29 s each), which was most of the p95/p99 latency.
    After such a result is built: unfreeze what an earlier call froze (so the
    previous generation's cyclic garbage can go), collect once, and freeze what
    is alive. Frozen objects are still freed by reference counting.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    return value
