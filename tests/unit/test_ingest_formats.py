"""Every input format reads the same records, with their origins; the data-format
docs match the fixture files and the schema.

The fixture is invented (the fictional city of Exampleton and its partners):
tests/fixtures/exampleton.yaml, the same in exampleton.json and exampleton_csv/,
and an Excel workbook built from the blank template (`xlsx` fixture).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ingest.readers import detect_format, read_input, read_inputs
from ingest.readers.document import dataset_from_mapping
from ingest.records import Dataset
from ingest.template import build_template
from tests.support.ingest import CSV_DIR, JSON, YAML, fixture_data, write_workbook
from tests.support.paths import ROOT


def records(ds: Dataset) -> dict[str, list[dict[str, Any]]]:
    return {
        name: [r.model_dump(mode="json") for r in getattr(ds, name)]
        for name in ("actors", "initiatives", "relationships", "countries")
    }


# -- reading -------------------------------------------------------------------------


def test_formats_are_detected(xlsx: Path, tmp_path: Path) -> None:
    assert detect_format(YAML) == "yaml"
    assert detect_format(JSON) == "json"
    assert detect_format(CSV_DIR) == "csv"
    assert detect_format(CSV_DIR / "actors.csv") == "csv"
    assert detect_format(xlsx) == "excel"
    twin = tmp_path / "links.csv"
    twin.write_text("city1,country1,lat1,lng1,city2,country2,lat2,lng2\n", encoding="utf-8")
    assert detect_format(twin) == "twin-cities"


def test_yaml_json_csv_excel_read_the_same_records(xlsx: Path) -> None:
    expected = records(read_input(YAML))
    assert len(expected["actors"]) == 6 and len(expected["relationships"]) == 10
    for path in (JSON, CSV_DIR, xlsx):
        assert records(read_input(path)) == expected, path


def test_dataset_from_mapping_matches_the_yaml_reader() -> None:
    got = records(dataset_from_mapping(fixture_data(), source="exampleton.yaml"))
    assert got == records(read_input(YAML))


# -- where each record came from --------------------------------------------------


def _lines_matching(path: Path, pattern: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        m = re.search(pattern, line)
        if m:
            out.setdefault(m.group(1), n)
    return out


def test_yaml_origins_are_the_lines_of_the_records() -> None:
    ds = read_input(YAML)
    lines = _lines_matching(YAML, r"^  - id: (\S+)")
    assert {a.id: ds.origin(a).line for a in [*ds.actors, *ds.initiatives]} == lines
    rel_lines = [n for n, ln in enumerate(YAML.read_text().splitlines(), 1)
                 if re.match(r"^  - (\{source|source:)", ln)]  # fmt: skip
    assert [ds.origin(r).line for r in ds.relationships] == rel_lines
    assert all(ds.origin(r).file == str(YAML) for r in ds.relationships)


def test_json_origins_are_the_lines_of_the_objects() -> None:
    ds = read_input(JSON)
    id_lines = _lines_matching(JSON, r'^\s+"id": "([^"]+)"')
    # json.dumps(indent=2) puts each record's "{" on the line before its first key.
    assert {a.id: ds.origin(a).line for a in ds.actors} == {
        a.id: id_lines[a.id] - 1 for a in ds.actors
    }
    text = JSON.read_text().splitlines()
    for rel in ds.relationships:
        assert text[ds.origin(rel).line - 1].strip() == "{"  # type: ignore[operator]


def test_csv_origins_are_file_and_line() -> None:
    ds = read_input(CSV_DIR)
    rel = ds.relationships[2]
    origin = ds.origin(rel)
    assert origin.file == str(CSV_DIR / "relationships.csv") and origin.line == 4
    assert str(origin).endswith("relationships.csv, line 4")


def test_excel_origins_are_sheet_and_row(xlsx: Path) -> None:
    ds = read_input(xlsx)
    origin = ds.origin(ds.initiatives[1])
    assert (origin.file, origin.sheet, origin.line) == (str(xlsx), "initiatives", 3)
    assert str(origin) == f"{xlsx}, sheet initiatives, row 3"


# -- syntax: countries, lists, booleans, provenance ----------------------------------


def test_countries_are_normalised_at_read_time() -> None:
    ds = read_input(YAML)
    by_id = {a.id: a for a in ds.actors}
    assert (by_id["exampleton"].country, by_id["exampleton"].nation) == ("GB", "Scotland")
    assert by_id["examplecorp"].country == "GB"  # "gb"
    assert by_id["example-institute"].country == "FR"  # "France"
    assert by_id["ministry-of-examples"].nation is None
    assert [(c.code, c.name) for c in ds.countries] == [("GB", "United Kingdom"),
                                                        ("FR", "France")]  # fmt: skip


def test_yaml_no_is_norway_not_false(tmp_path: Path) -> None:
    p = tmp_path / "n.yaml"
    p.write_text(
        "actors:\n  - {id: oslo, kind: city, name: Oslo, country: NO}\n"
        "  - {id: c, kind: cso, name: C, country: NO, grassroots: no}\n",
        encoding="utf-8",
    )
    ds = read_input(p)
    assert [a.country for a in ds.actors] == ["NO", "NO"]
    assert ds.actors[1].grassroots is False


def test_list_and_boolean_syntax_in_csv(tmp_path: Path) -> None:
    (tmp_path / "actors.csv").write_text(
        "id,kind,name,themes,grassroots,sources\n"
        'a,cso,A,"hate; Polarisation ;",YES,"Report, 2021; https://x.example/a?b=1,2"\n'
        "b,cso,B,hate,No,\n"
        "c,cso,C,,1,\n"
        "d,cso,D,,0,\n"
        "e,cso,E,,TRUE,\n",
        encoding="utf-8",
    )
    ds = read_input(tmp_path)
    a, b, c, d, e = ds.actors
    assert a.themes == ("hate", "polarisation")
    assert a.sources == ("Report, 2021", "https://x.example/a?b=1,2")  # commas kept
    assert [x.grassroots for x in (a, b, c, d, e)] == [True, False, True, False, True]
    assert b.sources == ("file:actors.csv",)


def test_semicolon_delimited_csv(tmp_path: Path) -> None:
    (tmp_path / "actors.csv").write_text(
        "\ufeffid;kind;name;country\nx;city;X Town;Germany\n", encoding="utf-8"
    )
    (ds := read_input(tmp_path))
    assert [(a.id, a.country) for a in ds.actors] == [("x", "DE")]


def test_default_provenance(tmp_path: Path) -> None:
    plain = tmp_path / "plain.yaml"
    plain.write_text("actors:\n  - {id: x, kind: city, name: X}\n"
                     "  - {id: y, kind: city, name: Y, sources: [minutes-2023]}\n")  # fmt: skip
    ds = read_input(plain)
    assert [a.sources for a in ds.actors] == [("file:plain.yaml",), ("minutes-2023",)]
    doc = tmp_path / "doc.json"
    doc.write_text(json.dumps({"sources": ["survey:2024"],
                               "actors": [{"id": "x", "kind": "city", "name": "X"}]}))  # fmt: skip
    assert read_input(doc).actors[0].sources == ("survey:2024",)
    book = write_workbook({"actors": [{"id": "x", "kind": "city", "name": "X"}]},
                          tmp_path / "book.xlsx")  # fmt: skip
    assert read_input(book).actors[0].sources == ("file:book.xlsx",)


def test_case_of_vocabulary_does_not_matter(tmp_path: Path) -> None:
    (tmp_path / "actors.csv").write_text(
        "ID,Kind,Name\nx,City,X\ny,National Body,Y\n", encoding="utf-8"
    )
    (tmp_path / "relationships.csv").write_text(
        "source,type,target,status\nx,partners with,y,Active\n", encoding="utf-8"
    )
    ds = read_input(tmp_path)
    assert [a.kind for a in ds.actors] == ["city", "national_body"]
    assert (ds.relationships[0].type, ds.relationships[0].status) == ("PARTNERS_WITH", "active")


def test_several_inputs_merge_into_one_dataset(tmp_path: Path) -> None:
    (tmp_path / "rels").mkdir()
    (tmp_path / "rels" / "relationships.csv").write_text(
        "source,type,target\nexampleton,MEMBER_OF,example-network\n", encoding="utf-8"
    )
    extra = tmp_path / "network.yaml"
    extra.write_text("actors:\n  - {id: example-network, kind: international_org, "
                     "name: Example Network}\n")  # fmt: skip
    result = read_inputs([YAML, extra, tmp_path / "rels"])
    assert result.problems == []
    ds = result.dataset
    assert len(ds.actors) == 7 and len(ds.relationships) == 11
    assert str(ds.origin(ds.relationships[-1])).endswith("relationships.csv, line 2")


def test_excel_skips_readme_and_notes_sheets(tmp_path: Path) -> None:
    wb = build_template()
    wb["actors"].append(["x", "city", "X"])
    wb.create_sheet("My notes")
    path = tmp_path / "b.xlsx"
    wb.save(path)
    result = read_inputs([path])
    assert result.problems == []
    assert [a.id for a in result.dataset.actors] == ["x"]
    assert any("My notes" in n for n in result.notes)


# -- docs/data-format.md stays true --------------------------------------------------

DOC = ROOT / "docs" / "data-format.md"


def _doc_blocks() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    return {
        m[1]: m[2] for m in re.finditer(r"<!-- file: (\S+) -->\n```\w+\n(.*?)```", text, flags=re.S)
    }


def test_docs_examples_are_the_fixture_files() -> None:
    blocks = _doc_blocks()
    assert blocks["exampleton.yaml"] == YAML.read_text(encoding="utf-8")
    for name in ("countries.csv", "actors.csv", "initiatives.csv", "relationships.csv"):
        assert blocks[name] == (CSV_DIR / name).read_text(encoding="utf-8"), name


def test_docs_relationship_table_matches_the_schema() -> None:
    from graph import schema
    from ingest.template import describe_kinds

    text = DOC.read_text(encoding="utf-8")
    for t in schema.REL_TYPES.values():
        arrow = "↔" if t.symmetric else "→"
        row = f"| {t.name} | {describe_kinds(t.sources)} | {describe_kinds(t.targets)} | {arrow} |"
        assert row in text, row


def test_docs_and_template_describe_every_field() -> None:
    from ingest.readers.field_docs import FIELD_DOCS
    from ingest.readers.fields import FIELDS

    text = DOC.read_text(encoding="utf-8")
    for section, fields in FIELDS.items():
        assert sorted(f.name for f in FIELD_DOCS[section]) == sorted(fields), section
        part = text.split(f"### {section}\n", 1)[1].split("\n### ", 1)[0]
        for name in fields:
            assert f"| `{name}` |" in part, (section, name)
