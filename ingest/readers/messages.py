"""Problems in words: a "did you mean", and pydantic's errors as sentences for a person.

Every reader reports through these, so the same mistake reads the same in a
YAML file, a CSV folder and a workbook. Hints are suggested, never applied.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any

from graph import schema
from graph.countries import UnknownCountry
from ingest.readers.fields import ALLOWED, FIELDS, SECTIONS


def suggest(word: str, choices: Iterable[str]) -> str | None:
    """The closest of `choices` to `word`, for a "did you mean" (never applied)."""
    by_lower = {c.lower(): c for c in choices}
    found = difflib.get_close_matches(word.strip().lower(), list(by_lower), n=1, cutoff=0.6)
    return by_lower[found[0]] if found else None


def unknown_field_reason(section: str, name: str, *, column: bool) -> str:
    what = "column" if column else "field"
    hint = suggest(name, FIELDS[section])
    if hint:
        return f"unknown {what} in {section} (did you mean {hint!r}?)"
    elsewhere = [s for s in SECTIONS if s != section and name in FIELDS[s]]
    if elsewhere:
        return f"unknown {what}: {name!r} is a field of {elsewhere[0]}, not of {section}"
    return f"unknown {what} in {section}; allowed: {', '.join(FIELDS[section])}"


def country_reason(exc: UnknownCountry) -> str:
    """Why a country value did not resolve, with the library's hint when it has one."""
    reason = "not a recognised country name or ISO 3166 code"
    if exc.hint:
        reason += f" (did you mean {exc.hint}?)"
    return reason + "; write the English name or the ISO code"


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
