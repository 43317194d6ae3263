"""The country of a record: any way a person writes it -> ISO alpha-2, UK nations kept.

`code` of a countries record, and `country` / `nation` of actors and
initiatives, go through `graph.countries.resolve_country`: English names,
alpha-2 and alpha-3 codes are read; England, Scotland, Wales and Northern
Ireland become GB with the nation kept (actors only). A value that does not
resolve is a problem with a hint, and the field is dropped so the rest of
the record can still be built.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graph.countries import UK_NATIONS, UnknownCountry, resolve_country
from ingest.readers.fields import UK_NATION_NAMES
from ingest.readers.messages import country_reason

#: Reports one problem: (field, value, reason).
Bad = Callable[[str | None, Any, str], None]


def resolve_code(values: dict[str, Any], bad: Bad) -> None:
    """A countries record's `code`, as alpha-2; its `name` defaults to the ISO name."""
    raw = values["code"]
    try:
        match = resolve_country(str(raw))
    except UnknownCountry as exc:
        bad("code", raw, country_reason(exc))
        del values["code"]
        return
    values["code"] = match.code
    values.setdefault("name", match.name)


def _nation(values: dict[str, Any], bad: Bad) -> str | None:
    """The record's UK nation, spelt canonically (None, and reported, when it is not one)."""
    nation = values.get("nation")
    if nation is None:
        return None
    canonical = UK_NATIONS.get(" ".join(str(nation).lower().split()))
    if canonical is None:
        bad("nation", nation, f"not a UK nation; allowed: {', '.join(UK_NATION_NAMES)}")
        del values["nation"]
        return None
    values["nation"] = canonical
    return canonical


def resolve_place(section: str, values: dict[str, Any], bad: Bad) -> None:
    """`country` (alpha-2) and, for actors, `nation` agreeing with it."""
    nation = _nation(values, bad)
    raw = values.get("country")
    if raw is None:
        if nation is not None:
            values["country"] = "GB"
        return
    try:
        match = resolve_country(str(raw))
    except UnknownCountry as exc:
        bad("country", raw, country_reason(exc))
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
