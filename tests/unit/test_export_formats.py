"""The export-format registry: one entry per format, used by `export`, the API and the docs."""

from __future__ import annotations

import re
import zipfile
from io import BytesIO

import pytest

from graph import export as writers
from graph.projection import build_graph
from tests.support.paths import ROOT

G = build_graph(
    [
        {"id": "leeds", "kind": "city", "name": "Leeds", "country": "GB"},
        {"id": "efus", "kind": "international_org", "name": "EFUS"},
    ],
    [{"source": "leeds", "type": "MEMBER_OF", "target": "efus"}],
)


@pytest.mark.parametrize("name", list(writers.FORMATS))
def test_each_format_is_written_as_registered(name: str) -> None:
    f = writers.FORMATS[name]
    content, media, suffix = writers.export(G, name, meta={"note": "x"})
    assert (media, suffix) == (f.media_type, f.suffix)
    assert content and (f.binary or b"Leeds" in content)
    for table in f.tables:
        part, media, suffix = writers.export(G, name, table=table)
        assert (media, suffix) == (f.table_media_type, f.table_suffix) and part


def test_csv_is_a_zip_of_its_tables() -> None:
    content, _, _ = writers.export(G, "csv")
    with zipfile.ZipFile(BytesIO(content)) as zf:
        assert zf.namelist() == [f"{t}.csv" for t in writers.CSV_TABLES]
    with pytest.raises(ValueError, match="unknown CSV table"):
        writers.export(G, "csv", table="people")


def test_an_unknown_format_names_the_registered_ones() -> None:
    with pytest.raises(ValueError, match="expected one of json, graphml, gexf, csv"):
        writers.export(G, "pdf")


def test_the_api_docs_list_every_format() -> None:
    row = next(
        line
        for line in (ROOT / "docs" / "api.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("| `GET /api/export`")
    )
    listed = re.search(r"`format` (.*?);", row)
    assert listed is not None
    for f in writers.FORMATS.values():
        assert f.described.split(" (")[0] in listed.group(1), f.name


def test_csv_cells_a_spreadsheet_would_run_as_formulas_are_quoted() -> None:
    """CSV injection (OWASP): text starting with = + - @ tab or CR is written after a `'`,
    so a spreadsheet shows it instead of running it; numbers are left alone."""
    import csv
    from io import StringIO

    hostile = {
        "name": '=HYPERLINK("http://x.invalid","click")',
        "note": "+cmd|' /C calc'!A0",
        "url": "@SUM(1+1)",
        "sector": "-2+3",
        "nation": "\tTAB",
        "level": "\rCR",
    }
    H = build_graph(
        [
            {"id": "x", "kind": "city", "country": "GB", "lat": 51.5, "lon": -0.12, **hostile},
            {"id": "y", "kind": "city", "name": "Y"},
        ],
        [{"source": "x", "type": "PARTNERS_WITH", "target": "y", "note": "=1+1"}],
    )
    rows = csv.DictReader(StringIO(writers.to_csv(H, "nodes").decode(), newline=""))
    row = next(r for r in rows if r["id"] == "x")
    for field, value in hostile.items():
        assert row[field] == "'" + value, field
    assert row["lon"] == "-0.12"
    (edge,) = csv.DictReader(StringIO(writers.to_csv(H, "edges").decode(), newline=""))
    assert edge["note"] == "'=1+1"
