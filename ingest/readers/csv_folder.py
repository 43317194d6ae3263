"""A folder of CSV files named after the sections: `actors.csv`, `initiatives.csv`,
`relationships.csv` and optional `countries.csv` (or one such file on its own, or
a ZIP holding them at its top level, as `scn-graph export --format csv` writes).

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
import zipfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import TypeVar

from ingest.limits import InputLimits, current
from ingest.problems import Problem
from ingest.readers.document import decode_text, read_text
from ingest.readers.fields import SECTIONS
from ingest.readers.messages import suggest
from ingest.readers.rows import RecordCollector, default_sources
from ingest.readers.table import Table
from ingest.records import Dataset, Origin

SUFFIX = ".csv"
T = TypeVar("T")


def section_files(folder: Path) -> tuple[dict[str, Path], list[Problem]]:
    """The section files in `folder`, and problems for CSV files named like none."""
    files = {p.name: p for p in sorted(folder.iterdir()) if p.is_file()}
    found, problems = _sections_named(files, lambda name: str(files[name]), str(folder))
    return found, problems


def _sections_named(
    files: dict[str, T], shown: Callable[[str], str], where: str
) -> tuple[dict[str, T], list[Problem]]:
    """Of `files` (name -> file), the section files by section, and problems for
    CSV files named after no section (or a section given twice)."""
    found: dict[str, T] = {}
    names: dict[str, str] = {}
    problems: list[Problem] = []
    for name, file in files.items():
        path = PurePosixPath(name)
        if path.suffix.lower() != SUFFIX:
            continue
        stem = path.stem.strip().lower()
        if stem in SECTIONS:
            if stem in found:
                problems.append(
                    Problem(Origin(shown(name)), None, None,
                            f"a second file for section {stem} ({names[stem]})")
                )  # fmt: skip
            else:
                found[stem], names[stem] = file, path.name
        else:
            hint = suggest(stem, SECTIONS)
            did = f"did you mean {hint}.csv? " if hint else ""
            problems.append(
                Problem(Origin(shown(name)), None, None,
                        f"not a section file: {did}CSV files here must be named "
                        f"{', '.join(s + SUFFIX for s in SECTIONS)}")
            )  # fmt: skip
    if not found and not problems:
        names_text = ", ".join(s + SUFFIX for s in SECTIONS)
        problems.append(
            Problem(Origin(where), None, None, f"no section files; expected {names_text}")
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
    _read_table_text(text, file, section, collector, limits, default_sources(path.name))
    return collector.dataset, collector.problems


def read_csv_zip(path: Path, limits: InputLimits | None = None) -> tuple[Dataset, list[Problem]]:
    """Read the section files at the top level of a ZIP (what a CSV export is), as a
    folder of them is read; its declared sizes are held to `limits` first."""
    path = Path(path)
    limits = limits or current()
    limits.check_zip(path)
    collector = RecordCollector()
    try:
        with zipfile.ZipFile(path) as zf:
            members = {
                i.filename: i
                for i in zf.infolist()
                if not i.is_dir() and "/" not in i.filename.strip("/")
            }
            files, problems = _sections_named(members, lambda n: f"{path}/{n}", str(path))
            collector.problems += problems
            for section in SECTIONS:
                if section in files:
                    info = files[section]
                    shown = f"{path}/{info.filename}"
                    text, problems = decode_text(zf.read(info), shown)
                    collector.problems += problems
                    if text is not None:
                        sources = default_sources(PurePosixPath(info.filename).name)
                        _read_table_text(text, shown, section, collector, limits, sources)
    except (zipfile.BadZipFile, OSError) as exc:
        collector.problem(Origin(str(path)), None, None, f"not a readable ZIP file: {exc}")
    return collector.dataset, collector.problems


def _read_table_text(
    text: str,
    file: str,
    section: str,
    collector: RecordCollector,
    limits: InputLimits,
    sources: tuple[str, ...],
) -> None:
    """The rows of one section file's text, into `collector`."""
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    delimiter = ";" if ";" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    table: Table | None = None
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
