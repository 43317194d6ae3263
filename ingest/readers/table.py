"""Tables (a CSV file, a worksheet): a header row naming the fields, then one record per row.

Both tabular readers hand their rows to a `Table`, which checks the header
once and passes each row to the `RecordCollector` as a field -> value mapping.
A text cell that starts with the `'` an export puts before what a spreadsheet
would run as a formula (`graph.spreadsheet_cells`) is read without it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graph.spreadsheet_cells import unquote_formula
from ingest.readers.fields import FIELDS, REQUIRED
from ingest.readers.messages import unknown_field_reason
from ingest.readers.rows import RecordCollector
from ingest.readers.values import blank, normalise_column
from ingest.records import Origin


class Table:
    """One CSV file or one sheet: a header row naming the fields, then one record per row.

    The header is checked once (unknown, duplicate or empty column names are
    reported at the header's line); unknown columns are then ignored row by row.
    """

    def __init__(
        self,
        collector: RecordCollector,
        section: str,
        header: Sequence[Any],
        header_origin: Origin,
        *,
        sources: Sequence[str],
    ) -> None:
        self.collector = collector
        self.section = section
        self.sources = tuple(sources)
        self.columns: list[str | None] = []
        self._headless_reported: set[int] = set()
        self._unknown: set[int] = set()
        seen: set[str] = set()
        for i, cell in enumerate(header):
            name = normalise_column(cell)
            if name is None:
                self.columns.append(None)
                continue
            if name not in FIELDS[section]:
                collector.problem(
                    header_origin, str(cell).strip(), None,
                    unknown_field_reason(section, name, column=True),
                )  # fmt: skip
                self._unknown.add(i)
                self.columns.append(None)
            elif name in seen:
                collector.problem(header_origin, name, None, "column appears twice in the header")
                self._unknown.add(i)
                self.columns.append(None)
            else:
                seen.add(name)
                self.columns.append(name)
        missing = [f for f in REQUIRED[section] if f not in seen]
        if missing:
            collector.problem(
                header_origin,
                missing[0] if len(missing) == 1 else None,
                None,
                f"the header lacks required column{'s' if len(missing) > 1 else ''} "
                f"{', '.join(missing)}",
            )

    def row(self, cells: Sequence[Any], origin: Origin) -> None:
        if all(blank(c) for c in cells):
            return
        values: dict[str, Any] = {}
        for i, cell in enumerate(cells):
            name = self.columns[i] if i < len(self.columns) else None
            if name is not None:
                values[name] = unquote_formula(cell)
            elif blank(cell) or i in self._unknown:
                continue  # unknown columns were reported once, at the header
            elif i not in self._headless_reported:
                self._headless_reported.add(i)
                self.collector.problem(
                    origin,
                    None,
                    cell,
                    f"value in column {i + 1}, which has no name in the header "
                    "(reported once per column)",
                )
        self.collector.add(self.section, values, origin, sources=self.sources, column_checked=True)
