"""Analysis results cached per store generation, served stale while the next is computed.

Gap findings, structure metrics, recommendations and the networkx
projections they are computed from (`graph.analysis.service`) are cached
under `(store generation, (what, visibility, basis, parameters))`. The store's
generation changes on every committed write — through the API, the CLI or
another process — and each lookup reads it (one indexed query), so a result
is always labelled with the generation it describes.

Visibility (whether confidential relationships are included) and the evidence
basis (`any`, or `stated` records only) are part of the key, so a reader can
never be served a result computed for an analyst, nor a stated-only answer one
computed with inferred records — a stale answer included.

Stale while revalidate (`freshest`): after a write the current generation
has nothing yet. A reader that may be answered from the last complete
analysis gets the previous generation's entry at once, and the computation
of the new one is handed to one background worker (`Refresher`): one job per
key, one job at a time, so however many requests wait there is one
computation per generation, and never two heavy ones at once. A job whose
generation is overtaken by a newer write is abandoned at its next stage (the
projection, then the findings) or, when it already finished, its result is
dropped: the worker then computes the newest generation only. Without any
previous entry (the first request after start) the caller computes it
itself, once (single flight), as before.

Memory: the current generation and one previous are kept, the previous one
(the one stale answers come from: of the older ones, the one holding the most
expensive, *pinned*, results) only until the current generation holds every
pinned result it had — then it is released at once. Within a generation the
pinned results (projections, all findings) stay until their generation goes;
the many cheap ones (one actor's recommendations, a filtered gap list) are
evicted least-recently-used beyond `max_entries`. A request answered from a
released generation keeps it alive while it holds its `Answer` (so every part
of one page comes from one generation), and not longer.

`settled` takes big long-lived results out of the cyclic garbage collector's
reach (a server's concern; a one-shot command has no use for it). Frozen
objects are freed only by reference counting, and a projection is full of
reference cycles, so after releasing a generation the cache collects once
more (`collect_released`) — otherwise a released projection would outlive
its generation until the next `settled`.
"""

from __future__ import annotations

import gc
import logging
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")

log = logging.getLogger("scn_graph.analysis")

#: Generations kept at once (the current one and the one stale answers come from).
GENERATIONS_KEPT = 2

#: Projections at least this big (and their findings) are worth freezing out of the
#: cyclic GC when they are kept for long (see `settled`); below it scanning costs little.
SETTLE_MIN_NODES = 2000


#: The worker's job of collecting what a released generation left frozen (not an analysis).
_COLLECT = ("collect released generations",)


class Superseded(Exception):
    """A background computation whose generation a newer write has overtaken."""


@dataclass(eq=False)
class _Generation:
    number: int
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


@dataclass(frozen=True)
class Answer:
    """Which generation a read is answered from, and the current one.

    Holding it keeps that generation's results alive (and found by the cache)
    for as long as the request needs them, even once the cache released them.
    """

    generation: int
    current: int
    _hold: Any = field(default=None, repr=False, compare=False)

    @property
    def stale(self) -> bool:
        """True when the answer describes the store before its latest write(s)."""
        return self.generation != self.current


#: The response headers that say which generation an answer describes (API and pages).
GENERATION_HEADER = "X-Analysis-Generation"
STALE_HEADER = "X-Analysis-Stale"


def generation_headers(generation: int, stale: bool) -> dict[str, str]:
    """The headers of a response built from the analysis of store `generation`
    (`stale`: a write came after it)."""
    return {GENERATION_HEADER: str(generation), STALE_HEADER: "true" if stale else "false"}


class _KeyLocks:
    """One lock per key across generations, dropped when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[Hashable, tuple[threading.Lock, int]] = {}

    def acquire(self, key: Hashable) -> threading.Lock:
        with self._guard:
            lock, users = self._locks.get(key, (None, 0))
            if lock is None:
                lock = threading.Lock()
            self._locks[key] = (lock, users + 1)
        lock.acquire()
        return lock

    def release(self, key: Hashable, lock: threading.Lock) -> None:
        lock.release()
        with self._guard:
            _, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._locks)


class ResultCache:
    def __init__(self, max_entries: int = 256) -> None:
        self.max_entries = max_entries
        self._gens: OrderedDict[int, _Generation] = OrderedDict()
        #: Generations released but still held by a request's `Answer`.
        self._held: weakref.WeakValueDictionary[int, _Generation] = weakref.WeakValueDictionary()
        self._current = 0
        self._released = False
        #: The keys stale answers are made from (those asked through `freshest`).
        self._bases: set[Hashable] = set()
        self._lock = threading.Lock()
        self._inflight = _KeyLocks()
        self.refresher = Refresher(self)
        self.hits = 0
        self.misses = 0
        #: Answers served from a previous generation.
        self.stale_hits = 0

    # ------------------------------------------------------------------ generations

    @property
    def current(self) -> int:
        """The newest generation any lookup has seen."""
        return self._current

    def _see(self, generation: int) -> None:
        """Note a generation read from the store (caller holds the lock)."""
        if generation > self._current:
            self._current = generation
            self._retain()

    def _generation(self, generation: int) -> _Generation:
        """The entries of `generation` (caller holds the lock).

        An older generation that is no longer kept (nor held by a request) gets a
        detached set of entries: computed for its caller, kept by nobody.
        """
        self._see(generation)
        gen = self._kept(generation)
        if gen is None:
            gen = _Generation(generation)
            if generation == self._current:
                self._gens[generation] = gen
        return gen

    def _kept(self, generation: int) -> _Generation | None:
        """The entries of `generation` if kept, or released but still held by a request."""
        gen = self._gens.get(generation)
        return gen if gen is not None else self._held.get(generation)

    def _retain(self) -> None:
        """Keep the current generation and at most one previous (caller holds the lock).

        The previous one kept is the older generation holding the most of what stale
        answers are made from (the keys asked through `freshest`; every pinned key
        when none was) that the current one lacks, the newest on a tie; it goes as
        soon as the current generation has them all. Whatever is released stays
        reachable for requests that hold it (`Answer`), and is freed when they finish.
        """
        current = self._gens.get(self._current)
        have = self._bases_of(current) if current is not None else set()
        older = [g for n, g in self._gens.items() if n < self._current]
        lacking = [(len(self._bases_of(g) - have), g.number, g) for g in older]
        keep = max((t for t in lacking if t[0] > 0), default=None, key=lambda t: t[:2])
        for g in older:
            if keep is None or g is not keep[2]:
                del self._gens[g.number]
                self._held[g.number] = g
                self._released = True
                weakref.finalize(g, self._freed)

    def _freed(self) -> None:
        """A released generation's last holder let go: collect what it left frozen.

        Runs wherever the last reference went (maybe under the lock): only a flag and
        a job for the worker, whose every job ends with `collect_released`.
        """
        self._released = True
        if gc.get_freeze_count():
            self.refresher.submit(_COLLECT, self._current, lambda: None)

    def _bases_of(self, gen: _Generation) -> set[Hashable]:
        keys = set(gen.pinned)
        return keys & self._bases if self._bases else keys

    def _store(self, gen: _Generation, key: Hashable, value: Any, pinned: bool) -> None:
        """Keep `value` in `gen` if the cache still keeps `gen` (caller holds the lock)."""
        if self._kept(gen.number) is not gen:
            return  # a detached generation: the result is its caller's alone
        if pinned:
            gen.pinned[key] = value
            if gen.number == self._current:
                self._retain()
        else:
            gen.lru[key] = value
            while len(gen.lru) > self.max_entries:
                gen.lru.popitem(last=False)

    # ------------------------------------------------------------------ lookups

    def get_or_compute(
        self, generation: int, key: Hashable, compute: Callable[[], T], *, pinned: bool = False
    ) -> T:
        """The entry of `(generation, key)`, computed once if missing (single flight).

        On the background worker, a computation for a generation that a newer
        write has overtaken is not started, and once done goes no further
        (`Superseded`): the next stage (the findings of a projection) is not run.
        """
        with self._lock:
            found, value = self._generation(generation).get(key)
            if found:
                self.hits += 1
                return value  # type: ignore[no-any-return]
        # Pinned results (projections, all findings) are the heavy ones: one computation
        # of a key at a time across generations; the cheap ones single-flight per generation.
        flight_key = key if pinned else (generation, key)
        flight = self._inflight.acquire(flight_key)
        try:
            with self._lock:
                gen = self._generation(generation)
                found, value = gen.get(key)
                if found:
                    self.hits += 1
                    return value  # type: ignore[no-any-return]
                self._check_current(generation)
            self.misses += 1
            value = compute()
            with self._lock:
                self._store(gen, key, value, pinned)
                self._check_current(generation)
            return value
        finally:
            self._inflight.release(flight_key, flight)

    def _check_current(self, generation: int) -> None:
        """On the background worker, stop at a stage whose generation is overtaken."""
        if generation < self._current and self.refresher.on_worker():
            raise Superseded(generation)

    def freshest(
        self, generation: int, key: Hashable, compute: Callable[[], Any], *, warm: bool = False
    ) -> Answer:
        """Which generation to answer `key` from now, without waiting for a computation.

        `generation` is the store's, just read. If it has the entry: that one. If
        not and an older generation has it: the older one (stale), and `compute`
        (which must fill `(generation, key)`) is handed to the background worker.
        If no generation has it: `generation`, for the caller to compute as usual —
        or, with `warm`, for the background worker to start computing.
        """
        with self._lock:
            self._bases.add(key)
            gen = self._generation(generation)
            if key in gen.pinned:
                return Answer(generation, generation, gen)
            older = [g for n, g in reversed(self._gens.items()) if n < generation]
            stale = next((g for g in older if key in g.pinned), None)
            if stale is None:
                if warm:
                    self.refresher.submit(key, generation, compute)
                return Answer(generation, generation, gen)
            self.stale_hits += 1
        self.refresher.submit(key, generation, compute)
        return Answer(stale.number, generation, stale)

    def peek(self, generation: int, key: Hashable) -> Any:
        """The cached value, or None; never computes."""
        with self._lock:
            gen = self._kept(generation)
            return None if gen is None else gen.get(key)[1]

    def latest_with(self, generation: int, keys: Iterable[Hashable]) -> int | None:
        """The newest generation before `generation` still kept (or held) that has every
        one of the pinned `keys`: what an incremental computation can start from."""
        wanted = list(keys)
        with self._lock:
            numbers = sorted({*self._gens, *self._held}, reverse=True)
            for n in numbers:
                gen = self._kept(n)
                if n < generation and gen is not None and all(k in gen.pinned for k in wanted):
                    return n
        return None

    def generations(self) -> list[int]:
        """The generations kept (oldest first): for tests and the server's status."""
        with self._lock:
            return list(self._gens)

    def clear(self) -> None:
        with self._lock:
            self._gens.clear()

    def collect_released(self) -> bool:
        """Free what released generations left frozen out of the collector (see module doc).

        Returns True when something had been released since the last call.
        """
        with self._lock:
            released, self._released = self._released, False
        if released and gc.get_freeze_count():
            settled(None)
        return released

    def __len__(self) -> int:
        return sum(len(g) for g in self._gens.values())


class Refresher:
    """The one background worker that computes the next generation's results.

    Jobs are keyed by what they compute: a job for a newer generation replaces a
    waiting one for the same key, and a job for a generation already overtaken
    is skipped (or abandoned, see `ResultCache.get_or_compute`). `idle` is set
    whenever nothing is queued or running; `computed` counts finished computations,
    `abandoned` the overtaken ones.
    """

    def __init__(self, cache: ResultCache) -> None:
        self._cache = cache
        self._cond = threading.Condition()
        self._jobs: OrderedDict[Hashable, tuple[int, Callable[[], Any]]] = OrderedDict()
        self._thread: threading.Thread | None = None
        self._running: tuple[Hashable, int] | None = None
        self.idle = threading.Event()
        self.idle.set()
        self.computed = 0
        self.abandoned = 0

    def on_worker(self) -> bool:
        return threading.current_thread() is self._thread

    def submit(self, key: Hashable, generation: int, compute: Callable[[], Any]) -> None:
        """Compute `(generation, key)` in the background, unless it is queued or running."""
        with self._cond:
            if self._running == (key, generation):
                return
            queued = self._jobs.get(key)
            if queued is not None and queued[0] >= generation:
                return
            self._jobs[key] = (generation, compute)
            self.idle.clear()
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._work, name="scn-analysis-refresh", daemon=True
                )
                self._thread.start()
            self._cond.notify()

    def pending(self) -> list[tuple[Hashable, int]]:
        """What is running and queued, as (key, generation)."""
        with self._cond:
            running = [self._running] if self._running else []
            return running + [(k, g) for k, (g, _) in self._jobs.items()]

    def _work(self) -> None:
        while True:
            with self._cond:
                while not self._jobs:
                    self._running = None
                    self.idle.set()
                    self._cond.wait()
                key, (generation, compute) = self._jobs.popitem(last=False)
                self._running = (key, generation)
            try:
                if generation < self._cache.current:
                    raise Superseded(generation)
                compute()
                if key != _COLLECT:
                    self.computed += 1
            except Superseded:
                self.abandoned += 1
            except Exception:  # the next request computes it, or the next write retries
                log.warning("computing the analysis of generation %s failed", generation)
                log.debug("details", exc_info=True)
            finally:
                self._cache.collect_released()


def frozen(value: T) -> T:
    """Exempt everything alive now from the cyclic garbage collector, without collecting.

    For a one-shot command (`scn-graph gaps`): there is no earlier generation whose
    garbage a collection would free, and a full collection of a million relationships'
    projection cost about 4 CPU s each time `settled` ran; frozen, the objects the
    command makes next (the findings, the output's text) are collected without walking
    the graph again.
    """
    gc.freeze()
    return value


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
