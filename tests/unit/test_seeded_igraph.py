"""`graph.analysis.seeded.seeded_igraph`: seeded igraph calls stay deterministic side by side.

igraph draws from one process-wide generator (Python's `random` module by
default). A page layout computed while another thread drew from `random`, or
ran its own seeded igraph call, got other numbers and other positions. These
tests run the real Fruchterman–Reingold layout of `viz.layout.force_layout`
in threads next to such neighbours and compare with a run made alone.
"""

from __future__ import annotations

import random
import sys
import threading
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor

import igraph as ig
import pytest

from graph.analysis.seeded import seeded_igraph
from viz.layout import Position, force_layout
from viz.measure import SimpleGraph

#: Layouts per thread in the concurrent test.
ROUNDS = 5


def _graph() -> SimpleGraph:
    """120 nodes, a big component and some small ones: several seeded layouts per call."""
    rng = random.Random(3)
    return SimpleGraph.from_pairs(
        range(120), [(rng.randrange(120), rng.randrange(120)) for _ in range(200)]
    )


def _free_layout(g: ig.Graph) -> list[tuple[float, ...]]:
    """Fruchterman–Reingold from random starting positions: every number from the generator."""
    with seeded_igraph(5):
        return [tuple(c) for c in g.layout_fruchterman_reingold(niter=100).coords]


def _communities(g: ig.Graph) -> list[int]:
    with seeded_igraph(7):
        return list(g.community_leiden(objective_function="modularity", n_iterations=2).membership)


def _until(stop: threading.Event, work: Callable[[], object]) -> Callable[[], None]:
    def loop() -> None:
        while not stop.is_set():
            work()

    return loop


def test_layouts_in_threads_equal_a_sequential_run() -> None:
    """4 threads lay out the same graph while one thread draws from `random` and another
    detects communities (seeded too): every layout, and every community split, is the one
    computed alone."""
    sg = _graph()
    free = ig.Graph.Lattice([8, 8], circular=False)
    other = ig.Graph.Famous("Zachary")
    expected = force_layout(sg)
    expected_free = _free_layout(free)
    expected_communities = _communities(other)
    assert force_layout(sg) == expected  # deterministic at all, alone

    stop = threading.Event()
    splits: list[list[int]] = []
    neighbours = [
        threading.Thread(target=_until(stop, random.random), daemon=True),
        threading.Thread(
            target=_until(stop, lambda: splits.append(_communities(other))), daemon=True
        ),
    ]
    start = threading.Barrier(4)

    def lay_out(_: int) -> list[tuple[dict[Hashable, Position], list[tuple[float, ...]]]]:
        start.wait(10)
        return [(force_layout(sg), _free_layout(free)) for _ in range(ROUNDS)]

    interval = sys.getswitchinterval()
    # igraph keeps the GIL during a call, so threads only meet between Python steps:
    # switching every 10 µs makes them meet inside the blocks (without the lock, this
    # test failed 9 runs in 10).
    sys.setswitchinterval(1e-5)
    for t in neighbours:
        t.start()
    try:
        with ThreadPoolExecutor(4) as pool:
            runs = [run for runs in pool.map(lay_out, range(4)) for run in runs]
    finally:
        stop.set()
        for t in neighbours:
            t.join(10)
        sys.setswitchinterval(interval)
    assert len(runs) == 4 * ROUNDS
    for layout, free_layout in runs:
        assert layout == expected
        assert free_layout == expected_free
    assert splits, "the community thread never ran"
    assert all(s == expected_communities for s in splits)


def _random_layout() -> list[list[float]]:
    return ig.Graph(n=30).layout_random().coords


def test_the_block_draws_from_its_own_generator_and_gives_random_back() -> None:
    """Inside: the seed alone decides, whatever `random` was seeded with. After: igraph
    follows `random` again (re-seeding it repeats the numbers)."""
    with seeded_igraph(5):
        random.seed(1)
        inside = _random_layout()
    with seeded_igraph(5):
        random.seed(2)
        assert _random_layout() == inside
    random.seed(1)
    after = _random_layout()
    random.seed(1)
    assert _random_layout() == after
    assert after != inside


def test_an_error_in_the_block_restores_the_generator_and_releases_the_lock() -> None:
    with pytest.raises(RuntimeError, match="inside"), seeded_igraph(5):
        _random_layout()
        raise RuntimeError("inside")
    random.seed(1)
    a = _random_layout()
    random.seed(1)
    assert _random_layout() == a

    entered = threading.Event()

    def enter() -> None:
        with seeded_igraph(6):
            entered.set()

    t = threading.Thread(target=enter, daemon=True)  # daemon: a held lock would hang it
    t.start()
    assert entered.wait(10), "the lock was not released"
    t.join(10)


def test_seeded_blocks_take_turns() -> None:
    """A second thread's block starts only when the first one's has ended."""
    first_in, first_may_leave, second_in = threading.Event(), threading.Event(), threading.Event()

    def first() -> None:
        with seeded_igraph(1):
            first_in.set()
            first_may_leave.wait(10)

    def second() -> None:
        with seeded_igraph(2):
            second_in.set()

    threads = [threading.Thread(target=first, daemon=True)]
    threads[0].start()
    assert first_in.wait(10)
    threads.append(threading.Thread(target=second, daemon=True))
    threads[1].start()
    try:
        assert not second_in.wait(0.3)
    finally:
        first_may_leave.set()
    assert second_in.wait(10)
    for t in threads:
        t.join(10)
