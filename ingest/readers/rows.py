"""Rows to records: the one code path every reader goes through.

A reader (YAML/JSON document, CSV folder, Excel workbook) hands each record to
`RecordCollector.add` as a plain mapping of field -> value plus its `Origin`
(file, line or sheet and row). Here, for every format alike:

* field names are checked against the record's fields (typos get a "did you
  mean"), blank values count as absent;
* values are read as a person meant them (`ingest.readers.values`: booleans,
  lists, vocabulary words, numbers in text fields); dates (`since`, `start`,
  `end`) are ISO text, a year or a spreadsheet date cell, anything else a
  problem (`ingest.records.iso_date`);
* `country` / `nation` / `code` are resolved (`ingest.readers.country_fields`);
* records lacking `sources` get the default provenance (`file:<name>`, or the
  document's top-level `sources`);
* pydantic's errors become `Problem`s, one per error, with the field's name
  and a sentence for a person (`ingest.readers.messages`).

Every problem is collected, none stops the reading: a run reports them all.
A row with problems still yields a record if it can be built without the bad
fields, so that cross-record checks (endpoint kinds, ...) see it; if it cannot,
its id goes into `Dataset.invalid_ids` so it is not also reported as dangling.
Tables (CSV files, sheets) reach `add` through `ingest.readers.table.Table`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from ingest.problems import Problem
from ingest.readers.country_fields import resolve_code, resolve_place
from ingest.readers.fields import (
    BOOL_FIELDS,
    DATE_FIELDS,
    FIELDS,
    LIST_FIELDS,
    MODELS,
    NUMBER_FIELDS,
    VOCAB_FIELDS,
)
from ingest.readers.messages import friendly_reason, unknown_field_reason
from ingest.readers.values import as_text, blank, normalise_column, split_list, to_bool, vocab
from ingest.records import Dataset, Origin


def default_sources(file_name: str) -> tuple[str, ...]:
    """Provenance for records that give none: `file:<name of the input file>`."""
    return (f"file:{file_name}",)


class RecordCollector:
    """Turns raw records into validated records, collecting every problem on the way."""

    def __init__(self, dataset: Dataset | None = None) -> None:
        self.dataset = dataset if dataset is not None else Dataset()
        self.problems: list[Problem] = []

    def problem(self, origin: Origin | None, field: str | None, value: Any, reason: str) -> None:
        self.problems.append(Problem(origin, field, value, reason))

    # -- one record -----------------------------------------------------------------

    def add(
        self,
        section: str,
        raw: Mapping[Any, Any],
        origin: Origin,
        *,
        sources: Sequence[str],
        column_checked: bool = False,
    ) -> BaseModel | None:
        """Validate one record of `section` and add it to the dataset.

        `sources` is the default provenance for a record that gives none;
        `column_checked` says the keys were already checked (a table header).
        Returns the record, or None if it could not be built at all.
        """
        row_problems: list[Problem] = []

        def bad(field: str | None, value: Any, reason: str) -> None:
            row_problems.append(Problem(origin, field, value, reason))

        allowed = FIELDS[section]
        values: dict[str, Any] = {}
        for key, value in raw.items():
            name = normalise_column(key)
            if name is None:
                if not blank(value):
                    bad(None, value, "a value without a field name")
                continue
            if name not in allowed:
                if not column_checked:
                    bad(str(key), value, unknown_field_reason(section, name, column=False))
                continue
            if isinstance(value, Mapping):
                bad(name, None, "expected a single value or a list, not a mapping")
                continue
            if blank(value):
                continue
            values[name] = value

        self._convert(section, values, bad)
        if not values.get("sources") and "sources" in allowed:
            values["sources"] = list(sources)

        record = self._build(section, values, bad)
        self.problems += row_problems
        if record is not None:
            self.dataset.add(record, origin)  # type: ignore[arg-type]
        elif section in ("actors", "initiatives") and isinstance(values.get("id"), str):
            self.dataset.invalid_ids.add(values["id"])
        return record

    def _convert(self, section: str, values: dict[str, Any], bad: Any) -> None:
        for name in list(values):
            value = values[name]
            if name in BOOL_FIELDS:
                try:
                    values[name] = to_bool(value)
                except ValueError as exc:
                    bad(name, value, str(exc))
                    del values[name]
            elif name in LIST_FIELDS:
                values[name] = [v for v in split_list(name, value) if not blank(v)]
            elif name in VOCAB_FIELDS:
                values[name] = vocab(value)
            elif name not in NUMBER_FIELDS and name not in DATE_FIELDS:
                values[name] = as_text(value)

        if section == "countries" and "code" in values:
            resolve_code(values, bad)
        elif "country" in values or "nation" in values:
            resolve_place(section, values, bad)

    def _build(self, section: str, values: dict[str, Any], bad: Any) -> BaseModel | None:
        model = MODELS[section]
        try:
            return model(**values)
        except ValidationError as exc:
            failed: set[str] = set()
            for err in exc.errors(include_url=False):
                loc = err.get("loc") or ()
                top = str(loc[0]) if loc else None
                if top:
                    failed.add(top)
                field = ".".join(str(p) for p in loc) if loc else None
                value = None if err["type"] == "missing" else err.get("input")
                bad(field, value, friendly_reason(section, err))
        # Build what can be built without the bad fields, so cross-record checks see it.
        partial = {k: v for k, v in values.items() if k not in failed}
        try:
            return model(**partial)
        except ValidationError:
            return None
