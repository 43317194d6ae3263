"""Reading the revisions back: the history, the latest id, what changed since a generation.

Revisions are stored by `graph.history.record`; these reads cost the revisions they
return, never the size of the graph.
"""

from __future__ import annotations

import json
from typing import Any

from graph.history.model import Change, Revision, every_count
from graph.queries import history as queries
from graph.store.base import Store


def _change(inline: str | None, parts: list[list[Any]]) -> Change:
    pieces = sorted((seq, text) for seq, text in parts if seq is not None)
    text = "".join(t for _, t in pieces) if pieces else inline
    return Change.from_dict(json.loads(text)) if text else Change()


def revisions(store: Store, *, after: int | None = None, upto: int | None = None) -> list[Revision]:
    """The revisions with `after` < id <= `upto` (either bound optional), oldest first."""
    rows = queries.REVISIONS.read(store, after=after, upto=upto).rows
    return [
        Revision(int(rid), int(gen), time, who, source, _change(change, parts))
        for rid, gen, time, who, source, _counts, change, parts in rows
    ]


def summaries(
    store: Store, *, after: int | None = None, upto: int | None = None
) -> list[dict[str, Any]]:
    """`Revision.summary()` of the same revisions, read without their changes (cheap)."""
    rows = queries.SUMMARIES.read(store, after=after, upto=upto).rows
    return [
        {
            "id": int(rid),
            "generation": int(gen),
            "time": time,
            "who": who,
            "source": source,
            "counts": every_count(json.loads(counts)),
        }
        for rid, gen, time, who, source, counts in rows
    ]


def latest_revision(store: Store) -> int:
    """The id of the newest revision, 0 if there is none."""
    return int(queries.LATEST_REVISION.read(store).scalar() or 0)


def touched_since(store: Store, generation: int) -> set[str] | None:
    """Ids touched by the writes after `generation` (see `Change.touched_ids`).

    None when that is unknown: some write in between recorded no revision (a `clear`,
    index creation, data written before revisions existed), which shows as a
    generation no revision holds. Every write transaction moves the generation by one.
    """
    row = queries.SINCE_GENERATION.read(store, generation=generation).rows[0]
    current = int(row[0] or 0)
    found = sorted((int(gen), change, parts) for gen, change, parts in row[1])
    if current < generation:
        return None  # the store was dropped and started counting again
    if [gen for gen, _, _ in found] != list(range(generation + 1, current + 1)):
        return None
    touched: set[str] = set()
    for _, change, parts in found:
        touched |= _change(change, parts).touched_ids()
    return touched
