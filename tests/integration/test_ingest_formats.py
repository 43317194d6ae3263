"""Every input format loads the same graph into the real embedded FalkorDB, and the
blank template round-trips (the Exampleton fixture, see tests/unit/test_ingest_formats.py).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.store import Store, open_store
from ingest.load import load_dataset
from ingest.readers import read_input
from tests.support.ingest import CSV_DIR, JSON, YAML


@pytest.fixture
def make_store(server_dir: Path) -> Iterator[Callable[[], Store]]:
    """More fresh graphs on the session's embedded server, to compare loads."""
    made: list[Store] = []

    def make() -> Store:
        s = open_store(f"embedded:{server_dir}?graph=t{uuid.uuid4().hex[:12]}")
        made.append(s)
        return s

    yield make
    for s in made:
        s.drop()  # type: ignore[attr-defined]
        s.close()


def graph_dump(store: Store, *, keep: tuple[str, ...] = ()) -> tuple[list[Any], list[Any]]:
    """Nodes and edges with their properties, minus load timestamps and the source labels
    (and minus sources, which name the input file, unless kept); revisions aside (each
    store has its own history)."""
    drop = {"updated_at", "sources", "loaded_from"} - set(keep)
    nodes = store.run(
        "MATCH (n) WHERE NOT n:ScnRevision RETURN labels(n), properties(n)", read_only=True
    ).rows
    edges = store.run(
        "MATCH (a)-[e]->(b) RETURN coalesce(a.id, a.code, a.name), type(e), "
        "coalesce(b.id, b.code, b.name), properties(e)",
        read_only=True,
    ).rows
    n = sorted(
        json.dumps([sorted(lb), {k: v for k, v in p.items() if k not in drop}], sort_keys=True)
        for lb, p in nodes
    )
    e = sorted(
        json.dumps([s, t, o, {k: v for k, v in p.items() if k not in drop}], sort_keys=True)
        for s, t, o, p in edges
    )
    return n, e


# -- reading -------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "csv", "excel"])
def test_each_format_loads_the_same_graph(
    fmt: str, store: Store, make_store: Callable[[], Store], xlsx: Path
) -> None:
    load_dataset(store, read_input(YAML))
    other = make_store()
    path = {"json": JSON, "csv": CSV_DIR, "excel": xlsx}[fmt]
    report = load_dataset(other, read_input(path))
    assert report.actors.created == 6
    assert report.initiatives.created == 3
    assert report.relationships.created == 10
    # The fixtures give the same sources everywhere, so even provenance is equal.
    assert graph_dump(other, keep=("sources",)) == graph_dump(store, keep=("sources",))


def test_the_loaded_graph_has_what_the_file_says(store: Store) -> None:
    load_dataset(store, read_input(YAML))
    row = store.run(
        "MATCH (c:City {id: 'exampleton'}) RETURN c.country, c.nation, c.themes, c.threats, "
        "c.sources",
        read_only=True,
    ).rows[0]
    assert row == ["GB", "Scotland", ["hate", "polarisation"], ["disinformation"],
                   ["invented:exampleton-fixture"]]  # fmt: skip
    cso = store.run(
        "MATCH (c:CSO {id: 'exampleton-youth-voices'}) RETURN c.grassroots, c.city, c.nation",
        read_only=True,
    ).rows[0]
    assert cso == [True, "exampleton", "Scotland"]
    fund = store.run(
        "MATCH (:NationalBody)-[f:FUNDS]->(:Program) RETURN f.confidential, f.note",
        read_only=True,
    ).rows
    assert fund == [[True, "Three-year grant"]]
    assert store.run(
        "MATCH (:City {id: 'exampleton'})-[t:TWINNED_WITH]-(:City {id: 'sampleville'}) "
        "RETURN t.since, t.cross_border",
        read_only=True,
    ).rows == [["1999", True]]
    start = store.run("MATCH (p:Program) RETURN p.start", read_only=True).scalar()
    assert start == "2021-04-01"


# -- syntax: countries, lists, booleans, provenance ----------------------------------


def test_template_round_trip(store: Store, tmp_path: Path) -> None:
    """Fill the blank template with openpyxl as a person would, then load it."""
    from openpyxl import load_workbook

    from ingest.template import write_template

    path = write_template(tmp_path / "t.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["README", "actors", "initiatives", "relationships", "countries"]
    header = [c.value for c in wb["actors"][1]]
    assert header[:3] == ["id", "kind", "name"]
    kinds = [dv for dv in wb["actors"].data_validations.dataValidation
             if "city,cso" in (dv.formula1 or "")]  # fmt: skip
    assert kinds and str(kinds[0].sqref).startswith("B2:B")
    readme = "\n".join(str(c.value) for row in wb["README"].iter_rows() for c in row if c.value)
    for word in ("international_org", "evaluation", "TWINNED_WITH", "planned", "grassroots"):
        assert word in readme

    def put(sheet: str, values: dict[str, Any]) -> None:
        ws = wb[sheet]
        cols = [c.value for c in ws[1]]
        ws.append([values.get(c) for c in cols])

    put("actors", {"id": "exampleton", "kind": "city", "name": "Exampleton", "country": "Wales"})
    put("actors", {"id": "ex-cso", "kind": "cso", "name": "Ex CSO", "country": "GB",
                   "grassroots": True, "themes": "hate;polarisation"})  # fmt: skip
    put("initiatives", {"id": "ex-prog", "kind": "program", "name": "Ex Program",
                        "status": "active", "start": dt.datetime(2022, 5, 1)})  # fmt: skip
    put("relationships", {"source": "ex-cso", "type": "RUNS", "target": "ex-prog",
                          "confidential": False})  # fmt: skip
    put("relationships", {"source": "exampleton", "type": "FUNDS", "target": "ex-cso"})
    put("countries", {"code": "GB"})
    wb.save(path)

    report = load_dataset(store, read_input(path))
    assert (report.actors.created, report.initiatives.created, report.relationships.created) == (
        2, 1, 2,
    )  # fmt: skip
    row = store.run("MATCH (c:City) RETURN c.country, c.nation, c.sources", read_only=True).rows
    assert row == [["GB", "Wales", ["file:t.xlsx"]]]
    assert store.run("MATCH (p:Program) RETURN p.start", read_only=True).scalar() == "2022-05-01"
