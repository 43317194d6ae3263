"""Every input format reads the same records and loads the same graph.

The fixture is invented (the fictional city of Exampleton and its partners):
tests/fixtures/exampleton.yaml, the same in exampleton.json and exampleton_csv/,
and an Excel workbook built here from the blank template.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from graph.store import Store, open_store
from ingest.load import load_dataset
from ingest.readers import detect_format, read_input, read_inputs
from ingest.readers.document import dataset_from_mapping
from ingest.readers.fields import SECTIONS
from ingest.records import Dataset
from ingest.template import build_template

FIXTURES = Path(__file__).parent / "fixtures"
YAML = FIXTURES / "exampleton.yaml"
JSON = FIXTURES / "exampleton.json"
CSV_DIR = FIXTURES / "exampleton_csv"


def fixture_data() -> dict[str, Any]:
    return yaml.safe_load(YAML.read_text(encoding="utf-8"))


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return value


def write_workbook(data: dict[str, Any], path: Path) -> Path:
    """Fill the blank template with a YAML-shaped dict, as a person would, and save it."""
    wb = build_template()
    doc_sources = data.get("sources")
    for section in SECTIONS:
        ws = wb[section]
        header = [c.value for c in ws[1]]
        for rec in data.get(section) or []:
            rec = dict(rec)
            if doc_sources and "sources" in header and not rec.get("sources"):
                rec["sources"] = doc_sources
            if isinstance(rec.get("start"), dt.date):  # an Excel date cell
                rec["start"] = dt.datetime.combine(rec["start"], dt.time())
            ws.append([_cell(rec.get(h)) for h in header])
    wb.save(path)
    return path


@pytest.fixture
def xlsx(tmp_path: Path) -> Path:
    return write_workbook(fixture_data(), tmp_path / "exampleton.xlsx")


@pytest.fixture
def make_store(server_dir: Path) -> Iterator[Callable[[], Store]]:
    """More fresh graphs on the session's embedded server, to compare loads."""
    made: list[Store] = []

    def make() -> Store:
        s = open_store(f"embedded:{server_dir}?graph=t{uuid.uuid4().hex[:12]}")
        made.append(s)
        return s

    yield make
    for s in made:
        s.drop()  # type: ignore[attr-defined]
        s.close()


def records(ds: Dataset) -> dict[str, list[dict[str, Any]]]:
    return {
        name: [r.model_dump(mode="json") for r in getattr(ds, name)]
        for name in ("actors", "initiatives", "relationships", "countries")
    }


def graph_dump(store: Store, *, keep: tuple[str, ...] = ()) -> tuple[list[Any], list[Any]]:
    """Nodes and edges with their properties, minus load timestamps (and minus sources,
    which name the input file, unless kept)."""
    drop = {"updated_at", "sources"} - set(keep)
    nodes = store.run("MATCH (n) RETURN labels(n), properties(n)", read_only=True).rows
    edges = store.run(
        "MATCH (a)-[e]->(b) RETURN coalesce(a.id, a.code, a.name), type(e), "
        "coalesce(b.id, b.code, b.name), properties(e)",
        read_only=True,
    ).rows
    n = sorted(
        json.dumps([sorted(lb), {k: v for k, v in p.items() if k not in drop}], sort_keys=True)
        for lb, p in nodes
    )
    e = sorted(
        json.dumps([s, t, o, {k: v for k, v in p.items() if k not in drop}], sort_keys=True)
        for s, t, o, p in edges
    )
    return n, e


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


@pytest.mark.parametrize("fmt", ["json", "csv", "excel"])
def test_each_format_loads_the_same_graph(
    fmt: str, store: Store, make_store: Callable[[], Store], xlsx: Path
) -> None:
    load_dataset(store, read_input(YAML))
    other = make_store()
    path = {"json": JSON, "csv": CSV_DIR, "excel": xlsx}[fmt]
    report = load_dataset(other, read_input(path))
    assert report.actors.created == 6
    assert report.initiatives.created == 3
    assert report.relationships.created == 10
    # The fixtures give the same sources everywhere, so even provenance is equal.
    assert graph_dump(other, keep=("sources",)) == graph_dump(store, keep=("sources",))


def test_the_loaded_graph_has_what_the_file_says(store: Store) -> None:
    load_dataset(store, read_input(YAML))
    row = store.run(
        "MATCH (c:City {id: 'exampleton'}) RETURN c.country, c.nation, c.themes, c.threats, "
        "c.sources",
        read_only=True,
    ).rows[0]
    assert row == ["GB", "Scotland", ["hate", "polarisation"], ["disinformation"],
                   ["invented:exampleton-fixture"]]  # fmt: skip
    cso = store.run(
        "MATCH (c:CSO {id: 'exampleton-youth-voices'}) RETURN c.grassroots, c.city, c.nation",
        read_only=True,
    ).rows[0]
    assert cso == [True, "exampleton", "Scotland"]
    fund = store.run(
        "MATCH (:NationalBody)-[f:FUNDS]->(:Program) RETURN f.confidential, f.note",
        read_only=True,
    ).rows
    assert fund == [[True, "Three-year grant"]]
    assert store.run(
        "MATCH (:City {id: 'exampleton'})-[t:TWINNED_WITH]-(:City {id: 'sampleville'}) "
        "RETURN t.since, t.cross_border",
        read_only=True,
    ).rows == [["1999", True]]
    start = store.run("MATCH (p:Program) RETURN p.start", read_only=True).scalar()
    assert start == "2021-04-01"


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


def test_template_round_trip(store: Store, tmp_path: Path) -> None:
    """Fill the blank template with openpyxl as a person would, then load it."""
    from openpyxl import load_workbook

    from ingest.template import write_template

    path = write_template(tmp_path / "t.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["README", "actors", "initiatives", "relationships", "countries"]
    header = [c.value for c in wb["actors"][1]]
    assert header[:3] == ["id", "kind", "name"]
    kinds = [dv for dv in wb["actors"].data_validations.dataValidation
             if "city,cso" in (dv.formula1 or "")]  # fmt: skip
    assert kinds and str(kinds[0].sqref).startswith("B2:B")
    readme = "\n".join(str(c.value) for row in wb["README"].iter_rows() for c in row if c.value)
    for word in ("international_org", "evaluation", "TWINNED_WITH", "planned", "grassroots"):
        assert word in readme

    def put(sheet: str, values: dict[str, Any]) -> None:
        ws = wb[sheet]
        cols = [c.value for c in ws[1]]
        ws.append([values.get(c) for c in cols])

    put("actors", {"id": "exampleton", "kind": "city", "name": "Exampleton", "country": "Wales"})
    put("actors", {"id": "ex-cso", "kind": "cso", "name": "Ex CSO", "country": "GB",
                   "grassroots": True, "themes": "hate;polarisation"})  # fmt: skip
    put("initiatives", {"id": "ex-prog", "kind": "program", "name": "Ex Program",
                        "status": "active", "start": dt.datetime(2022, 5, 1)})  # fmt: skip
    put("relationships", {"source": "ex-cso", "type": "RUNS", "target": "ex-prog",
                          "confidential": False})  # fmt: skip
    put("relationships", {"source": "exampleton", "type": "FUNDS", "target": "ex-cso"})
    put("countries", {"code": "GB"})
    wb.save(path)

    report = load_dataset(store, read_input(path))
    assert (report.actors.created, report.initiatives.created, report.relationships.created) == (
        2, 1, 2,
    )  # fmt: skip
    row = store.run("MATCH (c:City) RETURN c.country, c.nation, c.sources", read_only=True).rows
    assert row == [["GB", "Wales", ["file:t.xlsx"]]]
    assert store.run("MATCH (p:Program) RETURN p.start", read_only=True).scalar() == "2022-05-01"


# -- docs/data-format.md stays true --------------------------------------------------

DOC = Path(__file__).resolve().parent.parent / "docs" / "data-format.md"


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
