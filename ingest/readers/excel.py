"""An Excel workbook (.xlsx) with sheets `actors`, `initiatives`, `relationships`
and optional `countries` — what network staff actually keep.

In each sheet the first non-empty row is the header naming the fields (as in
the template, `scn-graph template`); each following row is one record. Sheet
names are compared case-insensitively. Sheets named README, instructions,
lists or notes are skipped; a sheet named almost like a section (`actor`,
`Relationship`) is reported; other sheets are skipped and listed in the notes.
Cells may hold text, numbers, dates or Excel booleans. Formulas are read as
their last computed values. Messages name the sheet and the Excel row number.

Before anything is parsed the workbook is held to `ingest.limits`: the sizes its
ZIP declares and the rows each sheet declares (`<dimension>`); rows are counted
again while the sheets are streamed (openpyxl's read-only mode), so a workbook
over a limit is refused (`InputTooLarge`) without being read whole.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from ingest.limits import InputLimits, current
from ingest.problems import Problem
from ingest.readers.fields import SECTIONS
from ingest.readers.messages import suggest
from ingest.readers.rows import RecordCollector, default_sources
from ingest.readers.table import Table
from ingest.records import Dataset, Origin

SUFFIXES = (".xlsx", ".xlsm")
#: Sheets that hold explanations, not records.
SKIPPED_SHEETS = frozenset({"readme", "read me", "instructions", "lists", "notes", "help"})


def read_workbook(
    path: Path, notes: list[str] | None = None, limits: InputLimits | None = None
) -> tuple[Dataset, list[Problem]]:
    """Read every section sheet; every problem is returned, nothing raised but
    `InputTooLarge` for a workbook over `limits` (by default the environment's).

    Names of sheets that were skipped are appended to `notes`.
    """
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    path = Path(path)
    file = str(path)
    collector = RecordCollector()
    if path.suffix.lower() == ".xls":
        collector.problem(
            Origin(file), None, None,
            "old Excel 97-2003 format (.xls) is not supported: save it as .xlsx",
        )  # fmt: skip
        return collector.dataset, collector.problems
    limits = limits or current()
    limits.check_zip(path, file)
    limits.check_sheet_rows(path, file)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or "not a readable Excel workbook (.xlsx)"
        collector.problem(Origin(file), None, None, str(reason))
        return collector.dataset, collector.problems
    try:
        sheets: dict[str, Any] = {}
        for ws in wb.worksheets:
            name = ws.title.strip().lower()
            if name in SECTIONS:
                if name in sheets:
                    collector.problem(
                        Origin(file, sheet=ws.title), None, None,
                        f"a second sheet for section {name}",
                    )  # fmt: skip
                else:
                    sheets[name] = ws
            elif name in SKIPPED_SHEETS:
                continue
            elif (hint := suggest(name, SECTIONS)) is not None:
                collector.problem(
                    Origin(file, sheet=ws.title), None, None,
                    f"not a section sheet (did you mean {hint!r}?); sheets must be named "
                    f"{', '.join(SECTIONS)}",
                )  # fmt: skip
            elif notes is not None:
                notes.append(f"{file}: sheet {ws.title!r} is not a section and was skipped")
        if not sheets and not collector.problems:
            collector.problem(
                Origin(file), None, None,
                f"no section sheets found; expected sheets named {', '.join(SECTIONS)}",
            )  # fmt: skip
        sources = default_sources(path.name)
        for section in SECTIONS:
            ws = sheets.get(section)
            if ws is None:
                continue
            where = f"sheet {ws.title}"
            limits.check_rows(file, _declared_rows(ws) - 1, where)  # less the header
            table: Table | None = None
            for row_number, cells in enumerate(ws.iter_rows(values_only=True), start=1):
                limits.check_rows(file, row_number - 1, where)  # the header is not a row
                origin = Origin(file, row_number, ws.title)
                if table is None:
                    if any(c is not None and str(c).strip() for c in cells):
                        table = Table(collector, section, cells, origin, sources=sources)
                    continue
                table.row(cells, origin)
    finally:
        wb.close()
    return collector.dataset, collector.problems


def _declared_rows(ws: Any) -> int:
    """The rows a sheet says it has (its `<dimension>`), 0 when it says nothing."""
    try:
        return int(ws.max_row or 0)
    except (TypeError, ValueError):
        return 0
