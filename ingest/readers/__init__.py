"""Read any supported input into one validated `Dataset`, reporting every problem at once.

Formats: "yaml", "json" (documents), "csv" (a folder of section files, or one
section file), "excel" (a workbook), "twin-cities" (the external twin-cities
edge list; `ingest.readers.twin_cities`). By default the path decides: a
folder is CSV, `.yaml`/`.yml` YAML, `.json` JSON, `.xlsx`/`.xlsm` Excel, and a
`.csv` file is a section file when named after a section, the twin-cities
list when its header has `city1`/`city2` columns.

Two levels of checks, both before anything is written:

* row level (here, per record): fields, vocabularies, booleans, countries;
* cross-record (`ingest.validate.validate`): duplicate ids with conflicting
  data, endpoint kinds, `city` pointing at a non-city, and dangling ids.

Dangling ids are only errors if the id is in neither the input nor the store,
so without a store `read_input` leaves them to `load_dataset`, which runs
`validate` against the store. The CLI gets everything in one run: it reads all
inputs with `read_inputs` (row-level problems, never raising), then runs the
store-aware cross-record checks, and reports both lists together.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.problems import Problem, ValidationFailed
from ingest.records import Dataset, Origin
from ingest.validate import validate

FORMATS = ("yaml", "json", "csv", "excel", "twin-cities")
ON_UNRESOLVED = ("skip", "fail")
_SUFFIXES = {
    ".yaml": "yaml",
    ".yml": "yaml",
    ".json": "json",
    ".xlsx": "excel",
    ".xlsm": "excel",
    ".xls": "excel",
}
_TWIN_COLUMNS = {"city1", "city2"}


class UnknownFormat(ValueError):
    """The format of a path cannot be told from its name or contents."""


@dataclass
class ReadResult:
    """What reading one or more inputs gave: records, problems, and notes for the user."""

    dataset: Dataset = field(default_factory=Dataset)
    problems: list[Problem] = field(default_factory=list)
    #: Lines worth showing (skipped sheets, the twin-cities adapter's report).
    notes: list[str] = field(default_factory=list)
    #: Adapter reports (e.g. `TwinCitiesReport`), for JSON output.
    reports: list[Any] = field(default_factory=list)

    def report_dicts(self) -> list[Any]:
        """The adapter reports as JSON-ready values (CLI and API print the same)."""
        out: list[Any] = []
        for report in self.reports:
            if hasattr(report, "to_dict"):
                out.append(report.to_dict())
            elif dataclasses.is_dataclass(report) and not isinstance(report, type):
                out.append(dataclasses.asdict(report))
            else:
                out.append(str(report))
        return out

    def extend(self, other: ReadResult) -> None:
        self.dataset.extend(other.dataset)
        self.problems += other.problems
        self.notes += other.notes
        self.reports += other.reports


def detect_format(path: Path) -> str:
    """The format of `path` from its name (and, for a lone .csv, its header)."""
    path = Path(path)
    if path.is_dir():
        return "csv"
    suffix = path.suffix.lower()
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    if suffix == ".csv":
        from ingest.readers.fields import SECTIONS

        if path.stem.strip().lower() in SECTIONS:
            return "csv"
        if _csv_header(path) >= _TWIN_COLUMNS:
            return "twin-cities"
        raise UnknownFormat(
            "a CSV file must be named after its section (actors.csv, initiatives.csv, "
            "relationships.csv, countries.csv) or be a twin-cities list (columns city1, "
            "country1, …, city2, …); or give --format"
        )
    raise UnknownFormat(
        f"cannot tell the format from the name {path.name!r}: use .yaml, .yml, .json, "
        ".xlsx, a folder of CSV files, or give --format"
    )


def _csv_header(path: Path) -> set[str]:
    try:
        with path.open(encoding="utf-8-sig", errors="replace") as fh:
            line = fh.readline()
    except OSError:
        return set()
    return {c.strip().lower() for c in line.replace(";", ",").split(",")}


def read_path(path: Path, format: str | None = None, *, on_unresolved: str = "skip") -> ReadResult:
    """Read one input; problems are collected in the result, never raised."""
    path = Path(path)
    result = ReadResult()
    if format in (None, "auto"):
        if not path.exists():
            result.problems.append(Problem(Origin(str(path)), None, None, "no such file or folder"))
            return result
        try:
            format = detect_format(path)
        except UnknownFormat as exc:
            result.problems.append(Problem(Origin(str(path)), None, None, str(exc)))
            return result
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; expected one of {', '.join(FORMATS)}")
    if not path.exists():
        result.problems.append(Problem(Origin(str(path)), None, None, "no such file or folder"))
        return result

    if format in ("yaml", "json"):
        from ingest.readers.document import read_document

        if path.is_dir():
            result.problems.append(
                Problem(Origin(str(path)), None, None, f"a folder, not a {format} file")
            )
            return result
        result.dataset, result.problems = read_document(path, format)
    elif format == "csv":
        from ingest.readers.csv_folder import read_csv_file, read_csv_folder

        reader = read_csv_folder if path.is_dir() else read_csv_file
        result.dataset, result.problems = reader(path)
    elif format == "excel":
        from ingest.readers.excel import read_workbook

        result.dataset, result.problems = read_workbook(path, result.notes)
    else:  # twin-cities, written by its own module
        from ingest.readers.twin_cities import read_twin_cities

        try:
            dataset, report = read_twin_cities(path, on_unresolved=on_unresolved)
        except ValidationFailed as exc:
            result.problems += exc.problems
            return result
        result.dataset = dataset
        result.reports.append(report)
        lines = getattr(report, "lines", None)
        result.notes += list(lines()) if callable(lines) else [str(report)]
    return result


def read_inputs(
    paths: Iterable[Path], format: str | None = None, *, on_unresolved: str = "skip"
) -> ReadResult:
    """Read several inputs into one dataset; row-level problems of all of them, none raised.

    Cross-record checks are not run here: run `cross_record_problems` (without a
    store) or `ingest.validate.validate` / `load_dataset` (with one).
    """
    result = ReadResult()
    for path in paths:
        result.extend(read_path(Path(path), format, on_unresolved=on_unresolved))
    return result


def cross_record_problems(dataset: Dataset) -> list[Problem]:
    """Cross-record problems visible without a store (dangling ids are left out)."""
    return validate(dataset, {}, missing_ok=True)


def read_input(
    path: Path | Sequence[Path], format: str | None = None, *, on_unresolved: str = "skip"
) -> Dataset:
    """Read one input (or several) into a validated `Dataset`.

    Raises `ValidationFailed` with every problem: row-level ones first, then the
    cross-record ones that can be seen without a store. Ids referenced but not
    defined in the input are left for `load_dataset`, which checks them against
    the store.
    """
    paths = [path] if isinstance(path, str | Path) else list(path)
    result = read_inputs(paths, format, on_unresolved=on_unresolved)
    problems = result.problems + cross_record_problems(result.dataset)
    if problems:
        raise ValidationFailed(problems)
    return result.dataset


__all__ = [
    "FORMATS",
    "ON_UNRESOLVED",
    "ReadResult",
    "UnknownFormat",
    "cross_record_problems",
    "detect_format",
    "read_input",
    "read_inputs",
    "read_path",
]
