"""Inputs a person types, end to end: countries by name, code or UK nation, actors by id
or exact name, option values in any case. Through the real CLI (exit codes, the one
error line) and real HTTP (422 and 404 bodies), on the real embedded FalkorDB.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from cli.main import app
from graph.store import Store
from tests.support.api import Api, running_api
from tests.support.store import load

runner = CliRunner()

#: Two countries with data (GB, SE), two actors sharing a name, a city named like its id.
PEOPLE: dict[str, Any] = {
    "actors": [
        {"id": "london", "name": "London", "kind": "city", "country": "GB"},
        {"id": "manchester", "name": "Manchester", "kind": "city", "country": "GB"},
        {"id": "malmo", "name": "Malmö", "kind": "city", "country": "SE"},
        {"id": "stockholm", "name": "Stockholm", "kind": "city", "country": "SE"},
        {"id": "home-office", "name": "Home Office", "kind": "national_body", "country": "GB"},
        {"id": "yf-gb", "name": "Youth Forum", "kind": "cso", "country": "GB", "city": "london"},
        {"id": "yf-se", "name": "Youth Forum", "kind": "cso", "country": "SE", "city": "malmo"},
        {"id": "scn", "name": "Strong Cities Network", "kind": "international_org"},
    ],
    "initiatives": [{"id": "prevent", "name": "Prevent", "kind": "program", "country": "GB"}],
    "relationships": [
        {"source": "london", "type": "MEMBER_OF", "target": "scn"},
        {"source": "malmo", "type": "MEMBER_OF", "target": "scn"},
        {"source": "manchester", "type": "IMPLEMENTS", "target": "prevent"},
        {"source": "home-office", "type": "RUNS", "target": "prevent"},
        {"source": "yf-gb", "type": "PARTNERS_WITH", "target": "london"},
    ],
}


def cli(*args: str) -> tuple[int, str, str]:
    res = runner.invoke(app, list(args))
    return res.exit_code, res.stdout, res.stderr


@pytest.fixture
def people(store: Store, store_uri: str) -> str:
    load(store, PEOPLE)
    return store_uri


def _gaps(uri: str, *args: str) -> list[dict[str, Any]]:
    code, out, err = cli("gaps", "--store", uri, "--format", "json", *args)
    assert code == 0, err
    return json.loads(out)["findings"]


def _one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ")
    return lines[0]


# --------------------------------------------------------------------------- CLI countries


@pytest.mark.parametrize(
    "typed", ["GB", "gb", "GBR", "gbr", "United Kingdom", "united kingdom", "UK", "uk",
              "Great Britain", "Britain", "England", "Scotland"],
)  # fmt: skip
def test_gaps_country_takes_names_codes_and_uk_nations(people: str, typed: str) -> None:
    by_code = _gaps(people, "--country", "GB")
    assert by_code, "the GB part of the graph has findings"
    assert _gaps(people, "--country", typed) == by_code


def test_gaps_country_by_swedish_name(people: str) -> None:
    by_code = _gaps(people, "--country", "SE")
    assert by_code and _gaps(people, "--country", "Sweden") == by_code
    assert _gaps(people, "-c", "swe") == by_code


@pytest.mark.parametrize("command", ["gaps", "metrics"])
def test_unknown_country_is_exit_2_with_a_did_you_mean(people: str, command: str) -> None:
    code, out, err = cli(command, "--store", people, "--country", "Swedn")
    assert code == 2 and out == ""
    line = _one_error_line(err)
    assert "'Swedn'" in line and "did you mean Sweden (SE)?" in line
    code, out, err = cli(command, "--store", people, "--country", "Narnia")
    assert code == 2 and out == ""
    assert "'Narnia'" in _one_error_line(err)


def test_known_country_without_data_says_so(people: str) -> None:
    code, out, err = cli("gaps", "--store", people, "--country", "Denmark")
    assert code == 0, err
    assert "0 gaps: no actor in Denmark (DK)" in out
    code, out, err = cli("gaps", "--store", people, "--country", "dk", "--format", "json")
    assert code == 0 and json.loads(out)["findings"] == []
    assert "no actor in Denmark (DK)" in err
    code, out, err = cli("metrics", "--store", people, "--country", "Denmark")
    assert code == 0, err
    assert out.startswith("no actor in Denmark (DK): 0 actors")
    # a country with data says nothing of the kind
    code, out, _ = cli("gaps", "--store", people, "--country", "Sweden")
    assert code == 0 and "no actor in" not in out


def test_viz_country_by_name_and_unknown(people: str, tmp_path: Path) -> None:
    out_file = tmp_path / "se.html"
    code, out, err = cli("viz", "--store", people, "-o", str(out_file), "--country", "sweden")
    assert code == 0, err
    assert "Sweden (SE)" in out and out_file.exists()
    code, out, err = cli("viz", "--store", people, "-o", str(out_file), "--country", "Narnia")
    assert code == 2
    assert "not a recognised country" in err and "'Narnia'" in err
    code, _, err = cli("viz", "--store", people, "-o", str(out_file), "--country", "Denmark")
    assert code == 1 and "No actor or initiative in Denmark (DK)" in err


# --------------------------------------------------------------------------- CLI actors


def test_recommend_takes_the_exact_name(people: str) -> None:
    code, out, err = cli("recommend", "London", "--store", people, "--format", "json")
    assert code == 0, err
    by_id = json.loads(cli("recommend", "london", "--store", people, "--format", "json")[1])
    assert json.loads(out) == by_id
    code, out, err = cli("recommend", "malmö", "--store", people, "--format", "json")
    assert code == 0, err


def test_recommend_unknown_id_has_a_did_you_mean(people: str) -> None:
    code, out, err = cli("recommend", "Londn", "--store", people)
    assert code == 2 and out == ""
    line = _one_error_line(err)
    assert "no actor with id 'Londn'" in line and "did you mean london (London)?" in line
    code, _, err = cli("recommend", "Manchster", "--store", people)
    assert code == 2 and "did you mean manchester (Manchester)?" in err


def test_recommend_a_shared_name_lists_the_ids(people: str) -> None:
    code, out, err = cli("recommend", "youth forum", "--store", people)
    assert code == 2 and out == ""
    line = _one_error_line(err)
    assert "yf-gb" in line and "yf-se" in line and "give the id" in line


def test_viz_actor_takes_the_name_and_hints(people: str, tmp_path: Path) -> None:
    out_file = tmp_path / "a.html"
    code, out, err = cli("viz", "--store", people, "-o", str(out_file), "--actor", "MALMÖ")
    assert code == 0, err
    assert "Malmö: neighbourhood" in out
    code, _, err = cli("viz", "--store", people, "-o", str(out_file), "--actor", "Stokholm")
    assert code == 1 and "Did you mean stockholm (Stockholm)?" in err


# --------------------------------------------------------------------------- CLI options


def test_option_values_in_any_case(people: str, tmp_path: Path) -> None:
    lower = _gaps(people, "--severity", "high")
    assert lower and _gaps(people, "--severity", "High") == lower
    assert _gaps(people, "--severity", "HIGH") == lower
    code, out, err = cli("gaps", "--store", people, "--format", "JSON")
    assert code == 0, err
    assert json.loads(out)["findings"] == _gaps(people)
    kind = lower[0]["type"]
    assert _gaps(people, "--type", kind.upper()) == _gaps(people, "--type", kind)
    code, out, err = cli("stats", "--store", people, "-f", "Json")
    assert code == 0 and json.loads(out)["actors"] == 8
    code, out, err = cli(
        "viz", "--store", people, "-o", str(tmp_path / "c.html"), "--view", "Cities",
        "--size-by", "Betweenness", "--layout", "FORCE", "--large", "Top",
    )  # fmt: skip
    assert code == 0, err
    assert "City-to-city network" in out


# --------------------------------------------------------------------------- HTTP


@pytest.fixture(scope="module")
def api(server_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    with running_api(server_dir, tmp_path_factory.mktemp("api-inputs"), data=PEOPLE) as a:
        yield a


@pytest.fixture(scope="module")
def http(api: Api) -> Iterator[httpx.Client]:
    with api.client("analyst") as c:
        yield c


def _ok(r: httpx.Response) -> Any:
    assert r.status_code == 200, r.text
    return r.json()


def _error(r: httpx.Response, status: int) -> str:
    assert r.status_code == status, r.text
    body = r.json()["error"]
    assert body["status"] == status
    return body["message"]


@pytest.mark.parametrize("typed", ["gb", "GBR", "United Kingdom", "uk", "England"])
def test_http_country_takes_names_and_codes(http: httpx.Client, typed: str) -> None:
    for path in ("/api/gaps", "/api/actors", "/api/relationships", "/api/initiatives"):
        by_code = _ok(http.get(path, params={"country": "GB"}))
        assert by_code["total"] > 0, path
        assert _ok(http.get(path, params={"country": typed})) == by_code, path
    summary = _ok(http.get("/api/gaps/summary", params={"country": "GB"}))
    assert _ok(http.get("/api/gaps/summary", params={"country": typed})) == summary
    metrics = _ok(http.get("/api/metrics", params={"country": "GB"}))
    assert _ok(http.get("/api/metrics", params={"country": typed}))["graph"] == metrics["graph"]


@pytest.mark.parametrize(
    "path",
    ["/api/gaps", "/api/gaps/summary", "/api/metrics", "/api/actors", "/api/relationships",
     "/api/initiatives", "/api/export"],
)  # fmt: skip
def test_http_unknown_country_is_422_with_a_did_you_mean(http: httpx.Client, path: str) -> None:
    message = _error(http.get(path, params={"country": "Swedn"}), 422)
    assert "'Swedn'" in message and "did you mean Sweden (SE)?" in message
    assert "'Narnia'" in _error(http.get(path, params={"country": "Narnia"}), 422)


def test_http_known_country_without_data_is_an_empty_answer(http: httpx.Client) -> None:
    assert _ok(http.get("/api/gaps", params={"country": "Denmark"}))["total"] == 0
    assert _ok(http.get("/api/actors", params={"country": "dk"}))["total"] == 0


def test_http_export_country_names(http: httpx.Client) -> None:
    r = http.get("/api/export", params={"country": ["sweden", "United Kingdom"]})
    assert r.status_code == 200, r.text
    assert 'filename="scn-graph-GB-SE.json"' in r.headers["content-disposition"]
    ids = {n["id"] for n in r.json()["actors"]}
    assert {"malmo", "london"} <= ids


def test_http_pages_take_country_names(http: httpx.Client) -> None:
    r = http.get("/viz/countries/Sweden")
    assert r.status_code == 200, r.text
    assert "Sweden (SE)" in r.text
    assert "'Narnia'" in _error(http.get("/viz/countries/Narnia"), 422)
    assert "Denmark (DK)" in _error(http.get("/viz/countries/denmark"), 404)
    r = http.get("/viz/actors/Malmö")
    assert r.status_code == 200 and "Malmö" in r.text
    assert "stockholm (Stockholm)" in _error(http.get("/viz/actors/Stokholm"), 404)


def test_http_actor_by_name(http: httpx.Client) -> None:
    by_id = _ok(http.get("/api/actors/london"))
    assert _ok(http.get("/api/actors/London")) == by_id
    assert _ok(http.get("/api/actors/LONDON/neighbourhood"))["center"] == "london"
    recs = _ok(http.get("/api/actors/Malmö/recommendations"))
    assert recs["actor"] == "malmo"
    in_london = _ok(http.get("/api/actors", params={"city": "London"}))
    assert [a["id"] for a in in_london["items"]] == ["yf-gb"]
    path = _ok(http.get("/api/path", params={"source": "Manchester", "target": "home office"}))
    assert path["found"] and path["source"] == "manchester"


@pytest.mark.parametrize(
    "path",
    ["/api/actors/Londn", "/api/actors/Londn/neighbourhood", "/api/actors/Londn/recommendations"],
)
def test_http_unknown_actor_is_404_with_a_did_you_mean(http: httpx.Client, path: str) -> None:
    message = _error(http.get(path), 404)
    assert message == "no actor with id 'Londn'; did you mean london (London)?"


def test_http_unknown_node_in_queries_is_404_with_a_did_you_mean(http: httpx.Client) -> None:
    r = http.get("/api/path", params={"source": "london", "target": "Stokholm"})
    assert "did you mean stockholm (Stockholm)?" in _error(r, 404)
    r = http.get("/api/export", params={"actor": "Prevnt"})
    assert "did you mean prevent (Prevent)?" in _error(r, 404)


def test_http_a_shared_name_is_422_listing_the_ids(http: httpx.Client) -> None:
    message = _error(http.get("/api/actors/Youth Forum"), 422)
    assert "yf-gb" in message and "yf-se" in message


def test_http_patch_takes_the_name(api: Api) -> None:
    with api.client("editor") as editor:
        r = editor.patch("/api/actors/Home Office", json={"note": "typed by name"})
        assert r.status_code == 200, r.text
        assert _ok(editor.get("/api/actors/home-office"))["note"] == "typed by name"
        message = _error(editor.patch("/api/actors/Home Ofice", json={"note": "x"}), 404)
        assert "did you mean home-office (Home Office)?" in message


def test_http_enum_parameters_in_any_case(http: httpx.Client) -> None:
    def findings(severity: str) -> dict:
        # which generation answered (and whether it was the previous one while the next
        # was computed) may differ between two calls after another test's write
        body = _ok(http.get("/api/gaps", params={"severity": severity}))
        return {k: v for k, v in body.items() if k not in ("generation", "stale")}

    high = findings("high")
    assert high["total"] > 0
    assert findings("High") == high
    assert _ok(http.get("/api/actors", params={"kind": "City"}))["total"] == 4
    rels = _ok(http.get("/api/relationships", params={"type": "member_of"}))
    assert rels["total"] == 2
    r = http.get("/api/export", params={"format": "JSON"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    page = http.get("/viz/cities", params={"size_by": "Betweenness", "large": "TOP"})
    assert page.status_code == 200, page.text
    # a word that is no choice in any case is still refused
    assert _error(http.get("/api/gaps", params={"severity": "urgent"}), 422)


# --------------------------------------------------------------------------- dates

BAD_DATES_YAML = """\
actors:
  - {id: a, name: A, kind: city, country: GB}
  - {id: b, name: B, kind: city, country: GB}
initiatives:
  - {id: p, name: P, kind: program, start: last spring}
relationships:
  - {source: a, type: PARTNERS_WITH, target: b, since: 2019-13-45}
  - {source: a, type: RUNS, target: p, since: 01/04/2019}
"""


def test_ingest_an_impossible_yaml_date_is_a_problem_not_a_traceback(
    store: Store, store_uri: str, tmp_path: Path
) -> None:
    path = tmp_path / "dates.yaml"
    path.write_text(BAD_DATES_YAML, encoding="utf-8")
    res = runner.invoke(app, ["ingest", str(path), "--store", store_uri])
    assert res.exception is None or isinstance(res.exception, SystemExit)
    assert res.exit_code == 1
    assert "Traceback" not in res.stdout + res.stderr
    for line, field, value in [
        (5, "start", "last spring"),
        (7, "since", "2019-13-45"),
        (8, "since", "01/04/2019"),
    ]:
        assert f"{path}, line {line}: field '{field}' value '{value}'" in res.stderr
    assert "YYYY, YYYY-MM or YYYY-MM-DD" in res.stderr
    assert store.run("MATCH (n) RETURN count(n)").scalar() == 0


def test_upload_bad_dates_is_422_naming_file_line_field_value(api: Api) -> None:
    with api.client("editor") as editor:
        r = editor.post("/api/ingest", files={"file": ("dates.yaml", BAD_DATES_YAML.encode())})
    assert r.status_code == 422, r.text
    problems = {
        (p["file"], p["line"], p["field"], p["value"]) for p in r.json()["error"]["problems"]
    }
    assert problems == {
        ("dates.yaml", 5, "start", "last spring"),
        ("dates.yaml", 7, "since", "2019-13-45"),
        ("dates.yaml", 8, "since", "01/04/2019"),
    }
