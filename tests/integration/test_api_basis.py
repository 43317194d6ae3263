"""Every node and relationship the API returns says its `basis` (stated | inferred),
where it says `status`, over real HTTP against the embedded FalkorDB; and an
initiative's authors are listed as `published_by`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.api import Api, running_api

#: An invented city, a CSO whose kind is the editor's reading, a guide the CSO
#: wrote (PUBLISHES) and a program the city runs; one inferred partnership.
DATA: dict[str, Any] = {
    "actors": [
        {"id": "ex-city", "kind": "city", "name": "Ex City", "country": "GB"},
        {"id": "ex-cso", "kind": "cso", "name": "Ex CSO", "country": "GB", "basis": "inferred"},
    ],
    "initiatives": [
        {"id": "ex-guide", "kind": "resource", "name": "Ex Guide"},
        {"id": "ex-prog", "kind": "program", "name": "Ex Program", "country": "GB"},
    ],
    "relationships": [
        {"source": "ex-city", "type": "PARTNERS_WITH", "target": "ex-cso", "basis": "inferred"},
        {"source": "ex-cso", "type": "PUBLISHES", "target": "ex-guide"},
        {"source": "ex-city", "type": "RUNS", "target": "ex-prog", "status": "proposed"},
    ],
}


@pytest.fixture(scope="module")
def api(server_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    with running_api(server_dir, tmp_path_factory.mktemp("api-basis"), data=DATA) as a:
        yield a


@pytest.fixture(scope="module")
def http(api: Api) -> Iterator[httpx.Client]:
    with api.client("analyst") as c:
        yield c


def ok(r: httpx.Response) -> Any:
    assert r.status_code == 200, r.text
    return r.json()


def test_nodes_say_their_basis(http: httpx.Client) -> None:
    assert ok(http.get("/api/actors/ex-cso"))["basis"] == "inferred"
    assert ok(http.get("/api/actors/ex-city"))["basis"] == "stated"
    listed = {a["id"]: a["basis"] for a in ok(http.get("/api/actors"))["items"]}
    assert listed == {"ex-city": "stated", "ex-cso": "inferred"}
    assert ok(http.get("/api/initiatives/ex-guide"))["basis"] == "stated"


def test_relationships_say_their_basis_beside_their_status(http: httpx.Client) -> None:
    items = ok(http.get("/api/relationships"))["items"]
    got = {(r["source"], r["type"], r["target"]): (r["status"], r["basis"]) for r in items}
    assert got == {
        ("ex-city", "PARTNERS_WITH", "ex-cso"): ("active", "inferred"),
        ("ex-cso", "PUBLISHES", "ex-guide"): ("active", "stated"),
        ("ex-city", "RUNS", "ex-prog"): ("proposed", "stated"),
    }
    detail = ok(http.get("/api/actors/ex-city"))["relationships"]
    assert {(r["other"]["id"], r["basis"]) for r in detail} == {
        ("ex-cso", "inferred"),
        ("ex-prog", "stated"),
    }
    hood = ok(http.get("/api/actors/ex-city/neighbourhood"))
    assert {n["id"]: n["basis"] for n in hood["nodes"]}["ex-cso"] == "inferred"
    assert {e["type"]: e["basis"] for e in hood["edges"]}["PARTNERS_WITH"] == "inferred"


def test_an_initiative_lists_its_authors_as_published_by(http: httpx.Client) -> None:
    guide = ok(http.get("/api/initiatives/ex-guide"))
    assert [(p["id"], p["type"], p["basis"]) for p in guide["published_by"]] == [
        ("ex-cso", "PUBLISHES", "stated")
    ]
    assert guide["run_by"] == []
    prog = ok(http.get("/api/initiatives/ex-prog"))
    assert [(p["id"], p["status"], p["basis"]) for p in prog["run_by"]] == [
        ("ex-city", "proposed", "stated")
    ]


def test_a_path_step_says_its_basis(http: httpx.Client) -> None:
    path = ok(http.get("/api/path", params={"source": "ex-guide", "target": "ex-city"}))
    assert [(s["type"], s["basis"]) for s in path["steps"]] == [
        ("PUBLISHES", "stated"),
        ("PARTNERS_WITH", "inferred"),
    ]


def test_the_openapi_document_lists_basis(http: httpx.Client) -> None:
    schemas = ok(http.get("/openapi.json"))["components"]["schemas"]
    for model in ("Actor", "Initiative", "Relationship", "InitiativeParty", "PathStep"):
        prop = schemas[model]["properties"]["basis"]
        enum = next(x["enum"] for x in prop.get("anyOf", [prop]) if "enum" in x)
        assert enum == ["stated", "inferred"], model
    assert "published_by" in schemas["InitiativeDetail"]["properties"]


def test_an_editor_writes_an_actors_basis(api: Api, http: httpx.Client) -> None:
    """The actor write models take `basis` like the ingest formats: create it inferred,
    change it to stated, and refuse a word that is not a basis (nothing written)."""
    with api.client("editor") as editor:
        created = editor.post(
            "/api/actors",
            json={"id": "ex-new", "name": "Ex New", "kind": "cso", "basis": "Inferred"},
        )
        assert created.status_code == 201, created.text
        try:
            assert ok(http.get("/api/actors/ex-new"))["basis"] == "inferred"
            r = editor.patch("/api/actors/ex-new", json={"basis": "stated"})
            assert r.status_code == 200, r.text
            assert ok(http.get("/api/actors/ex-new"))["basis"] == "stated"
            r = editor.patch("/api/actors/ex-new", json={"basis": "guessed"})
            assert r.status_code == 422, r.text
            assert "basis" in r.text
            assert ok(http.get("/api/actors/ex-new"))["basis"] == "stated"
        finally:
            assert editor.delete("/api/actors/ex-new").status_code == 200
