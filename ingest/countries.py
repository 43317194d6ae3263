"""Kept for imports: the country resolver is `graph.countries`, shared by every layer."""

from graph.countries import (
    ALIASES,
    UK_NATIONS,
    CountryMatch,
    UnknownCountry,
    country_code,
    describe,
    resolve_country,
)

__all__ = [
    "ALIASES",
    "UK_NATIONS",
    "CountryMatch",
    "UnknownCountry",
    "country_code",
    "describe",
    "resolve_country",
]
