"""The revisions' statements (`graph.history.record`, `graph.history.read`).

A revision is one `ScnRevision` node written by the same transaction as the data it
describes; its id comes from a counter on the `ScnMeta` node, and its generation is
the one the transaction's closing `store.bump_generation` makes (so the statement
must run before it, as the loader's writes do). Nothing here RETURNs, so the
statement can be chained into a small write's one query. A change too large for one
property is split into `ScnRevisionPart` nodes, each holding a piece of its JSON.
"""

from __future__ import annotations

from collections.abc import Iterator

from graph.queries.statement import Statement, statement

REVISION_LABEL = "ScnRevision"
PART_LABEL = "ScnRevisionPart"
#: What the caller gives a revision (the rest comes from ScnMeta).
_RECORD_PARAMETERS = ("time", "who", "source", "counts", "change", "parts")
#: The property keys of revisions and their parts (and the counter on ScnMeta).
PROPERTY_KEYS = ("id", "generation", *_RECORD_PARAMETERS, "revision", "seq", "text")

#: The next revision: id one past the counter, generation one past the current one
#: (the transaction's last statement bumps it to exactly that).
RECORD_REVISION = statement(
    "history.record_revision",
    "MERGE (m:ScnMeta {key: 'meta'}) "
    "WITH m, coalesce(m.revision, 0) + 1 AS rid, coalesce(m.generation, 0) + 1 AS gen "
    "SET m.revision = rid "
    f"CREATE (:{REVISION_LABEL} {{id: rid, generation: gen, time: $time, who: $who, "
    "source: $source, counts: $counts, change: $change, parts: $parts})",
    *_RECORD_PARAMETERS,
)
#: One piece of the change of the revision just recorded (the counter names it).
RECORD_PART = statement(
    "history.record_part",
    f"MATCH (m:ScnMeta {{key: 'meta'}}) CREATE (:{PART_LABEL} "
    "{revision: m.revision, seq: $seq, text: $text})",
    "seq",
    "text",
)

_FIELDS = "r.id, r.generation, r.time, r.who, r.source, r.counts"
_IN_RANGE = "WHERE ($after IS NULL OR r.id > $after) AND ($upto IS NULL OR r.id <= $upto)"

#: Revisions with `$after` < id <= `$upto` (null: no bound), oldest first, each with its
#: change and the [seq, text] of its parts.
REVISIONS = statement(
    "history.revisions",
    f"MATCH (r:{REVISION_LABEL}) "
    f"{_IN_RANGE} "
    f"OPTIONAL MATCH (p:{PART_LABEL} {{revision: r.id}}) "
    "WITH r, collect([p.seq, p.text]) AS parts "
    f"RETURN {_FIELDS}, r.change, parts ORDER BY r.id",
    "after",
    "upto",
)
#: The same without the changes: what `history` lists, at a cost of the counts alone.
SUMMARIES = statement(
    "history.summaries",
    f"MATCH (r:{REVISION_LABEL}) {_IN_RANGE} RETURN {_FIELDS} ORDER BY r.id",
    "after",
    "upto",
)
LATEST_REVISION = statement(
    "history.latest_revision", f"MATCH (r:{REVISION_LABEL}) RETURN max(r.id)"
)
#: The store's generation, and [generation, change, parts] of every revision whose
#: generation is above `$generation`, in one read so no write falls between the two.
SINCE_GENERATION = statement(
    "history.since_generation",
    f"MATCH (r:{REVISION_LABEL}) WHERE r.generation > $generation "
    f"OPTIONAL MATCH (p:{PART_LABEL} {{revision: r.id}}) "
    "WITH r, collect([p.seq, p.text]) AS parts "
    "WITH collect([r.generation, r.change, parts]) AS revisions "
    "OPTIONAL MATCH (m:ScnMeta {key: 'meta'}) RETURN m.generation, revisions",
    "generation",
)


def statements() -> Iterator[Statement]:
    yield from (RECORD_REVISION, RECORD_PART, REVISIONS, SUMMARIES, LATEST_REVISION)
    yield SINCE_GENERATION
