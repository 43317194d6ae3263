"""The coverage measures a map shades countries by, their colour classes and legend.

The values are `graph.analysis.coverage.coverage` (the rules live there and in
docs/gaps.md; nothing is recomputed here): per country, the share of its cities

* ``national`` — with a national link (`share_with_national_link`);
* ``domestic`` — with a link to another city of the country (`share_with_domestic_city_link`);
* ``cso`` — with a civil-society partner (`cso_engagement`).

A country with no city in the data has no value and is drawn grey. Colours come
from `viz.style.COVERAGE_CLASSES`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from viz import style


@dataclass(frozen=True)
class Measure:
    name: str  # the option's value: --measure national
    key: str  # the key in `coverage()`'s answer
    title: str  # the legend's title
    label: str  # the page's select of measures: "national link"


MEASURES: dict[str, Measure] = {
    m.name: m
    for m in (
        Measure(
            "national",
            "share_with_national_link",
            "Share of cities with a national link",
            "national link",
        ),
        Measure(
            "domestic",
            "share_with_domestic_city_link",
            "Share of cities with a link to another city of their country",
            "domestic city link",
        ),
        Measure(
            "cso", "cso_engagement", "Share of cities with a civil-society partner", "CSO partner"
        ),
    )
}
DEFAULT_MEASURE = "national"
NO_CITIES = "No city in the data"


def measure_named(name: str | None) -> Measure:
    """The measure called `name` (the default when None); ValueError names the choices."""
    chosen = MEASURES.get((name or DEFAULT_MEASURE).strip().lower())
    if chosen is None:
        raise ValueError(f"measure must be one of {', '.join(MEASURES)}, not {name!r}")
    return chosen


def fill(share: float | None) -> str:
    """The colour of a country whose share is `share` (grey: no cities)."""
    if share is None:
        return style.NO_CITIES_FILL
    for upper, colour in style.COVERAGE_CLASSES:
        if share <= upper:
            return colour
    return style.COVERAGE_CLASSES[-1][1]


def legend() -> list[dict[str, str]]:
    """The colour classes as legend lines ("0–20%", ...), then the grey of no cities."""
    lines = []
    lower = 0.0
    for upper, colour in style.COVERAGE_CLASSES:
        lines.append({"label": f"{lower * 100:.0f}–{upper * 100:.0f}%", "colour": colour})
        lower = upper
    lines.append({"label": NO_CITIES, "colour": style.NO_CITIES_FILL})
    return lines


def share_of(cov: Mapping[str, Mapping[str, Any]], code: str, measure: Measure) -> float | None:
    """The measure's value for country `code` (None: no cities there)."""
    row = cov.get(code)
    return None if row is None else row.get(measure.key)
