"""The export formats that are also ingest input: JSON, YAML, CSV and XLSX.

Each writes the readers' sections (`ingest.export_records`), so `scn-graph
ingest` reads the file back into the same graph:

* JSON and YAML: one document with the sections as top-level lists, and an
  `export` mapping saying what the file holds (format, visibility, filters,
  counts), which the readers skip;
* CSV: a ZIP of `countries.csv`, `actors.csv`, `initiatives.csv` and
  `relationships.csv` (RFC 4180, CRLF line ends), which `ingest` reads as it
  reads a folder of those files; or one of them alone (`table`);
* XLSX: the workbook template (`ingest.template`, README sheet and drop-down
  lists included) with its sheets filled in, so a staffer can edit the export
  and load it back.

Lists are joined with "; " in CSV and XLSX cells, and booleans are written as
true/false. A text cell a spreadsheet would run as a formula is quoted
(`graph.spreadsheet_cells`), and the tabular readers strip exactly that quote.
Importing this module registers the four formats in `graph.export.FORMATS`.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Mapping
from typing import Any

import yaml

from graph.export import ExportFormat, ExportSource, register
from graph.spreadsheet_cells import neutralise_formula
from ingest.export_records import COLUMNS, SECTION_ORDER, Sections, counts, sections

#: What the `export` mapping of a JSON or YAML export says its format is.
DOCUMENT_FORMAT = "scn-graph/2"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def document(src: ExportSource) -> dict[str, Any]:
    """The JSON / YAML document: `export` (what it holds), then the sections."""
    records = sections(src.graph, src.countries)
    about = {"format": DOCUMENT_FORMAT, **dict(src.meta), "counts": counts(records)}
    return {"export": about, **records}


def to_json(src: ExportSource) -> bytes:
    return json.dumps(document(src), ensure_ascii=False, indent=1).encode()


def to_yaml(src: ExportSource) -> bytes:
    text = yaml.safe_dump(document(src), allow_unicode=True, sort_keys=False, width=100)
    return text.encode()


def cell(value: Any) -> Any:
    """A value as a spreadsheet cell: lists joined, booleans as words, text quoted
    where a spreadsheet would run it; numbers stay numbers."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        value = "; ".join(str(v) for v in value)
    return neutralise_formula(value)


def _rows(records: list[Mapping[str, Any]], section: str) -> list[list[Any]]:
    columns = COLUMNS[section]
    return [[cell(r.get(c)) if c in r else None for c in columns] for r in records]


def csv_table(records: Sections, section: str) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")  # RFC 4180; a CR in a cell is quoted too
    w.writerow(COLUMNS[section])
    w.writerows([["" if v is None else v for v in row] for row in _rows(records[section], section)])
    return buf.getvalue()


def to_csv(src: ExportSource) -> bytes:
    """The section files in a ZIP, or the one asked for (`src.table`) as CSV text."""
    records = sections(src.graph, src.countries)
    if src.table is not None:
        return csv_table(records, src.table).encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for section in SECTION_ORDER:
            zf.writestr(f"{section}.csv", csv_table(records, section))
    return buf.getvalue()


def to_xlsx(src: ExportSource) -> bytes:
    """The template workbook with one row per record in its section's sheet."""
    from ingest.template import build_template

    records = sections(src.graph, src.countries)
    wb = build_template()
    for section in SECTION_ORDER:
        ws = wb[section]
        for row in _rows(records[section], section):
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


register(
    ExportFormat(
        "json",
        "JSON",
        "json (ingest input)",
        "application/json",
        "json",
        to_json,
        ingest=True,
    )
)
register(
    ExportFormat(
        "yaml",
        "YAML",
        "yaml (ingest input)",
        "application/yaml",
        "yaml",
        to_yaml,
        ingest=True,
    )
)
register(
    ExportFormat(
        "csv",
        "CSV",
        "csv (ingest input: a ZIP of "
        + ", ".join(f"{s}.csv" for s in SECTION_ORDER)
        + ", or one of them with `table`)",
        "application/zip",
        "zip",
        to_csv,
        binary=True,
        tables=SECTION_ORDER,
        table_media_type="text/csv; charset=utf-8",
        table_suffix="csv",
        ingest=True,
    )
)
register(
    ExportFormat(
        "xlsx",
        "XLSX",
        "xlsx (ingest input: the workbook template filled in)",
        XLSX_MEDIA_TYPE,
        "xlsx",
        to_xlsx,
        binary=True,
        ingest=True,
    )
)
