"""The findings issue's complaints, end to end, on the workbook a staffer filled in.

tests/fixtures/workbook/prevention_actors.xlsx (29 invented prevention actors in the
United Kingdom, France, Germany and Sweden, written from the project's own template
by build.py) is loaded once with `scn-graph ingest` into a fresh graph of the real
embedded FalkorDB; each test then runs one command through the CLI and checks one
complaint of the issue the way a staffer would read the answer: what they typed in
must not be contradicted, and what they type at the prompt must be understood.
The date tests spoil one cell of a copy (the YAML, or the workbook) and expect
`ingest` to refuse it in words. The records each test rests on are marked
"COMPLAINT n" in prevention_actors.yaml.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from graph.store import open_store
from tests.support.cli import cli_streams, run_cli
from tests.support.ingest import snapshot
from tests.support.paths import WORKBOOK_BUILD, WORKBOOK_XLSX, WORKBOOK_YAML

#: Resource and guidance names of the workshop seed that the workbook does not hold.
SEED_ONLY_NAMES = ("GCTF", "IREPORTIT", "GCERF")
#: RAN as a word (not the letters inside "France" or "GRAND").
RAN_WORD = re.compile(r"\bRAN\b")


def _ingest(uri: str, path: Path) -> None:
    code, out, err = cli_streams("ingest", "--store", uri, str(path))
    assert code == 0, out + err


@pytest.fixture(scope="module")
def workbook_store(server_dir: Path) -> Iterator[str]:
    """A fresh graph holding the workbook, loaded by `scn-graph ingest` (its URI)."""
    uri = f"embedded:{server_dir}?graph=wb{uuid.uuid4().hex[:10]}"
    _ingest(uri, WORKBOOK_XLSX)
    yield uri
    store = open_store(uri)
    store.drop()  # type: ignore[attr-defined]
    store.close()


def _ok(*args: str) -> str:
    code, out, err = cli_streams(*args)
    assert code == 0, f"scn-graph {' '.join(args)} exited {code}: {err or out}"
    return out


def _findings(uri: str, *options: str) -> list[dict[str, Any]]:
    """`gaps --format json` as a list of findings (the array, or the object's "findings")."""
    data = json.loads(_ok("gaps", "--store", uri, "--format", "json", *options))
    return data["findings"] if isinstance(data, dict) else data


def _recommended(uri: str, actor: str, *options: str) -> list[dict[str, Any]]:
    """`recommend --format json`'s recommendations (the array, or the object's "items")."""
    data = json.loads(_ok("recommend", actor, "--store", uri, "--format", "json", *options))
    return data["items"] if isinstance(data, dict) else data


def _about(findings: list[dict[str, Any]], type_: str, subject: str) -> list[dict[str, Any]]:
    return [f for f in findings if f["type"] == type_ and subject in f["subjects"]]


def _names_in(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, ensure_ascii=False)


# --------------------------------------------------------------------------- the fixture itself


def test_the_workbook_holds_29_actors_in_four_countries() -> None:
    data = yaml.safe_load(WORKBOOK_YAML.read_text(encoding="utf-8"))
    assert len(data["actors"]) == 29
    assert {c["code"] for c in data["countries"]} == {"GB", "FR", "DE", "SE"}


def test_build_script_rewrites_the_committed_workbook_byte_for_byte(tmp_path: Path) -> None:
    out = tmp_path / "rebuilt.xlsx"
    subprocess.run([sys.executable, str(WORKBOOK_BUILD), "-o", str(out)], check=True)
    assert out.read_bytes() == WORKBOOK_XLSX.read_bytes(), (
        "prevention_actors.xlsx is stale: run python tests/fixtures/workbook/build.py"
    )


def _without_write_times(rows: list[list[Any]]) -> list[list[Any]]:
    """The data of a snapshot: no write times or source labels, and no revision (they
    name the file loaded and when, so they differ between the two loads by design)."""
    bookkeeping = {"updated_at", "loaded_from"}
    return [
        [
            {k: v for k, v in x.items() if k not in bookkeeping} if isinstance(x, dict) else x
            for x in r
        ]
        for r in rows
        if not (r and isinstance(r[0], list) and "ScnRevision" in r[0])
    ]


def test_the_yaml_and_the_workbook_load_to_the_same_graph(server_dir: Path) -> None:
    graphs = []
    for path in (WORKBOOK_YAML, WORKBOOK_XLSX):
        uri = f"embedded:{server_dir}?graph=wbeq{uuid.uuid4().hex[:10]}"
        _ingest(uri, path)
        store = open_store(uri)
        try:
            graphs.append(_without_write_times(snapshot(store)))
        finally:
            store.drop()  # type: ignore[attr-defined]
            store.close()
    assert graphs[0] and graphs[0] == graphs[1]


# --------------------------------------------------------------------------- findings


def test_a_completed_published_evaluation_evaluates_its_program(workbook_store: str) -> None:
    findings = _findings(workbook_store)
    assert not _about(findings, "me.program_unevaluated", "shared-endeavour-fund")


def test_a_threat_covered_by_a_framework_the_city_implements_is_covered(
    workbook_store: str,
) -> None:
    findings = _findings(workbook_store)
    assert not _about(findings, "theme.uncovered_threat", "manchester")


def test_no_finding_names_a_resource_the_workbook_does_not_hold(workbook_store: str) -> None:
    source = WORKBOOK_YAML.read_text(encoding="utf-8")
    assert not RAN_WORD.search(source)
    assert not [n for n in SEED_ONLY_NAMES if n.lower() in source.lower()]
    findings = _findings(workbook_store)
    assert findings
    for f in findings:
        text = " ".join(str(f.get(k) or "") for k in ("explanation", "suggestion", "mitigation"))
        named = [n for n in SEED_ONLY_NAMES if n.lower() in text.lower()]
        named += RAN_WORD.findall(text)
        assert not named, f"{f['type']} {f['subjects']} names {named}: {text}"


def test_high_severity_findings_are_a_minority(workbook_store: str) -> None:
    findings = _findings(workbook_store)
    high = [f for f in findings if f["severity"] == "high"]
    assert findings
    assert len(high) < 0.25 * len(findings), f"{len(high)} of {len(findings)} findings are high"


# --------------------------------------------------------------------------- recommendations


def test_london_is_not_recommended_the_network_it_belongs_to_nor_mopac(
    workbook_store: str,
) -> None:
    rows = _recommended(workbook_store, "london", "--limit", "100")
    partners = {r["partner"] for r in rows}
    assert rows
    assert not partners & {"strong-cities-network", "mopac"}
    names = {r["name"] for r in rows}  # a reason may name the network of fellow members
    assert not names & {"Strong Cities Network", "Mayor's Office for Policing and Crime"}


def test_malmo_is_not_recommended_the_network_it_belongs_to(workbook_store: str) -> None:
    rows = _recommended(workbook_store, "malmo", "--limit", "100")
    assert rows
    assert "strong-cities-network" not in {r["partner"] for r in rows}
    assert "Strong Cities Network" not in {r["name"] for r in rows}


def test_the_isolated_city_is_offered_its_compatriot_cities_and_national_body(
    workbook_store: str,
) -> None:
    # Lille has no relationship at all: the cities of France and France's national
    # body are the partners it needs first, and they make the default list.
    partners = {r["partner"] for r in _recommended(workbook_store, "lille")}
    assert partners
    assert {"paris", "strasbourg", "fr-prevention-centre"} <= partners


# --------------------------------------------------------------------------- what a person types


@pytest.mark.parametrize("typed", ["United Kingdom", "uk", "gbr"])
def test_gaps_country_accepts_names_and_codes(workbook_store: str, typed: str) -> None:
    by_code = _findings(workbook_store, "--country", "GB")
    assert by_code
    assert _findings(workbook_store, "--country", typed) == by_code


def test_metrics_country_accepts_a_name(workbook_store: str) -> None:
    by_code = json.loads(_ok("metrics", "--store", workbook_store, "-c", "GB", "-f", "json"))
    by_name = json.loads(
        _ok("metrics", "--store", workbook_store, "-c", "United Kingdom", "-f", "json")
    )
    assert by_name == by_code


def test_an_unknown_country_is_an_error_not_an_empty_answer(workbook_store: str) -> None:
    code, out, err = cli_streams("gaps", "--store", workbook_store, "--country", "Narnia")
    assert code == 2, out
    assert "Narnia" in err and "country" in err.lower()


def test_a_misspelt_country_gets_a_did_you_mean(workbook_store: str) -> None:
    code, out, err = cli_streams("gaps", "--store", workbook_store, "--country", "Swedn")
    assert code == 2, out
    assert "did you mean" in err.lower() and "Sweden" in err


def test_recommend_takes_the_actors_name(workbook_store: str) -> None:
    by_name = _recommended(workbook_store, "London")
    assert by_name
    assert by_name == _recommended(workbook_store, "london")


def test_an_unknown_actor_id_gets_a_did_you_mean(workbook_store: str) -> None:
    code, out, err = cli_streams("recommend", "londn", "--store", workbook_store)
    assert code == 2, out
    assert "did you mean" in err.lower() and "london (London)" in err


def test_severity_is_case_insensitive(workbook_store: str) -> None:
    assert _findings(workbook_store, "--severity", "High") == _findings(
        workbook_store, "--severity", "high"
    )


#: The record whose `since` the date tests spoil: London's membership of the network,
#: on the first data row of the relationships sheet.
_MEMBERSHIP_YAML = 'target: strong-cities-network, since: "2015"}'
_MEMBERSHIP_ROW = 2


def _ingest_rejected(server_dir: Path, path: Path) -> str:
    """Ingest `path` (dry run) expecting a validation failure, not a crash; its stderr."""
    uri = f"embedded:{server_dir}?graph=wbbad{uuid.uuid4().hex[:10]}"
    res = run_cli("ingest", "--dry-run", "--store", uri, str(path))
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    assert res.exit_code == 1, res.stdout
    return res.stderr


def test_an_impossible_yaml_date_is_a_validation_error(server_dir: Path, tmp_path: Path) -> None:
    text = WORKBOOK_YAML.read_text(encoding="utf-8")
    assert text.count(_MEMBERSHIP_YAML) == 1
    spoilt = text.replace(_MEMBERSHIP_YAML, "target: strong-cities-network, since: 2019-13-45}")
    line = 1 + spoilt[: spoilt.index("since: 2019-13-45")].count("\n")
    path = tmp_path / "prevention_actors.yaml"
    path.write_text(spoilt, encoding="utf-8")
    err = _ingest_rejected(server_dir, path)
    assert f"prevention_actors.yaml, line {line}: field 'since' value '2019-13-45'" in err, err


@pytest.mark.parametrize("typed", ["last spring", "01/04/2019", "2019-13-45"])
def test_a_workbook_date_that_is_not_iso_is_a_validation_error(
    server_dir: Path, tmp_path: Path, typed: str
) -> None:
    wb = openpyxl.load_workbook(WORKBOOK_XLSX)
    ws = wb["relationships"]
    header = [c.value for c in ws[1]]
    cell = ws.cell(row=_MEMBERSHIP_ROW, column=header.index("since") + 1)
    assert cell.value == "2015"
    cell.value = typed
    path = tmp_path / "prevention_actors.xlsx"
    wb.save(path)
    err = _ingest_rejected(server_dir, path)
    where = f"prevention_actors.xlsx, sheet relationships, row {_MEMBERSHIP_ROW}"
    assert f"{where}: field 'since' value '{typed}'" in err, err
