"""Every read endpoint over real HTTP against the embedded FalkorDB."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import networkx as nx
import pytest

from graph.analysis.gaps import GAP_TYPES, find_gaps
from graph.projection import project
from tests.support.api import DATA, Api, running_api


@pytest.fixture(scope="module")
def api(server_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    with running_api(server_dir, tmp_path_factory.mktemp("api-read"), data=DATA) as a:
        yield a


@pytest.fixture(scope="module")
def http(api: Api) -> Iterator[httpx.Client]:
    """An analyst: sees everything; reads only."""
    with api.client("analyst") as c:
        yield c


def ok(r: httpx.Response) -> dict:
    assert r.status_code == 200, r.text
    return r.json()


def ids(items: list[dict]) -> list[str]:
    return [i["id"] for i in items]


# --------------------------------------------------------------------------- system


def test_health_pings_the_store(http: httpx.Client) -> None:
    body = ok(http.get("/health"))
    assert body == {
        "status": "ok",
        "store": {"engine": "falkordb", "reachable": True},
        "version": body["version"],
    }


def test_stats_counts_by_kind_and_type(http: httpx.Client) -> None:
    body = ok(http.get("/api/stats"))
    assert body["actors"] == len(DATA["actors"])
    assert body["initiatives"] == len(DATA["initiatives"])
    assert body["relationships"] == len(DATA["relationships"])
    assert body["actors_by_kind"]["city"] == 5
    assert body["countries"] == 3


def test_me_names_the_key(api: Api, http: httpx.Client) -> None:
    body = ok(http.get("/api/me"))
    assert body["role"] == "analyst" and body["sees_confidential"] is True
    assert body["name"].startswith("analyst-")


def test_docs_and_openapi_with_examples(http: httpx.Client) -> None:
    assert http.get("/docs").status_code == 200
    spec = ok(http.get("/openapi.json"))
    paths = spec["paths"]
    for p in (
        "/health",
        "/api/stats",
        "/api/actors",
        "/api/actors/{actor_id}",
        "/api/actors/{actor_id}/neighbourhood",
        "/api/actors/{actor_id}/recommendations",
        "/api/initiatives",
        "/api/initiatives/{initiative_id}",
        "/api/initiatives/{initiative_id}/neighbourhood",
        "/api/relationships",
        "/api/path",
        "/api/gaps",
        "/api/gaps/summary",
        "/api/gaps/types",
        "/api/metrics",
        "/api/export",
        "/api/query",
        "/api/ingest",
        "/api/audit",
    ):
        assert p in paths, p
    schemas = spec["components"]["schemas"]
    for name in ("Actor", "Neighbourhood", "PathOut", "FindingOut", "QueryIn", "IngestOut"):
        assert schemas[name].get("examples"), name
    assert {"bearer", "apiKey"} <= set(spec["components"]["securitySchemes"])


# --------------------------------------------------------------------------- actors


def test_actor_list_filters_and_pages(http: httpx.Client) -> None:
    body = ok(http.get("/api/actors", params={"limit": 100}))
    assert body["total"] == len(DATA["actors"])
    names = [a["name"] for a in body["items"]]
    assert names == sorted(names, key=str.lower)
    assert all(a["family"] == "actor" for a in body["items"])

    assert ids(ok(http.get("/api/actors", params={"kind": "city", "country": "gb"}))["items"]) == [
        "bradford",
        "leeds",
        "london",
    ]
    national = ok(http.get("/api/actors", params={"level": "national"}))["items"]
    assert {"home-office", "ministere", "techco", "uni"} <= set(ids(national))
    assert "london" not in ids(national)
    assert ids(ok(http.get("/api/actors", params={"theme": "disinformation"}))["items"]) == [
        "berlin"
    ]
    assert ids(ok(http.get("/api/actors", params={"q": "LEEDS"}))["items"]) == [
        "leeds",
        "leeds-police",
        "leeds-roots",
        "uni",
    ]
    assert ids(ok(http.get("/api/actors", params={"city": "leeds"}))["items"]) == [
        "leeds-police",
        "leeds-roots",
    ]

    page1 = ok(http.get("/api/actors", params={"limit": 5, "offset": 0}))
    page3 = ok(http.get("/api/actors", params={"limit": 5, "offset": 10}))
    assert page1["total"] == page3["total"] == len(DATA["actors"])
    assert len(page1["items"]) == 5 and len(page3["items"]) == len(DATA["actors"]) - 10
    assert not set(ids(page1["items"])) & set(ids(page3["items"]))


def test_actor_list_rejects_bad_filters(http: httpx.Client) -> None:
    r = http.get("/api/actors", params={"kind": "dragon"})
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["status"] == 422 and "kind" in err["message"]
    assert err["problems"][0]["location"] == "query kind"
    # a name is a country (Germany is DE); what names none is refused
    assert http.get("/api/actors", params={"country": "Narnia"}).status_code == 422
    assert http.get("/api/actors", params={"limit": 0}).status_code == 422


def test_one_actor_with_relationships_and_gaps(http: httpx.Client) -> None:
    body = ok(http.get("/api/actors/london"))
    assert body["name"] == "London" and body["kind"] == "city" and body["country"] == "GB"
    assert body["themes"] == ["hate", "polarisation"] and body["lat"] == 51.5
    rels = {(r["type"], r["direction"], r["other"]["id"]) for r in body["relationships"]}
    assert ("TWINNED_WITH", "out", "paris") in rels
    assert ("MEMBER_OF", "out", "scn") in rels
    twin = next(r for r in body["relationships"] if r["type"] == "TWINNED_WITH")
    assert twin["cross_border"] is True and twin["axis"] == "horizontal"
    assert twin["since"] == "2001" and twin["symmetric"] is True
    gap_types = {g["type"] for g in body["gaps"]}
    assert "theme.uncovered_threat" in gap_types
    assert all("london" in g["subjects"] for g in body["gaps"])
    assert ok(http.get("/api/actors/london", params={"gaps": False}))["gaps"] is None


def test_unknown_actor_is_404_naming_it(http: httpx.Client) -> None:
    for path in (
        "/api/actors/atlantis",
        "/api/actors/atlantis/neighbourhood",
        "/api/actors/atlantis/recommendations",
    ):
        r = http.get(path)
        assert r.status_code == 404
        assert r.json() == {"error": {"status": 404, "message": "no actor with id 'atlantis'"}}
    # an initiative is not an actor
    assert http.get("/api/actors/prevent").status_code == 404


def test_neighbourhood_depths(http: httpx.Client) -> None:
    one = ok(http.get("/api/actors/leeds-roots/neighbourhood"))
    assert one["center"] == "leeds-roots" and one["depth"] == 1
    hops = {n["id"]: n["hops"] for n in one["nodes"]}
    assert hops["leeds-roots"] == 0 and hops["leeds"] == 1 and hops["youth-prog"] == 1
    assert "bradford" not in hops
    assert ("leeds", "PARTNERS_WITH", "leeds-roots") in {
        (e["source"], e["type"], e["target"]) for e in one["edges"]
    }
    for e in one["edges"]:
        assert e["source"] in hops and e["target"] in hops
    two = ok(http.get("/api/actors/leeds-roots/neighbourhood", params={"depth": 2}))
    assert {"bradford", "uni", "prevent"} <= {n["id"] for n in two["nodes"]}
    three = ok(http.get("/api/actors/leeds-roots/neighbourhood", params={"depth": 3}))
    assert len(three["nodes"]) > len(two["nodes"]) > len(one["nodes"])
    assert http.get("/api/actors/leeds/neighbourhood", params={"depth": 4}).status_code == 422
    assert http.get("/api/actors/leeds/neighbourhood", params={"depth": 0}).status_code == 422


def test_initiative_neighbourhood(http: httpx.Client) -> None:
    """An initiative has a neighbourhood too (a served page expands it on double-click);
    each resource answers for its own nodes only."""
    body = ok(http.get("/api/initiatives/youth-prog/neighbourhood"))
    assert body["center"] == "youth-prog" and body["nodes"][0]["family"] == "initiative"
    hops = {n["id"]: n["hops"] for n in body["nodes"]}
    assert {"leeds-roots", "leeds", "uni", "youth-eval", "bradford", "prevent"} <= set(hops)
    assert ("leeds-roots", "RUNS", "youth-prog") in {
        (e["source"], e["type"], e["target"]) for e in body["edges"]
    }
    two = ok(http.get("/api/initiatives/youth-prog/neighbourhood", params={"depth": 2}))
    assert len(two["nodes"]) > len(body["nodes"])
    for path in ("/api/initiatives/london/neighbourhood", "/api/initiatives/nowhere/neighbourhood"):
        r = http.get(path)
        assert r.status_code == 404 and "no initiative with id" in r.json()["error"]["message"]
    assert http.get("/api/actors/youth-prog/neighbourhood").status_code == 404
    r = http.get("/api/initiatives/youth-prog/neighbourhood", params={"depth": 4})
    assert r.status_code == 422


def test_neighbourhood_cap_says_truncated(http: httpx.Client) -> None:
    body = ok(http.get("/api/actors/leeds/neighbourhood", params={"depth": 3, "max_nodes": 3}))
    assert body["truncated"] is True and len(body["nodes"]) == 3
    assert body["nodes"][0]["id"] == "leeds"
    assert all(n["hops"] <= 1 for n in body["nodes"])


def test_recommendations(http: httpx.Client) -> None:
    body = ok(http.get("/api/actors/leeds-roots/recommendations", params={"limit": 3}))
    assert body["actor"] == "leeds-roots" and 0 < len(body["items"]) <= 3
    first = body["items"][0]
    assert first["partner"] == "big-charity" and first["reasons"]
    assert [c["reason"] for c in first["components"]] == first["reasons"]
    # Bradford takes part in the programme Leeds Roots runs, and Leeds is its city: ties
    assert not {"bradford", "leeds"} & {i["partner"] for i in body["items"]}
    assert [i["score"] for i in body["items"]] == sorted(
        (i["score"] for i in body["items"]), reverse=True
    )


# --------------------------------------------------------------------------- initiatives


def test_initiative_list_and_filters(http: httpx.Client) -> None:
    body = ok(http.get("/api/initiatives"))
    assert body["total"] == 4 and all(i["family"] == "initiative" for i in body["items"])
    assert ids(ok(http.get("/api/initiatives", params={"kind": "framework"}))["items"]) == [
        "prevent"
    ]
    assert ids(ok(http.get("/api/initiatives", params={"status": "planned"}))["items"]) == [
        "toolkit"
    ]
    assert ids(ok(http.get("/api/initiatives", params={"actor": "leeds"}))["items"]) == [
        "prevent",
        "youth-prog",
    ]
    assert ok(http.get("/api/initiatives", params={"q": "youth"}))["total"] == 2
    assert ok(http.get("/api/initiatives", params={"country": "FR"}))["total"] == 0


def test_initiative_detail_names_who_runs_funds_implements_evaluates(http: httpx.Client) -> None:
    prog = ok(http.get("/api/initiatives/youth-prog"))
    assert [p["id"] for p in prog["run_by"]] == ["leeds-roots"]
    assert [p["id"] for p in prog["funded_by"]] == ["leeds"]
    assert {p["id"] for p in prog["evaluated_by"]} == {"uni", "youth-eval"}
    assert [p["id"] for p in prog["participants"]] == ["bradford"]
    assert [p["id"] for p in prog["informed_by"]] == ["prevent"]
    fw = ok(http.get("/api/initiatives/prevent"))
    assert [p["id"] for p in fw["implemented_by"]] == ["leeds"]
    assert fw["contributors"] == [
        {
            "id": "leeds",
            "name": "Leeds",
            "kind": "city",
            "family": "actor",
            "country": "GB",
            "type": "CONTRIBUTES_TO",
            "status": "planned",
            "basis": "stated",
            "since": None,
            "confidential": False,
            "note": None,
        }
    ]
    assert [p["id"] for p in fw["run_by"]] == ["home-office"]
    ev = ok(http.get("/api/initiatives/youth-eval"))
    assert [p["id"] for p in ev["evaluates"]] == ["youth-prog"] and ev["published"] is False
    r = http.get("/api/initiatives/nothing")
    assert r.status_code == 404 and "'nothing'" in r.json()["error"]["message"]


# --------------------------------------------------------------------------- relationships


def _keys(body: dict) -> set[tuple[str, str, str]]:
    """(source, type, target); symmetric types are stored once, in either order, so
    their ends are put in alphabetical order here (as in `ingest.records`)."""
    out = set()
    for r in body["items"]:
        s, t = r["source"], r["target"]
        if r["symmetric"]:
            s, t = sorted((s, t))
        out.add((s, r["type"], t))
    return out


def test_relationship_filters(http: httpx.Client) -> None:
    every = ok(http.get("/api/relationships", params={"limit": 1000}))
    assert every["total"] == len(DATA["relationships"])
    rows = [(r["source"], r["type"], r["target"]) for r in every["items"]]
    assert rows == sorted(rows)
    one = every["items"][0]
    assert {"source_name", "target_name", "source_kind", "target_kind"} <= set(one)

    funds = ok(http.get("/api/relationships", params=[("type", "FUNDS"), ("type", "RUNS")]))
    assert {r["type"] for r in funds["items"]} == {"FUNDS", "RUNS"}
    vertical = ok(http.get("/api/relationships", params={"axis": "vertical"}))
    assert all(r["axis"] == "vertical" for r in vertical["items"])
    assert ("home-office", "FUNDS", "big-charity") in _keys(vertical)
    horizontal = ok(http.get("/api/relationships", params={"axis": "horizontal"}))
    assert ("bradford", "PARTNERS_WITH", "leeds") in _keys(horizontal)
    border = ok(http.get("/api/relationships", params={"cross_border": "true"}))
    assert _keys(border) == {
        ("london", "TWINNED_WITH", "paris"),
        ("berlin", "PARTNERS_WITH", "paris"),
    }
    domestic = ok(http.get("/api/relationships", params={"cross_border": "false", "limit": 1000}))
    assert ("london", "TWINNED_WITH", "paris") not in _keys(domestic)
    sector = ok(http.get("/api/relationships", params={"cross_sector": "true", "limit": 1000}))
    assert ("london", "COORDINATES_WITH", "techco") in _keys(sector)
    assert all(r["cross_sector"] for r in sector["items"])
    fr = ok(http.get("/api/relationships", params={"country": "FR"}))
    assert _keys(fr) == {
        ("london", "TWINNED_WITH", "paris"),
        ("paris", "MEMBER_OF", "scn"),
        ("ministere", "COORDINATES_WITH", "paris"),
        ("berlin", "PARTNERS_WITH", "paris"),
    }
    planned = ok(http.get("/api/relationships", params={"status": "planned"}))
    assert _keys(planned) == {("leeds", "CONTRIBUTES_TO", "prevent")}
    node = ok(http.get("/api/relationships", params={"node": "bradford"}))
    assert _keys(node) == {
        ("bradford", "PARTNERS_WITH", "leeds"),
        ("bradford", "PARTICIPATES_IN", "youth-prog"),
    }
    paged = ok(http.get("/api/relationships", params={"limit": 2, "offset": 2}))
    assert paged["total"] == every["total"] and len(paged["items"]) == 2
    assert http.get("/api/relationships", params={"type": "LIKES"}).status_code == 422
    assert http.get("/api/relationships", params={"axis": "diagonal"}).status_code == 422


# --------------------------------------------------------------------------- paths


def test_shortest_path_with_types(http: httpx.Client) -> None:
    body = ok(http.get("/api/path", params={"source": "bradford", "target": "paris"}))
    assert body["found"] is True and body["length"] == len(body["steps"])
    assert body["nodes"][0]["id"] == "bradford" and body["nodes"][-1]["id"] == "paris"
    for step, (a, b) in zip(
        body["steps"], zip(body["nodes"], body["nodes"][1:], strict=False), strict=True
    ):
        assert (step["from"], step["to"]) == (a["id"], b["id"])
        assert step["type"] and step["direction"] in ("forward", "backward")
    assert body["length"] == 3  # bradford - leeds - scn - paris
    same = ok(http.get("/api/path", params={"source": "leeds", "target": "leeds"}))
    assert same["length"] == 0 and same["steps"] == []


def test_path_direction_and_filters(http: httpx.Client) -> None:
    body = ok(http.get("/api/path", params={"source": "big-charity", "target": "home-office"}))
    assert body["length"] == 1
    assert body["steps"][0]["type"] == "FUNDS" and body["steps"][0]["direction"] == "backward"
    only_twins = ok(
        http.get(
            "/api/path", params={"source": "bradford", "target": "paris", "type": "TWINNED_WITH"}
        )
    )
    assert only_twins["found"] is False and only_twins["length"] is None
    short = ok(
        http.get("/api/path", params={"source": "bradford", "target": "paris", "max_hops": 2})
    )
    assert short["found"] is False
    via = ok(http.get("/api/path", params={"source": "bradford", "target": "uni"}))
    assert via["length"] == 2 and via["nodes"][1]["id"] == "youth-prog"
    no_way = ok(
        http.get("/api/path", params={"source": "bradford", "target": "uni", "actors_only": True})
    )
    assert no_way["found"] is False  # uni only evaluates a program
    actors = ok(
        http.get(
            "/api/path", params={"source": "bradford", "target": "home-office", "actors_only": True}
        )
    )
    assert all(n["family"] == "actor" for n in actors["nodes"]) and actors["length"] == 4


def test_path_unknown_id(http: httpx.Client) -> None:
    r = http.get("/api/path", params={"source": "leeds", "target": "gotham"})
    assert r.status_code == 404
    assert r.json()["error"]["message"] == "no node with id 'gotham'"
    assert http.get("/api/path", params={"source": "leeds"}).status_code == 422


# --------------------------------------------------------------------------- analysis


def test_gaps_filters_like_the_cli(http: httpx.Client) -> None:
    every = ok(http.get("/api/gaps", params={"limit": 1000}))
    assert every["total"] == len(every["items"]) > 0
    sev = [g["severity"] for g in every["items"]]
    order = {"high": 0, "medium": 1, "low": 2}
    assert sev == sorted(sev, key=order.__getitem__)
    two = ok(
        http.get(
            "/api/gaps",
            params=[("type", "cso.no_cso_partner"), ("type", "private.no_private_partner")],
        )
    )
    assert {g["type"] for g in two["items"]} == {"cso.no_cso_partner", "private.no_private_partner"}
    gb = ok(http.get("/api/gaps", params={"country": "gb", "limit": 1000}))
    assert all(g["country"] == "GB" or "GB" in g["subjects"] for g in gb["items"])
    high = ok(http.get("/api/gaps", params={"severity": "high", "limit": 1000}))
    assert {g["severity"] for g in high["items"]} <= {"high"}
    paged = ok(http.get("/api/gaps", params={"limit": 2, "offset": 1}))
    assert paged["items"] == every["items"][1:3]
    r = http.get("/api/gaps", params={"type": "no.such_gap"})
    assert r.status_code == 422 and "type" in r.json()["error"]["message"]
    assert http.get("/api/gaps", params={"severity": "urgent"}).status_code == 422


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"country": "GB"},
        {"country": "de"},
        {"severity": "medium"},
        {"types": ["horizontal.unlinked_countries", "cso.no_cso_partner"], "country": "FR"},
        {"types": ["private.no_private_partner"], "severity": "high", "country": "GB"},
    ],
)
def test_gaps_match_find_gaps(api: Api, http: httpx.Client, filters: dict) -> None:
    """The cached, indexed filtering gives exactly what `find_gaps` gives."""
    params: list[tuple[str, str]] = [("limit", "1000")]
    params += [("type", t) for t in filters.get("types", [])]
    params += [(k, v) for k, v in filters.items() if k != "types"]
    got = ok(http.get("/api/gaps", params=params))["items"]
    want = find_gaps(project(api.store, include_confidential=True), **filters)
    assert got == [f.to_dict() for f in want]


def test_gap_summary_and_catalogue(http: httpx.Client) -> None:
    every = ok(http.get("/api/gaps", params={"limit": 1000}))
    summary = ok(http.get("/api/gaps/summary"))
    assert summary["total"] == every["total"]
    assert list(summary["by_type"]) == list(GAP_TYPES)
    assert sum(summary["by_severity"].values()) == summary["total"]
    assert summary["by_country"]["GB"] >= 1
    gb = ok(http.get("/api/gaps/summary", params={"country": "GB"}))
    assert gb["total"] == ok(http.get("/api/gaps", params={"country": "GB"}))["total"]
    types = ok(http.get("/api/gaps/types"))
    assert [t["type"] for t in types] == list(GAP_TYPES)
    assert all(t["title"] and t["why"] and t["severity_rule"] for t in types)


def test_metrics(http: httpx.Client) -> None:
    body = ok(http.get("/api/metrics"))
    assert body["graph"]["nodes"] == len(DATA["actors"])
    assert {"brokers", "single_points_of_failure", "communities", "coverage"} <= set(body)
    gb = ok(http.get("/api/metrics", params={"country": "gb", "top": 2}))
    assert gb["country"] == "GB" and len(gb["brokers"]) <= 2


# --------------------------------------------------------------------------- export


def test_export_json_whole_and_filtered(http: httpx.Client) -> None:
    r = http.get("/api/export")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    assert 'filename="scn-graph.json"' in r.headers["content-disposition"]
    body = r.json()
    assert len(body["actors"]) + len(body["initiatives"]) == len(DATA["actors"]) + len(
        DATA["initiatives"]
    )
    assert len(body["relationships"]) == body["export"]["counts"]["relationships"]
    assert len(body["relationships"]) == len(DATA["relationships"])
    fr = http.get("/api/export", params={"country": "FR"}).json()
    assert {n["id"] for n in fr["actors"] + fr["initiatives"]} == {"paris", "ministere", "scn"}
    assert fr["export"]["filters"]["countries"] == ["FR"]
    cities = http.get("/api/export", params=[("kind", "city"), ("type", "TWINNED_WITH")]).json()
    assert {n["kind"] for n in cities["actors"]} == {"city"} and not cities["initiatives"]
    assert [(e["source"], e["target"]) for e in cities["relationships"]] == [("london", "paris")]
    around = http.get("/api/export", params={"actor": "bradford", "depth": 1}).json()
    assert {n["id"] for n in around["actors"] + around["initiatives"]} == {
        "bradford",
        "leeds",
        "youth-prog",
    }
    assert http.get("/api/export", params={"actor": "nowhere"}).status_code == 404
    assert http.get("/api/export", params={"format": "pdf"}).status_code == 422


def test_export_graphml_and_gexf_read_back(http: httpx.Client) -> None:
    r = http.get("/api/export", params={"format": "graphml"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/graphml+xml"
    G = nx.read_graphml(io.BytesIO(r.content))
    assert G.number_of_nodes() == len(DATA["actors"]) + len(DATA["initiatives"])
    assert G.number_of_edges() == len(DATA["relationships"])
    assert G.nodes["london"]["themes"] == "hate; polarisation"
    r = http.get("/api/export", params={"format": "gexf", "country": "GB"})
    assert r.status_code == 200 and "scn-graph-GB.gexf" in r.headers["content-disposition"]
    H = nx.read_gexf(io.BytesIO(r.content))
    assert H.nodes["leeds"]["label"] == "Leeds"
    assert {d["relationship"] for _, _, d in H.edges(data=True)} >= {"PARTNERS_WITH", "FUNDS"}


def test_export_csv_zip_and_tables(http: httpx.Client) -> None:
    r = http.get("/api/export", params={"format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
        assert zf.namelist() == [
            "countries.csv",
            "actors.csv",
            "initiatives.csv",
            "relationships.csv",
        ]
        edges = zf.read("relationships.csv").decode().splitlines()
    assert edges[0].startswith("source,type,target")
    assert len(edges) == 1 + len(DATA["relationships"])
    actors = http.get("/api/export", params={"format": "csv", "table": "actors"})
    assert actors.headers["content-type"].startswith("text/csv")
    assert actors.text.splitlines()[0].startswith("id,kind,name")
    assert http.get("/api/export", params={"format": "json", "table": "actors"}).status_code == 422
    assert http.get("/api/export", params={"format": "csv", "table": "nodes"}).status_code == 422


# --------------------------------------------------------------------------- errors


def test_errors_are_json_without_traces(http: httpx.Client) -> None:
    r = http.get("/api/nothing-here")
    assert r.status_code == 404 and r.json()["error"]["message"].startswith("no such endpoint")
    r = http.delete("/api/stats")
    assert r.status_code == 405 and "method" in r.json()["error"]["message"]
    r = http.post("/api/query", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422 and "Traceback" not in r.text


def test_unexpected_error_gives_a_reference_not_a_trace(server_dir: Path, tmp_path: Path) -> None:
    from api.app import create_app
    from api.server import LiveServer
    from api.settings import Settings

    app = create_app(
        settings=Settings(
            store_uri=f"embedded:{server_dir}?graph=boom", keys_file=tmp_path / "k.json"
        )
    )

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internals /etc/passwd")

    with LiveServer(app) as srv:
        r = httpx.get(srv.url + "/boom")
    assert r.status_code == 500
    msg = r.json()["error"]["message"]
    assert msg.startswith("internal error (ref ") and "secret" not in r.text
    assert "Traceback" not in r.text and "RuntimeError" not in r.text
    assert json.loads(r.text)["error"]["status"] == 500


@pytest.mark.parametrize("visible", [False, True])
@pytest.mark.parametrize(
    "options",
    [{}, {"actors_only": True}, {"types": ["PARTNERS_WITH", "MEMBER_OF"]}, {"max_hops": 2}],
)
def test_path_in_memory_equals_path_over_cypher(api: Api, visible: bool, options: dict) -> None:
    """The API walks the cached projection when it has one: it must give the same answers."""
    from graph.read.paths import shortest_path

    G = project(api.store, include_confidential=visible)
    every = sorted(G.nodes)
    for a in every:
        for b in every:
            kw = {"include_confidential": visible, **options}
            assert shortest_path(api.store, a, b, graph=G, **kw) == shortest_path(
                api.store, a, b, **kw
            ), (a, b)
    # a projection made for another visibility is never used
    other = project(api.store, include_confidential=not visible)
    assert (
        shortest_path(
            api.store, "shadow-fund", "leeds-roots", include_confidential=visible, graph=other
        )["found"]
        is visible
    )
