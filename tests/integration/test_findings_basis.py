"""Evidence basis and applicability end to end: the real CLI, the real HTTP API, the report.

A small network loaded into the real embedded FalkorDB: London's only national link
(to the Home Office) is inferred, and so is a national body (ACT) that Leeds's
suggestion names. It has no program and no private-sector actor, so those gap types
are not assessed. `--basis stated` / `basis=stated` must analyse without the inferred
records; every output must say which findings rest on one and which types were not
assessed.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cli.main import app
from graph.analysis.service import AnalysisService
from graph.store import Store
from tests.support.api import Api, running_api
from tests.support.cli import runner
from tests.support.store import load

ACT = "Action Counters Terrorism"

DATA: dict[str, Any] = {
    "actors": [
        {"id": "london", "name": "London", "kind": "city", "country": "GB"},
        {"id": "leeds", "name": "Leeds", "kind": "city", "country": "GB"},
        {"id": "lyon", "name": "Lyon", "kind": "city", "country": "FR"},
        {"id": "home-office", "name": "Home Office", "kind": "national_body", "country": "GB"},
        {"id": "act", "name": ACT, "kind": "national_body", "country": "GB", "basis": "inferred"},
        {"id": "london-cso", "name": "London Trust", "kind": "cso", "country": "GB"},
    ],
    "initiatives": [],
    "relationships": [
        {
            "source": "london",
            "type": "COORDINATES_WITH",
            "target": "home-office",
            "basis": "inferred",
        },
        {"source": "london", "type": "PARTNERS_WITH", "target": "london-cso"},
        {"source": "london", "type": "PARTNERS_WITH", "target": "leeds"},
    ],
}

#: Not assessed on DATA: no program, no evaluation, no private-sector actor, no framework.
NOT_ASSESSED = {
    "vertical.framework_without_local_input",
    "vertical.framework_not_implemented",
    "private.no_private_partner",
    "me.program_unevaluated",
    "me.evaluation_unpublished",
    "me.no_capacity_support",
}
NNL = "vertical.no_national_link"


@pytest.fixture(scope="module")
def api(server_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    with running_api(
        server_dir, tmp_path_factory.mktemp("api-basis"), data=DATA, anonymous_read=True
    ) as a:
        yield a


def cli(api: Api, *args: str) -> tuple[int, str, str]:
    res = runner.invoke(app, [*args, "--store", api.store_uri])
    return res.exit_code, res.stdout, res.stderr


def cli_json(api: Api, *args: str) -> Any:
    code, out, err = cli(api, *args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def get(api: Api, path: str, **params: Any) -> Any:
    with api.client() as c:
        r = c.get(path, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def by_subject(findings: list[dict[str, Any]], gap_type: str) -> dict[str, dict[str, Any]]:
    return {f["subjects"][0]: f for f in findings if f["type"] == gap_type}


# --------------------------------------------------------------------------- the CLI


def test_gaps_json_has_the_findings_and_the_types_not_assessed(api: Api) -> None:
    value = cli_json(api, "gaps")
    assert set(value) == {"findings", "not_assessed"}
    assert {n["type"] for n in value["not_assessed"]} == NOT_ASSESSED
    assert all(set(n) == {"type", "reason"} for n in value["not_assessed"])
    reasons = {n["type"]: n["reason"] for n in value["not_assessed"]}
    assert "no private-sector actor" in reasons["private.no_private_partner"]
    assert reasons["me.program_unevaluated"] == "the graph has no program"
    assert not {f["type"] for f in value["findings"]} & NOT_ASSESSED


def test_a_finding_that_names_an_inferred_record_says_so(api: Api) -> None:
    findings = cli_json(api, "gaps")["findings"]
    nnl = by_subject(findings, NNL)
    # London's national link is inferred but counts by default
    assert "london" not in nnl
    leeds = nnl["leeds"]
    assert ACT in leeds["suggestion"]
    assert leeds["basis"] == "inferred" and leeds["inferred"] == ["act"]
    stated = [f for f in findings if f["basis"] == "stated"]
    assert stated and all(f["inferred"] == [] for f in stated)


@pytest.mark.parametrize("value", ["stated", "STATED", "Stated"])
def test_basis_stated_leaves_the_inferred_records_out(api: Api, value: str) -> None:
    result = cli_json(api, "gaps", "--basis", value)
    findings = result["findings"]
    nnl = by_subject(findings, NNL)
    # without the inferred link London has no national link; ACT is never named
    assert {"london", "leeds"} <= set(nnl)
    assert "Home Office" in nnl["leeds"]["suggestion"]
    assert ACT not in json.dumps(findings)
    assert all(f["basis"] == "stated" and f["inferred"] == [] for f in findings)
    assert result == cli_json(api, "gaps", "--basis", "stated")


def test_an_unknown_basis_is_a_usage_error(api: Api) -> None:
    for command in (["gaps"], ["metrics"], ["recommend", "leeds"]):
        code, out, err = cli(api, *command, "--basis", "guessed")
        assert code == 2, (command, out, err)
        assert "'guessed'" in err and "stated, any" in err


def test_gaps_table_markdown_and_csv_say_it_in_words(api: Api) -> None:
    sentence = (
        "City with no private-sector partner (private.no_private_partner) was not assessed: "
        "the graph has no private-sector actor (kind private_sector)."
    )
    code, out, err = cli(api, "gaps", "--format", "table")
    assert code == 0, err
    assert "Not assessed:" in out and sentence in " ".join(out.split())
    assert "basis" in out and "inferred: act" in out

    code, out, err = cli(api, "gaps", "--format", "markdown")
    assert code == 0, err
    lines = out.splitlines()
    assert "### Not assessed" in lines and f"- {sentence}" in lines
    leeds = next(ln for ln in lines if NNL in ln and "Leeds" in ln)
    assert leeds.endswith("| inferred: act |")

    code, out, err = cli(api, "gaps", "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0])[-2:] == ["basis", "inferred"]
    leeds_row = next(r for r in rows if r["type"] == NNL and r["subjects"] == "leeds")
    assert leeds_row["basis"] == "inferred" and leeds_row["inferred"] == "act"
    assert sentence in err

    code, out, err = cli(api, "gaps", "--summary")
    assert code == 0, err
    assert "not assessed:" in out and sentence in out


def test_metrics_and_recommend_take_the_basis(api: Api) -> None:
    everything = cli_json(api, "metrics")
    stated = cli_json(api, "metrics", "--basis", "stated")
    assert stated["graph"]["nodes"] == everything["graph"]["nodes"] - 1  # ACT
    assert stated["graph"]["edges"] == everything["graph"]["edges"] - 1  # London–Home Office
    assert cli_json(api, "recommend", "act")  # an actor of the whole graph
    code, out, err = cli(api, "recommend", "act", "--basis", "stated")
    assert code == 2 and "act" in err and out == "", (code, out, err)


def test_the_report_says_what_was_not_assessed_and_what_is_inferred(
    api: Api, tmp_path: Path
) -> None:
    out = tmp_path / "report.html"
    code, _, err = cli(api, "report", "-o", str(out))
    assert code == 0, err
    html = out.read_text(encoding="utf-8")
    assert 'id="not-assessed"' in html
    assert (
        "City with no private-sector partner (private.no_private_partner) was not assessed" in html
    )
    assert f"Rests on inferred records: {ACT}." in html
    assert "Stated records only" not in html

    stated = tmp_path / "stated.html"
    code, _, err = cli(api, "report", "-o", str(stated), "--basis", "stated")
    assert code == 0, err
    html = stated.read_text(encoding="utf-8")
    assert "Stated records only" in html and "Rests on inferred records" not in html
    assert ACT not in html


# --------------------------------------------------------------------------- the API


def test_api_gaps_and_summary_follow_the_basis_and_say_what_was_not_assessed(api: Api) -> None:
    for basis in ("any", "stated"):
        cli_value = cli_json(api, "gaps", "--basis", basis)
        page = get(api, "/api/gaps", basis=basis.upper(), limit=1000)
        assert page["items"] == cli_value["findings"]
        assert page["not_assessed"] == cli_value["not_assessed"]
        summary = get(api, "/api/gaps/summary", basis=basis)
        assert summary == cli_json(api, "gaps", "--summary", "--basis", basis)
        assert {n["type"] for n in summary["not_assessed"]} == NOT_ASSESSED
    default = get(api, "/api/gaps", limit=1000)
    assert by_subject(default["items"], NNL)["leeds"]["inferred"] == ["act"]
    one_type = get(api, "/api/gaps", type="me.program_unevaluated")
    assert one_type["items"] == []
    assert one_type["not_assessed"] == [
        {"type": "me.program_unevaluated", "reason": "the graph has no program"}
    ]
    assert get(api, "/api/gaps", type=NNL)["not_assessed"] == []


@pytest.mark.parametrize(
    "path",
    [
        "/api/gaps",
        "/api/gaps/summary",
        "/api/metrics",
        "/api/actors/leeds/recommendations",
        "/report",
    ],
)
def test_api_refuses_an_unknown_basis(api: Api, path: str) -> None:
    with api.client() as c:
        r = c.get(path, params={"basis": "guessed"})
    assert r.status_code == 422, r.text


def test_api_metrics_recommendations_and_report_take_the_basis(api: Api) -> None:
    assert get(api, "/api/metrics", basis="stated") == cli_json(api, "metrics", "--basis", "stated")
    assert get(api, "/api/metrics") == cli_json(api, "metrics")
    assert get(api, "/api/actors/act/recommendations")["items"] is not None
    with api.client() as c:
        assert (
            c.get("/api/actors/act/recommendations", params={"basis": "stated"}).status_code == 404
        )
        stated = c.get("/report", params={"basis": "Stated"})
        whole = c.get("/report")
    assert stated.status_code == 200 and whole.status_code == 200
    assert "Stated records only" in stated.text and ACT not in stated.text
    assert f"Rests on inferred records: {ACT}." in whole.text
    assert "was not assessed" in whole.text


# --------------------------------------------------------------------------- the cache


def test_results_are_cached_per_basis(store: Store) -> None:
    load(store, DATA)
    service = AnalysisService(store)
    everything = service.gaps()
    stated = service.gaps(basis="stated")
    assert everything != stated
    assert service.graph() is service.graph(basis="any")
    assert service.graph(basis="STATED") is service.graph(basis="stated")
    assert "act" in service.graph() and "act" not in service.graph(basis="stated")
    # asked again, each is served from the cache, not recomputed
    misses = service.cache.misses
    assert service.gaps() == everything and service.gaps(basis="stated") == stated
    assert service.cache.misses == misses


def test_the_catalogue_says_what_each_type_needs(api: Api) -> None:
    types = {t["type"]: t for t in get(api, "/api/gaps/types")}
    assert types[NNL]["needs"] == [["city"], ["national_body", "national_framework"]]
    assert types["me.program_unevaluated"]["needs"] == [["program"]]
    assert all(t["needs"] for t in types.values())
