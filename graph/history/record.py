"""Recording a revision inside the write transaction that makes it.

`record_revision` adds the revision's statements to the transaction the data is
written by, before the store's closing generation bump, so the revision and the
write commit together or not at all: in place they are one query, staged they
are on the same copy, on Neo4j they are one transaction. The revision's id and
generation are computed by the statement itself (`graph.queries.history`), so it
works where the transaction cannot read back (an in-place write).

A change whose JSON is longer than `PART_CHARS` is stored in pieces: one
property of that size is cheap to write and to read, and the pieces keep any one
query's parameters bounded (twin-cities' first load: see docs/history.md).
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
from collections.abc import Mapping
from typing import Any

from graph import schema
from graph.history.model import Change, Revision
from graph.queries import history as queries
from graph.store.base import Tx

#: Longest change JSON stored in the revision node itself; longer ones are split.
PART_CHARS = 1_000_000

_NODE_DATA = frozenset(schema.NODE_PROPERTIES)
_REL_DATA = frozenset(schema.RELATIONSHIP_PROPERTIES) - {"type"}


def node_data(props: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The data properties of a stored node (no bookkeeping), as a revision holds them."""
    if props is None:
        return None
    return {k: v for k, v in props.items() if k in _NODE_DATA and v is not None}


def relationship_data(props: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The data properties of a stored relationship (no type, no classification)."""
    if props is None:
        return None
    return {k: v for k, v in props.items() if k in _REL_DATA and v is not None}


def current_user() -> str:
    """Who runs the CLI: the OS user (or "unknown" where the system cannot say)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry and no LOGNAME / USER
        return "unknown"


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def record_revision(tx: Tx, change: Change, *, who: str, source: str) -> None:
    """Write the revision of `change` as part of `tx` (call it before the commit)."""
    counts = Revision(0, 0, "", who, source, change).counts()
    text = json.dumps(change.to_dict(), sort_keys=True, ensure_ascii=False)
    pieces = [text[i : i + PART_CHARS] for i in range(0, len(text), PART_CHARS)]
    inline = len(pieces) <= 1
    queries.RECORD_REVISION.write(
        tx,
        time=now(),
        who=who,
        source=source,
        counts=json.dumps(counts, sort_keys=True),
        change=text if inline else "",
        parts=0 if inline else len(pieces),
    )
    if not inline:
        for seq, piece in enumerate(pieces):
            queries.RECORD_PART.write(tx, seq=seq, text=piece)
