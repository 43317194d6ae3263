"""Seeded igraph calls that give the same answer when run side by side.

igraph draws its random numbers from one process-wide generator (Python's
`random` module unless told otherwise). Two seeded calls in different
threads (a page laid out while the API computes communities) would take
numbers from each other's sequence and lose their determinism, so every
seeded call takes turns through one lock, with a private generator of its
own that is put back to the default afterwards. The lock is not re-entrant:
a seeded block must not start another one.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_TURN = threading.Lock()


@contextmanager
def seeded_igraph(seed: int) -> Iterator[None]:
    """Run the block with igraph drawing from `random.Random(seed)`, alone."""
    import igraph as ig

    with _TURN:
        ig.set_random_number_generator(random.Random(seed))
        try:
            yield
        finally:
            ig.set_random_number_generator(random)
