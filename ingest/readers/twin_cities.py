"""Adapter for the twin-cities edge list (`../shared/data/twin_cities.csv`).

Columns: city1, country1, lat1, lng1, city2, country2, lat2, lng2 — one formal
twinning / sister-city agreement per row, listed once in one direction.

What this adapter does with the real, messy file:

* Each city becomes one `Actor(kind="city")` with the id `<iso2>-<name slug>`
  (e.g. ``gb-london``). Spelling variants that slug the same ("Münster" and
  "Munster", "Iași" and "Iaşi") are one city; the first spelling seen is the
  name. If one slug names places more than `MAX_DISTANCE_KM` apart, the later
  places get a coordinate suffix (``de-munster-52.0n-7.6e``) and the report
  lists them. Coordinates are the first seen for the city.
* Country names go through `graph.countries.resolve_country`: England,
  Scotland, Wales and Northern Ireland become GB and the nation is kept.
  Values that do not resolve (empty, misspelt, not a country) are counted
  per value; with ``on_unresolved="skip"`` those rows are dropped and the
  report says which and how many, with ``"fail"`` a `ValidationFailed` lists
  one problem per affected row and field, with line number and a hint.
* Each row becomes one symmetric ``TWINNED_WITH`` relationship. A pair seen
  again (same or reverse direction, or under another spelling) is counted as
  a duplicate; a row whose two sides are the same city is counted as a self
  link. Both are skipped, never silently:
  ``rows == links + duplicate_links + self_links + skipped_rows``.
"""

from __future__ import annotations

import csv
import math
import re
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from graph.countries import CountryMatch, UnknownCountry, resolve_country
from ingest.problems import Problem, ValidationFailed
from ingest.readers import ON_UNRESOLVED
from ingest.records import MAX_NAME_LENGTH, Actor, Dataset, Origin, Relationship, check_text

SOURCE = "twin_cities.csv"
REL_TYPE = "TWINNED_WITH"
MAX_DISTANCE_KM = 50.0
COLUMNS = ("city1", "country1", "lat1", "lng1", "city2", "country2", "lat2", "lng2")
_LISTED = 10  # line numbers / examples shown per item in `lines()`

# Letters NFKD does not decompose into ASCII (they would otherwise vanish).
_TRANSLIT = str.maketrans(
    {
        "ł": "l", "Ł": "L", "ı": "i", "ø": "o", "Ø": "O", "ß": "ss", "ð": "d", "Ð": "D",
        "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "đ": "d", "Đ": "D", "ħ": "h",
        "Ħ": "H", "ə": "e", "Ə": "E", "þ": "th", "Þ": "Th", "ŀ": "l", "Ŀ": "L",
    }
)  # fmt: skip
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=65536)
def slugify(text: str) -> str:
    """Lower-case ASCII slug: NFKD, accents dropped, anything else non-alphanumeric → '-'."""
    ascii_text = unicodedata.normalize("NFKD", text.translate(_TRANSLIT))
    ascii_text = ascii_text.encode("ascii", "ignore").decode().lower()
    return _NON_ALNUM.sub("-", ascii_text).strip("-")


def city_slug(code: str, name: str) -> str:
    """The base id of a city: ``<iso2>-<slug of name>``, e.g. ``gb-london``.

    Names with no Latin letters or digits at all get a short stable hash so the
    id is still a valid slug.
    """
    slug = slugify(name)
    if not slug:
        import hashlib

        slug = "x" + hashlib.sha1(name.encode()).hexdigest()[:10]
    return f"{code.lower()}-{slug}"


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def _coord_suffix(lat: float, lon: float) -> str:
    return f"{abs(lat):.1f}{'n' if lat >= 0 else 's'}-{abs(lon):.1f}{'e' if lon >= 0 else 'w'}"


@dataclass
class TwinCitiesReport:
    """What was read, made, merged and skipped, and why."""

    rows: int = 0
    links: int = 0
    cities: int = 0
    duplicate_links: int = 0
    self_links: int = 0
    #: country value as written ('' for empty) -> rows affected
    unresolved: dict[str, int] = field(default_factory=dict)
    #: rows dropped (all of them because of `unresolved` or a malformed row)
    skipped_rows: int = 0
    #: UK nation -> cities given with that nation
    nations: dict[str, int] = field(default_factory=dict)
    file: str = SOURCE
    #: duplicate rows by kind, e.g. 'reverse direction, written differently'
    duplicate_kinds: dict[str, int] = field(default_factory=dict)
    self_link_lines: list[int] = field(default_factory=list)
    #: unresolved value -> line numbers of the affected rows
    unresolved_lines: dict[str, list[int]] = field(default_factory=dict)
    #: unresolved value -> why (distinct reasons), with a "did you mean" hint where there is one
    unresolved_reasons: dict[str, list[str]] = field(default_factory=dict)
    #: malformed rows skipped: reason -> line numbers
    malformed: dict[str, list[int]] = field(default_factory=dict)
    #: city id -> the other spellings merged into it
    spelling_variants: dict[str, list[str]] = field(default_factory=dict)
    #: base id -> [(suffixed id, name, km from the first place)] for places > 50 km apart
    disambiguated: dict[str, list[tuple[str, str, float]]] = field(default_factory=dict)
    #: cities whose coordinates were missing or invalid in every row naming them
    without_coordinates: list[str] = field(default_factory=list)
    #: city id -> UK nations given for it (first kept) when rows disagree
    nation_conflicts: dict[str, list[str]] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def consistent(self) -> bool:
        """Every row is accounted for: a link, a duplicate, a self link or skipped."""
        return self.rows == self.links + self.duplicate_links + self.self_links + self.skipped_rows

    def lines(self) -> list[str]:
        out = [f"{self.file}: {self.rows} rows read in {self.seconds:.2f} s"]
        out.append(f"  {self.links} {REL_TYPE} links (symmetric, each pair once)")
        out.append(f"  {self.cities} cities")
        if self.nations:
            parts = ", ".join(f"{n} {c}" for n, c in sorted(self.nations.items()))
            out.append(f"    UK cities with their nation kept (country GB): {parts}")
        if self.spelling_variants:
            ex = "; ".join(
                f"{rid} also written {', '.join(repr(v) for v in vs)}"
                for rid, vs in list(self.spelling_variants.items())[:_LISTED]
            )
            more = len(self.spelling_variants) - _LISTED
            out.append(
                f"    {len(self.spelling_variants)} cities written in more than one spelling "
                f"were merged (same slug): {ex}" + (f"; … and {more} more" if more > 0 else "")
            )
        if self.disambiguated:
            n = sum(len(v) for v in self.disambiguated.values())
            out.append(
                f"    {n} places share a name slug with another place over "
                f"{MAX_DISTANCE_KM:.0f} km away and got a coordinate suffix (check them: "
                "some may be one place with a wrong geocode):"
            )
            for base, extra in self.disambiguated.items():
                for rid, name, km in extra:
                    out.append(f"      {rid} ({name!r}, {km:.0f} km from {base})")
        if self.without_coordinates:
            out.append(
                f"    {len(self.without_coordinates)} cities have no valid coordinates: "
                + ", ".join(self.without_coordinates[:_LISTED])
            )
        if self.nation_conflicts:
            out.append(
                f"    {len(self.nation_conflicts)} cities are given different UK nations in "
                "different rows (within 50 km, so one city; the first nation was kept): "
                + "; ".join(f"{rid}: {' / '.join(ns)}" for rid, ns in self.nation_conflicts.items())
            )
        if self.duplicate_links:
            kinds = ", ".join(f"{n} {k}" for k, n in sorted(self.duplicate_kinds.items()))
            out.append(
                f"  {self.duplicate_links} duplicate rows skipped — the pair was already listed "
                f"({kinds})"
            )
        if self.self_links:
            out.append(
                f"  {self.self_links} self links skipped — the same city on both sides "
                f"(lines {_some(self.self_link_lines)})"
            )
        if self.skipped_rows:
            out.append(f"  {self.skipped_rows} rows skipped, nothing made from them:")
            for value, n in sorted(self.unresolved.items(), key=lambda kv: (-kv[1], kv[0])):
                shown = repr(value) if value else "'' (empty)"
                out.append(
                    f"    country {shown}: {n} row{'s' if n != 1 else ''} (lines "
                    f"{_some(self.unresolved_lines.get(value, []))})"
                )
                reasons = self.unresolved_reasons.get(value, [])
                out += [f"      {r}" for r in reasons[:_LISTED]]
                if len(reasons) > _LISTED:
                    out.append(f"      … and {len(reasons) - _LISTED} more")
            for reason, lines in self.malformed.items():
                out.append(f"    {len(lines)} rows — {reason} (lines {_some(lines)})")
        total = self.links + self.duplicate_links + self.self_links + self.skipped_rows
        ok = "=" if self.consistent else "≠"
        out.append(
            f"  check: {self.rows} rows {ok} {self.links} links + {self.duplicate_links} "
            f"duplicates + {self.self_links} self links + {self.skipped_rows} skipped ({total})"
        )
        return out


def _some(lines: list[int]) -> str:
    shown = ", ".join(str(n) for n in lines[:_LISTED])
    return shown + (f", … ({len(lines)} in all)" if len(lines) > _LISTED else "")


@dataclass
class _City:
    id: str
    name: str
    code: str
    lat: float | None
    lon: float | None
    nation: str | None
    spellings: set[str]


def _coords(lat: str, lon: str) -> tuple[float | None, float | None]:
    try:
        la, lo = float(lat), float(lon)
    except ValueError:
        return None, None
    if not (-90.0 <= la <= 90.0 and -180.0 <= lo <= 180.0) or math.isnan(la + lo):
        return None, None
    return la, lo


def _unresolved_reason(value: str, city: str, exc: UnknownCountry) -> str:
    """Why a country did not resolve, with a hint for a person (never applied)."""
    if value.strip():
        return str(exc)
    reason = "the country is empty"
    head, sep, tail = city.rpartition(",")
    for candidate, shape in ((tail, "ends in"), (city, "is")) if sep else ((city, "is"),):
        try:
            m = resolve_country(candidate)
        except UnknownCountry:
            continue
        if shape == "ends in":
            return (
                f"{reason}; the city field {city!r} ends in a country name — did you mean "
                f"city {head.strip()!r} in {m.name} ({m.code})?"
            )
        return f"{reason}; the city field {city!r} is itself a country or territory ({m.code})"
    return reason + "; give the country name or ISO code"


class _Places:
    """The cities seen so far: one per slug, or several when one slug names far-apart places."""

    def __init__(self) -> None:
        self.clusters: dict[str, list[_City]] = {}  # base slug -> places (first = unsuffixed)
        self.used_ids: set[str] = set()
        self.cities: dict[str, _City] = {}  # id -> city, in order of first appearance
        #: city id -> UK nations given for it (first kept) when rows disagree
        self.nation_conflicts: dict[str, list[str]] = {}

    def place(self, match: CountryMatch, name: str, lat: float | None, lon: float | None) -> _City:
        """The city this side of a row names: an earlier one nearby, or a new one."""
        base = city_slug(match.code, name)
        group = self.clusters.setdefault(base, [])
        city = self._nearby(group, lat, lon)
        if city is None:
            return self._new(base, group, match, name, lat, lon)
        self._merge(city, match, name, lat, lon)
        return city

    @staticmethod
    def _nearby(group: list[_City], lat: float | None, lon: float | None) -> _City | None:
        for cand in group:
            if (
                lat is None
                or cand.lat is None
                or (cand.lat == lat and cand.lon == lon)
                or distance_km(cand.lat, cand.lon, lat, lon) <= MAX_DISTANCE_KM  # type: ignore[arg-type]
            ):
                return cand
        return None

    def _new(
        self,
        base: str,
        group: list[_City],
        match: CountryMatch,
        name: str,
        lat: float | None,
        lon: float | None,
    ) -> _City:
        rid = base
        if group:
            rid = f"{base}-{_coord_suffix(lat, lon)}"  # type: ignore[arg-type]
            n = 2
            while rid in self.used_ids:
                rid = f"{base}-{_coord_suffix(lat, lon)}-{n}"  # type: ignore[arg-type]
                n += 1
        self.used_ids.add(rid)
        city = _City(rid, name, match.code, lat, lon, match.nation, {name})
        group.append(city)
        self.cities[rid] = city
        return city

    def _merge(
        self, city: _City, match: CountryMatch, name: str, lat: float | None, lon: float | None
    ) -> None:
        city.spellings.add(name)
        if city.lat is None and lat is not None:
            city.lat, city.lon = lat, lon
        if not match.nation:
            return
        if city.nation is None:
            city.nation = match.nation
        elif city.nation != match.nation:
            seen = self.nation_conflicts.setdefault(city.id, [city.nation])
            if match.nation not in seen:
                seen.append(match.nation)


@dataclass(frozen=True, slots=True)
class _Columns:
    """Where each expected column is in the header."""

    city1: int
    country1: int
    lat1: int
    lng1: int
    city2: int
    country2: int
    lat2: int
    lng2: int
    width: int

    @classmethod
    def of(cls, header: list[str] | None, fname: str) -> _Columns:
        """The columns of the header row; `ValidationFailed` when one is missing."""
        cols = [h.strip().lower() for h in header or []]
        missing = [c for c in COLUMNS if c not in cols]
        if missing:
            raise ValidationFailed(
                [
                    Problem(
                        Origin(fname, 1),
                        None,
                        ",".join(header or []),
                        f"the header lacks column(s) {', '.join(missing)}; expected "
                        f"{','.join(COLUMNS)}",
                    )
                ]
            )
        return cls(*(cols.index(c) for c in COLUMNS), width=len(cols))


def _one_line(name: str) -> str:
    """A city name as one line: a line break or tab in the list's cell is a space."""
    return " ".join(name.split())


class _Reading:
    """One pass over the rows: cities placed, links kept, every skipped row accounted for."""

    def __init__(self, fname: str, report: TwinCitiesReport) -> None:
        self.fname = fname
        self.report = report
        self.problems: list[Problem] = []
        self.places = _Places()
        # sorted ids -> (line, row as written, source id, target id in the row's direction)
        self.links: dict[tuple[str, str], tuple[int, tuple[str, ...], str, str]] = {}
        self.unresolved: Counter[str] = Counter()
        self.unresolved_lines: dict[str, list[int]] = defaultdict(list)
        self.duplicate_kinds: Counter[str] = Counter()

    def row(self, line: int, row: list[str], col: _Columns) -> None:
        """Read one data row: a link, a duplicate, a self link or a skipped row."""
        self.report.rows += 1
        if len(row) != col.width or not row[col.city1].strip() or not row[col.city2].strip():
            self._malformed(line, row, col)
            return
        sides = self._countries(line, row, col)
        if sides is None:
            self.report.skipped_rows += 1
            return
        n1, n2 = _one_line(row[col.city1]), _one_line(row[col.city2])
        for fld, name in (("city1", n1), ("city2", n2)):
            try:
                check_text(name, limit=MAX_NAME_LENGTH)
            except ValueError as exc:
                self.report.skipped_rows += 1
                self.problems.append(Problem(Origin(self.fname, line), fld, name, str(exc)))
                return
        a = self.places.place(sides[0], n1, *_coords(row[col.lat1], row[col.lng1]))
        b = self.places.place(sides[1], n2, *_coords(row[col.lat2], row[col.lng2]))
        if a is b:
            self.report.self_links += 1
            self.report.self_link_lines.append(line)
            return
        self._link(line, a, b, (n1, row[col.country1].strip(), n2, row[col.country2].strip()))

    def _malformed(self, line: int, row: list[str], col: _Columns) -> None:
        """Count and report a row with the wrong width or an empty city name."""
        reason = (
            f"has {len(row)} columns instead of {col.width}"
            if len(row) != col.width
            else "a city name is empty"
        )
        self.report.malformed.setdefault(reason, []).append(line)
        self.report.skipped_rows += 1
        self.problems.append(Problem(Origin(self.fname, line), None, None, f"the row {reason}"))

    def _countries(self, line: int, row: list[str], col: _Columns) -> list[CountryMatch] | None:
        """Both sides' countries, or None (each unresolved one counted and reported)."""
        sides: list[CountryMatch] = []
        bad = False
        for fld, ci, ki in (
            ("country1", col.city1, col.country1),
            ("country2", col.city2, col.country2),
        ):
            value = row[ki].strip()
            try:
                sides.append(resolve_country(value))
            except UnknownCountry as exc:
                bad = True
                self._unresolved(line, fld, value, _unresolved_reason(value, row[ci].strip(), exc))
        return None if bad else sides

    def _unresolved(self, line: int, fld: str, value: str, reason: str) -> None:
        self.unresolved[value] += 1
        self.unresolved_lines[value].append(line)
        known = self.report.unresolved_reasons.setdefault(value, [])
        if reason not in known:
            known.append(reason)
        self.problems.append(Problem(Origin(self.fname, line), fld, value, reason))

    def _link(self, line: int, a: _City, b: _City, raw: tuple[str, ...]) -> None:
        """Keep the pair's first row; count a repeat by direction and spelling."""
        key = (a.id, b.id) if a.id <= b.id else (b.id, a.id)
        prior = self.links.get(key)
        if prior is None:
            self.links[key] = (line, raw, a.id, b.id)  # the store keys it sorted (`.key`)
            return
        _, first, src, _ = prior
        flipped = src != a.id
        same_text = raw == ((first[2], first[3], first[0], first[1]) if flipped else first)
        kind = f"{'reverse' if flipped else 'same'} direction, written " + (
            "identically" if same_text else "differently"
        )
        self.duplicate_kinds[kind] += 1
        self.report.duplicate_links += 1

    def dataset(self) -> Dataset:
        """The city actors and TWINNED_WITH relationships read."""
        dataset = Dataset()
        sources = (SOURCE,)
        for city in self.places.cities.values():
            actor = Actor(
                kind="city",
                id=city.id,
                name=city.name,
                country=city.code,
                nation=city.nation,
                lat=city.lat,
                lon=city.lon,
                sources=sources,
            )
            dataset.add(actor, Origin(self.fname))
        for line, _raw, s, t in self.links.values():
            rel = Relationship(source=s, type=REL_TYPE, target=t, sources=sources)
            dataset.add(rel, Origin(self.fname, line))
        return dataset

    def finish_report(self) -> None:
        """What the cities and links say about the file: merges, places split, counts."""
        report = self.report
        for city in self.places.cities.values():
            if city.nation:
                report.nations[city.nation] = report.nations.get(city.nation, 0) + 1
            if len(city.spellings) > 1:
                report.spelling_variants[city.id] = sorted(city.spellings - {city.name})
            if city.lat is None:
                report.without_coordinates.append(city.id)
        for group in self.places.clusters.values():
            if len(group) > 1:
                first = group[0]
                report.disambiguated[first.id] = [
                    (
                        c.id,
                        c.name,
                        distance_km(first.lat, first.lon, c.lat, c.lon),  # type: ignore[arg-type]
                    )
                    for c in group[1:]
                ]
        report.cities = len(self.places.cities)
        report.links = len(self.links)
        report.unresolved = dict(self.unresolved)
        report.unresolved_lines = dict(self.unresolved_lines)
        report.duplicate_kinds = dict(self.duplicate_kinds)
        report.nation_conflicts = self.places.nation_conflicts


def _records(reader: Any) -> Iterator[tuple[int, list[str]]]:
    """(line where the record starts, cells) of each data row (quoted fields may span lines)."""
    prev_end = 1
    for row in reader:
        yield prev_end + 1, row
        prev_end = reader.line_num


def read_twin_cities(
    path: Path, *, on_unresolved: str = "skip"
) -> tuple[Dataset, TwinCitiesReport]:
    """Read the twin-cities CSV into city actors and TWINNED_WITH relationships.

    `on_unresolved`: "skip" drops rows whose country cannot be resolved and
    reports them; "fail" raises `ValidationFailed` with one `Problem` per
    affected row and field (line number, value, reason with hint). Malformed
    rows (wrong number of columns, empty city name) are handled the same way.
    """
    if on_unresolved not in ON_UNRESOLVED:
        raise ValueError(f"on_unresolved must be one of {ON_UNRESOLVED}, not {on_unresolved!r}")
    started = time.perf_counter()
    path = Path(path)
    reading = _Reading(str(path), TwinCitiesReport(file=path.name))
    with path.open(newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f)
        columns = _Columns.of(next(reader, None), reading.fname)
        for line, row in _records(reader):
            reading.row(line, row, columns)
    if reading.problems and on_unresolved == "fail":
        raise ValidationFailed(reading.problems)
    dataset = reading.dataset()
    reading.finish_report()
    reading.report.seconds = time.perf_counter() - started
    return dataset, reading.report
