"""`scn-graph recommend` and `GET /api/actors/{id}/recommendations` on the user's cases,
through the real command line and real HTTP on the real embedded FalkorDB: the shape of
the output (components, pending ties, the actor named by name) and the tie rules."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cli.main import app
from tests.support.api import Api, running_api
from tests.support.cli import runner

THEMES = ["violent_extremism", "hate", "polarisation"]

#: London and Malmö are members of the Strong Cities Network, MOPAC is located in
#: London, London plans a partnership with Paris, Göteborg has no partner at all.
DATA: dict[str, Any] = {
    "actors": [
        {"id": "london", "name": "London", "kind": "city", "country": "GB", "themes": THEMES,
         "threats": ["Hate"]},
        {"id": "malmo", "name": "Malmö", "kind": "city", "country": "SE", "themes": THEMES},
        {"id": "goteborg", "name": "Göteborg", "kind": "city", "country": "SE"},
        {"id": "paris", "name": "Paris", "kind": "city", "country": "FR", "themes": THEMES},
        {"id": "manchester", "name": "Manchester", "kind": "city", "country": "GB"},
        {"id": "scn", "name": "Strong Cities Network", "kind": "international_org",
         "themes": THEMES},
        {"id": "mopac", "name": "MOPAC", "kind": "statutory_service", "country": "GB",
         "themes": THEMES},
        {"id": "msb", "name": "MSB", "kind": "national_body", "country": "SE"},
        {"id": "cst", "name": "CST", "kind": "cso", "country": "GB", "themes": ["hate"],
         "basis": "inferred"},
    ],
    "relationships": [
        {"source": "london", "type": "MEMBER_OF", "target": "scn"},
        {"source": "malmo", "type": "MEMBER_OF", "target": "scn"},
        {"source": "goteborg", "type": "MEMBER_OF", "target": "scn"},
        {"source": "mopac", "type": "LOCATED_IN", "target": "london"},
        {"source": "london", "type": "PARTNERS_WITH", "target": "paris", "status": "planned"},
    ],
}  # fmt: skip
COMPONENT_KEYS = {"name", "score", "value", "reason", "inferred"}


@pytest.fixture(scope="module")
def api(server_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    with running_api(server_dir, tmp_path_factory.mktemp("recommend"), data=DATA) as a:
        yield a


def cli(api: Api, *args: str) -> str:
    res = runner.invoke(app, [*args, "--store", api.store_uri])
    assert res.exit_code == 0, res.stderr
    return res.stdout


def http(api: Api, actor: str, **params: Any) -> dict[str, Any]:
    with api.client("reader") as c:
        r = c.get(f"/api/actors/{actor}/recommendations", params=params)
    assert r.status_code == 200, r.text
    return r.json()


def test_cli_json_is_the_api_body(api: Api) -> None:
    for actor in ("london", "malmo", "goteborg"):
        body = json.loads(cli(api, "recommend", actor, "--format", "json"))
        assert body == http(api, actor)
        assert set(body) == {"actor", "actor_name", "items", "pending"}


def test_london_is_not_offered_its_network_its_local_body_or_its_planned_partner(api: Api):
    body = http(api, "london")
    assert body["actor_name"] == "London"
    partners = {r["partner"] for r in body["items"]}
    assert not {"scn", "mopac", "paris"} & partners
    assert {"malmo", "goteborg", "manchester", "cst"} <= partners
    [pending] = body["pending"]
    assert pending == {
        "partner": "paris",
        "name": "Paris",
        "kind": "city",
        "country": "FR",
        "status": "planned",
        "links": ["London PARTNERS_WITH Paris"],
        "reason": "Already planned: London PARTNERS_WITH Paris",
    }
    for r in body["items"]:
        assert r["reasons"] == [c["reason"] for c in r["components"]]
        assert r["score"] == round(sum(c["score"] for c in r["components"]), 4)
        assert all(set(c) == COMPONENT_KEYS for c in r["components"])
    cst = next(r for r in body["items"] if r["partner"] == "cst")
    assert cst["basis"] == "inferred"
    assert (
        "Works on hate, which London reports as a local threat (rests on an inferred record)"
        in cst["reasons"]
    )
    assert "scn" not in {r["partner"] for r in http(api, "malmo")["items"]}


def test_an_isolated_city_gets_fellow_members_and_its_country(api: Api) -> None:
    items = http(api, "goteborg")["items"]
    reasons = {r["partner"]: r["reasons"] for r in items}
    assert reasons["london"] == ["Fellow member of Strong Cities Network"]
    assert reasons["msb"][0] == "National body of Sweden, while Göteborg has no national link yet"
    assert "Also in Sweden" in reasons["malmo"]


def test_table_and_csv_name_the_actor_and_show_each_component(api: Api) -> None:
    table = cli(api, "recommend", "london")
    assert "Partners for London (london)" in table and "already planned" in table
    rows = list(csv.DictReader(io.StringIO(cli(api, "recommend", "london", "--format", "csv"))))
    assert list(rows[0]) == ["partner", "name", "kind", "country", "score", "status", "why"]
    body = http(api, "london")
    recommended = [r for r in rows if r["status"] == "recommended"]
    assert [r["partner"] for r in recommended] == [r["partner"] for r in body["items"]]
    first = body["items"][0]
    assert recommended[0]["why"].splitlines() == [
        f"{c['score']:g} {c['reason']}" for c in first["components"]
    ]
    assert next(r for r in rows if r["status"] == "already planned")["partner"] == "paris"
    markdown = cli(api, "recommend", "london", "--format", "markdown")
    assert markdown.startswith("### Partners for London (london)")
