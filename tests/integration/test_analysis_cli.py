"""The analysis commands (`gaps`, `recommend`, `metrics`) end to end, on the real embedded FalkorDB.

Small hand-built datasets, loaded with the real loader, where the answers are
known; and the real twin-cities network (loaded once for the module, in CI),
whose properties are computed from the file itself.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cli.main import app
from graph.analysis.gaps import GAP_TYPES
from graph.store import Store
from tests.support.store import load
from tests.support.twin_cities import TWIN_GROUP, TwinStore

runner = CliRunner()

#: Columns of the table, CSV and Markdown output of `gaps` (public interface).
FINDING_COLUMNS = [
    "severity",
    "type",
    "country",
    "subjects",
    "explanation",
    "suggestion",
    "mitigation",
    "basis",
]
CSV_COLUMNS = [*FINDING_COLUMNS, "inferred"]

FINDING_KEYS = {
    "type",
    "severity",
    "subjects",
    "country",
    "explanation",
    "suggestion",
    "mitigation",
    "basis",
    "inferred",
}
METRICS_KEYS = {
    "country",
    "graph",
    "brokers",
    "betweenness_method",
    "single_points_of_failure",
    "communities",
    "coverage",
    "parameters",
}
COVERAGE_RATIOS = (
    "share_with_national_link",
    "share_with_domestic_city_link",
    "city_density",
    "cso_engagement",
    "private_engagement",
)


def cli(*args: str) -> tuple[int, str, str]:
    res = runner.invoke(app, list(args))
    return res.exit_code, res.stdout, res.stderr


def cli_json(*args: str) -> Any:
    code, out, err = cli(*args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def gaps_json(*args: str) -> list[dict[str, Any]]:
    """The findings of `gaps --format json` (an object of findings and types not assessed)."""
    value = cli_json("gaps", *args)
    assert set(value) == {"findings", "not_assessed"}
    return value["findings"]


# --------------------------------------------------------------------------- a small network

#: Two GB cities (London works with a CSO and the Home Office and is twinned with
#: Paris; Leeds works with nobody), Paris and Berlin who both partner with EFUS
#: and nothing else, and a CSO programme nobody evaluates.
SMALL: dict[str, Any] = {
    "actors": [
        {"id": "london", "name": "London", "kind": "city", "country": "GB", "themes": ["hate"]},
        {"id": "leeds", "name": "Leeds", "kind": "city", "country": "GB"},
        {
            "id": "paris",
            "name": "Paris",
            "kind": "city",
            "country": "FR",
            "themes": ["polarisation"],
        },
        {
            "id": "berlin",
            "name": "Berlin",
            "kind": "city",
            "country": "DE",
            "themes": ["polarisation"],
        },
        {"id": "home-office", "name": "Home Office", "kind": "national_body", "country": "GB"},
        {
            "id": "london-cso",
            "name": "London Community Trust",
            "kind": "cso",
            "country": "GB",
            "city": "london",
            "grassroots": False,
        },
        {"id": "efus", "name": "European Forum for Urban Security", "kind": "international_org"},
    ],
    "initiatives": [
        {
            "id": "london-prog",
            "name": "Safer Together",
            "kind": "program",
            "country": "GB",
            "themes": ["hate"],
        },
    ],
    "relationships": [
        {"source": "london", "type": "PARTNERS_WITH", "target": "london-cso"},
        {"source": "london", "type": "COORDINATES_WITH", "target": "home-office"},
        {"source": "london", "type": "TWINNED_WITH", "target": "paris"},
        {"source": "paris", "type": "PARTNERS_WITH", "target": "efus"},
        {"source": "berlin", "type": "PARTNERS_WITH", "target": "efus"},
        {"source": "london-cso", "type": "RUNS", "target": "london-prog"},
    ],
}


@pytest.fixture
def small(store: Store, store_uri: str) -> str:
    load(store, SMALL)
    return store_uri


def subjects_of(findings: list[dict[str, Any]], gap_type: str) -> set[tuple[str, ...]]:
    return {tuple(f["subjects"]) for f in findings if f["type"] == gap_type}


def test_gaps_json_is_an_array_of_findings_with_the_known_answers(small: str) -> None:
    findings = gaps_json("--store", small)
    assert isinstance(findings, list) and findings
    for f in findings:
        assert set(f) == FINDING_KEYS
        assert f["type"] in GAP_TYPES
        assert f["severity"] in ("high", "medium", "low")
        assert isinstance(f["subjects"], list) and f["subjects"]
        assert f["explanation"] and f["suggestion"]
    # cities with no CSO relationship: all but London
    assert subjects_of(findings, "cso.no_cso_partner") == {("leeds",), ("paris",), ("berlin",)}
    no_cso = {f["subjects"][0]: f for f in findings if f["type"] == "cso.no_cso_partner"}
    assert no_cso["leeds"]["country"] == "GB"
    assert "Leeds" in no_cso["leeds"]["explanation"]
    # Leeds has no city link at all; London's only city link is abroad
    assert ("leeds",) in subjects_of(findings, "horizontal.isolated_city")
    assert ("london",) in subjects_of(findings, "horizontal.no_domestic_link")
    # London coordinates with the Home Office; Leeds does not, though it is in reach
    no_nat = {f["subjects"][0]: f for f in findings if f["type"] == "vertical.no_national_link"}
    assert "london" not in no_nat and no_nat["leeds"]["severity"] == "high"
    assert ("london-prog",) in subjects_of(findings, "me.program_unevaluated")
    # sorted: high first
    order = {"high": 0, "medium": 1, "low": 2}
    ranks = [order[f["severity"]] for f in findings]
    assert ranks == sorted(ranks)


def test_gaps_table_csv_and_markdown_show_the_same_findings(small: str) -> None:
    findings = gaps_json("--store", small)
    n = len(findings)

    code, out, err = cli("gaps", "--store", small, "--format", "table")
    assert code == 0, err
    assert f"{n} gaps" in out
    assert "severity" in out and "explanation" in out

    code, out, err = cli("gaps", "--store", small, "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == CSV_COLUMNS
    assert len(rows) == n
    for row, f in zip(rows, findings, strict=True):
        assert row["type"] == f["type"] and row["severity"] == f["severity"]
        assert row["subjects"] == ", ".join(f["subjects"])
        assert row["country"] == (f["country"] or "")
        assert row["explanation"] == f["explanation"]

    code, out, err = cli("gaps", "--store", small, "--format", "markdown")
    assert code == 0, err
    lines = out.strip().splitlines()
    assert lines[0] == f"### {n} gaps"
    assert lines[2] == "| " + " | ".join(FINDING_COLUMNS) + " |"
    body = [ln for ln in lines[4:] if ln.startswith("| ")]
    assert len(body) == n
    assert sum("cso.no_cso_partner" in ln for ln in body) == 3


def test_gaps_type_is_repeatable(small: str) -> None:
    wanted = {"cso.no_cso_partner", "horizontal.isolated_city"}
    findings = gaps_json(
        "--store", small, "--type", "cso.no_cso_partner", "-t", "horizontal.isolated_city"
    )
    assert {f["type"] for f in findings} == wanted
    everything = gaps_json("--store", small)
    assert findings == [f for f in everything if f["type"] in wanted]


def test_gaps_country_and_severity_filters(small: str) -> None:
    everything = gaps_json("--store", small)
    gb = gaps_json("--store", small, "--country", "gb")
    assert gb and all(f["country"] == "GB" for f in gb)
    assert gb == [f for f in everything if f["country"] == "GB"]
    assert not any(f["subjects"] == ["paris"] for f in gb)

    high = gaps_json("--store", small, "--severity", "high")
    assert high and all(f["severity"] == "high" for f in high)
    assert high == [f for f in everything if f["severity"] == "high"]

    both = gaps_json("--store", small, "-c", "GB", "-s", "high", "-t", "vertical.no_national_link")
    assert [f["subjects"] for f in both] == [["leeds"]]


def test_gaps_summary(small: str) -> None:
    everything = gaps_json("--store", small)
    summary = cli_json("gaps", "--store", small, "--summary")
    assert set(summary) == {"total", "by_type", "by_country", "by_severity", "not_assessed"}
    assert summary["total"] == len(everything)
    assert list(summary["by_type"]) == list(GAP_TYPES)
    assert summary["by_type"] == {t: sum(f["type"] == t for f in everything) for t in GAP_TYPES}
    assert summary["by_type"]["cso.no_cso_partner"] == 3
    assert summary["by_severity"] == dict(Counter(f["severity"] for f in everything)) | {
        s: 0 for s in ("high", "medium", "low") if s not in {f["severity"] for f in everything}
    }
    assert sum(summary["by_severity"].values()) == len(everything)

    code, out, err = cli("gaps", "--store", small, "--summary", "--type", "cso.no_cso_partner")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "3 gaps"
    assert any(ln.split() == ["cso.no_cso_partner", "3"] for ln in lines)
    assert any(ln.split() == ["GB", "1"] for ln in lines)


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--type", "cso.no_such_gap"], "cso.no_such_gap"),
        (["--type", "cso.no_cso_partner", "--type", "nope"], "nope"),
        (["--severity", "urgent"], "urgent"),
    ],
)
def test_gaps_unknown_type_or_severity_is_a_usage_error(
    small: str, args: list[str], named: str
) -> None:
    code, out, err = cli("gaps", "--store", small, *args)
    assert code == 2
    assert f"'{named}'" in err and "expected one of" in err
    assert out == ""


def test_recommend_json_for_cities_whose_partners_overlap(small: str) -> None:
    body = cli_json("recommend", "paris", "--store", small)
    assert body["actor"] == "paris" and body["actor_name"] == "Paris"
    recs = body["items"]
    assert isinstance(recs, list) and recs
    for r in recs:
        assert {"partner", "score", "reasons", "name", "kind", "country", "components"} <= set(r)
        assert isinstance(r["score"], int | float) and r["score"] > 0
        assert r["reasons"] and all(isinstance(x, str) and x for x in r["reasons"])
    scores = [r["score"] for r in recs]
    assert scores == sorted(scores, reverse=True)
    partners = [r["partner"] for r in recs]
    # Paris's only partner is EFUS (and its twin London): neither is recommended
    assert "efus" not in partners and "london" not in partners and "paris" not in partners
    # Berlin also partners with EFUS: a common neighbour, named in the reasons
    berlin = next(r for r in recs if r["partner"] == "berlin")
    assert berlin["name"] == "Berlin" and berlin["kind"] == "city"
    assert "1 partner in common: European Forum for Urban Security" in berlin["reasons"]
    assert any("polarisation" in x for x in berlin["reasons"])


def test_recommend_limit_and_table(small: str) -> None:
    assert len(cli_json("recommend", "leeds", "--store", small, "--limit", "2")["items"]) == 2
    code, out, err = cli("recommend", "paris", "--store", small)
    assert code == 0, err
    assert "Partners for Paris (paris)" in out and "berlin" in out


@pytest.mark.parametrize("actor", ["nobody", "london-prog"])
def test_recommend_unknown_actor_is_a_usage_error(small: str, actor: str) -> None:
    code, out, err = cli("recommend", actor, "--store", small, "--format", "json")
    assert code == 2
    assert f"no actor with id '{actor}'" in err
    assert out == ""


def test_metrics_json(small: str) -> None:
    m = cli_json("metrics", "--store", small)
    assert set(m) == METRICS_KEYS
    assert m["country"] is None
    g = m["graph"]
    assert g["nodes"] == 7 and g["cities"] == 4
    # london-cso, home-office, paris (twin), efus-paris, efus-berlin
    assert g["edges"] == 5
    assert g["components"] == 2 and g["isolated"] == 1  # Leeds on its own
    method = m["betweenness_method"]
    assert method["exact"] is True and method["sample_size"] is None
    assert method["engine"] == "networkx"
    brokers = {b["id"]: b for b in m["brokers"]}
    assert {"london", "paris", "efus"} <= set(brokers)
    assert all(0 < b["betweenness"] <= 1 for b in m["brokers"])
    cut = {p["id"] for p in m["single_points_of_failure"]["articulation_points"]}
    assert {"paris", "efus"} <= cut  # Berlin hangs on EFUS, which hangs on Paris
    assert set(m["coverage"]) == {"GB", "FR", "DE"}
    gb = m["coverage"]["GB"]
    assert gb["cities"] == 2
    assert gb["share_with_national_link"] == 0.5
    assert gb["cso_engagement"] == 0.5
    assert gb["share_with_domestic_city_link"] == 0.0
    assert m["parameters"]["top"] == 10


def test_metrics_country_and_table(small: str) -> None:
    m = cli_json("metrics", "--store", small, "--country", "gb", "--top", "3")
    assert m["country"] == "GB"
    assert list(m["coverage"]) == ["GB"]
    assert len(m["brokers"]) <= 3
    code, out, err = cli("metrics", "--store", small)
    assert code == 0, err
    assert "Brokers (betweenness, exact, networkx)" in out
    assert "Coverage by country" in out


# --------------------------------------------------------------------------- twin-cities


@dataclass(frozen=True)
class TwinNetwork:
    """The shared twin-cities store (`twin_store`), with each city's country and twins."""

    uri: str
    cities: dict[str, str]  # id -> country
    twins: dict[str, set[str]]


@pytest.fixture(scope="module")
def twin_network(twin_store: TwinStore) -> TwinNetwork:
    twins: dict[str, set[str]] = defaultdict(set)
    for r in twin_store.dataset.relationships:
        twins[r.source].add(r.target)
        twins[r.target].add(r.source)
    cities = {a.id: a.country for a in twin_store.dataset.actors}
    return TwinNetwork(twin_store.uri, cities, twins)


@pytest.mark.slow
@pytest.mark.xdist_group(TWIN_GROUP)
def test_twin_cities_horizontal_gaps(twin_network: TwinNetwork) -> None:
    uri = twin_network.uri
    findings = gaps_json(
        "--store",
        uri,
        "--type",
        "horizontal.no_domestic_link",
        "--type",
        "horizontal.isolated_city",
    )
    by_type = Counter(f["type"] for f in findings)
    # every city of the file has at least one twinning
    assert all(twin_network.twins[c] for c in twin_network.cities)
    assert by_type["horizontal.isolated_city"] == 0
    assert by_type["horizontal.no_domestic_link"] > 0
    assert set(by_type) == {"horizontal.no_domestic_link"}
    cities_per_country = Counter(twin_network.cities.values())
    for f in findings:
        (city,) = f["subjects"]
        cc = twin_network.cities[city]
        assert f["country"] == cc
        assert cities_per_country[cc] >= 2, f
        # linked, but only abroad
        assert twin_network.twins[city]
        assert all(twin_network.cities[t] != cc for t in twin_network.twins[city]), f
    # and every city linked only abroad in a country with other cities is found
    expected = {
        c
        for c, cc in twin_network.cities.items()
        if cities_per_country[cc] >= 2
        and all(twin_network.cities[t] != cc for t in twin_network.twins[c])
    }
    assert {f["subjects"][0] for f in findings} == expected


@pytest.mark.slow
@pytest.mark.xdist_group(TWIN_GROUP)
def test_twin_cities_metrics(twin_network: TwinNetwork) -> None:
    uri = twin_network.uri
    m = cli_json("metrics", "--store", uri)
    assert set(m) == METRICS_KEYS
    n_cities = len(twin_network.cities)
    assert m["graph"]["nodes"] == n_cities and m["graph"]["cities"] == n_cities
    assert m["graph"]["isolated"] == 0
    method = m["betweenness_method"]
    assert method["exact"] is False, "17k actors: betweenness must be sampled"
    assert isinstance(method["sample_size"], int) and 0 < method["sample_size"] < n_cities
    assert method["engine"] == "igraph"
    assert m["brokers"] and all(0 < b["betweenness"] <= 1 for b in m["brokers"])
    assert all(b["kind"] == "city" for b in m["brokers"])
    cities_per_country = Counter(twin_network.cities.values())
    for cc in ("DE", "FR"):
        cov = m["coverage"][cc]
        assert cov["cities"] == cities_per_country[cc]
        for key in COVERAGE_RATIOS:
            assert 0.0 <= cov[key] <= 1.0, (cc, key, cov[key])
        # no national bodies, CSOs or companies in this file
        assert cov["share_with_national_link"] == 0.0
        assert cov["cso_engagement"] == 0.0
        # share of the country's cities twinned with another city of the same country
        domestic = sum(
            1
            for c, c_cc in twin_network.cities.items()
            if c_cc == cc and any(twin_network.cities[t] == cc for t in twin_network.twins[c])
        )
        assert cov["share_with_domestic_city_link"] == round(domestic / cov["cities"], 4)


#: What the twin-cities network (cities and twinnings only) cannot be assessed for.
TWIN_NOT_ASSESSED = {
    "vertical.no_national_link": "national body",
    "vertical.framework_without_local_input": "national framework",
    "vertical.framework_not_implemented": "national framework",
    "cso.no_cso_partner": "civil-society organisation",
    "cso.no_grassroots_partner": "civil-society organisation",
    "cso.unsupported_grassroots": "civil-society organisation",
    "cso.single_government_funder": "civil-society organisation",
    "private.no_private_partner": "private-sector actor",
    "me.program_unevaluated": "program",
    "me.evaluation_unpublished": "evaluation",
    "me.no_capacity_support": "civil-society organisation (kind cso) and no program",
}


@pytest.mark.slow
@pytest.mark.xdist_group(TWIN_GROUP)
def test_twin_cities_gaps_say_what_was_not_assessed(
    twin_network: TwinNetwork, tmp_path: Path
) -> None:
    """No national body, CSO, company or program in the file: no finding per city of
    those types, and the JSON and the report say they were not assessed, and why."""
    uri = twin_network.uri
    value = cli_json("gaps", "--store", uri)
    assert set(value) == {"findings", "not_assessed"}
    reasons = {n["type"]: n["reason"] for n in value["not_assessed"]}
    assert set(reasons) == set(TWIN_NOT_ASSESSED)
    for gap_type, kind in TWIN_NOT_ASSESSED.items():
        assert reasons[gap_type].startswith(f"the graph has no {kind}"), reasons[gap_type]
    assert reasons["vertical.no_national_link"] == (
        "the graph has no national body (kind national_body) and no national framework "
        "(a framework with level national)"
    )
    found = Counter(f["type"] for f in value["findings"])
    assert not set(found) & set(TWIN_NOT_ASSESSED)
    assert found["horizontal.no_domestic_link"] > 0
    assert all(f["basis"] == "stated" for f in value["findings"])

    out = tmp_path / "twins.html"
    code, _, err = cli("report", "--store", uri, "-o", str(out))
    assert code == 0, err
    html = out.read_text(encoding="utf-8")
    assert f"{len(TWIN_NOT_ASSESSED)} gap types were" in " ".join(html.split())
    for gap_type in TWIN_NOT_ASSESSED:
        title = GAP_TYPES[gap_type].title
        assert f"{title} ({gap_type}) was not assessed: {reasons[gap_type]}." in html
