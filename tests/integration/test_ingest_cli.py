"""`scn-graph ingest` and `scn-graph template` against the real embedded FalkorDB."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from graph.store import Store
from tests.support.cli import run_cli
from tests.support.ingest import CSV_DIR, JSON, YAML, fixture_data, snapshot, write_workbook
from tests.support.paths import ROOT

PROBLEM_LINE = re.compile(r"^.+, (line|sheet \S+, row) \d+: field '[^']+'( value .+)?: .+$")


def counts(stdout: str, section: str) -> tuple[int, int, int]:
    m = re.search(rf"{section}\s+(\d+) created\s+(\d+) updated\s+(\d+) unchanged", stdout)
    assert m, stdout
    return int(m[1]), int(m[2]), int(m[3])


def test_ingest_yaml_then_again_is_all_unchanged(store: Store, store_uri: str) -> None:
    first = run_cli("ingest", YAML, "--store", store_uri)
    assert first.exit_code == 0, first.output
    assert counts(first.stdout, "actors") == (6, 0, 0)
    assert counts(first.stdout, "initiatives") == (3, 0, 0)
    assert counts(first.stdout, "relationships") == (10, 0, 0)
    before = snapshot(store)
    again = run_cli("ingest", YAML, "--store", store_uri)
    assert again.exit_code == 0, again.output
    assert counts(again.stdout, "actors") == (0, 0, 6)
    assert counts(again.stdout, "relationships") == (0, 0, 10)
    assert snapshot(store) == before  # not even updated_at moved


@pytest.mark.parametrize("path", [JSON, CSV_DIR], ids=["json", "csv"])
def test_other_formats_after_yaml_are_unchanged(store_uri: str, path: Path) -> None:
    assert run_cli("ingest", YAML, "--store", store_uri).exit_code == 0
    res = run_cli("ingest", path, "--store", store_uri)
    assert res.exit_code == 0, res.output
    assert counts(res.stdout, "actors") == (0, 0, 6)
    assert counts(res.stdout, "relationships") == (0, 0, 10)


def test_excel_after_yaml_is_unchanged(store_uri: str, tmp_path: Path) -> None:
    book = write_workbook(fixture_data(), tmp_path / "exampleton.xlsx")
    assert run_cli("ingest", YAML, "--store", store_uri).exit_code == 0
    res = run_cli("ingest", book, "--store", store_uri, "--format", "excel")
    assert res.exit_code == 0, res.output
    assert counts(res.stdout, "initiatives") == (0, 0, 3)


def test_dry_run_counts_and_writes_nothing(store: Store, store_uri: str) -> None:
    res = run_cli("ingest", YAML, "--dry-run", "--store", store_uri)
    assert res.exit_code == 0, res.output
    assert "Dry run — nothing written" in res.stdout
    assert counts(res.stdout, "actors") == (6, 0, 0)
    assert store.run("MATCH (n) RETURN count(n)", read_only=True).scalar() == 0


def test_bad_file_exits_1_lists_every_problem_and_writes_nothing(
    store: Store, store_uri: str, tmp_path: Path
) -> None:
    assert run_cli("ingest", YAML, "--store", store_uri).exit_code == 0
    before = snapshot(store)
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "actors:\n"
        "  - {id: newtown, kind: city, name: Newtown, country: GB}\n"       # fine
        "  - {id: t, kind: town, name: T}\n"                                # kind
        "  - {id: u, kind: city, name: U, contry: France}\n"                # unknown field
        "relationships:\n"
        "  - {source: newtown, type: TWINNED_WITH, target: exampleton}\n"   # fine
        "  - {source: newtown, type: FUNDS, target: nowhere}\n"             # dangling (store)
        "  - {source: newtown, type: TWINNED_WITH, target: examplecorp}\n", # kinds (stored)
        encoding="utf-8",
    )  # fmt: skip
    res = run_cli("ingest", bad, "--store", store_uri)
    assert res.exit_code == 1
    lines = res.stderr.strip().splitlines()
    assert lines[-1] == "4 problems in the input; nothing was written."
    problems = lines[:-1]
    assert all(PROBLEM_LINE.match(line) for line in problems), problems
    assert problems[0] == f"{bad}, line 3: field 'kind' value 'town': unknown actor kind; " + (
        "allowed: city, cso, statutory_service, national_body, private_sector, research, "
        "international_org"
    )
    assert problems[1] == (
        f"{bad}, line 4: field 'contry' value 'France': unknown field in actors "
        "(did you mean 'country'?)"
    )
    # The store-aware checks ran in the same run.
    assert problems[2].startswith(f"{bad}, line 7: field 'target' value 'nowhere': ")
    assert problems[3].startswith(f"{bad}, line 8: field 'type' value 'TWINNED_WITH': ")
    assert "Loaded" not in res.stdout
    assert snapshot(store) == before


def test_json_report(store_uri: str, tmp_path: Path) -> None:
    res = run_cli("ingest", YAML, "--store", store_uri, "--report-format", "json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["ok"] is True
    assert out["report"]["actors"] == {"created": 6, "updated": 0, "unchanged": 0}
    bad = tmp_path / "x.yaml"
    bad.write_text("actors:\n  - {id: a, kind: city, name: A, country: Wakanda}\n")
    res = run_cli("ingest", bad, "--store", store_uri, "--report-format", "json")
    assert res.exit_code == 1
    out = json.loads(res.stdout)
    assert out["ok"] is False and out["report"] is None
    assert out["problems"] == [
        {
            "file": str(bad),
            "sheet": None,
            "line": 2,
            "field": "country",
            "value": "Wakanda",
            "reason": "not a recognised country name or ISO 3166 code; write the English "
            "name or the ISO code",
        }
    ]


def test_several_paths_load_in_one_run(store: Store, store_uri: str, tmp_path: Path) -> None:
    people = tmp_path / "people.yaml"
    people.write_text(
        "actors:\n  - {id: exampleton, kind: city, name: Exampleton, country: GB}\n"
        "  - {id: sampleville, kind: city, name: Sampleville, country: FR}\n"
    )
    links = tmp_path / "links"
    links.mkdir()
    (links / "relationships.csv").write_text(
        "source,type,target\nexampleton,TWINNED_WITH,sampleville\n"
    )
    res = run_cli("ingest", people, links, "--store", store_uri)
    assert res.exit_code == 0, res.output
    assert "Read 2 inputs: 2 actors, 0 initiatives, 1 relationships" in res.stdout
    assert store.run(
        "MATCH (:City)-[t:TWINNED_WITH]->(:City) RETURN t.sources", read_only=True
    ).rows == [[["file:relationships.csv"]]]
    # The relationships alone fail (exampleton is not in the file) only if not in the store.
    res = run_cli("ingest", links, "--store", store_uri)
    assert res.exit_code == 0, res.output
    assert counts(res.stdout, "relationships") == (0, 0, 1)


def test_missing_path_and_unknown_suffix_are_problems(store_uri: str, tmp_path: Path) -> None:
    odd = tmp_path / "notes.txt"
    odd.write_text("hello")
    res = run_cli("ingest", tmp_path / "nope.yaml", odd, "--store", store_uri)
    assert res.exit_code == 1
    assert "nope.yaml: no such file or folder" in res.stderr
    assert "cannot tell the format from the name 'notes.txt'" in res.stderr


TWINS = (
    "city1,country1,lat1,lng1,city2,country2,lat2,lng2\n"
    "Exampleton,Scotland,55.9,-3.2,Sampleville,France,48.1,-1.6\n"
    "Exampleton,Scotland,55.9,-3.2,Otherburg,Atlantis,50.0,8.0\n"
)


def test_twin_cities_adapter_and_its_report(store: Store, store_uri: str, tmp_path: Path) -> None:
    twins = tmp_path / "twins.csv"
    twins.write_text(TWINS, encoding="utf-8")
    res = run_cli("ingest", twins, "--store", store_uri)
    assert res.exit_code == 0, res.output
    assert "twins.csv: 2 rows read" in res.stdout
    assert "Atlantis" in res.stdout  # the skipped row is reported
    assert counts(res.stdout, "relationships") == (1, 0, 0)
    assert store.run("MATCH (c:City) RETURN count(c)", read_only=True).scalar() == 2
    fail = run_cli("ingest", twins, "--format", "twin-cities", "--on-unresolved", "fail",
               "--store", store_uri)  # fmt: skip
    assert fail.exit_code == 1
    assert "line 3" in fail.stderr and "Atlantis" in fail.stderr


def test_template_writes_a_workbook_that_ingests(
    store: Store, store_uri: str, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "t.xlsx"
    res = run_cli("template", "-o", out)
    assert res.exit_code == 0, res.output
    assert out.exists()
    again = run_cli("template", "-o", out)
    assert again.exit_code == 2 and "--force" in again.stderr
    assert run_cli("template", "-o", out, "--force").exit_code == 0
    assert run_cli("template", "-o", tmp_path / "t.csv").exit_code == 2

    wb = load_workbook(out)
    wb["actors"].append(["exampleton", "city", "Exampleton", "Northern Ireland"])
    wb["actors"].append(["ex-cso", "cso", "Ex CSO", "GB", None, None, "exampleton", "hate",
                         None, "yes"])  # fmt: skip
    wb["relationships"].append(["ex-cso", "LOCATED_IN", "exampleton"])
    wb.save(out)
    res = run_cli("ingest", out, "--store", store_uri)
    assert res.exit_code == 0, res.output
    assert counts(res.stdout, "actors") == (2, 0, 0)
    assert store.run(
        "MATCH (c:CSO)-[:LOCATED_IN]->(x:City) RETURN c.grassroots, x.nation", read_only=True
    ).rows == [[True, "Northern Ireland"]]


def test_installed_command_no_progress_noise_when_not_a_tty(store_uri: str) -> None:
    exe = ROOT / ".venv" / "bin" / "scn-graph"
    if not exe.exists():
        pytest.skip(f"{exe} is not installed")
    proc = subprocess.run(
        [str(exe), "ingest", str(YAML), "--store", store_uri],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert "Loaded:" in proc.stdout
