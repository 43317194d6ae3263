"""Confidential relationships reach analysts and editors only: no endpoint leaks them to
readers or anonymous callers — not lists, details, neighbourhoods, paths, gaps and their
explanations, recommendations, metrics, exports, nor the pages.

The dataset has three confidential relationships whose notes carry markers; the
strongest checks compare what a reader gets with what the analyses give on a
projection made without confidential relationships.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import networkx as nx
import pytest

from graph.analysis.gaps import find_gaps
from graph.analysis.recommend import recommend
from graph.analysis.structure import metrics
from graph.projection import project
from tests.support.api import (
    CONFIDENTIAL,
    CONFIDENTIAL_EDGES,
    DATA,
    Api,
    leaks,
    running_api,
    text_leaks,
)

HIDDEN = ("reader", "anonymous")
ENDS = sorted({r["source"] for r in CONFIDENTIAL} | {r["target"] for r in CONFIDENTIAL})


@pytest.fixture(scope="module")
def api(server_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    with running_api(
        server_dir, tmp_path_factory.mktemp("api-conf"), data=DATA, anonymous_read=True
    ) as a:
        yield a


def client(api: Api, who: str) -> httpx.Client:
    return api.client(None if who == "anonymous" else who)


def get(api: Api, who: str, path: str, **params: object) -> httpx.Response:
    with client(api, who) as c:
        r = c.get(path, params=params)  # type: ignore[arg-type]
    assert r.status_code == 200, (path, r.text)
    return r


def clean(r: httpx.Response) -> None:
    assert leaks(r.json()) == [], r.request.url
    assert text_leaks(r.text) == []


@pytest.mark.parametrize("who", HIDDEN)
def test_stats_count_only_visible_relationships(api: Api, who: str) -> None:
    hidden = get(api, who, "/api/stats").json()
    seen = get(api, "analyst", "/api/stats").json()
    assert seen["relationships"] == len(DATA["relationships"])
    assert hidden["relationships"] == len(DATA["relationships"]) - len(CONFIDENTIAL)
    assert hidden["relationships_by_type"]["FUNDS"] == seen["relationships_by_type"]["FUNDS"] - 1


@pytest.mark.parametrize("who", HIDDEN)
def test_actor_details_and_lists(api: Api, who: str) -> None:
    for actor in ENDS:
        r = get(api, who, f"/api/actors/{actor}")
        clean(r)
        shown = {(x["source"], x["type"], x["target"]) for x in r.json()["relationships"]}
        assert not shown & CONFIDENTIAL_EDGES
    assert get(api, who, "/api/actors/shadow-fund").json()["relationships"] == []
    assert len(get(api, "analyst", "/api/actors/shadow-fund").json()["relationships"]) == 1
    clean(get(api, who, "/api/actors", limit=1000))
    clean(get(api, who, "/api/initiatives", limit=1000))
    for i in DATA["initiatives"]:
        clean(get(api, who, f"/api/initiatives/{i['id']}"))


@pytest.mark.parametrize("who", HIDDEN)
def test_relationship_lists(api: Api, who: str) -> None:
    for params in (
        {},
        {"type": "FUNDS"},
        {"cross_border": True},
        {"axis": "vertical"},
        {"country": "GB"},
        {"node": "shadow-fund"},
        {"node": "london"},
    ):
        r = get(api, who, "/api/relationships", limit=1000, **params)
        clean(r)
    total = get(api, who, "/api/relationships").json()["total"]
    assert total == len(DATA["relationships"]) - len(CONFIDENTIAL)
    assert get(api, who, "/api/relationships", node="shadow-fund").json()["total"] == 0
    # positive control: the analyst does see them, markers and all
    seen = get(api, "analyst", "/api/relationships", limit=1000)
    assert len(leaks(seen.json())) >= len(CONFIDENTIAL)


@pytest.mark.parametrize("who", HIDDEN)
def test_neighbourhoods_do_not_reach_through_confidential_links(api: Api, who: str) -> None:
    for actor in ENDS:
        for depth in (1, 2, 3):
            clean(get(api, who, f"/api/actors/{actor}/neighbourhood", depth=depth))
    alone = get(api, who, "/api/actors/shadow-fund/neighbourhood", depth=3).json()
    assert [n["id"] for n in alone["nodes"]] == ["shadow-fund"] and alone["edges"] == []
    seen = get(api, "analyst", "/api/actors/shadow-fund/neighbourhood").json()
    assert {n["id"] for n in seen["nodes"]} == {"shadow-fund", "leeds-roots"}


@pytest.mark.parametrize("who", HIDDEN)
def test_paths_avoid_confidential_links(api: Api, who: str) -> None:
    r = get(api, who, "/api/path", source="shadow-fund", target="leeds-roots")
    assert r.json()["found"] is False
    assert (
        get(api, "analyst", "/api/path", source="shadow-fund", target="leeds-roots").json()[
            "length"
        ]
        == 1
    )
    r = get(api, who, "/api/path", source="london", target="home-office")
    clean(r)
    assert r.json()["length"] > 1
    assert (
        get(api, "analyst", "/api/path", source="london", target="home-office").json()["length"]
        == 1
    )
    for a, b in (("paris", "berlin"), ("berlin", "leeds-roots"), ("london", "leeds")):
        clean(get(api, who, "/api/path", source=a, target=b))


@pytest.mark.parametrize("who", HIDDEN)
def test_gaps_and_explanations_are_computed_without_them(api: Api, who: str) -> None:
    hidden = get(api, who, "/api/gaps", limit=1000)
    clean(hidden)
    expected = [f.to_dict() for f in find_gaps(project(api.store, include_confidential=False))]
    assert hidden.json()["items"] == expected
    assert "Shadow Fund" not in hidden.text
    # positive control: with the confidential funding known, a suggestion names the funder
    seen = get(api, "analyst", "/api/gaps", limit=1000)
    assert "Shadow Fund" in seen.text
    analyst = project(api.store, include_confidential=True)
    assert seen.json()["items"] == [f.to_dict() for f in find_gaps(analyst)]
    assert hidden.json()["total"] != seen.json()["total"]
    summary = get(api, who, "/api/gaps/summary").json()
    assert summary["total"] == hidden.json()["total"]
    for actor in ENDS:
        detail = get(api, who, f"/api/actors/{actor}").json()
        assert "Shadow Fund" not in str(detail["gaps"])
        assert detail["gaps"] == [g for g in expected if actor in g["subjects"]]


@pytest.mark.parametrize("who", HIDDEN)
def test_recommendations_and_metrics_are_computed_without_them(api: Api, who: str) -> None:
    G = project(api.store, include_confidential=False)
    for actor in [a["id"] for a in DATA["actors"]]:
        r = get(api, who, f"/api/actors/{actor}/recommendations", limit=20)
        clean(r)
        assert r.json()["items"] == [x.to_dict() for x in recommend(G, actor, limit=20)]
    m = get(api, who, "/api/metrics", top=20)
    clean(m)
    assert m.json() == metrics(G, top=20)


@pytest.mark.parametrize("who", HIDDEN)
def test_exports_in_every_format(api: Api, who: str) -> None:
    for params in ({}, {"country": "GB"}, {"actor": "leeds-roots", "depth": 2}, {"type": "FUNDS"}):
        r = get(api, who, "/api/export", format="json", **params)
        clean(r)
        assert r.json()["export"]["include_confidential"] is False
        for fmt in ("graphml", "gexf"):
            r = get(api, who, "/api/export", format=fmt, **params)
            assert text_leaks(r.text) == []
            G = (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(io.BytesIO(r.content))
            for s, t, d in G.edges(data=True):
                typ = d.get("type") or d.get("relationship")
                assert (s, typ, t) not in CONFIDENTIAL_EDGES
                assert str(d.get("confidential")).lower() != "true"
        r = get(api, who, "/api/export", format="yaml", **params)
        assert r.status_code == 200 and text_leaks(r.text) == []
        r = get(api, who, "/api/export", format="xlsx", **params)
        with zipfile.ZipFile(io.BytesIO(r.content)) as book:  # the sheets' XML, as text
            assert text_leaks(" ".join(book.read(n).decode() for n in book.namelist())) == []
        r = get(api, who, "/api/export", format="csv", **params)
        with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
            edges = zf.read("relationships.csv").decode()
        assert text_leaks(edges) == []
        for line in edges.splitlines()[1:]:
            s, typ, t = line.split(",")[:3]
            assert (s, typ, t) not in CONFIDENTIAL_EDGES
    seen = get(api, "analyst", "/api/export", format="json").json()
    assert len(seen["relationships"]) == len(DATA["relationships"])
    assert seen["export"]["include_confidential"] is True


@pytest.mark.parametrize("fmt", ["json", "graphml", "gexf", "csv"])
def test_a_country_export_brings_in_no_node_reached_only_through_a_confidential_link(
    api: Api, fmt: str
) -> None:
    """Shadow Fund has no country and is linked to GB only by a confidential FUNDS link:
    a GB export that lists it tells a reader the hidden link exists."""
    kinds = {"kind": ["international_org", "evaluation"]}

    def ids(who: str) -> set[str]:
        r = get(api, who, "/api/export", format=fmt, country="GB", **kinds)
        if fmt == "json":
            body = r.json()
            return {n["id"] for n in body["actors"] + body["initiatives"]}
        if fmt == "csv":
            with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
                rows = [
                    line
                    for table in ("actors.csv", "initiatives.csv")
                    for line in zf.read(table).decode().splitlines()[1:]
                ]
            return {line.split(",")[0] for line in rows}
        read = nx.read_graphml if fmt == "graphml" else nx.read_gexf
        return set(read(io.BytesIO(r.content)).nodes)

    assert "shadow-fund" in ids("analyst")
    for who in HIDDEN:
        assert "shadow-fund" not in ids(who), who


PAGES = [
    "/viz",
    "/viz/cities",
    "/viz/countries/GB",
    "/viz/actors/leeds-roots",
    "/viz/actors/shadow-fund",
    "/report",
]


@pytest.mark.parametrize("who", HIDDEN)
def test_pages(api: Api, who: str) -> None:
    pytest.importorskip("viz.routes")
    with client(api, "analyst") as c:
        if c.get("/viz/actors/leeds-roots").status_code == 404:
            pytest.skip("the pages are not mounted")
    for path in PAGES:
        r = get(api, who, path)
        assert text_leaks(r.text) == [], path
    hidden = get(api, who, "/viz/actors/shadow-fund")
    seen = get(api, "analyst", "/viz/actors/shadow-fund")
    assert int(hidden.headers["x-edge-count"]) == 0
    assert int(seen.headers["x-edge-count"]) == 1
