"""Every problem in the input is reported — with file, line (or sheet and row), field,
value and reason — all in one run.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ingest.problems import Problem, ValidationFailed
from ingest.readers import read_input, read_inputs
from tests.support.ingest import write_workbook, write_yaml

BASE_ACTORS = [
    {"id": "exampleton", "kind": "city", "name": "Exampleton", "country": "GB"},
    {"id": "sampleville", "kind": "city", "name": "Sampleville", "country": "FR"},
    {"id": "ex-cso", "kind": "cso", "name": "Ex CSO", "country": "GB"},
]


def problems_of(path: Path) -> list[Problem]:
    """Row-level plus the cross-record problems visible without a store."""
    with pytest.raises(ValidationFailed) as err:
        read_input(path)
    return err.value.problems


def line_of(path: Path, needle: str) -> int:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return n
    raise AssertionError(needle)


def actors_yaml(*extra: str) -> str:
    lines = ["actors:"]
    lines += [f"  - {json.dumps(a)}" for a in BASE_ACTORS]
    return "\n".join([*lines, *extra]) + "\n"


# One case per kind of error: (YAML lines added, field, value, words in the reason, marker).
CASES: dict[str, tuple[str, str, Any, str, str]] = {
    "unknown kind": (
        actors_yaml("  - {id: townx, kind: town, name: Town X}"),
        "kind", "town", "unknown actor kind", "townx",
    ),
    "initiative kind among actors": (
        actors_yaml("  - {id: progx, kind: program, name: P}"),
        "kind", "program", "put this record in the initiatives section", "progx",
    ),
    "unknown relationship type": (
        actors_yaml("relationships:", "  - {source: exampleton, type: PARTNER, target: ex-cso}"),
        "type", "PARTNER", "did you mean 'PARTNERS_WITH'", "PARTNER,",
    ),
    "unresolvable country": (
        actors_yaml("  - {id: narnia, kind: city, name: Narnia, country: Germny}"),
        "country", "Germny", "did you mean Germany (DE)?", "narnia",
    ),
    "endpoint kinds not allowed": (
        actors_yaml("relationships:", "  - {source: exampleton, type: TWINNED_WITH, "
                    "target: ex-cso}"),
        "type", "TWINNED_WITH", "cannot go from a city (exampleton) to a cso", "TWINNED_WITH",
    ),
    "duplicate id with conflicting data": (
        actors_yaml("  - {id: exampleton, kind: city, name: Exampleton Town, country: GB}"),
        "id", "exampleton", "duplicate id with conflicting data (name)", "Exampleton Town",
    ),
    "bad status": (
        "initiatives:\n  - {id: p, kind: program, name: P, status: finished}\n",
        "status", "finished", "allowed: proposed, planned, active, ended", "finished",
    ),
    "bad boolean": (
        actors_yaml("  - {id: c2, kind: cso, name: C2, grassroots: maybe}"),
        "grassroots", "maybe", "use true/false, yes/no or 1/0", "maybe",
    ),
    "unknown field": (
        actors_yaml("  - {id: c3, kind: cso, name: C3, contry: France}"),
        "contry", "France", "did you mean 'country'?", "contry",
    ),
    "missing required field": (
        actors_yaml("  - {id: c4, kind: cso}"),
        "name", None, "required field is missing", "c4",
    ),
    "bad id": (
        actors_yaml("  - {id: Big City, kind: city, name: Big City}"),
        "id", "Big City", "lower-case slug", "Big City",
    ),
    "city is not a city": (
        actors_yaml("  - {id: c5, kind: cso, name: C5, city: ex-cso}"),
        "city", "ex-cso", "must be the id of a city, but it is a cso", "c5",
    ),
    "nation outside the UK": (
        actors_yaml("  - {id: c6, kind: cso, name: C6, country: FR, nation: Wales}"),
        "nation", "Wales", "the country is France", "c6",
    ),
    "latitude out of range": (
        actors_yaml("  - {id: c7, kind: city, name: C7, lat: 123}"),
        "lat", 123, "must be less than or equal to 90", "c7",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", list(CASES))
def test_each_error_names_file_line_field_value_and_reason(tmp_path: Path, case: str) -> None:
    text, field, value, reason, marker = CASES[case]
    path = write_yaml(tmp_path, text)
    problems = problems_of(path)
    assert len(problems) == 1, [str(p) for p in problems]
    p = problems[0]
    assert p.origin is not None and p.origin.file == str(path)
    assert p.origin.line == line_of(path, marker)
    assert (p.field, p.value) == (field, value)
    assert reason in p.reason
    msg = str(p)
    assert msg.startswith(f"{path}, line {p.origin.line}: field {field!r}")
    if value is not None:
        assert f"value {value!r}" in msg
    assert "pydantic" not in msg and "Input should" not in msg and "errors.pydantic" not in msg


def test_yaml_syntax_error_has_its_line(tmp_path: Path) -> None:
    path = write_yaml(tmp_path, "actors:\n  - id: a\n    kind: city\n   name: [unclosed\n")
    (p,) = problems_of(path)
    assert p.origin.line in (3, 4)  # type: ignore[union-attr]
    assert p.reason.startswith("YAML syntax error")


def test_json_syntax_error_has_its_line(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{\n  "actors": [\n    {"id": "a", "kind": "city",, "name": "A"}\n  ]\n}\n')
    (p,) = problems_of(path)
    assert p.origin.line == 3  # type: ignore[union-attr]
    assert "JSON syntax error" in p.reason


def test_json_records_have_their_lines(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text(
        '{"actors": [\n  {"id": "a", "kind": "city", "name": "A"},\n\n'
        '  {"id": "b", "kind": "ctiy",\n   "name": "B"}\n]}\n'
    )
    (p,) = problems_of(path)
    assert (p.origin.line, p.field, p.value) == (4, "kind", "ctiy")  # type: ignore[union-attr]
    assert "did you mean 'city'" in p.reason


def test_document_structure_errors(tmp_path: Path) -> None:
    path = write_yaml(tmp_path, "actor:\n  - {id: a, kind: city, name: A}\nrelationships: 3\n")
    got = {(p.field, p.reason.split(";")[0].split(" (")[0]) for p in problems_of(path)}
    assert ("actor", "unknown section") in got
    assert ("relationships", "a section must be a list of records, not int") in got


def test_many_errors_are_all_reported_in_one_run(tmp_path: Path) -> None:
    text = (
        "actors:\n"
        "  - {id: exampleton, kind: city, name: Exampleton, country: GB}\n"     # 2 ok
        "  - {id: ex-cso, kind: cso, name: Ex CSO, grassroots: maybe}\n"        # 3 boolean
        "  - {id: t, kind: town, name: T}\n"                                    # 4 kind
        "  - {id: n, kind: city, name: N, country: Atlantis, contry: x}\n"     # 5 country+field
        "  - {id: exampleton, kind: city, name: Other, country: GB}\n"          # 6 duplicate
        "initiatives:\n"
        "  - {id: p, kind: program, status: done}\n"                            # 8 name+status
        "relationships:\n"
        "  - {source: exampleton, type: LIKES, target: ex-cso}\n"               # 10 type
        "  - {source: exampleton, type: TWINNED_WITH, target: ex-cso}\n"        # 11 kinds
        "  - {source: t, type: PARTNERS_WITH, target: exampleton}\n"            # 12 (t invalid)
    )  # fmt: skip
    path = write_yaml(tmp_path, text)
    got = sorted((p.origin.line, p.field) for p in problems_of(path))  # type: ignore[union-attr]
    assert got == [
        (3, "grassroots"),
        (4, "kind"),
        (5, "contry"),
        (5, "country"),
        (6, "id"),
        (8, "name"),
        (8, "status"),
        (10, "type"),
        (11, "type"),
    ]  # line 12 refers to an actor whose row was wrong: not also reported as dangling


# -- CSV and Excel name their lines, rows and sheets ---------------------------------


def test_csv_errors_name_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "actors.csv").write_text(
        "id,kind,name,contry,grassroots\n"
        "a,city,A,,\n"
        "b,cso,B,,perhaps\n"
        "\n"
        'c,cso,C,"with a\nline break",\n'
        "d,village,D,,\n",
        encoding="utf-8",
    )
    (tmp_path / "relationships.csv").write_text(
        "source,type,target\na,PARTNERS_WITH,b\na,KNOWS,b\n", encoding="utf-8"
    )
    (tmp_path / "actor.csv").write_text("id\n", encoding="utf-8")
    first, *problems = read_inputs([tmp_path]).problems
    assert first.origin.file == str(tmp_path / "actor.csv")  # type: ignore[union-attr]
    assert first.reason == (
        "not a section file: did you mean actors.csv? CSV files here must be named "
        "countries.csv, actors.csv, initiatives.csv, relationships.csv"
    )
    msgs = [str(p) for p in problems]
    a, r = tmp_path / "actors.csv", tmp_path / "relationships.csv"
    assert msgs == [
        f"{a}, line 1: field 'contry': unknown column in actors (did you mean 'country'?)",
        f"{a}, line 3: field 'grassroots' value 'perhaps': not a boolean: use true/false, "
        "yes/no or 1/0",
        f"{a}, line 7: field 'kind' value 'village': unknown actor kind; allowed: city, cso, "
        "statutory_service, national_body, private_sector, research, international_org",
        f"{r}, line 3: field 'type' value 'KNOWS': unknown relationship type; allowed: "
        "PARTNERS_WITH, COORDINATES_WITH, SHARES_INFORMATION_WITH, TWINNED_WITH, MEMBER_OF, "
        "FUNDS, SUPPORTS_CAPACITY, CONTRIBUTES_TO, IMPLEMENTS, RUNS, PARTICIPATES_IN, PUBLISHES, "
        "EVALUATES, INFORMS, LOCATED_IN",
    ]


def test_csv_header_problems(tmp_path: Path) -> None:
    (tmp_path / "initiatives.csv").write_text(
        "id,name,name,,status\nx,X,X,stray,active\n", encoding="utf-8"
    )
    got = [(p.origin.line, p.field, p.reason) for p in read_inputs([tmp_path]).problems]  # type: ignore[union-attr]
    assert (1, "name", "column appears twice in the header") in got
    assert (1, "kind", "the header lacks required column kind") in got
    assert any(line == 2 and "no name in the header" in reason for line, _, reason in got)


def test_not_utf8_is_reported(tmp_path: Path) -> None:
    (tmp_path / "actors.csv").write_bytes(b"id,kind,name\nm,city,M\xfcnster\n")
    (p,) = read_inputs([tmp_path]).problems
    assert (p.origin.line, p.reason) == (2, "not UTF-8 text: save the file as UTF-8")  # type: ignore[union-attr]


def test_excel_errors_name_sheet_and_row(tmp_path: Path) -> None:
    data = {
        "actors": [
            {"id": "a", "kind": "city", "name": "A", "country": "Wakanda"},
            {"id": "b", "kind": "cso", "name": "B", "grassroots": "sometimes"},
        ],
        "relationships": [{"source": "a", "type": "FUNDS", "target": "b", "status": "paused"}],
    }
    path = write_workbook(data, tmp_path / "book.xlsx")
    msgs = [str(p) for p in problems_of(path)]
    assert msgs == [
        f"{path}, sheet actors, row 2: field 'country' value 'Wakanda': not a recognised "
        "country name or ISO 3166 code; write the English name or the ISO code",
        f"{path}, sheet actors, row 3: field 'grassroots' value 'sometimes': not a boolean: "
        "use true/false, yes/no or 1/0",
        f"{path}, sheet relationships, row 2: field 'status' value 'paused': unknown status; "
        "allowed: proposed, planned, active, ended",
    ]


def test_excel_sheet_named_almost_like_a_section(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Actor"
    wb.active.append(["id", "kind", "name"])
    path = tmp_path / "b.xlsx"
    wb.save(path)
    (p,) = read_inputs([path]).problems
    assert p.origin.sheet == "Actor" and "did you mean 'actors'" in p.reason  # type: ignore[union-attr]


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("not a zip")
    (p,) = read_inputs([path]).problems
    assert "not a readable Excel workbook" in p.reason
