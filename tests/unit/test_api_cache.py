"""The analysis cache: keyed by generation, single flight, pinned vs LRU entries.

The stale-while-revalidate rules are in tests/unit/test_analysis_stale.py."""

from __future__ import annotations

import contextlib
import threading
import time

from graph.analysis.cache import ResultCache


def test_one_computation_for_concurrent_requests() -> None:
    cache = ResultCache()
    calls = []

    def slow() -> str:
        calls.append(1)
        time.sleep(0.2)
        return "findings"

    results: list[str] = []
    threads = [
        threading.Thread(target=lambda: results.append(cache.get_or_compute(1, "gaps", slow)))
        for _ in range(16)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == ["findings"] * 16 and len(calls) == 1
    assert cache.misses == 1 and cache.hits == 15


def test_a_new_generation_recomputes_and_old_ones_go() -> None:
    cache = ResultCache()
    assert cache.get_or_compute(1, "k", lambda: "g1", pinned=True) == "g1"
    assert cache.get_or_compute(2, "other", lambda: "o2", pinned=True) == "o2"
    # generation 1 is kept while generation 2 lacks what it had ...
    assert cache.generations() == [1, 2]
    assert cache.get_or_compute(1, "k", lambda: "again") == "g1"
    assert cache.get_or_compute(2, "k", lambda: "g2", pinned=True) == "g2"
    # ... and released as soon as generation 2 has it all
    assert cache.generations() == [2]
    assert cache.get_or_compute(1, "k", lambda: "g1-new") == "g1-new"  # computed, not kept
    assert cache.generations() == [2]
    assert cache.get_or_compute(3, "k", lambda: "g3", pinned=True) == "g3"
    assert cache.generations() == [2, 3]  # generation 3 has no "other" yet
    cache.get_or_compute(3, "other", lambda: "o3", pinned=True)
    assert cache.generations() == [3]


def test_pinned_entries_survive_the_lru() -> None:
    cache = ResultCache(max_entries=3)
    cache.get_or_compute(1, "projection", lambda: "big", pinned=True)
    for i in range(10):
        cache.get_or_compute(1, ("recommend", i), lambda i=i: i)
    assert cache.get_or_compute(1, "projection", lambda: "recomputed") == "big"
    assert cache.get_or_compute(1, ("recommend", 0), lambda: "evicted") == "evicted"
    assert len(cache) == 4


def test_clear_and_errors() -> None:
    cache = ResultCache()
    cache.get_or_compute(1, "k", lambda: 1)
    cache.clear()
    assert cache.get_or_compute(1, "k", lambda: 2) == 2

    def boom() -> None:
        raise KeyError("x")

    for _ in range(2):  # an error is not cached and leaves nothing behind
        with contextlib.suppress(KeyError):
            cache.get_or_compute(1, "bad", boom)
    assert len(cache._inflight) == 0


def test_settled_results_leave_the_cyclic_collector() -> None:
    import gc

    from graph.analysis.cache import settled

    try:
        assert settled("value") == "value"
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_frozen_freezes_without_collecting() -> None:
    """A one-shot command's results leave the collector without a full collection: an
    unreachable cycle made before is frozen with them, not freed (`settled` frees it)."""
    import gc
    import weakref

    from graph.analysis.cache import frozen, settled

    class Cycle:
        pass

    def garbage() -> weakref.ref[Cycle]:
        c = Cycle()
        c.me = c  # type: ignore[attr-defined]
        return weakref.ref(c)

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        kept = garbage()
        assert frozen("value") == "value"
        assert kept() is not None and gc.get_freeze_count() > 0
        gc.unfreeze()
        freed = garbage()
        settled(None)
        assert freed() is None
    finally:
        gc.unfreeze()
        if was_enabled:
            gc.enable()
