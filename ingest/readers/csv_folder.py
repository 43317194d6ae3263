"""A folder of CSV files named after the sections: `actors.csv`, `initiatives.csv`,
`relationships.csv` and optional `countries.csv` (or one such file on its own).

The first non-blank line is the header, naming the fields exactly (case and
surrounding spaces do not matter). The delimiter is `,`, or `;` when the
header has no comma but has semicolons (as some spreadsheet programs in
Europe save CSV). List fields are `;`-separated inside a cell. Files are read
as UTF-8, with or without a byte-order mark. Line numbers in messages are the
file's physical lines (a quoted cell spanning lines counts where its row starts).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ingest.limits import InputLimits, current
from ingest.problems import Problem
from ingest.readers.document import read_text
from ingest.readers.fields import SECTIONS
from ingest.readers.messages import suggest
from ingest.readers.rows import RecordCollector, default_sources
from ingest.readers.table import Table
from ingest.records import Dataset, Origin

SUFFIX = ".csv"


def section_files(folder: Path) -> tuple[dict[str, Path], list[Problem]]:
    """The section files in `folder`, and problems for CSV files named like none."""
    found: dict[str, Path] = {}
    problems: list[Problem] = []
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.suffix.lower() != SUFFIX:
            continue
        stem = path.stem.strip().lower()
        if stem in SECTIONS:
            if stem in found:
                problems.append(
                    Problem(Origin(str(path)), None, None,
                            f"a second file for section {stem} ({found[stem].name})")
                )  # fmt: skip
            else:
                found[stem] = path
        else:
            hint = suggest(stem, SECTIONS)
            did = f"did you mean {hint}.csv? " if hint else ""
            problems.append(
                Problem(Origin(str(path)), None, None,
                        f"not a section file: {did}CSV files here must be named "
                        f"{', '.join(s + SUFFIX for s in SECTIONS)}")
            )  # fmt: skip
    if not found and not problems:
        names = ", ".join(s + SUFFIX for s in SECTIONS)
        problems.append(
            Problem(Origin(str(folder)), None, None, f"no section files; expected {names}")
        )
    return found, problems


def read_csv_folder(
    folder: Path, limits: InputLimits | None = None
) -> tuple[Dataset, list[Problem]]:
    """Read every section file in `folder`; every problem is returned, nothing raised
    but `InputTooLarge` for a file with more rows than `limits` allow."""
    folder = Path(folder)
    files, problems = section_files(folder)
    collector = RecordCollector()
    collector.problems += problems
    for section in SECTIONS:  # countries, actors, initiatives, relationships
        if section in files:
            read_csv_file(files[section], section, collector, limits)
    return collector.dataset, collector.problems


def read_csv_file(
    path: Path,
    section: str | None = None,
    collector: RecordCollector | None = None,
    limits: InputLimits | None = None,
) -> tuple[Dataset, list[Problem]]:
    """Read one section file (section from the file name unless given); rows past
    `limits.max_rows` raise `InputTooLarge`."""
    path = Path(path)
    limits = limits or current()
    file = str(path)
    collector = collector or RecordCollector()
    section = section or path.stem.strip().lower()
    if section not in SECTIONS:
        hint = suggest(section, SECTIONS)
        collector.problem(
            Origin(file), None, None,
            (f"did you mean {hint}.csv? " if hint else "")
            + f"a CSV file's name says its section: {', '.join(s + SUFFIX for s in SECTIONS)}",
        )  # fmt: skip
        return collector.dataset, collector.problems
    text, problems = read_text(path, file)
    if text is None:
        collector.problems += problems
        return collector.dataset, collector.problems

    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    delimiter = ";" if ";" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    table: Table | None = None
    sources = default_sources(path.name)
    rows = 0
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            collector.problem(Origin(file, start), None, None, f"CSV syntax error: {exc}")
            break
        if not cells or all(not c.strip() for c in cells):
            continue
        if table is None:
            table = Table(collector, section, cells, Origin(file, start), sources=sources)
        else:
            rows += 1
            limits.check_rows(file, rows)
            table.row(cells, Origin(file, start))
    if table is None:
        collector.problem(Origin(file, 1), None, None, "the file is empty; expected a header row")
    return collector.dataset, collector.problems
