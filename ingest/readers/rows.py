"""Rows to records: the one code path every reader goes through.

A reader (YAML/JSON document, CSV folder, Excel workbook) hands each record to
`RecordCollector.add` as a plain mapping of field → value plus its `Origin`
(file, line or sheet and row). Here, for every format alike:

* field names are checked against the record's fields (typos get a "did you
  mean"), blank values count as absent, numbers in text fields become text;
* booleans accept true/false, yes/no, 1/0 (any case) and nothing else;
* list fields (themes, threats, sources) accept lists or `;`-separated text;
* kind, level, status and sector are compared case-insensitively;
* `country` goes through `ingest.countries.resolve_country` (UK nations → GB
  with `nation` kept), and what does not resolve is a problem with a hint;
* records lacking `sources` get the default provenance (`file:<name>`, or the
  document's top-level `sources`);
* pydantic's errors become `Problem`s, one per error, with the field's name.

Every problem is collected, none stops the reading: a run reports them all.
A row with problems still yields a record if it can be built without the bad
fields, so that cross-record checks (endpoint kinds, …) see it; if it cannot,
its id goes into `Dataset.invalid_ids` so it is not also reported as dangling.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from graph import schema
from ingest.countries import UK_NATIONS, UnknownCountry, resolve_country
from ingest.problems import Problem
from ingest.records import Actor, Country, Dataset, Initiative, Origin, Relationship

#: Sections in the order they are read (countries first, relationships last).
SECTIONS = ("countries", "actors", "initiatives", "relationships")

MODELS: dict[str, type[BaseModel]] = {
    "countries": Country,
    "actors": Actor,
    "initiatives": Initiative,
    "relationships": Relationship,
}
FIELDS: dict[str, tuple[str, ...]] = {s: tuple(m.model_fields) for s, m in MODELS.items()}
REQUIRED: dict[str, tuple[str, ...]] = {
    s: tuple(f for f, info in m.model_fields.items() if info.is_required())
    for s, m in MODELS.items()
}

BOOL_FIELDS = frozenset({"grassroots", "published", "confidential"})
LIST_FIELDS = frozenset({"themes", "threats", "sources"})
#: Vocabulary fields compared case-insensitively (spaces and hyphens read as '_').
VOCAB_FIELDS = frozenset({"kind", "level", "status", "sector"})
NUMBER_FIELDS = frozenset({"lat", "lon"})
TRUE_WORDS = frozenset({"true", "yes", "1"})
FALSE_WORDS = frozenset({"false", "no", "0"})
LIST_SEPARATOR = ";"
UK_NATION_NAMES = tuple(UK_NATIONS.values())
KNOWN_THEMES_TEXT = ", ".join(schema.KNOWN_THEMES)

ALLOWED: dict[str, tuple[str, ...]] = {
    "actors.kind": tuple(schema.ACTOR_KINDS),
    "initiatives.kind": tuple(schema.INITIATIVE_KINDS),
    "relationships.type": tuple(schema.REL_TYPES),
    "level": tuple(lv.value for lv in schema.Level),
    "status": tuple(st.value for st in schema.Status),
    "sector": schema.PRIVATE_SECTORS,
    "nation": UK_NATION_NAMES,
    "boolean": ("true", "false", "yes", "no", "1", "0"),
}


@dataclass(frozen=True)
class FieldDoc:
    """One field of one section, for the template's README sheet and the docs."""

    name: str
    type: str
    required: bool
    allowed: str
    default: str
    description: str


def _doc(name: str, type_: str, allowed: str = "", default: str = "", desc: str = "") -> FieldDoc:
    return FieldDoc(name, type_, False, allowed, default, desc)


def _req(name: str, type_: str, allowed: str = "", desc: str = "") -> FieldDoc:
    return FieldDoc(name, type_, True, allowed, "", desc)


_BOOL = "true/false, yes/no, 1/0"
_THEMES = "';'-separated in CSV/Excel; open list"
_SOURCES = _doc(
    "sources",
    "list of text",
    "';'-separated in CSV/Excel",
    "the document's top-level sources, else file:<file name>",
    "where the information comes from (documents, URLs, files)",
)
_ID = _req("id", "text", "lower-case slug: a-z 0-9 _ . : - (e.g. exampleton)", "unique everywhere")

FIELD_DOCS: dict[str, tuple[FieldDoc, ...]] = {
    "countries": (
        _req("code", "country", "ISO 3166 alpha-2/alpha-3 code or English name", "kept as alpha-2"),
        _doc("name", "text", "", "the ISO name", "display name"),
    ),
    "actors": (
        _ID,
        _req("kind", "text", ", ".join(ALLOWED["actors.kind"]), "what sort of actor"),
        _req("name", "text", "", "display name"),
        _doc("country", "country", "ISO code or English name", "", "normalised to ISO alpha-2"),
        _doc("nation", "text", ", ".join(UK_NATION_NAMES), "from country", "UK only"),
        _doc("level", "text", ", ".join(ALLOWED["level"]), "by kind", "where the actor works"),
        _doc("city", "id", "id of a city actor", "", "the city the actor works in"),
        _doc("themes", "list of text", _THEMES, "", "what the actor works on"),
        _doc("threats", "list of text", "cities only; as themes", "", "locally pressing themes"),
        _doc("grassroots", "boolean", _BOOL, "false for cso", "CSOs: community-based"),
        _doc("sector", "text", ", ".join(schema.PRIVATE_SECTORS), "", "private_sector only"),
        _doc("lat", "number", "-90 … 90", "", "latitude (cities)"),
        _doc("lon", "number", "-180 … 180", "", "longitude (cities)"),
        _doc("url", "text", "", "", "web page"),
        _doc("note", "text", "", "", "free text"),
        _SOURCES,
    ),
    "initiatives": (
        _ID,
        _req("kind", "text", ", ".join(ALLOWED["initiatives.kind"]), "what sort of initiative"),
        _req("name", "text", "", "display name"),
        _doc("country", "country", "ISO code or English name", "", "where national"),
        _doc("level", "text", ", ".join(ALLOWED["level"]), "", "frameworks: national or intl."),
        _doc("themes", "list of text", _THEMES, "", "what it is about"),
        _doc("status", "text", ", ".join(ALLOWED["status"]), "active", ""),
        _doc("start", "date", "YYYY-MM-DD or YYYY", "", "start date"),
        _doc("end", "date", "YYYY-MM-DD or YYYY", "", "end date"),
        _doc("published", "boolean", _BOOL, "false for evaluation", "evaluations: published?"),
        _doc("url", "text", "", "", "web page"),
        _doc("note", "text", "", "", "free text"),
        _SOURCES,
    ),
    "relationships": (
        _req("source", "id", "id of an actor or initiative", "the 'from' end"),
        _req("type", "text", "see the relationship types", "e.g. PARTNERS_WITH"),
        _req("target", "id", "id of an actor or initiative", "the 'to' end"),
        _doc("since", "date", "YYYY-MM-DD or YYYY", "", "when it began"),
        _doc("status", "text", ", ".join(ALLOWED["status"]), "active", ""),
        _doc("confidential", "boolean", _BOOL, "false", "shown only to analysts and editors"),
        _doc("note", "text", "", "", "free text"),
        _SOURCES,
    ),
}


def default_sources(file_name: str) -> tuple[str, ...]:
    """Provenance for records that give none: `file:<name of the input file>`."""
    return (f"file:{file_name}",)


def suggest(word: str, choices: Iterable[str]) -> str | None:
    """The closest of `choices` to `word`, for a "did you mean" (never applied)."""
    by_lower = {c.lower(): c for c in choices}
    found = difflib.get_close_matches(word.strip().lower(), list(by_lower), n=1, cutoff=0.6)
    return by_lower[found[0]] if found else None


def normalise_column(name: Any) -> str | None:
    """A column/key as written → the field name it is compared as (None if blank)."""
    if name is None:
        return None
    text = str(name).strip().lower()
    return text or None


def unknown_field_reason(section: str, name: str, *, column: bool) -> str:
    what = "column" if column else "field"
    hint = suggest(name, FIELDS[section])
    if hint:
        return f"unknown {what} in {section} (did you mean {hint!r}?)"
    elsewhere = [s for s in SECTIONS if s != section and name in FIELDS[s]]
    if elsewhere:
        return f"unknown {what}: {name!r} is a field of {elsewhere[0]}, not of {section}"
    return f"unknown {what} in {section}; allowed: {', '.join(FIELDS[section])}"


def to_bool(value: Any) -> bool:
    """true/false, yes/no, 1/0 in any case (and real booleans); ValueError otherwise."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    raise ValueError("not a boolean: use true/false, yes/no or 1/0")


def _text(value: Any) -> Any:
    """Numbers and dates written in a text field, as the text a person meant."""
    if isinstance(value, bool):
        return value  # let the model say it is not text
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _split(field: str, value: Any) -> list[Any]:
    if isinstance(value, str):
        # Themes are slugs, so ',' is a separator too; sources may contain commas.
        pattern = r";" if field == "sources" else r"[;,]"
        return [p.strip() for p in re.split(pattern, value) if p.strip()]
    if isinstance(value, list | tuple):
        return [_text(v).strip() if isinstance(_text(v), str) else _text(v) for v in value]
    return [_text(value)]


def _vocab(value: Any) -> Any:
    if isinstance(value, str):
        return re.sub(r"[\s-]+", "_", value.strip().lower())
    return value


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple):
        return all(_blank(v) for v in value)
    return False


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
                if not _blank(value):
                    bad(None, value, "a value without a field name")
                continue
            if name not in allowed:
                if not column_checked:
                    bad(str(key), value, unknown_field_reason(section, name, column=False))
                continue
            if isinstance(value, Mapping):
                bad(name, None, "expected a single value or a list, not a mapping")
                continue
            if _blank(value):
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
                values[name] = [v for v in _split(name, value) if not _blank(v)]
            elif name in VOCAB_FIELDS:
                values[name] = _vocab(value)
            elif name not in NUMBER_FIELDS:
                values[name] = _text(value)

        if section == "countries" and "code" in values:
            self._country_code(values, bad)
        elif "country" in values or "nation" in values:
            self._country(section, values, bad)

    @staticmethod
    def _country_reason(exc: UnknownCountry) -> str:
        reason = "not a recognised country name or ISO 3166 code"
        if exc.hint:
            reason += f" (did you mean {exc.hint}?)"
        return reason + "; write the English name or the ISO code"

    def _country_code(self, values: dict[str, Any], bad: Any) -> None:
        raw = values["code"]
        try:
            match = resolve_country(str(raw))
        except UnknownCountry as exc:
            bad("code", raw, self._country_reason(exc))
            del values["code"]
            return
        values["code"] = match.code
        values.setdefault("name", match.name)

    def _country(self, section: str, values: dict[str, Any], bad: Any) -> None:
        nation = values.get("nation")
        if nation is not None:
            canonical = UK_NATIONS.get(" ".join(str(nation).lower().split()))
            if canonical is None:
                bad("nation", nation, f"not a UK nation; allowed: {', '.join(UK_NATION_NAMES)}")
                del values["nation"]
                nation = None
            else:
                values["nation"] = nation = canonical
        raw = values.get("country")
        if raw is None:
            if nation is not None:
                values["country"] = "GB"
            return
        try:
            match = resolve_country(str(raw))
        except UnknownCountry as exc:
            bad("country", raw, self._country_reason(exc))
            del values["country"]
            return
        values["country"] = match.code
        if section != "actors":
            return  # initiatives keep the country only
        if nation is None and match.nation:
            values["nation"] = match.nation
        elif nation is not None and match.code != "GB":
            bad("nation", nation, f"a UK nation, but the country is {match.name} ({match.code})")
            del values["nation"]
        elif nation is not None and match.nation and match.nation != nation:
            bad("nation", nation, f"contradicts the country {raw!r} ({match.nation})")
            del values["nation"]

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


def friendly_reason(section: str, err: Mapping[str, Any]) -> str:
    """A pydantic error as a sentence for a person (no pydantic jargon)."""
    typ = err["type"]
    loc = err.get("loc") or ()
    field = str(loc[0]) if loc else ""
    value = err.get("input")
    if typ == "missing":
        return "required field is missing or empty"
    if field == "kind" and typ == "literal_error":
        other = "initiatives" if section == "actors" else "actors"
        other_kinds = ALLOWED.get(f"{other}.kind", ())
        if value in other_kinds:
            return f"{value!r} is a kind of {other[:-1]}: put this record in the {other} section"
        allowed = ALLOWED[f"{section}.kind"]
        hint = suggest(str(value), allowed)
        did = f" (did you mean {hint!r}?)" if hint else ""
        return f"unknown {section[:-1]} kind{did}; allowed: {', '.join(allowed)}"
    if field in ("status", "level") and typ == "enum":
        return f"unknown {field}; allowed: {', '.join(ALLOWED[field])}"
    if field == "sector" and typ == "literal_error":
        return f"unknown sector; allowed: {', '.join(ALLOWED['sector'])}"
    if field == "type" and typ == "value_error" and section == "relationships":
        hint = suggest(str(value).replace(" ", "_"), schema.REL_TYPES)
        did = f" (did you mean {hint!r}?)" if hint else ""
        return f"unknown relationship type{did}; allowed: {', '.join(schema.REL_TYPES)}"
    if typ == "value_error":
        msg = str(err.get("msg", ""))
        return msg.removeprefix("Value error, ")
    if typ in ("float_parsing", "float_type"):
        return "not a number"
    if typ in ("string_type",):
        return "expected text"
    if typ in ("string_too_short",):
        return "must not be empty"
    if typ in ("greater_than_equal", "less_than_equal"):
        return str(err.get("msg", "out of range")).replace("Input should be", "must be")
    return str(err.get("msg", "invalid value")).replace("Input should be", "must be")


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
        if all(_blank(c) for c in cells):
            return
        values: dict[str, Any] = {}
        for i, cell in enumerate(cells):
            name = self.columns[i] if i < len(self.columns) else None
            if name is not None:
                values[name] = cell
            elif _blank(cell) or i in self._unknown:
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
