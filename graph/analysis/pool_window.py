"""Can a touched node change what the detectors read of its country's candidate pools?

A finding reads the candidate pools of its subject's country (the index's pools,
`GapIndex.pools_of`, and the provider sets ranked by name, `gaps_index.PROVIDER_SETS`)
in three ways only: their first POOL_CAP members (`GapIndex.pick` never looks further),
their size (the cities of a country) and their cities' coordinates (the nearest
cities). So a touched node whose attributes are the same before and after the write
but perhaps its name, that is a member of the same provider sets, and that stands
beyond the first POOL_CAP members of every pool and provider set it is in, before and
after the write, changes none of these reads: it is *settled*, and its country need
not be a target of the incremental analysis (`graph.analysis.reach.Change`). Its
relationships may have changed: what they reach is its neighbourhood, targeted on its
own. Several touched nodes each settled leave every pool's first POOL_CAP members as
they were (none of them is among those, before or after, and the others keep their
order).

A node added or removed, one of no country or level international (in every
country's pools), or one whose other attributes changed is never settled.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from typing import Any

from graph import predicates, schema
from graph.analysis import gaps_index
from graph.analysis.gaps_index import GapIndex, ProviderSet

_INTERNATIONAL = schema.Level.INTERNATIONAL.value


def _without_name(d: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if k != "name"}


def _position(idx: GapIndex, attr: str, key: Any, n: str) -> int:
    """Where `n` stands (or would) in pool `attr`/`key` of `idx`, without changing it."""
    pools = getattr(idx, attr)
    lst = pools if isinstance(pools, list) else pools.get(key, ())
    order = idx.pool_order(attr)
    return bisect.bisect_left(lst, order(n), key=order)


class PoolWindows:
    """The pools of two generations' indexes (`old` before the write, `new` after)."""

    def __init__(self, old: GapIndex, new: GapIndex) -> None:
        self.old, self.new = old, new

    @staticmethod
    def _rank(idx: GapIndex, provider_set: ProviderSet, n: str) -> int | None:
        """How many members of the set in `n`'s country come before `n` by name, or
        None when `n` is not a member."""
        if n not in idx.provider_set(provider_set):
            return None
        pool = idx.provider_pools(provider_set).by_country.get(idx.country(n), ())
        return bisect.bisect_left(pool, idx.name_key(n), key=idx.name_key)

    def settled(self, n: str) -> bool:
        """Does touched node `n` leave every read of its country's pools as it was?"""
        d0, d1 = self.old.nodes.get(n), self.new.nodes.get(n)
        if d0 is None or d1 is None or _without_name(d0) != _without_name(d1):
            return False
        if predicates.node_country(d1) is None or d1.get("level") == _INTERNATIONAL:
            return False
        cap = gaps_index.POOL_CAP  # read here: tests narrow it to exercise the windows
        for attr, key in self.new.pools_of(n, d1):
            if any(_position(idx, attr, key, n) < cap for idx in (self.old, self.new)):
                return False
        for provider_set in gaps_index.PROVIDER_SETS:
            ranks = [self._rank(idx, provider_set, n) for idx in (self.old, self.new)]
            if ranks[0] is None and ranks[1] is None:
                continue
            if ranks[0] is None or ranks[1] is None or min(ranks) < cap:
                return False
        return True
