"""Validated records: what every reader produces and the loader writes.

Readers turn rows into plain dicts and hand them to `parse_*`; pydantic checks
types and vocabularies, and the cross-record checks (dangling ids, endpoint
kinds, duplicates) live in `ingest.validate`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from graph import schema
from graph.predicates import norm_theme

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.:-]*$")

# -- limits on text (every input format and the API's write models use these) ---------

#: Characters in an id (of an actor, an initiative, a city, a relationship's end).
MAX_ID_LENGTH = 100
#: Characters in a name.
MAX_NAME_LENGTH = 300
#: Characters in a note (the one field that may hold tabs and line breaks).
MAX_NOTE_LENGTH = 5000
#: Characters in a url.
MAX_URL_LENGTH = 2000
#: Characters in any other text: a country, a nation, a date, one theme, one source.
MAX_TEXT_LENGTH = 300
#: Items in a list field (themes, threats, sources).
MAX_LIST_ITEMS = 100
#: Fields with their own length limit; every other text field has MAX_TEXT_LENGTH.
TEXT_LIMITS = {
    "id": MAX_ID_LENGTH,
    "source": MAX_ID_LENGTH,
    "target": MAX_ID_LENGTH,
    "city": MAX_ID_LENGTH,
    "name": MAX_NAME_LENGTH,
    "note": MAX_NOTE_LENGTH,
    "url": MAX_URL_LENGTH,
}
#: Fields that may hold a tab or a line break (\n, \r\n).
MULTILINE_FIELDS = frozenset({"note"})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_OR_BREAK = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def check_unicode(value: Any) -> Any:
    """`value` unless it is text (or a list of it) holding a lone surrogate, which is
    no character at all and cannot be stored or sent back: ValueError saying so."""
    for text in value if isinstance(value, list | tuple) else (value,):
        if isinstance(text, str) and (bad := _SURROGATE.search(text)) is not None:
            _refuse(
                f"holds a lone surrogate (U+{ord(bad.group()):04X}), which is not valid "
                "Unicode; check the text's encoding"
            )
    return value


def check_unicode_deep(value: Any) -> Any:
    """`check_unicode` through nested lists and mappings (keys too)."""
    if isinstance(value, dict):
        for key, item in value.items():
            check_unicode_deep(key)
            check_unicode_deep(item)
    elif isinstance(value, list | tuple):
        for item in value:
            check_unicode_deep(item)
    else:
        check_unicode(value)
    return value


def check_text(value: str, *, limit: int = MAX_TEXT_LENGTH, multiline: bool = False) -> str:
    """`value` if it is text a person could have typed, else ValueError saying why:
    a lone surrogate (not a character at all), a control character or NUL (tab and
    line break only where `multiline`), or longer than `limit` characters."""
    check_unicode(value)
    control = _CONTROL if multiline else _CONTROL_OR_BREAK
    if (bad := control.search(value)) is not None:
        allowed = "" if multiline else "; tabs and line breaks are allowed only in notes"
        return _refuse(
            f"holds the control character U+{ord(bad.group()):04X} at position "
            f"{bad.start() + 1}{allowed}"
        )
    if len(value) > limit:
        return _refuse(f"is {len(value):,} characters long; at most {limit} are allowed")
    return value


def _refuse(reason: str) -> str:
    raise ValueError(reason)


def check_field_text(field: str, value: Any) -> Any:
    """A record field's value held to `check_text` (lists: their length and each item)."""
    if isinstance(value, str):
        limit = TEXT_LIMITS.get(field, MAX_TEXT_LENGTH)
        return check_text(value, limit=limit, multiline=field in MULTILINE_FIELDS)
    if isinstance(value, tuple | list):
        if len(value) > MAX_LIST_ITEMS:
            raise ValueError(f"has {len(value):,} items; at most {MAX_LIST_ITEMS} are allowed")
        for item in value:
            if isinstance(item, str):
                check_text(item)
    return value


class TextChecked(BaseModel):
    """A model whose text fields are held to the limits above, whatever the format."""

    @field_validator("*", mode="before")
    @classmethod
    def _valid_unicode(cls, v: Any) -> Any:
        return check_unicode(v)

    @field_validator("*", mode="after")
    @classmethod
    def _text_limits(cls, v: Any, info: ValidationInfo) -> Any:
        return check_field_text(info.field_name or "", v)

    @field_validator("lat", "lon", mode="before", check_fields=False)
    @classmethod
    def _number_not_bool(cls, v: Any) -> Any:
        if isinstance(v, bool):
            raise ValueError("expected a number, not true/false")
        return v


@dataclass(frozen=True)
class Origin:
    """Where a record came from, for error messages and provenance."""

    file: str
    line: int | None = None  # 1-based line, or row number in a sheet/CSV
    sheet: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.sheet:
            where += f", sheet {self.sheet}"
        if self.line is not None:
            where += f", {'row' if self.sheet else 'line'} {self.line}"
        return where


def _split_list(value: Any) -> Any:
    """Accept lists, or strings separated by ';' or ',' (as in spreadsheets)."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [p.strip() for p in re.split(r"[;,]", value) if p.strip()]
    return value


#: A date as a person writes one: a year, a month or a day, ISO 8601.
ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
DATE_RULE = "write an ISO date: YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2019-04-01)"


def iso_date(value: Any) -> str | None:
    """A date field (`since`, `start`, `end`) as stored: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.

    Takes that text (a real date: no month 13 or 31 April), a year as a number, or a
    date value (a spreadsheet date cell, kept as its day). Anything else ("last
    spring", "01/04/2019", "2019-13-45") is a ValueError saying what to write.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError(f"not a date; {DATE_RULE}")
    text = str(value).strip()
    found = ISO_DATE.match(text)
    if not found:
        raise ValueError(f"not a date; {DATE_RULE}")
    year, month, day = found.groups()
    try:
        dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:
        raise ValueError(f"no such date ({exc}); {DATE_RULE}") from None
    return text


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def _basis(value: Any) -> Any:
    """Blank or `stated` (the default) is stored as nothing, so only `inferred` is kept."""
    value = _blank_to_none(value)
    if isinstance(value, str) and value.strip().lower() == schema.Basis.STATED.value:
        return None
    return value.strip().lower() if isinstance(value, str) else value


class _Record(TextChecked):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    id: str = Field(description="stable lower-case slug, unique across the graph")
    name: str = Field(min_length=1)
    basis: schema.Basis | None = Field(None, description="stated (the default) or inferred")
    sources: tuple[str, ...] = ()

    @field_validator("basis", mode="before")
    @classmethod
    def _basis(cls, v: Any) -> Any:
        return _basis(v)

    @field_validator("id")
    @classmethod
    def _check_id(cls, v: str) -> str:
        if not ID_PATTERN.match(v):
            raise ValueError(
                "must be a lower-case slug: letters a-z, digits, and _ . : - (e.g. 'london')"
            )
        return v

    @field_validator("sources", mode="before")
    @classmethod
    def _sources(cls, v: Any) -> Any:
        return tuple(_split_list(v))


#: The vocabularies as pydantic types, built from `graph.schema` (never listed here).
ActorKindName = Literal[schema.ACTOR_KIND_NAMES]  # type: ignore[valid-type]
InitiativeKindName = Literal[schema.INITIATIVE_KIND_NAMES]  # type: ignore[valid-type]
PrivateSectorName = Literal[schema.PRIVATE_SECTORS]  # type: ignore[valid-type]


def _themes(value: Any) -> tuple[str, ...]:
    return tuple(norm_theme(t) for t in _split_list(value))


class Actor(_Record):
    kind: ActorKindName
    country: str | None = Field(None, description="ISO 3166-1 alpha-2 after normalisation")
    nation: str | None = Field(None, description="UK constituent nation, kept from the input")
    level: schema.Level | None = None
    city: str | None = Field(None, description="id of the city the actor works in")
    themes: tuple[str, ...] = ()
    threats: tuple[str, ...] = ()
    grassroots: bool | None = None
    sector: PrivateSectorName | None = None
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    url: str | None = None
    note: str | None = None

    @field_validator("themes", "threats", mode="before")
    @classmethod
    def _lists(cls, v: Any) -> Any:
        return _themes(v)

    @field_validator(
        "country",
        "nation",
        "level",
        "city",
        "sector",
        "lat",
        "lon",
        "url",
        "note",
        "grassroots",
        mode="before",
    )
    @classmethod
    def _blank(cls, v: Any) -> Any:
        return _blank_to_none(v)

    @model_validator(mode="after")
    def _defaults(self) -> Actor:
        if self.level is None:
            object.__setattr__(self, "level", schema.default_level(self.kind))
        if self.kind == "cso" and self.grassroots is None:
            object.__setattr__(self, "grassroots", False)
        return self

    @property
    def family(self) -> str:
        return schema.ACTOR


class Initiative(_Record):
    kind: InitiativeKindName
    country: str | None = None
    level: schema.Level | None = None
    themes: tuple[str, ...] = ()
    status: schema.Status = schema.Status.ACTIVE
    start: str | None = Field(None, description="YYYY, YYYY-MM or YYYY-MM-DD")
    end: str | None = Field(None, description="YYYY, YYYY-MM or YYYY-MM-DD")
    published: bool | None = None
    url: str | None = None
    note: str | None = None

    @field_validator("themes", mode="before")
    @classmethod
    def _lists(cls, v: Any) -> Any:
        return _themes(v)

    @field_validator(
        "country", "level", "start", "end", "published", "url", "note", "status", mode="before"
    )
    @classmethod
    def _blank(cls, v: Any) -> Any:
        v = _blank_to_none(v)
        return v if v is not None else None

    @field_validator("start", "end", mode="before")
    @classmethod
    def _date_text(cls, v: Any) -> Any:
        return iso_date(v)

    @model_validator(mode="after")
    def _defaults(self) -> Initiative:
        if self.kind == "evaluation" and self.published is None:
            object.__setattr__(self, "published", False)
        return self

    @property
    def family(self) -> str:
        return schema.INITIATIVE


class Relationship(TextChecked):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    source: str
    type: str
    target: str
    since: str | None = Field(None, description="YYYY, YYYY-MM or YYYY-MM-DD")
    status: schema.Status = schema.Status.ACTIVE
    basis: schema.Basis | None = Field(None, description="stated (the default) or inferred")
    confidential: bool = False
    note: str | None = None
    sources: tuple[str, ...] = ()

    @field_validator("basis", mode="before")
    @classmethod
    def _basis(cls, v: Any) -> Any:
        return _basis(v)

    @field_validator("type", mode="before")
    @classmethod
    def _type(cls, v: Any) -> Any:
        if isinstance(v, str):
            v = v.strip().upper().replace(" ", "_")
            if v not in schema.REL_TYPES:
                raise ValueError(
                    f"unknown relationship type; expected one of {', '.join(schema.REL_TYPES)}"
                )
        return v

    @field_validator("since", "note", "status", "confidential", mode="before")
    @classmethod
    def _blank(cls, v: Any) -> Any:
        return _blank_to_none(v)

    @field_validator("status", mode="before")
    @classmethod
    def _status_default(cls, v: Any) -> Any:
        return schema.Status.ACTIVE if v is None else v

    @field_validator("confidential", mode="before")
    @classmethod
    def _conf_default(cls, v: Any) -> Any:
        return False if v is None else v

    @field_validator("since", mode="before")
    @classmethod
    def _since_text(cls, v: Any) -> Any:
        return iso_date(v)

    @field_validator("sources", mode="before")
    @classmethod
    def _sources(cls, v: Any) -> Any:
        return tuple(_split_list(v))

    @property
    def key(self) -> tuple[str, str, str]:
        """Identity of a relationship: symmetric types are keyed in sorted order."""
        if self.type in schema.SYMMETRIC_TYPES and self.target < self.source:
            return (self.target, self.type, self.source)
        return (self.source, self.type, self.target)


class Country(TextChecked):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    code: str
    name: str | None = None


@dataclass
class Dataset:
    """Everything read from one or more inputs, with where each record came from."""

    actors: list[Actor] = field(default_factory=list)
    initiatives: list[Initiative] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)
    countries: list[Country] = field(default_factory=list)
    origins: dict[int, Origin] = field(default_factory=dict)  # id(record) -> origin
    #: ids of actors/initiatives present in the input whose rows had problems and so
    #: made no record: cross-record checks neither report them as dangling nor check
    #: their kind (the row's own problems are reported instead).
    invalid_ids: set[str] = field(default_factory=set)
    #: id(record) -> the label of the source it was read from (a file's name, or
    #: `--source LABEL`): stored as `loaded_from`, so a sync knows what each source holds.
    labels: dict[int, str] = field(default_factory=dict)

    def label_all(self, label: str) -> None:
        """Say that every record came from the source `label`."""
        for bucket in (self.actors, self.initiatives, self.relationships):
            for rec in bucket:
                self.labels[id(rec)] = label

    def label_of(self, record: object) -> str | None:
        return self.labels.get(id(record))

    def add(self, record: Actor | Initiative | Relationship | Country, origin: Origin) -> None:
        bucket = {
            Actor: self.actors,
            Initiative: self.initiatives,
            Relationship: self.relationships,
            Country: self.countries,
        }[type(record)]
        bucket.append(record)
        self.origins[id(record)] = origin

    def origin(self, record: object) -> Origin | None:
        return self.origins.get(id(record))

    def extend(self, other: Dataset) -> None:
        for bucket in ("actors", "initiatives", "relationships", "countries"):
            for rec in getattr(other, bucket):
                self.add(rec, other.origins[id(rec)])
                if id(rec) in other.labels:
                    self.labels[id(rec)] = other.labels[id(rec)]
        self.invalid_ids |= other.invalid_ids

    def __len__(self) -> int:
        return len(self.actors) + len(self.initiatives) + len(self.relationships)
