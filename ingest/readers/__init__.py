"""Read any supported input into one validated `Dataset`, reporting every problem at once.

The input formats are one registry, `READERS` (format name -> `InputFormat`):
each entry has its reader, which returns a `ReadResult`, and says how the
format is recognised (file suffixes, a folder, a look at the file's first
line when several formats share a suffix). `detect_format`, `read_path`, the
CLI's `--format` choices and help (`detection_help`), and the API's `format`
field and its help all come from it, read when they are built (`format_names`,
`folder_format`), so adding an input format means one reader module and one
entry here.

The formats: yaml and json (`ingest.readers.document`), csv (a folder of
section files or one of them, `ingest.readers.csv_folder`), excel
(`ingest.readers.excel`) and twin-cities (the external twin-cities edge
list, `ingest.readers.twin_cities`); docs/data-format.md has the table, and a
test checks it against the registry.

Reader modules are imported when a file of their format is read, so the
registry itself is cheap to import (the CLI builds its options from it).

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

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ingest.limits import InputLimits
    from ingest.problems import Problem
    from ingest.readers.result import ReadResult
    from ingest.records import Dataset

ON_UNRESOLVED = ("skip", "fail")

#: A reader: one path (of its format) -> the one result shape. Problems go into the
#: result, never raised; `on_unresolved` is for readers that resolve names (twin-cities).
Reader = Callable[..., "ReadResult"]


class UnknownFormat(ValueError):
    """The format of a path cannot be told from its name or contents."""


@dataclass(frozen=True)
class InputFormat:
    """One input format: its reader and how to recognise it."""

    name: str
    #: Reads one path: ``read(path, on_unresolved=...) -> ReadResult``.
    read: Reader
    #: How a person gives it, for help texts (e.g. ".yaml/.yml").
    given_as: str
    #: File suffixes (lower case) of this format.
    suffixes: tuple[str, ...] = ()
    #: A folder is of this format.
    folder: bool = False
    #: For a suffix several formats share: is this file of this format?
    claims: Callable[[Path], bool] | None = None
    #: What a file of a shared suffix must be to be this format, for the message
    #: when no format claims it (e.g. "be named after its section (...)").
    must: str = ""
    #: How it is named in "cannot tell the format" messages ("" : not named there).
    shown: str = ""
    #: Its name in prose and in docs/data-format.md's table ("" : its name).
    title: str = ""
    #: For a shared suffix, what a file this format claims is like, for help texts
    #: ("named after a section": "a .csv file named after a section is CSV").
    claimed_as: str = ""
    #: A file name this format claims by name alone, for help texts ("actors.csv …").
    named_like: str = ""

    @property
    def label(self) -> str:
        """How help texts and the docs name it."""
        return self.title or self.name


def _problem(path: Path, reason: str) -> Problem:
    from ingest.problems import Problem
    from ingest.records import Origin

    return Problem(Origin(str(path)), None, None, reason)


def _result(**fields: Any) -> ReadResult:
    from ingest.readers.result import ReadResult

    return ReadResult(**fields)


# --------------------------------------------------------------------------- the readers


def _document_reader(fmt: str) -> Reader:
    def read(path: Path, **_options: Any) -> ReadResult:
        from ingest.readers.document import read_document

        if path.is_dir():
            return _result(problems=[_problem(path, f"a folder, not a {fmt} file")])
        dataset, problems = read_document(path, fmt)
        return _result(dataset=dataset, problems=problems)

    return read


def _read_csv(path: Path, *, limits: InputLimits | None = None, **_: Any) -> ReadResult:
    from ingest.readers.csv_folder import read_csv_file, read_csv_folder, read_csv_zip

    if path.is_dir():
        dataset, problems = read_csv_folder(path, limits)
    elif path.suffix.lower() == ".zip":
        dataset, problems = read_csv_zip(path, limits)
    else:
        dataset, problems = read_csv_file(path, limits=limits)
    return _result(dataset=dataset, problems=problems)


def _read_excel(path: Path, *, limits: InputLimits | None = None, **_: Any) -> ReadResult:
    from ingest.readers.excel import read_workbook

    notes: list[str] = []
    dataset, problems = read_workbook(path, notes, limits)
    return _result(dataset=dataset, problems=problems, notes=notes)


def _read_twin_cities(path: Path, *, on_unresolved: str = "skip", **_: Any) -> ReadResult:
    from ingest.problems import ValidationFailed
    from ingest.readers.twin_cities import read_twin_cities

    try:
        dataset, report = read_twin_cities(path, on_unresolved=on_unresolved)
    except ValidationFailed as exc:
        return _result(problems=list(exc.problems))
    return _result(dataset=dataset, reports=[report], notes=list(report.lines()))


def _named_after_a_section(path: Path) -> bool:
    """A .csv file named after a section, or a ZIP (of such files: a CSV export)."""
    from ingest.readers.fields import SECTIONS

    return path.suffix.lower() == ".zip" or path.stem.strip().lower() in SECTIONS


def _csv_header(path: Path) -> set[str]:
    try:
        with path.open(encoding="utf-8-sig", errors="replace") as fh:
            line = fh.readline()
    except OSError:
        return set()
    return {c.strip().lower() for c in line.replace(";", ",").split(",")}


def _is_twin_cities_list(path: Path) -> bool:
    return _csv_header(path) >= {"city1", "city2"}


# --------------------------------------------------------------------------- the registry

READERS: dict[str, InputFormat] = {}


def register(fmt: InputFormat) -> InputFormat:
    """Add an input format (its name must be new); returns it."""
    if fmt.name in READERS:
        raise ValueError(f"input format {fmt.name!r} is registered twice")
    READERS[fmt.name] = fmt
    return fmt


register(
    InputFormat(
        "yaml",
        _document_reader("yaml"),
        ".yaml/.yml",
        (".yaml", ".yml"),
        shown=".yaml, .yml",
        title="YAML",
    )
)
register(
    InputFormat("json", _document_reader("json"), ".json", (".json",), shown=".json", title="JSON")
)
register(
    InputFormat(
        "csv",
        _read_csv,
        "a folder of CSV files (actors.csv, initiatives.csv, relationships.csv, "
        "countries.csv), a .zip of them (a CSV export), one such CSV file",
        (".csv", ".zip"),
        folder=True,
        claims=_named_after_a_section,
        must="be named after its section (actors.csv, initiatives.csv, relationships.csv, "
        "countries.csv)",
        shown="a folder of CSV files",
        title="CSV",
        claimed_as="named after a section",
        named_like="actors.csv …",
    )
)
register(
    InputFormat(
        "excel", _read_excel, ".xlsx", (".xlsx", ".xlsm", ".xls"), shown=".xlsx", title="Excel"
    )
)
register(
    InputFormat(
        "twin-cities",
        _read_twin_cities,
        "a twin-cities CSV",
        (".csv",),
        claims=_is_twin_cities_list,
        must="be a twin-cities list (columns city1, country1, …, city2, …)",
        claimed_as="with city1/city2 columns",
    )
)


def format_names() -> tuple[str, ...]:
    """The names of the registered formats, in registry order, as registered now."""
    return tuple(READERS)


def folder_format() -> InputFormat:
    """The format a folder (and, over the API, a ZIP of its files) is read as."""
    return next(f for f in READERS.values() if f.folder)


def one_of(words: Sequence[str], last: str = "or") -> str:
    """'a, b or c': how help texts list formats."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {last} {words[-1]}"


def detection_help() -> str:
    """How `detect_format` decides beyond a suffix of one format, for help texts:
    "a folder is CSV; a .csv file named after a section is CSV, one with …"."""
    rules = [f"a folder is {folder_format().label}"]
    shared: dict[str, list[InputFormat]] = {}
    for fmt in READERS.values():
        if fmt.claims is not None:
            for suffix in fmt.suffixes:
                shared.setdefault(suffix, []).append(fmt)
    for suffix, (first, *rest) in shared.items():
        if not rest:
            continue  # a suffix of one format only (.zip): its `given_as` says it
        claims = [f"a {suffix} file {first.claimed_as} is {first.label}"]
        claims += [f"one {fmt.claimed_as} is {fmt.label}" for fmt in rest]
        rules.append(", ".join(claims))
    return "; ".join(rules)


# --------------------------------------------------------------------------- reading


def detect_format(path: Path) -> str:
    """The format of `path` from its name (and, for a shared suffix, its first line)."""
    path = Path(path)
    if path.is_dir():
        return folder_format().name
    suffix = path.suffix.lower()
    candidates = [f for f in READERS.values() if suffix in f.suffixes]
    for fmt in candidates:
        if fmt.claims is None or fmt.claims(path):
            return fmt.name
    if candidates:
        musts = " or ".join(f.must for f in candidates if f.must)
        raise UnknownFormat(f"a {suffix[1:].upper()} file must {musts}; or give --format")
    shown = ", ".join(f.shown for f in READERS.values() if f.shown)
    raise UnknownFormat(
        f"cannot tell the format from the name {path.name!r}: use {shown}, or give --format"
    )


def read_path(
    path: Path,
    format: str | None = None,
    *,
    on_unresolved: str = "skip",
    limits: InputLimits | None = None,
) -> ReadResult:
    """Read one input; problems are collected in the result, never raised. An input
    over `limits` (by default the environment's, `ingest.limits`) raises
    `InputTooLarge` before it is parsed."""
    from ingest.limits import current

    path = Path(path)
    limits = limits or current()
    if format in (None, "auto"):
        if not path.exists():
            return _result(problems=[_problem(path, "no such file or folder")])
        try:
            format = detect_format(path)
        except UnknownFormat as exc:
            return _result(problems=[_problem(path, str(exc))])
    if format not in READERS:
        raise ValueError(f"unknown format {format!r}; expected one of {', '.join(READERS)}")
    if not path.exists():
        return _result(problems=[_problem(path, "no such file or folder")])
    limits.check_size(path)
    return READERS[format].read(path, on_unresolved=on_unresolved, limits=limits)


def read_inputs(
    paths: Iterable[Path],
    format: str | None = None,
    *,
    on_unresolved: str = "skip",
    limits: InputLimits | None = None,
    source: str | None = None,
) -> ReadResult:
    """Read several inputs into one dataset; row-level problems of all of them, none
    raised (but `InputTooLarge`, see `read_path`). Every record is labelled with its
    source (`source` if given, else the name of the path it was read from).

    Cross-record checks are not run here: run `cross_record_problems` (without a
    store) or `ingest.validate.validate` / `load_dataset` (with one).
    """
    result = _result()
    for path in paths:
        part = read_path(Path(path), format, on_unresolved=on_unresolved, limits=limits)
        part.dataset.label_all(source or Path(path).name)
        result.extend(part)
    return result


def cross_record_problems(dataset: Dataset) -> list[Problem]:
    """Cross-record problems visible without a store (dangling ids are left out)."""
    from ingest.validate import validate

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
    from ingest.problems import ValidationFailed

    paths = [path] if isinstance(path, str | Path) else list(path)
    result = read_inputs(paths, format, on_unresolved=on_unresolved)
    problems = result.problems + cross_record_problems(result.dataset)
    if problems:
        raise ValidationFailed(problems)
    return result.dataset


def __getattr__(name: str) -> Any:
    """`ReadResult` on first use (it needs the record models, which the registry does not)."""
    if name == "ReadResult":
        from ingest.readers.result import ReadResult

        return ReadResult
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ON_UNRESOLVED",
    "READERS",
    "InputFormat",
    "ReadResult",
    "UnknownFormat",
    "cross_record_problems",
    "detect_format",
    "detection_help",
    "folder_format",
    "format_names",
    "one_of",
    "read_input",
    "read_inputs",
    "read_path",
    "register",
]
