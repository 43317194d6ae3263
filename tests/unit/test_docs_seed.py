"""docs/seed-dataset.md against the seed file it describes (ingest/data/workshop.yaml).

Every count on the page (records, kinds, stated and inferred, statuses, relationship
types) is recomputed from the YAML, and every list of records (the inferred ones, the
ones that are not active, the RUNS and PUBLISHES links, the actor and initiative
tables) must be exactly the seed's. Edit the seed, and this test names the figure or
row of the page that no longer holds. No store: the YAML is read as `ingest` reads it.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

import pytest

from graph import schema
from ingest.readers import read_input
from ingest.records import Actor, Dataset, Initiative, Relationship
from tests.support.paths import DOCS, ROOT

DOC = DOCS / "seed-dataset.md"
SEED = ROOT / "ingest" / "data" / "workshop.yaml"

Key = str | tuple[str, str, str]


@cache
def seed() -> Dataset:
    return read_input(SEED)


def _basis(record: Actor | Initiative | Relationship) -> str:
    return record.basis.value if record.basis else schema.Basis.STATED.value


def _key(record: Actor | Initiative | Relationship) -> Key:
    if isinstance(record, Relationship):
        return (record.source, record.type, record.target)
    return record.id


def _section(heading: str) -> str:
    """The text under a `##`/`###` heading, up to the next heading of any level."""
    text = DOC.read_text(encoding="utf-8")
    m = re.search(rf"^#+ {re.escape(heading)}\n(.*?)(?=^#+ |\Z)", text, re.S | re.M)
    assert m, f"docs/seed-dataset.md has no section {heading!r}"
    return m.group(1)


def _tables(heading: str) -> list[list[list[str]]]:
    """The Markdown tables of a section: each a list of body rows (header and rule dropped)."""
    tables: list[list[list[str]]] = []
    rows: list[list[str]] = []
    for line in [*_section(heading).splitlines(), ""]:
        if line.startswith("|"):
            rows.append([c.strip() for c in line.strip().strip("|").split("|")])
        elif rows:
            tables.append(rows[2:])
            rows = []
    return tables


def _record(cell: str) -> Key:
    """`id` -> the id; `source` TYPE `target` or `source` → `target` -> the link."""
    ids = re.findall(r"`([^`]+)`", cell)
    if len(ids) == 1:
        return ids[0]
    typ = re.search(r"` (\w+) `", cell)
    assert len(ids) == 2, cell
    return (ids[0], typ.group(1) if typ else "→", ids[1])


def _counts(text: str) -> dict[str, int]:
    return {k: int(v) for k, v in re.findall(r"(\w+) (\d+)", text)}


# -- counts -------------------------------------------------------------------------


def test_record_counts() -> None:
    (table,) = _tables("What is in it")
    doc = {row[0]: int(row[1].split()[0]) for row in table}
    ds = seed()
    assert doc == {
        "countries": len(ds.countries),
        "actors": len(ds.actors),
        "initiatives": len(ds.initiatives),
        "relationships": len(ds.relationships),
    }


@pytest.mark.parametrize("family", ["Actors", "Initiatives"])
def test_kinds(family: str) -> None:
    line = re.search(rf"^{family} by kind: (.*?)\.(?:\s|$)", _section("What is in it"), re.M | re.S)
    assert line, f"no '{family} by kind' sentence"
    records = seed().actors if family == "Actors" else seed().initiatives
    assert _counts(line.group(1)) == Counter(r.kind for r in records)


def test_stated_and_inferred_counts() -> None:
    table = _tables("Stated and inferred")[0]
    ds = seed()
    groups: dict[str, list] = {
        "actors": ds.actors,
        "initiatives": ds.initiatives,
        "nodes (actors and initiatives)": [*ds.actors, *ds.initiatives],
        "relationships": ds.relationships,
        "all records": [*ds.actors, *ds.initiatives, *ds.relationships],
    }
    doc = {row[0]: tuple(int(c) for c in row[1:]) for row in table}
    assert list(doc) == list(groups)
    for name, records in groups.items():
        by = Counter(_basis(r) for r in records)
        assert doc[name] == (by["stated"], by["inferred"], len(records)), name


def test_status_counts() -> None:
    table = _tables("Status")[0]
    statuses = ("proposed", "planned", "active", "ended")
    ds = seed()
    for row, records in zip(table, (ds.initiatives, ds.relationships), strict=True):
        by = Counter(r.status.value for r in records)
        assert tuple(int(c) for c in row[1:]) == (*(by[s] for s in statuses), len(records)), row


def test_relationship_type_counts() -> None:
    (table,) = _tables("Relationship types")
    statuses = ("active", "proposed", "planned", "ended")
    ds = seed()
    doc = {row[0]: tuple(int(c) for c in row[1:]) for row in table}
    by_type = Counter(r.type for r in ds.relationships)
    by_status = Counter((r.type, r.status.value) for r in ds.relationships)
    assert set(doc) == set(by_type)
    for t, figures in doc.items():
        assert figures == (by_type[t], *(by_status[t, s] for s in statuses)), t
    assert [row[0] for row in table] == [t for t, _ in by_type.most_common()], "most first"


# -- lists of records ----------------------------------------------------------------


def test_the_inferred_records_are_listed() -> None:
    table = _tables("Stated and inferred")[1]
    ds = seed()
    inferred = {_key(r) for r in [*ds.actors, *ds.initiatives, *ds.relationships]
                if _basis(r) == "inferred"}  # fmt: skip
    listed = [_record(row[0]) for row in table]
    assert len(listed) == len(set(listed))
    assert set(listed) == inferred


def test_the_records_that_are_not_active_are_listed() -> None:
    table = _tables("Status")[1]
    ds = seed()
    expected = {(_key(r), r.status.value) for r in [*ds.initiatives, *ds.relationships]
                if r.status != schema.Status.ACTIVE}  # fmt: skip
    listed = [(_record(row[0]), row[1]) for row in table]
    assert len(listed) == len(set(listed))
    assert set(listed) == expected


def test_every_runs_and_publishes_link_is_listed_with_its_type() -> None:
    (table,) = _tables("PUBLISHES or RUNS")
    expected = {(r.source, r.type, r.target) for r in seed().relationships
                if r.type in {"RUNS", "PUBLISHES"}}  # fmt: skip
    listed = []
    for row in table:
        source, arrow, target = _record(row[0])
        assert arrow == "→", row
        listed.append((source, row[1], target))
    assert len(listed) == len(set(listed))
    assert set(listed) == expected


def test_actor_table_kinds_and_basis() -> None:
    (table,) = _tables("Actors")
    doc = {_record(row[0]): (row[1].split()[0], row[2]) for row in table}
    assert doc == {a.id: (a.kind, _basis(a)) for a in seed().actors}


def test_initiative_table_kinds_and_status() -> None:
    (table,) = _tables("Initiatives")
    doc = {_record(row[0]): (row[1], row[2]) for row in table}
    assert doc == {i.id: (i.kind, i.status.value) for i in seed().initiatives}


def test_every_correction_quotes_the_summary_in_its_note() -> None:
    """Each inferred or not-active record says why, in words the summary uses."""
    ds = seed()
    for r in [*ds.actors, *ds.initiatives, *ds.relationships]:
        if _basis(r) == "inferred" or getattr(r, "status", "active") != "active":
            assert r.note and '"' in r.note, _key(r)
        if _basis(r) == "inferred":
            assert "inferred" in r.note.lower(), _key(r)
