"""YAML and JSON documents: sections `actors`, `initiatives`, `relationships`,
optional `countries`, and an optional top-level `sources` list that is the
default provenance of every record that gives none.

Each record's line is kept for error messages: YAML through a loader that
records where each mapping starts, JSON through a position-tracking decoder
(the standard library's pure-Python scanner with its object parser wrapped to
note the offset of every `{`). Syntax errors are reported with their line.

YAML is read as YAML 1.2 reads booleans: only true/false are booleans, so a
country written `NO` (Norway) stays text; `yes`/`no` are still accepted in
boolean fields, where they are read as words. Dates are not YAML timestamps
but text, checked by the one date rule of every format (an impossible
`2019-13-45` is a problem with its line, not a crash).
"""

from __future__ import annotations

import bisect
import json
import json.decoder
import json.scanner
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from ingest.problems import Problem, ValidationFailed
from ingest.readers.fields import SECTIONS
from ingest.readers.messages import suggest
from ingest.readers.rows import RecordCollector, default_sources
from ingest.records import Dataset, Origin

#: What an export adds (`ingest.export_formats`): what the file holds; not read.
EXPORT_KEY = "export"
TOP_LEVEL = (*SECTIONS, "sources", EXPORT_KEY)


class LineDict(dict[str, Any]):
    """A mapping that remembers the 1-based line where it starts in its file."""

    line: int | None = None
    duplicate_keys: tuple[str, ...] = ()


# -- YAML ---------------------------------------------------------------------------

_YamlBase: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BOOL_TAG = "tag:yaml.org,2002:bool"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


class _LineLoader(_YamlBase):  # type: ignore[misc]
    """Safe loader whose mappings are `LineDict`s, with YAML 1.2 booleans and dates
    left as text."""


# Dates stay text, checked by the date rule of every format (`ingest.records.iso_date`):
# YAML's own timestamps would crash on `2019-13-45` and turn `2019-04-01 10:00` into a
# datetime no other format has.
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_BOOL_TAG, _TIMESTAMP_TAG)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_LineLoader.add_implicit_resolver(
    _BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _construct_mapping(loader: Any, node: yaml.MappingNode) -> Any:
    data = LineDict()
    data.line = node.start_mark.line + 1
    yield data
    keys = [loader.construct_object(k, deep=True) for k, _ in node.value]
    data.duplicate_keys = tuple(
        sorted({str(k) for k in keys if isinstance(k, str) and keys.count(k) > 1})
    )
    data.update(loader.construct_mapping(node, deep=True))


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


def parse_yaml(text: str, file: str) -> tuple[Any, list[Problem]]:
    """The document (mappings as `LineDict`s), or None and the syntax error."""
    try:
        return yaml.load(text, Loader=_LineLoader), []  # a safe loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        return None, [Problem(Origin(file, line), None, None, f"YAML syntax error: {what}")]
    except yaml.YAMLError as exc:
        return None, [Problem(Origin(file), None, None, f"YAML error: {exc}")]


# -- JSON ---------------------------------------------------------------------------


class _LineDecoder(json.JSONDecoder):
    """Decodes JSON objects into `LineDict`s that know the line of their `{`."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._newlines = [m.start() for m in re.finditer("\n", text)]

        def parse_object(s_and_end: tuple[str, int], strict: bool, scan_once: Any, *_: Any) -> Any:
            start = s_and_end[1] - 1  # offset of the '{'
            pairs, end = json.decoder.JSONObject(  # type: ignore[attr-defined]
                s_and_end, strict, scan_once, None, lambda p: p, {}
            )
            obj = LineDict(pairs)
            obj.line = bisect.bisect_right(self._newlines, start) + 1
            if len(obj) != len(pairs):
                keys = [k for k, _ in pairs]
                obj.duplicate_keys = tuple(sorted({k for k in keys if keys.count(k) > 1}))
            return obj, end

        self.parse_object = parse_object
        self.scan_once = json.scanner.py_make_scanner(self)


def parse_json(text: str, file: str) -> tuple[Any, list[Problem]]:
    """The document (objects as `LineDict`s), or None and the syntax error."""
    try:
        return _LineDecoder(text).decode(text), []
    except json.JSONDecodeError as exc:
        return None, [
            Problem(Origin(file, exc.lineno), None, None, f"JSON syntax error: {exc.msg} "
                    f"(column {exc.colno})")
        ]  # fmt: skip


# -- the document -------------------------------------------------------------------


def read_text(path: Path, file: str) -> tuple[str | None, list[Problem]]:
    """A file's text (UTF-8, with or without BOM) or the problem that stops reading it."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [Problem(Origin(file), None, None, f"cannot read the file: {exc.strerror}")]
    return decode_text(data, file)


def decode_text(data: bytes, file: str) -> tuple[str | None, list[Problem]]:
    """Bytes read as UTF-8 text (with or without BOM), or the problem that stops it."""
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [
            Problem(Origin(file, line), None, None, "not UTF-8 text: save the file as UTF-8")
        ]


def read_document(path: Path, fmt: str | None = None) -> tuple[Dataset, list[Problem]]:
    """Read a YAML or JSON document; every problem is returned, nothing is raised.

    `fmt` is "yaml" or "json"; by default the suffix decides (.json → JSON).
    """
    path = Path(path)
    file = str(path)
    fmt = fmt or ("json" if path.suffix.lower() == ".json" else "yaml")
    text, problems = read_text(path, file)
    if text is None:
        return Dataset(), problems
    data, problems = (parse_json if fmt == "json" else parse_yaml)(text, file)
    if problems:
        return Dataset(), problems
    return read_mapping(data, file, provenance=default_sources(path.name))


def read_mapping(
    data: Any, source: str, *, provenance: tuple[str, ...] | None = None
) -> tuple[Dataset, list[Problem]]:
    """Records from a parsed document, and every problem found in them.

    `source` names the input in messages; `provenance` is the default `sources`
    of records that give none when the document has no top-level `sources`
    (default: `file:<source>`).
    """
    collector = RecordCollector()
    top = Origin(source, getattr(data, "line", None))
    if data is None:
        collector.problem(top, None, None, f"the document is empty; expected sections "
                          f"{', '.join(SECTIONS)}")  # fmt: skip
        return collector.dataset, collector.problems
    if not isinstance(data, Mapping):
        collector.problem(
            top, None, None,
            f"expected a mapping with sections {', '.join(SECTIONS)}, "
            f"not {type(data).__name__}",
        )  # fmt: skip
        return collector.dataset, collector.problems

    defaults = provenance or default_sources(Path(source).name)
    doc_sources = data.get("sources")
    if doc_sources is not None:
        items = [doc_sources] if isinstance(doc_sources, str) else doc_sources
        if isinstance(items, list) and all(isinstance(s, str) for s in items):
            if any(s.strip() for s in items):
                defaults = tuple(s.strip() for s in items if s.strip())
        else:
            collector.problem(top, "sources", doc_sources, "expected a list of text")

    for key in data:
        if key not in TOP_LEVEL:
            hint = suggest(str(key), TOP_LEVEL)
            collector.problem(
                top, str(key), None,
                f"unknown section (did you mean {hint!r}?)" if hint else
                f"unknown section; allowed: {', '.join(TOP_LEVEL)}",
            )  # fmt: skip
    for dup in getattr(data, "duplicate_keys", ()):
        collector.problem(top, dup, None, "section given twice; only the last one would be read")

    for section in SECTIONS:
        records = data.get(section)
        if records is None:
            continue
        if not isinstance(records, list):
            collector.problem(
                top, section, None,
                f"a section must be a list of records, not {type(records).__name__}",
            )  # fmt: skip
            continue
        for index, item in enumerate(records, start=1):
            line = getattr(item, "line", None)
            origin = Origin(source, line)
            if not isinstance(item, Mapping):
                collector.problem(
                    Origin(source, top.line) if line is None else origin, section, item,
                    f"record {index} is not a mapping of field: value",
                )  # fmt: skip
                continue
            for dup in getattr(item, "duplicate_keys", ()):
                collector.problem(origin, dup, None, "field given twice in one record")
            collector.add(section, item, origin, sources=defaults)
    return collector.dataset, collector.problems


def dataset_from_mapping(data: dict[str, Any], source: str) -> Dataset:
    """A `Dataset` from a YAML-shaped dict (sections actors/initiatives/relationships/…).

    Row-level problems (fields, vocabularies, countries) raise `ValidationFailed`;
    cross-record checks are `load_dataset`'s (it sees the store). Records
    without `sources` get `file:<source>` (or the dict's top-level `sources`).
    """
    dataset, problems = read_mapping(data, source)
    if problems:
        raise ValidationFailed(problems)
    return dataset
