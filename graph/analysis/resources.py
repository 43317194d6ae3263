"""Guidance a suggestion may point to: resources, frameworks and programs of the graph.

No guidance, framework or program is named in the gap detectors' code: a
suggestion names one only if the graph holds it, is active, and addresses the
gap's themes (e.g. `national_local_cooperation` for a city with no national
link). Otherwise the suggestion's wording stays generic.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import TYPE_CHECKING

from graph.analysis.wording import NAME_LIMIT

if TYPE_CHECKING:
    from graph.analysis.gaps_index import GapIndex

#: The initiative kinds that can serve as guidance or a model to follow.
GUIDANCE_KINDS = ("resource", "framework", "program")

#: How many initiatives of one (country, theme) list are looked at (bounds the work
#: on large graphs; the lists are name-ordered, so the choice stays deterministic).
_SCAN = 32


def resources_on(
    idx: GapIndex,
    themes: Iterable[str],
    country: str | None = None,
    *,
    kinds: Iterable[str] = GUIDANCE_KINDS,
    exclude: Iterable[str] = (),
    limit: int = NAME_LIMIT,
) -> list[str]:
    """Up to `limit` active initiatives of `kinds` whose themes meet `themes`.

    Those of `country` first, then those with no country (international ones);
    within each, the ones matching most of `themes` first, then by name.
    """
    wanted = sorted(set(themes))
    allowed = frozenset(kinds)
    skip = set(exclude)
    chosen: list[str] = []
    tiers = ([country] if country else []) + [None]
    for cc in tiers:
        found: dict[str, int] = {}
        for t in wanted:
            for i in itertools.islice(idx.initiatives_by_country_theme.get((cc, t), ()), _SCAN):
                if i not in skip and idx.kind(i) in allowed:
                    found[i] = found.get(i, 0) + 1
        ranked = sorted(found, key=lambda i: (-found[i], *idx.name_key(i)))
        for i in ranked[: limit - len(chosen)]:
            chosen.append(i)
            skip.add(i)
        if len(chosen) >= limit:
            break
    return chosen
