"""Stale while revalidate in the analysis cache (`ResultCache.freshest` and its worker).

After a write, a read that may be answered from the last complete analysis gets
it at once while one background worker computes the new generation: once per
generation, one computation at a time, an overtaken one abandoned, and the old
generation released as soon as the new one is complete.
"""

from __future__ import annotations

import gc
import threading
import weakref

from graph.analysis.cache import ResultCache

WAIT = 10  # seconds; only a bound for a broken test, never a measurement


def _findings(cache: ResultCache, generation: int, value: object, calls: list[int]) -> None:
    """What the service's findings computation does: fill (generation, findings)."""

    def compute() -> object:
        calls.append(generation)
        return value

    cache.get_or_compute(generation, ("findings", False), compute, pinned=True)


def test_a_missing_generation_is_answered_from_the_previous_one_then_the_new_one() -> None:
    cache = ResultCache()
    calls: list[int] = []
    _findings(cache, 1, "g1", calls)
    release = threading.Event()

    def slow() -> None:
        release.wait(WAIT)
        _findings(cache, 2, "g2", calls)

    found = cache.freshest(2, ("findings", False), slow)
    assert (found.generation, found.current, found.stale) == (1, 2, True)
    assert cache.peek(found.generation, ("findings", False)) == "g1"
    assert not cache.refresher.idle.is_set()  # answered while the computation runs
    release.set()
    assert cache.refresher.idle.wait(WAIT)
    fresh = cache.freshest(2, ("findings", False), slow)
    assert (fresh.generation, fresh.stale) == (2, False)
    assert calls == [1, 2] and cache.refresher.computed == 1


def test_many_readers_after_a_write_start_one_computation() -> None:
    cache = ResultCache()
    calls: list[int] = []
    _findings(cache, 1, "g1", calls)
    release = threading.Event()

    def slow() -> None:
        release.wait(WAIT)
        _findings(cache, 2, "g2", calls)

    answers = []
    threads = [
        threading.Thread(
            target=lambda: answers.append(cache.freshest(2, ("findings", False), slow))
        )
        for _ in range(32)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(WAIT)
    assert [a.generation for a in answers] == [1] * 32  # nobody waited
    release.set()
    assert cache.refresher.idle.wait(WAIT)
    assert calls == [1, 2] and cache.refresher.computed == 1 and cache.stale_hits == 32


def test_without_a_previous_generation_the_caller_computes_it() -> None:
    cache = ResultCache()
    found = cache.freshest(5, ("findings", False), lambda: None)
    assert (found.generation, found.stale) == (5, False)
    assert cache.refresher.pending() == [] and cache.refresher.computed == 0


def test_another_visibility_is_never_the_stale_answer() -> None:
    cache = ResultCache()
    _findings(cache, 1, "public", [])
    found = cache.freshest(2, ("findings", True), lambda: None)
    assert (found.generation, found.stale) == (2, False)  # not generation 1's public one
    assert cache.refresher.pending() == []


def test_an_overtaken_computation_is_abandoned_and_only_the_newest_is_computed() -> None:
    cache = ResultCache()
    _findings(cache, 1, "g1", [])
    in_projection = threading.Event()
    release = threading.Event()
    stages: list[tuple[str, int]] = []
    running = []
    overlap = []

    def analysis(generation: int) -> None:
        def project() -> str:
            running.append(generation)
            overlap.append(len(running))
            stages.append(("project", generation))
            if generation == 2:
                in_projection.set()
                release.wait(WAIT)
            running.remove(generation)
            return f"G{generation}"

        def findings() -> str:
            cache.get_or_compute(generation, ("projection", False), project, pinned=True)
            stages.append(("findings", generation))
            return f"f{generation}"

        cache.get_or_compute(generation, ("findings", False), findings, pinned=True)

    assert cache.freshest(2, ("findings", False), lambda: analysis(2)).stale
    assert in_projection.wait(WAIT)
    # writes 3 and 4 come while generation 2 is being projected
    assert cache.freshest(3, ("findings", False), lambda: analysis(3)).generation == 1
    assert cache.freshest(4, ("findings", False), lambda: analysis(4)).generation == 1
    release.set()
    assert cache.refresher.idle.wait(WAIT)
    # generation 2's findings were never computed, 3 was skipped, 4 done; one at a time
    assert stages == [("project", 2), ("project", 4), ("findings", 4)]
    assert max(overlap) == 1
    assert cache.refresher.abandoned == 1 and cache.refresher.computed == 1
    assert cache.peek(4, ("findings", False)) == "f4" and cache.generations() == [4]


def test_at_most_two_generations_and_the_old_one_goes_when_the_new_is_complete() -> None:
    class Big:
        """Stands for a projection: weakly referenceable, so the test sees it freed."""

    cache = ResultCache()
    box = [Big()]
    gone = weakref.ref(box[0])
    cache.get_or_compute(1, ("projection", False), box.pop, pinned=True)  # only the cache has it
    cache.get_or_compute(1, ("findings", False), lambda: "f1", pinned=True)
    # generation 2 got only its projection before the writes 3 went on
    cache.get_or_compute(2, ("projection", False), Big, pinned=True)
    cache.get_or_compute(3, ("projection", False), Big, pinned=True)
    assert cache.generations() == [1, 3]  # the complete old one and the current one
    held = cache.freshest(3, ("findings", False), lambda: None)
    assert held.generation == 1
    cache.refresher.idle.wait(WAIT)
    cache.get_or_compute(3, ("findings", False), lambda: "f3", pinned=True)
    assert cache.generations() == [3]  # released at once ...
    # ... but a request that holds its answer still reads generation 1 to the end
    assert cache.peek(1, ("findings", False)) == "f1"
    assert gone() is not None
    del held
    gc.collect()
    assert gone() is None and cache.peek(1, ("findings", False)) is None


def test_results_derived_from_the_findings_do_not_keep_an_old_generation() -> None:
    cache = ResultCache()
    for key in (("projection", False), ("findings", False), ("by_subject", False)):
        cache.get_or_compute(1, key, lambda: "g1", pinned=True)
    assert cache.freshest(2, ("findings", False), lambda: None).stale
    cache.refresher.idle.wait(WAIT)
    cache.get_or_compute(2, ("projection", False), lambda: "g2", pinned=True)
    assert cache.generations() == [1, 2]  # generation 2 has no findings yet
    cache.get_or_compute(2, ("findings", False), lambda: "g2", pinned=True)
    # the stale answers' basis is there: generation 1 goes, although its index was not rebuilt
    assert cache.generations() == [2]


def test_a_released_projection_is_freed_although_the_server_froze_it() -> None:
    """Frozen objects escape the cyclic collector, and a projection is full of cycles:
    releasing a generation must still free it (the worker collects once more)."""
    from graph.analysis.cache import settled

    class Node:
        pass

    def projection() -> Node:
        a, b = Node(), Node()
        a.other, b.other = b, a  # a cycle, as in a networkx graph
        return a

    cache = ResultCache()
    first = cache.get_or_compute(1, ("projection", False), projection, pinned=True)
    gone = weakref.ref(first)
    del first
    try:
        settled(None)  # what the server does with its big results
        cache.get_or_compute(2, ("projection", False), projection, pinned=True)
        assert cache.generations() == [2]
        assert cache.refresher.idle.wait(WAIT)
        assert gone() is None
    finally:
        gc.unfreeze()
