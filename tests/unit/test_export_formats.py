"""The export-format registry, and the formats that are ingest input read back by the
readers (no store: the records a file holds are the records written)."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from io import BytesIO, StringIO
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

import ingest.export_formats  # noqa: F401  (registers json, yaml, csv, xlsx)
from graph import export as writers
from graph.projection import build_graph
from graph.spreadsheet_cells import neutralise_formula, unquote_formula
from ingest.export_records import sections
from ingest.readers import read_input
from tests.support.paths import ROOT

G = build_graph(
    [
        {"id": "leeds", "kind": "city", "name": "Leeds", "country": "GB"},
        {"id": "efus", "kind": "international_org", "name": "EFUS"},
    ],
    [{"source": "leeds", "type": "MEMBER_OF", "target": "efus"}],
)
INGEST_FORMATS = ("json", "yaml", "csv", "xlsx")
SUFFIX = {"json": "json", "yaml": "yaml", "csv": "zip", "xlsx": "xlsx"}


@pytest.mark.parametrize("name", list(writers.FORMATS))
def test_each_format_is_written_as_registered(name: str) -> None:
    f = writers.FORMATS[name]
    content, media, suffix = writers.export(G, name, meta={"note": "x"})
    assert (media, suffix) == (f.media_type, f.suffix)
    assert content and (f.binary or b"Leeds" in content)
    for table in f.tables:
        part, media, suffix = writers.export(G, name, table=table)
        assert (media, suffix) == (f.table_media_type, f.table_suffix) and part


def test_every_format_of_the_issue_is_offered_and_the_four_are_ingest_input() -> None:
    assert set(writers.FORMATS) == {"yaml", "json", "xlsx", "csv", "graphml", "gexf"}
    assert {n for n, f in writers.FORMATS.items() if f.ingest} == set(INGEST_FORMATS)
    assert writers.DEFAULT_FORMAT == "json"


def test_csv_is_a_zip_of_the_section_files() -> None:
    content, _, _ = writers.export(G, "csv")
    with zipfile.ZipFile(BytesIO(content)) as zf:
        assert zf.namelist() == [
            "countries.csv",
            "actors.csv",
            "initiatives.csv",
            "relationships.csv",
        ]
    with pytest.raises(ValueError, match="unknown CSV table 'people'"):
        writers.export(G, "csv", table="people")


def test_an_unknown_format_names_the_registered_ones() -> None:
    with pytest.raises(ValueError, match="expected one of graphml, gexf, json, yaml, csv, xlsx"):
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


# ------------------------------------------------------------------ formulas


@pytest.mark.parametrize(
    "text", ["=SUM(A1)", "+1", "-x", "@y", "\tTAB", "\rCR", "'", "'=", "''x", "plain", ""]
)
def test_unquoting_gives_back_exactly_what_was_quoted(text: str) -> None:
    assert unquote_formula(neutralise_formula(text)) == text


def test_what_a_spreadsheet_would_run_is_quoted_and_numbers_are_not() -> None:
    assert neutralise_formula("=1+1") == "'=1+1"
    assert neutralise_formula("'tis") == "''tis"
    assert neutralise_formula(-0.12) == -0.12
    assert unquote_formula("'plain") == "'plain"  # a quote a person typed stays


HOSTILE = build_graph(
    [
        {
            "id": "x",
            "kind": "city",
            "name": "-Minus City",
            "country": "GB",
            "lat": 51.5,
            "lon": -0.12,
            "note": "=SUM(A1:A9)",
            "url": "@SUM(1+1)",
            "themes": ["hate"],
            "sources": ["-from a list"],
        },
        {"id": "y", "kind": "cso", "name": "@Handle", "note": "'quoted", "city": "x"},
    ],
    [{"source": "x", "type": "PARTNERS_WITH", "target": "y", "note": "+cmd|' /C calc'!A0"}],
)
#: Every stored record has sources (a load gives those that name none `file:<name>`).
for _, _d in HOSTILE.nodes(data=True):
    _d["sources"] = _d["sources"] or ["workshop"]
for _, _, _d in HOSTILE.edges(data=True):
    _d["sources"] = ["workshop"]


def _csv_rows(content: bytes, table: str) -> list[dict[str, str]]:
    with zipfile.ZipFile(BytesIO(content)) as zf:
        text = zf.read(f"{table}.csv").decode()
    return list(csv.DictReader(StringIO(text, newline="")))


def test_csv_and_xlsx_cells_a_spreadsheet_would_run_as_formulas_are_quoted() -> None:
    """CSV injection (OWASP): text starting with = + - @ tab or CR is written after a `'`,
    so a spreadsheet shows it instead of running it; numbers are left alone."""
    from openpyxl import load_workbook

    content, _, _ = writers.export(HOSTILE, "csv")
    x = next(r for r in _csv_rows(content, "actors") if r["id"] == "x")
    assert (x["name"], x["note"], x["url"], x["lon"]) == (
        "'-Minus City",
        "'=SUM(A1:A9)",
        "'@SUM(1+1)",
        "-0.12",
    )
    (rel,) = _csv_rows(content, "relationships")
    assert rel["note"] == "'+cmd|' /C calc'!A0"
    book, _, _ = writers.export(HOSTILE, "xlsx")
    ws = load_workbook(BytesIO(book))["actors"]
    header = [c.value for c in ws[1]]
    row = {h: c.value for h, c in zip(header, ws[2], strict=True)}
    assert row["name"] == "'-Minus City" and row["note"] == "'=SUM(A1:A9)"
    assert row["lon"] == -0.12 and ws.cell(2, header.index("note") + 1).data_type == "s"


# ------------------------------------------------------------------ read back


def _read_back(G: nx.MultiDiGraph, fmt: str, tmp_path: Path, **countries: str) -> Any:
    content, _, _ = writers.export(G, fmt, countries=countries)
    path = tmp_path / f"export.{SUFFIX[fmt]}"
    path.write_bytes(content)
    return read_input(path)


def _records(dataset: Any) -> dict[str, list[dict[str, Any]]]:
    """The dataset as the sections an export writes (what a load would store)."""
    H = build_graph(
        [
            r.model_dump(mode="json", exclude_none=True)
            for r in dataset.actors + dataset.initiatives
        ],
        [r.model_dump(mode="json", exclude_none=True) for r in dataset.relationships],
        include_confidential=True,
    )
    countries = {c.code: c.name for c in dataset.countries}
    return sections(H, countries)


@pytest.mark.parametrize("fmt", INGEST_FORMATS)
def test_the_readers_read_back_exactly_what_was_written(fmt: str, tmp_path: Path) -> None:
    """Formula quotes, leading signs, a person's own quote, lists, numbers and booleans
    all come back as they were (the store-level round trip is in the integration layer)."""
    G = build_graph(
        [
            *(d | {"id": n} for n, d in HOSTILE.nodes(data=True)),
            {
                "id": "plan",
                "kind": "framework",
                "name": "Plan",
                "level": "national",
                "status": "planned",
                "start": "2020",
                "themes": ["hate", "polarisation"],
                "sources": ["Annual report, 2021", "=cell"],
            },
        ],
        [
            *({"source": s, "target": t, **d} for s, t, d in HOSTILE.edges(data=True)),
            {
                "source": "y",
                "type": "CONTRIBUTES_TO",
                "target": "plan",
                "confidential": True,
                "since": "2019-04",
                "basis": "inferred",
                "sources": ["interview, 2023"],
            },
        ],
        include_confidential=True,
    )
    written = sections(G, {"GB": "United Kingdom"})
    got = _records(_read_back(G, fmt, tmp_path, GB="United Kingdom"))
    assert got == written
    assert any(r.get("confidential") for r in got["relationships"])


def test_a_json_export_says_what_it_holds_and_the_reader_skips_that() -> None:
    content, _, _ = writers.export(G, "json", meta={"include_confidential": False})
    body = json.loads(content)
    assert list(body) == ["export", "countries", "actors", "initiatives", "relationships"]
    assert body["export"]["include_confidential"] is False
    assert body["export"]["counts"] == {
        "countries": 0,
        "actors": 2,
        "initiatives": 0,
        "relationships": 1,
    }
    # derived values (family, classification) are not fields of any section
    assert "family" not in body["actors"][0] and "axis" not in body["relationships"][0]


def test_yaml_keeps_words_yaml_would_read_as_booleans_or_dates_as_text(tmp_path: Path) -> None:
    H = build_graph(
        [
            {"id": "oslo", "kind": "city", "name": "Oslo", "country": "NO", "sources": ["null"]},
            {"id": "on", "kind": "program", "name": "yes", "start": "2021-04-01", "sources": ["~"]},
        ],
        [],
    )
    assert _records(_read_back(H, "yaml", tmp_path)) == sections(H)


def test_csv_export_of_a_table_is_read_as_that_section(tmp_path: Path) -> None:
    part, _, _ = writers.export(G, "csv", table="actors")
    (tmp_path / "actors.csv").write_bytes(part)
    assert {a.id for a in read_input(tmp_path / "actors.csv").actors} == {"leeds", "efus"}
    assert io.BytesIO(part).read().startswith(b"id,kind,name")
