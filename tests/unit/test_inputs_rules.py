"""The rules for what a person types, without a store: the country resolver, the date
rule in every input format, the actor-name rule on a projected graph, and enumerated
words in any case."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from pydantic import TypeAdapter, ValidationError

from graph.choices import any_case
from graph.countries import UnknownCountry, country_code, describe, resolve_country
from graph.read.lookup import AmbiguousName, NoSuchNode, did_you_mean, resolve_in_graph
from ingest.readers import read_input
from ingest.records import iso_date
from tests.support.ingest import write_workbook

# --------------------------------------------------------------------------- countries


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("GB", "GB"), ("gb", "GB"), ("GBR", "GB"), ("gbr", "GB"), ("United Kingdom", "GB"),
        ("united kingdom", "GB"), ("UK", "GB"), ("uk", "GB"), ("Great Britain", "GB"),
        ("Britain", "GB"), ("England", "GB"), ("Scotland", "GB"), ("Wales", "GB"),
        ("Northern Ireland", "GB"), ("Sweden", "SE"), ("SWEDEN", "SE"), ("swe", "SE"),
        ("Denmark", "DK"), ("France", "FR"), ("deu", "DE"),
    ],
)  # fmt: skip
def test_country_names_codes_and_uk_nations_resolve(typed: str, code: str) -> None:
    assert country_code(typed) == code


def test_uk_nations_keep_the_nation() -> None:
    assert resolve_country("wales").nation == "Wales"
    assert resolve_country("GB").nation is None


@pytest.mark.parametrize(
    ("typed", "hint"),
    [("Swedn", "Sweden (SE)"), ("Danmark", "Denmark (DK)"), ("Englnd", "England (GB)"),
     ("Untied Kingdom", "United Kingdom (GB)")],
)  # fmt: skip
def test_a_near_miss_is_an_error_with_a_did_you_mean(typed: str, hint: str) -> None:
    with pytest.raises(UnknownCountry) as exc:
        country_code(typed)
    assert exc.value.hint == hint
    assert str(exc.value) == (
        f"not a recognised country name or ISO code: {typed!r} (did you mean {hint}?)"
    )


@pytest.mark.parametrize("typed", ["Narnia", "zz", "XX", "last spring", ""])
def test_an_unknown_country_is_an_error_without_a_guess(typed: str) -> None:
    with pytest.raises(UnknownCountry) as exc:
        country_code(typed)
    assert exc.value.hint is None


def test_describe_names_the_country_and_its_code() -> None:
    assert describe("DK") == "Denmark (DK)"


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("2019", "2019"), ("2019-04", "2019-04"), ("2019-04-01", "2019-04-01"),
        (" 2019-04-01 ", "2019-04-01"), (2019, "2019"), (2019.0, "2019"),
        (dt.date(2019, 4, 1), "2019-04-01"), (dt.datetime(2019, 4, 1, 10, 30), "2019-04-01"),
        ("2020-02-29", "2020-02-29"), (None, None),
    ],
)  # fmt: skip
def test_iso_dates_and_date_cells_are_accepted(value: Any, stored: str | None) -> None:
    assert iso_date(value) == stored


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("last spring", "not a date"), ("01/04/2019", "not a date"),
        ("2019-4-1", "not a date"), ("April 2019", "not a date"), ("19", "not a date"),
        ("2019-13-45", "no such date (month must be in 1..12)"),
        ("2019-02-30", "no such date (day is out of range for month)"),
        ("2019-00", "no such date"), ("2021-02-29", "no such date"),
        (43556.5, "not a date"), (True, "not a date"),
    ],
)  # fmt: skip
def test_anything_else_is_an_error_saying_what_to_write(value: Any, why: str) -> None:
    with pytest.raises(ValueError) as exc:
        iso_date(value)
    assert why in str(exc.value)
    assert "YYYY, YYYY-MM or YYYY-MM-DD" in str(exc.value)


BAD_DATES: dict[str, Any] = {
    "actors": [
        {"id": "a", "name": "A", "kind": "city", "country": "GB"},
        {"id": "b", "name": "B", "kind": "city", "country": "GB"},
    ],
    "initiatives": [
        {"id": "p", "name": "P", "kind": "program", "start": "last spring", "end": "2019-02-30"}
    ],
    "relationships": [
        {"source": "a", "type": "PARTNERS_WITH", "target": "b", "since": "2019-13-45"},
        {"source": "a", "type": "RUNS", "target": "p", "since": "01/04/2019"},
        {"source": "b", "type": "RUNS", "target": "p", "since": "2019-04"},
    ],
}
#: (field, value) of each bad date above.
BAD = {("start", "last spring"), ("end", "2019-02-30"), ("since", "2019-13-45"),
       ("since", "01/04/2019")}  # fmt: skip

YAML_BAD_DATES = """\
actors:
  - {id: a, name: A, kind: city, country: GB}
  - {id: b, name: B, kind: city, country: GB}
initiatives:
  - id: p
    name: P
    kind: program
    start: last spring
    end: 2019-02-30
relationships:
  - {source: a, type: PARTNERS_WITH, target: b, since: 2019-13-45}
  - {source: a, type: RUNS, target: p, since: 01/04/2019}
  - {source: b, type: RUNS, target: p, since: 2019-04}
"""


def _date_problems(path: Path) -> set[tuple[str | None, Any, int | None, str | None]]:
    from ingest.problems import ValidationFailed

    with pytest.raises(ValidationFailed) as exc:
        read_input(path)
    found = set()
    for p in exc.value.problems:
        assert p.origin is not None and p.origin.file == str(path)
        assert "YYYY, YYYY-MM or YYYY-MM-DD" in p.reason
        found.add((p.field, p.value, p.origin.line, p.origin.sheet))
    return found


def test_yaml_bad_dates_are_problems_with_their_lines_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "dates.yaml"
    path.write_text(YAML_BAD_DATES, encoding="utf-8")
    found = _date_problems(path)
    assert {(f, v) for f, v, _, _ in found} == BAD
    lines = {(f, v): line for f, v, line, _ in found}
    assert lines[("start", "last spring")] == 5 and lines[("since", "2019-13-45")] == 11


def test_yaml_good_dates_stay_the_text_written(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    text = YAML_BAD_DATES.replace("last spring", "2019-04-01").replace("2019-02-30", "2020")
    text = text.replace("2019-13-45", "2019-12-31").replace("01/04/2019", "2019-04-01 10:30")
    path.write_text(text, encoding="utf-8")
    from ingest.problems import ValidationFailed

    with pytest.raises(ValidationFailed) as exc:  # a time is not a date either
        read_input(path)
    assert [(p.field, p.value) for p in exc.value.problems] == [("since", "2019-04-01 10:30")]
    path.write_text(text.replace("2019-04-01 10:30", "2019"), encoding="utf-8")
    ds = read_input(path)
    assert (ds.initiatives[0].start, ds.initiatives[0].end) == ("2019-04-01", "2020")
    assert [r.since for r in ds.relationships] == ["2019-12-31", "2019", "2019-04"]


def test_json_bad_dates_are_problems_with_their_lines(tmp_path: Path) -> None:
    path = tmp_path / "dates.json"
    path.write_text(json.dumps(BAD_DATES, indent=1), encoding="utf-8")
    found = _date_problems(path)
    assert {(f, v) for f, v, _, _ in found} == BAD
    assert all(line for _, _, line, _ in found)


def test_csv_bad_dates_are_problems_with_their_lines(tmp_path: Path) -> None:
    folder = tmp_path / "csv"
    folder.mkdir()
    for section, rows in BAD_DATES.items():
        header = sorted({k for r in rows for k in r})
        lines = [",".join(header)] + [",".join(str(r.get(h, "")) for h in header) for r in rows]
        (folder / f"{section}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    from ingest.problems import ValidationFailed

    with pytest.raises(ValidationFailed) as exc:
        read_input(folder)
    found = {
        (p.field, p.value, Path(p.origin.file).name, p.origin.line) for p in exc.value.problems
    }
    assert found == {
        ("start", "last spring", "initiatives.csv", 2),
        ("end", "2019-02-30", "initiatives.csv", 2),
        ("since", "2019-13-45", "relationships.csv", 2),
        ("since", "01/04/2019", "relationships.csv", 3),
    }


def test_workbook_text_that_is_no_date_is_a_problem_with_its_row(tmp_path: Path) -> None:
    path = write_workbook(BAD_DATES, tmp_path / "dates.xlsx")
    found = _date_problems(path)
    assert {(f, v) for f, v, _, _ in found} == BAD
    assert {(f, v, row, sheet) for f, v, row, sheet in found} >= {
        ("start", "last spring", 2, "initiatives"),
        ("since", "01/04/2019", 3, "relationships"),
    }


def test_workbook_date_cells_are_dates(tmp_path: Path) -> None:
    data = json.loads(json.dumps(BAD_DATES))
    data["initiatives"][0].update(start=dt.date(2019, 4, 1), end="2020")
    for r, since in zip(data["relationships"], ("2019", "2019-12", "2019-12-31"), strict=True):
        r["since"] = since
    ds = read_input(write_workbook(data, tmp_path / "ok.xlsx"))
    assert (ds.initiatives[0].start, ds.initiatives[0].end) == ("2019-04-01", "2020")
    assert [r.since for r in ds.relationships] == ["2019", "2019-12", "2019-12-31"]


# --------------------------------------------------------------------------- actor names


def _graph() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    for node_id, name, family in [
        ("london", "London", "actor"),
        ("malmo", "Malmö", "actor"),
        ("yf-gb", "Youth Forum", "actor"),
        ("yf-se", "Youth Forum", "actor"),
        ("prevent", "Prevent", "initiative"),
    ]:
        G.add_node(node_id, name=name, family=family)
    return G


@pytest.mark.parametrize(
    ("typed", "node"),
    [("london", "london"), ("London", "london"), ("LONDON", "london"), ("malmö", "malmo"),
     ("MALMÖ", "malmo"), (" Malmö ", "malmo"), ("prevent", "prevent")],
)  # fmt: skip
def test_an_id_or_exact_name_in_any_case_names_the_node(typed: str, node: str) -> None:
    assert resolve_in_graph(_graph(), typed) == node


def test_a_family_keeps_other_nodes_out() -> None:
    with pytest.raises(NoSuchNode):
        resolve_in_graph(_graph(), "prevent", family="actor")


def test_a_shared_name_is_ambiguous_listing_the_ids() -> None:
    with pytest.raises(AmbiguousName) as exc:
        resolve_in_graph(_graph(), "youth forum")
    assert exc.value.ids == ["yf-gb", "yf-se"]
    assert "yf-gb, yf-se" in str(exc.value)


def test_an_unknown_id_says_did_you_mean_id_and_name() -> None:
    with pytest.raises(NoSuchNode) as exc:
        resolve_in_graph(_graph(), "Londn", family="actor")
    assert str(exc.value) == "no actor with id 'Londn'; did you mean london (London)?"
    assert isinstance(exc.value, KeyError)  # callers' "unknown id" is unchanged


def test_no_hint_when_nothing_is_close() -> None:
    assert did_you_mean("xyzzy", [("london", "London"), ("malmo", "Malmö")]) is None
    with pytest.raises(NoSuchNode) as exc:
        resolve_in_graph(_graph(), "xyzzy")
    assert str(exc.value) == "no node with id 'xyzzy'"


# --------------------------------------------------------------------------- enumerated words


def test_enumerated_words_in_any_case_become_the_canonical_word() -> None:
    severity = TypeAdapter(any_case(("high", "medium", "low")))
    assert [severity.validate_python(v) for v in ("High", "HIGH", " low ")] == [
        "high",
        "high",
        "low",
    ]
    rel = TypeAdapter(any_case(("MEMBER_OF", "RUNS")))
    assert rel.validate_python("member_of") == "MEMBER_OF"
    with pytest.raises(ValidationError):
        severity.validate_python("urgent")
    assert severity.json_schema()["enum"] == ["high", "medium", "low"]
