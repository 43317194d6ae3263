"""The text rules and input limits, one test per rule: lengths, control characters,
lone surrogates, booleans for numbers, workbook sizes and rows, and error bodies that
can always be sent. The same rules hold in every format (YAML, JSON, CSV, Excel)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from api.errors import error_response, printable
from api.models import ActorIn, ActorPatch
from ingest.limits import InputLimits, InputTooLarge
from ingest.readers import read_inputs
from ingest.records import (
    MAX_ID_LENGTH,
    MAX_LIST_ITEMS,
    MAX_NAME_LENGTH,
    MAX_NOTE_LENGTH,
    Actor,
    Relationship,
    check_text,
)
from tests.support.hostile import actors_sheet, million_rows, shared_strings_bomb

# --------------------------------------------------------------------------- check_text


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("a\x00b", "U+0000 at position 2"),
        ("a\x01b", "U+0001"),
        ("a\x7fb", "U+007F"),
        ("a\x85b", "U+0085"),
        ("a\nb", "only in notes"),
        ("a\tb", "only in notes"),
        ("x\ud800y", "lone surrogate (U+D800)"),
        ("\udfff", "lone surrogate (U+DFFF)"),
        ("n" * 301, "at most 300"),
    ],
)
def test_check_text_refuses(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=re.escape(reason)):
        check_text(text)


def test_check_text_allows_breaks_where_multiline() -> None:
    assert check_text("line one\r\nline\ttwo", multiline=True) == "line one\r\nline\ttwo"
    assert check_text("Ölmark – Zürich ✓ 東京") == "Ölmark – Zürich ✓ 東京"
    with pytest.raises(ValueError, match=re.escape("U+0001")):
        check_text("a\x01b", multiline=True)


# --------------------------------------------------------------------------- records


def _actor(**fields: object) -> Actor:
    return Actor(**{"id": "a", "name": "A", "kind": "cso", **fields})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fields", "where"),
    [
        ({"id": "a" * (MAX_ID_LENGTH + 1)}, "id"),
        ({"name": "n" * (MAX_NAME_LENGTH + 1)}, "name"),
        ({"note": "n" * (MAX_NOTE_LENGTH + 1)}, "note"),
        ({"name": "a\nb"}, "name"),
        ({"name": "x\ud800"}, "name"),
        ({"country": "G\x00B"}, "country"),
        ({"themes": ["hate"] * (MAX_LIST_ITEMS + 1)}, "themes"),
        ({"sources": ["ok", "bad\x02"]}, "sources"),
        ({"lat": True}, "lat"),
        ({"lon": False}, "lon"),
    ],
)
def test_records_refuse(fields: dict[str, object], where: str) -> None:
    with pytest.raises(ValidationError) as info:
        _actor(**fields)
    assert info.value.errors()[0]["loc"][0] == where


def test_a_note_may_hold_line_breaks() -> None:
    assert _actor(note="first\nsecond\tthird").note == "first\nsecond\tthird"


def test_relationship_ends_and_notes_are_held_too() -> None:
    with pytest.raises(ValidationError):
        Relationship(source="a" * (MAX_ID_LENGTH + 1), type="FUNDS", target="b")
    with pytest.raises(ValidationError):
        Relationship(source="a", type="FUNDS", target="b", note="x\ud800")


# --------------------------------------------------------------------------- every format


def _problems(path: Path) -> list[str]:
    return [str(p) for p in read_inputs([path]).problems]


@pytest.mark.parametrize(
    ("char", "formats"),
    [("\x01", ("json", "yaml", "csv")), ("\t", ("json", "yaml", "csv", "xlsx"))],
    ids=["U+0001", "a tab"],
)
def test_every_format_refuses_a_control_character(
    tmp_path: Path, char: str, formats: tuple[str, ...]
) -> None:
    """(A workbook's XML cannot hold U+0001 at all, and openpyxl keeps Excel's
    `_x0001_` escape as text; a tab it can hold.)"""
    name = f"Bad{char}Name"
    code = f"U+{ord(char):04X}"
    paths = {
        "json": tmp_path / "a.json",
        "yaml": tmp_path / "a.yaml",
        "csv": tmp_path / "csv",
        "xlsx": tmp_path / "a.xlsx",
    }
    paths["json"].write_text(json.dumps({"actors": [{"id": "a", "name": name, "kind": "cso"}]}))
    escaped = json.dumps(name)  # a YAML double-quoted scalar takes JSON's escapes
    paths["yaml"].write_text(f"actors:\n  - {{id: a, name: {escaped}, kind: cso}}\n")
    paths["csv"].mkdir()
    (paths["csv"] / "actors.csv").write_text(f"id,name,kind\na,{name},cso\n")
    actors_sheet(paths["xlsx"], [["a", name, "cso"]])
    for fmt in formats:
        problems = _problems(paths[fmt])
        assert any(f"control character {code}" in p for p in problems), (fmt, problems)


# --------------------------------------------------------------------------- limits

SMALL = InputLimits(max_file_bytes=2**20, max_unpacked_bytes=20 * 2**20, max_rows=50)


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("#" * (2**20 + 1))
    with pytest.raises(InputTooLarge, match=r"big.yaml: .*1 MB \(SCN_GRAPH_UPLOAD_MAX_MB\)"):
        read_inputs([path], limits=SMALL)


def test_a_workbook_is_held_to_its_declared_sizes(tmp_path: Path) -> None:
    bomb = shared_strings_bomb(tmp_path / "bomb.xlsx", unpacked_mb=12)
    with pytest.raises(InputTooLarge, match=r"sharedStrings.xml unpacks to 12 MB.*10 MB per part"):
        read_inputs([bomb], limits=SMALL)
    ratio = InputLimits(max_ratio=50)
    with pytest.raises(InputTooLarge, match=r"times its packed size.*SCN_GRAPH_XLSX_MAX_RATIO"):
        read_inputs([bomb], limits=ratio)


@pytest.mark.parametrize("declare", [True, False])
def test_a_workbook_is_held_to_the_row_limit(tmp_path: Path, declare: bool) -> None:
    path = million_rows(tmp_path / "rows.xlsx", 60, declare=declare)
    with pytest.raises(InputTooLarge, match=r"more than 50 rows.*SCN_GRAPH_MAX_ROWS"):
        read_inputs([path], limits=SMALL)
    at_limit = read_inputs([million_rows(tmp_path / "ok.xlsx", 50)], limits=SMALL)
    assert at_limit.problems  # read (its rows lack names), not refused


def test_a_csv_file_is_held_to_the_row_limit(tmp_path: Path) -> None:
    path = tmp_path / "actors.csv"
    path.write_text("id,name,kind\n" + "".join(f"a{i},A,cso\n" for i in range(51)))
    with pytest.raises(InputTooLarge, match="more than 50 rows"):
        read_inputs([path], limits=SMALL)


def test_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCN_GRAPH_MAX_ROWS", "7")
    monkeypatch.setenv("SCN_GRAPH_XLSX_MAX_UNPACKED_MB", "10")
    limits = InputLimits.from_env()
    assert (limits.max_rows, limits.max_member_bytes) == (7, 5 * 2**20)
    monkeypatch.setenv("SCN_GRAPH_MAX_ROWS", "many")
    with pytest.raises(ValueError, match="SCN_GRAPH_MAX_ROWS"):
        InputLimits.from_env()


# --------------------------------------------------------------------------- API models


@pytest.mark.parametrize(
    "body",
    [
        {"lat": True},
        {"lon": False},
        {"grassroots": "yes"},
        {"grassroots": 1},
        {"name": 12},
        {"themes": [1]},
        {"name": "x\ud800"},
        {"note": "a\x00b"},
        {"name": "n" * (MAX_NAME_LENGTH + 1)},
    ],
)
def test_write_models_are_strict(body: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        ActorPatch.model_validate_json(json.dumps(body))
    with pytest.raises(ValidationError):
        ActorIn.model_validate({"id": "a", "name": "A", "kind": "cso", **body})


def test_write_models_take_whole_numbers_as_coordinates() -> None:
    assert ActorPatch.model_validate_json('{"lat": 54, "lon": -1}').lat == 54.0


# --------------------------------------------------------------------------- errors


def test_printable_escapes_surrogates_and_cuts_values() -> None:
    out = printable({"message": "x\ud800y", "problems": [{"value": "v" * 1000, "reason": "r"}]})
    assert out["message"] == "x\\ud800y"
    value = out["problems"][0]["value"]
    assert value.startswith("v" * 200) and value.endswith("(1,000 characters)")


def test_an_error_body_is_always_encodable() -> None:
    r = error_response(422, "bad \udfff", [{"value": "\ud800", "field": object()}])
    body = json.loads(r.body)
    assert body["error"]["message"] == "bad \\udfff"
    assert body["error"]["problems"][0]["value"] == "\\ud800"
