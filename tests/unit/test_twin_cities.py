"""The twin-cities adapter: on small invented files, and on the real file in CI.

The real file is read where it lies (`twin_cities_csv` fixture); nothing from
it is copied here. Expectations on it are computed from the file itself.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from ingest.problems import ValidationFailed
from ingest.readers.twin_cities import (
    COLUMNS,
    TwinCitiesReport,
    city_slug,
    read_twin_cities,
    slugify,
)
from ingest.records import ID_PATTERN

HEADER = ",".join(COLUMNS)


def write_csv(tmp_path: Path, rows: list[str], header: str = HEADER) -> Path:
    path = tmp_path / "twins.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def actors_by_id(dataset):  # type: ignore[no-untyped-def]
    return {a.id: a for a in dataset.actors}


def assert_accounted(report: TwinCitiesReport) -> None:
    assert report.rows == (
        report.links + report.duplicate_links + report.self_links + report.skipped_rows
    )
    assert report.consistent


# -- small invented files -----------------------------------------------------

SMALL = [
    "Amberfeld,Germany,50.10,8.60,Brisquet,France,48.80,2.30",  # line 2
    "Brisquet,France,48.80,2.30,Amberfeld,Germany,50.10,8.60",  # 3: reverse duplicate
    "Amberfeld,Germany,50.10,8.60,Brisquet,France,48.80,2.30",  # 4: exact repeat
    "Ölmark,Germany,51.00,9.00,Brisquet,France,48.80,2.30",  # 5
    "Olmark,Germany,51.01,9.01,Caddow,Scotland,56.00,-3.50",  # 6: same city, other spelling
    "Caddow,Scotland,56.00,-3.50,Dunhallow,Wales,52.40,-3.90",  # 7
    "Dunhallow,Wales,52.40,-3.90,Eastmere,England,52.00,-1.00",  # 8
    "Fenwick Down,England,51.20,0.20,Dunhallow,Wales,52.40,-3.90",  # 9
    "Fenwick Down,England,54.90,-1.60,Amberfeld,Germany,50.10,8.60",  # 10: far apart
    "Gorivani,Georgia (country),42.00,43.50,Amberfeld,Germany,50.10,8.60",  # 11
    "Amberfeld,Germany,50.10,8.60,Amberfeld,Germany,50.10,8.60",  # 12: self link
    '"Halvik, Norway",,60.00,10.00,Amberfeld,Germany,50.10,8.60',  # 13: empty country
    "Izmara,Atlantis,10.00,10.00,Brisquet,France,48.80,2.30",  # 14: not a country
    "Jorvale,Francee,45.00,4.00,Amberfeld,Germany,50.10,8.60",  # 15: misspelt
]


@pytest.fixture
def small(tmp_path: Path) -> Path:
    return write_csv(tmp_path, SMALL)


def test_small_file_counts_add_up(small: Path) -> None:
    ds, report = read_twin_cities(small)
    assert report.rows == 14
    assert report.duplicate_links == 2
    assert report.duplicate_kinds == {
        "reverse direction, written identically": 1,
        "same direction, written identically": 1,
    }
    assert report.self_links == 1
    assert report.self_link_lines == [12]
    assert report.skipped_rows == 3
    assert report.unresolved == {"": 1, "Atlantis": 1, "Francee": 1}
    assert report.unresolved_lines == {"": [13], "Atlantis": [14], "Francee": [15]}
    assert report.links == 8 == len(ds.relationships)
    assert_accounted(report)
    assert report.cities == len(ds.actors) == len({a.id for a in ds.actors})


def test_small_file_cities(small: Path) -> None:
    ds, report = read_twin_cities(small)
    actors = actors_by_id(ds)
    assert set(actors) == {
        "de-amberfeld",
        "fr-brisquet",
        "de-olmark",
        "gb-caddow",
        "gb-dunhallow",
        "gb-eastmere",
        "gb-fenwick-down",
        "gb-fenwick-down-54.9n-1.6w",
        "ge-gorivani",
    }
    a = actors["de-amberfeld"]
    assert (a.kind, a.name, a.country, a.lat, a.lon) == ("city", "Amberfeld", "DE", 50.1, 8.6)
    assert a.sources == ("twin_cities.csv",)
    assert a.nation is None
    # spelling variants slug the same: one city, first spelling and coordinates kept
    assert actors["de-olmark"].name == "Ölmark"
    assert (actors["de-olmark"].lat, actors["de-olmark"].lon) == (51.0, 9.0)
    assert report.spelling_variants == {"de-olmark": ["Olmark"]}
    # UK nations become GB and keep the nation
    assert actors["gb-caddow"].country == "GB" and actors["gb-caddow"].nation == "Scotland"
    assert actors["gb-dunhallow"].nation == "Wales"
    assert actors["gb-eastmere"].nation == "England"
    assert report.nations == {"England": 3, "Scotland": 1, "Wales": 1}
    # "Georgia (country)" is the country
    assert actors["ge-gorivani"].country == "GE"
    # one name, two places far apart: the second gets a coordinate suffix, and it is reported
    assert list(report.disambiguated) == ["gb-fenwick-down"]
    ((rid, name, km),) = report.disambiguated["gb-fenwick-down"]
    assert (rid, name) == ("gb-fenwick-down-54.9n-1.6w", "Fenwick Down")
    assert 350 < km < 450
    text = "\n".join(report.lines())
    assert "gb-fenwick-down-54.9n-1.6w" in text


def test_small_file_links_are_stored_once(small: Path) -> None:
    ds, _ = read_twin_cities(small)
    keys = [r.key for r in ds.relationships]
    assert len(keys) == len(set(keys))
    assert {r.type for r in ds.relationships} == {"TWINNED_WITH"}
    assert ("de-amberfeld", "TWINNED_WITH", "fr-brisquet") in keys
    # origins point at the row that made the link
    first = next(
        r for r in ds.relationships if r.key == ("de-amberfeld", "TWINNED_WITH", "fr-brisquet")
    )
    assert ds.origin(first).line == 2  # type: ignore[union-attr]


def test_small_file_report_says_what_was_skipped(small: Path) -> None:
    _, report = read_twin_cities(small)
    text = "\n".join(report.lines())
    assert "3 rows skipped" in text
    assert "'Atlantis': 1 row (lines 14)" in text
    assert "'' (empty): 1 row (lines 13)" in text
    assert "did you mean France (FR)?" in text
    # the empty country's hint reads the city field
    assert "did you mean city 'Halvik' in Norway (NO)?" in text
    assert "self links skipped" in text and "lines 12" in text
    assert "2 duplicate rows skipped" in text
    assert "check: 14 rows = 8 links + 2 duplicates + 1 self links + 3 skipped" in text


def test_fail_mode_lists_every_row_with_line_field_value_and_hint(small: Path) -> None:
    with pytest.raises(ValidationFailed) as err:
        read_twin_cities(small, on_unresolved="fail")
    problems = err.value.problems
    got = [(p.origin.line, p.field, p.value) for p in problems]  # type: ignore[union-attr]
    assert got == [(13, "country1", ""), (14, "country1", "Atlantis"), (15, "country1", "Francee")]
    assert all(p.origin.file == str(small) for p in problems)  # type: ignore[union-attr]
    assert "Norway (NO)" in problems[0].reason
    assert "did you mean France (FR)?" in problems[2].reason
    assert f"{small}, line 15: field 'country1' value 'Francee'" in str(err.value)


def test_fail_mode_passes_a_clean_file(tmp_path: Path) -> None:
    path = write_csv(tmp_path, SMALL[:9])
    ds, report = read_twin_cities(path, on_unresolved="fail")
    assert report.skipped_rows == 0 and report.unresolved == {}
    assert len(ds.relationships) == report.links


def test_unknown_mode_is_refused(small: Path) -> None:
    with pytest.raises(ValueError, match="on_unresolved"):
        read_twin_cities(small, on_unresolved="guess")


def test_missing_columns_are_a_clear_error(tmp_path: Path) -> None:
    path = write_csv(tmp_path, ["A,Germany,B,France"], header="city1,country1,city2,country2")
    with pytest.raises(ValidationFailed, match="lacks column"):
        read_twin_cities(path)


def test_malformed_rows_and_bad_coordinates_are_reported(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        [
            "Amberfeld,Germany,50.10,8.60,Brisquet,France",  # 2: too few columns
            ",Germany,50.10,8.60,Brisquet,France,48.80,2.30",  # 3: no city name
            "Amberfeld,Germany,north,8.60,Brisquet,France,48.80,2.30",  # 4: bad latitude
            "Amberfeld,Germany,50.10,8.60,Caddow,Scotland,156.00,-3.50",  # 5: out of range
        ],
    )
    ds, report = read_twin_cities(path)
    assert report.skipped_rows == 2
    assert report.malformed == {"has 6 columns instead of 8": [2], "a city name is empty": [3]}
    assert_accounted(report)
    actors = actors_by_id(ds)
    # no valid coordinates in its first row, then found in a later one
    assert (actors["de-amberfeld"].lat, actors["de-amberfeld"].lon) == (50.1, 8.6)
    assert actors["gb-caddow"].lat is None
    assert report.without_coordinates == ["gb-caddow"]
    with pytest.raises(ValidationFailed) as err:
        read_twin_cities(path, on_unresolved="fail")
    assert [p.origin.line for p in err.value.problems] == [2, 3]  # type: ignore[union-attr]


def test_slugs() -> None:
    assert city_slug("GB", "London") == "gb-london"
    assert city_slug("PL", "Łódź") == "pl-lodz"
    assert city_slug("TR", "Bağcılar") == "tr-bagcilar"
    assert city_slug("DE", "Biberach an der Riß") == "de-biberach-an-der-riss"
    assert city_slug("FR", "Villeneuve-d'Ascq") == city_slug("FR", "Villeneuve d'Ascq")
    assert slugify("  São  Tomé – Norte ") == "sao-tome-norte"
    odd = city_slug("JP", "東京")
    assert ID_PATTERN.match(odd) and odd.startswith("jp-x")
    assert odd == city_slug("JP", "東京") != city_slug("JP", "大阪")


def test_line_numbers_count_quoted_newlines(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path,
        [
            '"Amber\nfeld",Germany,50.10,8.60,Brisquet,France,48.80,2.30',  # lines 2-3
            "Caddow,Atlantis,56.00,-3.50,Brisquet,France,48.80,2.30",  # line 4
        ],
    )
    _, report = read_twin_cities(path)
    assert report.unresolved_lines == {"Atlantis": [4]}


# -- the real file ----------------------------------------------------------------


def _file_rows(path: Path) -> list[tuple[int, list[str]]]:
    """(start line, row) for every data row, computed independently of the reader."""
    out = []
    with path.open(newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f)
        header = next(reader)
        assert [h.strip().lower() for h in header] == list(COLUMNS)
        end = reader.line_num
        for row in reader:
            out.append((end + 1, row))
            end = reader.line_num
    return out


def test_real_file_counts_are_consistent(twin_cities_read) -> None:  # type: ignore[no-untyped-def]
    path, ds, report = twin_cities_read
    rows = _file_rows(path)
    assert report.rows == len(rows) > 25_000
    assert_accounted(report)
    assert report.links == len(ds.relationships)
    assert report.cities == len(ds.actors)
    ids = [a.id for a in ds.actors]
    assert len(ids) == len(set(ids))
    assert all(ID_PATTERN.match(i) for i in ids)
    keys = [r.key for r in ds.relationships]
    assert len(keys) == len(set(keys))
    assert all(len(a.country) == 2 and a.country.isupper() for a in ds.actors)
    # every skipped row is explained by an unresolved value or a malformed row
    skipped_lines = {n for v in report.unresolved_lines.values() for n in v}
    skipped_lines |= {n for v in report.malformed.values() for n in v}
    assert report.skipped_rows == len(skipped_lines)
    assert report.seconds > 0  # the report says how long the read took


def test_real_file_uk_nations_become_gb(twin_cities_read) -> None:  # type: ignore[no-untyped-def]
    path, ds, report = twin_cities_read
    actors = ds.actors
    by_prefix: dict[str, list] = {}
    for a in actors:
        by_prefix.setdefault(a.id.split("-")[0], []).append(a)
    gb = {a.id: a for a in by_prefix["gb"]}
    checked = Counter()
    for _line, row in _file_rows(path):
        for name, country in ((row[0], row[1]), (row[4], row[5])):
            if country not in ("England", "Scotland", "Wales"):
                continue
            base = city_slug("GB", name)
            matches = [a for rid, a in gb.items() if rid == base or rid.startswith(base + "-")]
            assert matches, f"no GB city for {name!r}"
            assert all(a.country == "GB" and a.nation for a in matches)
            if base not in report.nation_conflicts:
                assert any(a.nation == country for a in matches)
            checked[country] += 1
    assert set(checked) == {"England", "Scotland", "Wales"}
    assert {"England", "Scotland", "Wales"} <= set(report.nations)
    assert sum(report.nations.values()) == sum(1 for a in gb.values() if a.nation)
    assert not any(a.nation for a in actors if a.country != "GB")


def test_real_file_georgia_country_is_ge(twin_cities_read) -> None:  # type: ignore[no-untyped-def]
    path, ds, _ = twin_cities_read
    ids = {a.id: a for a in ds.actors}
    names = {
        row[i] for _, row in _file_rows(path) for i in (0, 4) if row[i + 1] == "Georgia (country)"
    }
    assert names
    for name in names:
        a = ids[city_slug("GE", name)]
        assert a.country == "GE"
    assert "Georgia (country)" not in _unresolved(twin_cities_read)


def _unresolved(twin_cities_read) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return twin_cities_read[2].unresolved


def test_real_file_empty_country_is_reported(twin_cities_read) -> None:  # type: ignore[no-untyped-def]
    path, _, report = twin_cities_read
    expected = [line for line, row in _file_rows(path) if not row[1].strip() or not row[5].strip()]
    assert expected, "the file is known to hold rows with an empty country"
    assert report.unresolved[""] == len(expected)
    assert report.unresolved_lines[""] == expected
    assert any("'' (empty)" in line for line in report.lines())


def test_real_file_fail_mode_names_each_line(twin_cities_read) -> None:  # type: ignore[no-untyped-def]
    path, _, report = twin_cities_read
    with pytest.raises(ValidationFailed) as err:
        read_twin_cities(path, on_unresolved="fail")
    problems = err.value.problems
    assert len(problems) == sum(report.unresolved.values()) + sum(
        len(v) for v in report.malformed.values()
    )
    rows = dict(_file_rows(path))
    for p in problems:
        assert p.origin is not None and p.origin.file == str(path)
        row = rows[p.origin.line]
        assert p.field in ("country1", "country2")
        assert row[COLUMNS.index(p.field)].strip() == p.value
        assert p.reason
