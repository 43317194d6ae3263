"""Country names and codes to ISO 3166-1 alpha-2, with pycountry: the one resolver.

Every place a person types a country goes through `resolve_country` (or
`country_code`, its code): ingest's `country` and `nation` fields, every CLI
`--country`, every API `country=` parameter and the country pages. It takes
ISO alpha-2 and alpha-3 codes in any case ("gb", "GBR"), English names in any
case (official and common ones, and a short table of variants pycountry does
not know: "UK", "Great Britain", "Britain", ...) and the UK nations
("England", "Scotland", "Wales", "Northern Ireland" -> GB, keeping the nation).

Resolution is exact, never a silent fuzzy guess: what does not resolve raises
`UnknownCountry`, whose message has a "did you mean" hint for a person to
confirm. A country that resolves but holds no data is not an error: the
caller says "no actor in Denmark (DK)" (`describe`).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pycountry

UK_NATIONS = {
    "england": "England",
    "scotland": "Scotland",
    "wales": "Wales",
    "northern ireland": "Northern Ireland",
}

#: English names in common use that pycountry does not resolve exactly.
ALIASES = {
    "turkey": "TR",
    "russia": "RU",
    "cape verde": "CV",
    "ivory coast": "CI",
    "democratic republic of the congo": "CD",
    "dr congo": "CD",
    "republic of the congo": "CG",
    "east timor": "TL",
    "kosovo": "XK",  # user-assigned code, in common use (EU, IMF)
    "palestine": "PS",
    "state of palestine": "PS",
    "west bank": "PS",
    "gaza strip": "PS",
    "republic of ireland": "IE",
    "ireland": "IE",
    "georgia (country)": "GE",
    "moldavia": "MD",
    "brunei": "BN",
    "micronesia": "FM",
    "surinam": "SR",
    "falkland islands": "FK",
    "bosnia and hercegovina": "BA",
    "bosnia": "BA",
    "south korea": "KR",
    "north korea": "KP",
    "korea": "KR",
    "vietnam": "VN",
    "laos": "LA",
    "syria": "SY",
    "iran": "IR",
    "taiwan": "TW",
    "macedonia": "MK",
    "czech republic": "CZ",
    "czechia": "CZ",
    "vatican city": "VA",
    "holy see": "VA",
    "burma": "MM",
    "swaziland": "SZ",
    "uk": "GB",
    "great britain": "GB",
    "britain": "GB",
    "usa": "US",
    "u.s.": "US",
    "united states of america": "US",
    "the netherlands": "NL",
    "holland": "NL",
    "são tomé and príncipe": "ST",
    "sao tome and principe": "ST",
}


@dataclass(frozen=True)
class CountryMatch:
    code: str
    name: str
    nation: str | None = None


class UnknownCountry(ValueError):
    """The value is not a country we can name with confidence."""

    def __init__(self, value: str, hint: str | None = None) -> None:
        self.value = value
        self.hint = hint
        msg = f"not a recognised country name or ISO code: {value!r}"
        if hint:
            msg += f" (did you mean {hint}?)"
        super().__init__(msg)


def _key(value: str) -> str:
    return " ".join(value.strip().lower().split())


def _name(code: str) -> str:
    c = pycountry.countries.get(alpha_2=code)
    if c is not None:
        return str(getattr(c, "common_name", None) or c.name)
    return {"XK": "Kosovo"}.get(code, code)


@lru_cache(maxsize=4096)
def resolve_country(value: str) -> CountryMatch:
    """ISO alpha-2 code for a country name or code; `UnknownCountry` if unsure.

    Also accepts "Region, Country" (as in "Algarve, Portugal") by its last part.
    """
    raw = value.strip()
    if not raw:
        raise UnknownCountry(value)
    key = _key(raw)
    if key in UK_NATIONS:
        return CountryMatch("GB", _name("GB"), UK_NATIONS[key])
    if key in ALIASES:
        code = ALIASES[key]
        return CountryMatch(code, _name(code))
    if len(raw) in (2, 3) and raw.isalpha():
        c = pycountry.countries.get(alpha_2=raw.upper()) or pycountry.countries.get(
            alpha_3=raw.upper()
        )
        if c is not None:
            return CountryMatch(c.alpha_2, _name(c.alpha_2))
        if raw.upper() == "XK":
            return CountryMatch("XK", "Kosovo")
    try:
        c = pycountry.countries.lookup(raw)
        return CountryMatch(c.alpha_2, _name(c.alpha_2))
    except LookupError:
        pass
    if "," in raw:
        head, _, tail = raw.rpartition(",")
        inner = resolve_country(tail)
        nation = UK_NATIONS.get(_key(head)) if inner.code == "GB" else None
        return CountryMatch(inner.code, inner.name, nation or inner.nation)
    raise UnknownCountry(value, _hint(raw))


def country_code(value: str) -> str:
    """The ISO alpha-2 code of a country a person typed (name, code or UK nation);
    `UnknownCountry` (a ValueError with a "did you mean") when it is none."""
    return resolve_country(value).code


def describe(code: str) -> str:
    """A country for a sentence: "Denmark (DK)"."""
    return f"{_name(code)} ({code})"


#: Shortest input compared with names for a hint: a short unknown code ("zz") would
#: otherwise "match" any name that contains its letters.
HINT_MIN_LENGTH = 4


@lru_cache(maxsize=1)
def _hint_choices() -> dict[str, str]:
    """Text to compare -> the country it names: names, common variants, UK nations."""
    choices = {c.name: c.alpha_2 for c in pycountry.countries}
    choices |= {k.title(): code for k, code in ALIASES.items() if len(k) >= HINT_MIN_LENGTH}
    choices |= dict.fromkeys(UK_NATIONS.values(), "GB")
    return choices


def _hint(raw: str) -> str | None:
    """A suggestion for a person to confirm; never applied automatically."""
    from rapidfuzz import fuzz, process

    ascii_raw = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode()
    if len(ascii_raw.strip()) < HINT_MIN_LENGTH:
        return None
    choices = _hint_choices()
    best = process.extractOne(ascii_raw, list(choices), scorer=fuzz.WRatio, score_cutoff=85)
    if best is None:
        return None
    name = best[0]
    return f"{name} ({choices[name]})"
