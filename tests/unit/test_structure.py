"""Structure metrics: known answers on known graphs, both engines, thresholds."""

from __future__ import annotations

import csv
import json
import random
import re

import networkx as nx
import pytest

from graph.analysis import brokers, engine, structure
from graph.analysis.structure import actor_graph, coverage, metrics
from graph.projection import build_graph
from tests.support.paths import TWIN_CITIES


def city(i: str, country: str = "DE", **kw) -> dict:
    return {"id": i, "kind": "city", "name": i.title(), "country": country, **kw}


def actor(i: str, kind: str, country: str | None = "DE", **kw) -> dict:
    return {"id": i, "kind": kind, "name": i.title(), "country": country, **kw}


def rel(s: str, t: str, typ: str = "PARTNERS_WITH", status: str = "active") -> dict:
    return {"source": s, "target": t, "type": typ, "status": status}


def city_graph(edges: list[tuple], country: str = "DE") -> nx.MultiDiGraph:
    ids = sorted({str(x) for e in edges for x in e})
    return build_graph([city(i, country) for i in ids], [rel(str(u), str(v)) for u, v in edges])


@pytest.fixture
def path5():
    return city_graph([("a", "b"), ("b", "c"), ("c", "d"), ("d", "e")])


# --------------------------------------------------------------------------- actor graph


def test_actor_graph_links_and_weights():
    nodes = [
        city("a"),
        city("b"),
        city("c"),
        actor("net", "international_org", None),
        {"id": "prog", "kind": "program", "name": "Prog", "status": "active"},
        {"id": "old", "kind": "program", "name": "Old", "status": "ended"},
    ]
    edges = [
        rel("a", "b", "PARTNERS_WITH"),
        rel("b", "a", "COORDINATES_WITH"),  # same pair, other direction: weight 2
        rel("a", "c", "PARTNERS_WITH", status="ended"),
        rel("a", "net", "MEMBER_OF"),
        rel("b", "net", "MEMBER_OF"),
        rel("c", "prog", "RUNS"),
        rel("b", "prog", "PARTICIPATES_IN"),
        rel("a", "old", "RUNS"),
        rel("c", "old", "RUNS"),
    ]
    H = actor_graph(build_graph(nodes, edges))
    assert set(H.nodes) == {"a", "b", "c", "net"}
    assert H.nodes["a"]["name"] == "A" and H.nodes["net"]["kind"] == "international_org"
    assert H["a"]["b"]["weight"] == 2
    assert H["a"]["b"]["types"] == ("COORDINATES_WITH", "PARTNERS_WITH")
    assert H["b"]["c"]["types"] == ("SHARED_INITIATIVE",)  # active shared program
    assert not H.has_edge("a", "c")  # ended link, ended initiative
    assert H.degree("net") == 0  # MEMBER_OF is not a partnership
    assert not actor_graph(build_graph(nodes, edges), shared_initiatives=False).has_edge("b", "c")


def test_large_initiative_makes_no_clique(monkeypatch):
    cap = structure.MAX_SHARED_INITIATIVE_ACTORS
    nodes = [city(f"c{i}") for i in range(cap + 1)]
    nodes.append({"id": "conf", "kind": "event", "name": "Conference", "status": "active"})
    edges = [rel(f"c{i}", "conf", "PARTICIPATES_IN") for i in range(cap + 1)]
    assert actor_graph(build_graph(nodes, edges)).number_of_edges() == 0
    assert actor_graph(build_graph(nodes[:3] + nodes[-1:], edges[:3])).number_of_edges() == 3


# --------------------------------------------------------------------------- brokers


def test_path_exact_betweenness(path5):
    m = metrics(path5)
    assert m["graph"] == {
        "nodes": 5,
        "edges": 4,
        "components": 1,
        "largest_component": 5,
        "isolated": 0,
        "density": 0.4,
        "cities": 5,
        "engine": "networkx",
    }
    got = {b["id"]: b["betweenness"] for b in m["brokers"]}
    # normalised by (n-1)(n-2)/2 = 6 pairs: c lies on 4, b and d on 3 each
    assert got == {"c": pytest.approx(4 / 6, abs=1e-6), "b": 0.5, "d": 0.5}
    assert [b["id"] for b in m["brokers"]] == ["c", "b", "d"]  # ties by id
    assert m["betweenness_method"] == {
        "exact": True,
        "sample_size": None,
        "engine": "networkx",
        "seed": None,
    }
    assert m["brokers"][0] == {
        "id": "c",
        "name": "C",
        "kind": "city",
        "country": "DE",
        "betweenness": pytest.approx(0.666667),
    }


def test_star_centre_is_the_broker_and_articulation_point():
    nodes = [actor("hub", "national_body")] + [city(f"c{i}") for i in range(4)]
    edges = [rel("hub", f"c{i}") for i in range(4)]
    m = metrics(build_graph(nodes, edges), top=3)
    assert m["brokers"] == [
        {"id": "hub", "name": "Hub", "kind": "national_body", "country": "DE", "betweenness": 1.0}
    ]
    spof = m["single_points_of_failure"]
    [ap] = spof["articulation_points"]
    assert ap["id"] == "hub"
    assert ap["cities_cut_off"] == 3  # four single cities: one is "the rest"
    assert len(ap["example_cities"]) == 3
    assert {c["id"] for c in ap["example_cities"]} < {"c0", "c1", "c2", "c3"}
    assert spof["bridges_total"] == 4 and len(spof["bridges"]) == 3  # capped by top
    assert all(b["cities_cut_off"] == 1 for b in spof["bridges"])


# ------------------------------------------------------------------ single points of failure


def test_path_articulation_points_and_bridges(path5):
    spof = metrics(path5)["single_points_of_failure"]
    aps = {a["id"]: a["cities_cut_off"] for a in spof["articulation_points"]}
    assert aps == {"b": 1, "c": 2, "d": 1}
    assert spof["articulation_points"][0]["id"] == "c"
    bridges = {(b["source"], b["target"]): b["cities_cut_off"] for b in spof["bridges"]}
    assert bridges == {("a", "b"): 1, ("b", "c"): 2, ("c", "d"): 2, ("d", "e"): 1}
    b_ap = next(a for a in spof["articulation_points"] if a["id"] == "b")
    assert b_ap["example_cities"] == [{"id": "a", "name": "A"}]
    ab = next(b for b in spof["bridges"] if b["source"] == "a")
    assert ab["example_cities"] == [{"id": "a", "name": "A"}]
    assert ab["types"] == ["PARTNERS_WITH"]


def test_barbell_bridge_and_communities():
    G = city_graph(list(nx.barbell_graph(4, 0).edges()))  # K4 0-3, K4 4-7, bridge 3-4
    m = metrics(G)
    spof = m["single_points_of_failure"]
    assert [(b["source"], b["target"], b["cities_cut_off"]) for b in spof["bridges"]] == [
        ("3", "4", 4)
    ]
    assert {a["id"] for a in spof["articulation_points"]} == {"3", "4"}
    assert all(a["cities_cut_off"] == 3 for a in spof["articulation_points"])
    com = m["communities"]
    assert com["algorithm"] == "louvain" and com["engine"] == "networkx"
    assert com["count"] == 2
    assert sorted(sorted(c["members"]) for c in com["largest"]) == [
        ["0", "1", "2", "3"],
        ["4", "5", "6", "7"],
    ]
    assert com["modularity"] == pytest.approx(
        nx.community.modularity(nx.barbell_graph(4, 0), [set(range(4)), set(range(4, 8))]), abs=1e-6
    )
    assert com["crossing_links"] == 1
    assert com["crossing_pairs"] == [{"communities": [0, 1], "sizes": [4, 4], "links": 1}]


def test_cut_that_loses_no_city_is_not_reported():
    nodes = [city("a"), city("b"), actor("x", "cso"), actor("y", "cso")]
    edges = [rel("a", "b"), rel("b", "x"), rel("x", "y")]
    spof = metrics(build_graph(nodes, edges))["single_points_of_failure"]
    # x cuts off only the CSO y; b cuts off city a
    assert [a["id"] for a in spof["articulation_points"]] == ["b"]
    assert {(b["source"], b["target"]) for b in spof["bridges"]} == {("a", "b")}


def test_cut_off_measured_against_the_side_with_most_cities():
    # a chain of 3 cities hangs off hub h, which sits in a 5-city cycle
    cycle = [("h", "r1"), ("r1", "r2"), ("r2", "r3"), ("r3", "r4"), ("r4", "h")]
    chain = [("h", "x1"), ("x1", "x2"), ("x2", "x3")]
    spof = metrics(city_graph(cycle + chain))["single_points_of_failure"]
    aps = {a["id"]: a for a in spof["articulation_points"]}
    assert aps["h"]["cities_cut_off"] == 3
    assert [c["id"] for c in aps["h"]["example_cities"]] == ["x1", "x2", "x3"]
    assert aps["x1"]["cities_cut_off"] == 2
    bridges = {(b["source"], b["target"]): b["cities_cut_off"] for b in spof["bridges"]}
    assert bridges == {("h", "x1"): 3, ("x1", "x2"): 2, ("x2", "x3"): 1}


# --------------------------------------------------------------------------- thresholds and engines


def random_city_graph(n: int, m: int, seed: int = 7) -> nx.MultiDiGraph:
    R = nx.gnm_random_graph(n, m, seed=seed)
    nodes = [city(f"c{i:04d}", "DE" if i % 2 else "FR") for i in R]
    return build_graph(nodes, [rel(f"c{u:04d}", f"c{v:04d}") for u, v in R.edges()])


def test_sampled_betweenness_above_threshold(monkeypatch):
    G = random_city_graph(60, 150)
    monkeypatch.setattr(brokers, "EXACT_BETWEENNESS_MAX_NODES", 10)
    monkeypatch.setattr(brokers, "BETWEENNESS_MIN_SAMPLE", 20)
    monkeypatch.setattr(brokers, "BETWEENNESS_MAX_SAMPLE", 20)
    m = metrics(G)
    assert m["betweenness_method"] == {
        "exact": False,
        "sample_size": 20,
        "engine": "networkx",
        "seed": engine.SEED,
    }
    assert metrics(G)["brokers"] == m["brokers"]  # seeded: same answer twice
    monkeypatch.setattr(engine, "IGRAPH_MIN_NODES", 0)
    mi = metrics(G)
    assert mi["betweenness_method"]["engine"] == "igraph"
    assert mi["betweenness_method"]["exact"] is False


def test_sample_size_formula():
    f = brokers.betweenness_sample_size
    assert f(100_000, 1_000_000) == brokers.BETWEENNESS_MIN_SAMPLE
    assert f(17_000, 26_000) == brokers.BETWEENNESS_EDGE_BUDGET // 26_000
    assert f(50_000, 1_000) == brokers.BETWEENNESS_MAX_SAMPLE
    assert f(30, 10) == 30


def test_igraph_agrees_with_networkx(monkeypatch):
    G = random_city_graph(300, 700)
    nx_m = metrics(G)
    monkeypatch.setattr(engine, "IGRAPH_MIN_NODES", 0)
    ig_m = metrics(G)
    assert nx_m["graph"]["engine"] == "networkx" and ig_m["graph"]["engine"] == "igraph"
    assert ig_m["betweenness_method"]["engine"] == "igraph"
    assert ig_m["brokers"][0]["id"] == nx_m["brokers"][0]["id"]
    for a, b in zip(nx_m["brokers"], ig_m["brokers"], strict=True):
        assert a["betweenness"] == pytest.approx(b["betweenness"], abs=1e-6)
    assert ig_m["single_points_of_failure"] == {
        **nx_m["single_points_of_failure"],
        "engine": "igraph",
    }
    assert {k: v for k, v in ig_m["graph"].items() if k != "engine"} == {
        k: v for k, v in nx_m["graph"].items() if k != "engine"
    }
    assert ig_m["communities"]["algorithm"] == "leiden"
    assert ig_m["communities"]["modularity"] > 0.3


def test_igraph_sampled_estimate_is_close(monkeypatch):
    G = random_city_graph(400, 1200, seed=3)
    exact = {b["id"]: b["betweenness"] for b in metrics(G, top=400)["brokers"]}
    monkeypatch.setattr(engine, "IGRAPH_MIN_NODES", 0)
    monkeypatch.setattr(brokers, "EXACT_BETWEENNESS_MAX_NODES", 100)
    monkeypatch.setattr(brokers, "BETWEENNESS_MAX_SAMPLE", 200)
    m = metrics(G, top=5)
    assert m["betweenness_method"]["sample_size"] == 200
    top_exact = sorted(exact, key=lambda k: -exact[k])[:20]
    assert all(b["id"] in top_exact for b in m["brokers"])
    for b in m["brokers"]:
        assert b["betweenness"] == pytest.approx(exact[b["id"]], rel=0.35)


def test_igraph_barbell_communities(monkeypatch):
    monkeypatch.setattr(engine, "IGRAPH_MIN_NODES", 0)
    com = metrics(city_graph(list(nx.barbell_graph(5, 0).edges())))["communities"]
    assert com["engine"] == "igraph" and com["count"] == 2 and com["crossing_links"] == 1


def test_empty_and_edgeless_graphs():
    assert json.dumps(metrics(build_graph([], [])))
    m = metrics(build_graph([city("a"), city("b")], []))
    assert m["graph"]["components"] == 2 and m["graph"]["isolated"] == 2
    assert m["brokers"] == [] and m["communities"]["modularity"] is None
    assert m["single_points_of_failure"]["articulation_points"] == []


# --------------------------------------------------------------------------- coverage


@pytest.fixture
def two_countries():
    nodes = [
        city("berlin"),
        city("hamburg"),
        city("munich"),
        city("cologne"),
        city("paris", "FR"),
        city("lyon", "FR"),
        actor("bmi", "national_body"),
        actor("fr-min", "national_body", "FR"),
        actor("de-cso", "cso", grassroots=True),
        actor("fr-cso", "cso", "FR"),
        actor("techco", "private_sector", "FR"),
        {
            "id": "de-strategy",
            "kind": "framework",
            "name": "DE Strategy",
            "country": "DE",
            "level": "national",
        },
        {
            "id": "fr-plan",
            "kind": "framework",
            "name": "FR Plan",
            "country": "FR",
            "level": "national",
        },
        {"id": "p1", "kind": "program", "name": "P1", "status": "active"},
    ]
    edges = [
        rel("bmi", "berlin"),  # national link (direction does not matter)
        rel("hamburg", "de-strategy", "IMPLEMENTS"),
        rel("munich", "fr-plan", "CONTRIBUTES_TO"),  # another country's framework
        rel("cologne", "bmi", status="ended"),
        rel("paris", "fr-min", "MEMBER_OF"),  # not a partnership
        rel("lyon", "bmi"),  # a national body, but of DE
        rel("berlin", "hamburg", "TWINNED_WITH"),
        rel("munich", "p1", "PARTICIPATES_IN"),
        rel("cologne", "p1", "RUNS"),
        rel("paris", "berlin", "TWINNED_WITH"),  # cross-border
        rel("lyon", "paris", status="planned"),
        rel("berlin", "de-cso"),
        rel("de-cso", "hamburg", "LOCATED_IN"),
        rel("lyon", "fr-cso", "FUNDS"),
        rel("techco", "paris", "SHARES_INFORMATION_WITH"),
    ]
    return build_graph(nodes, edges)


def test_coverage_two_countries(two_countries):
    cov = metrics(two_countries)["coverage"]
    assert cov == {
        "DE": {
            "cities": 4,
            "share_with_national_link": 0.5,
            "share_with_domestic_city_link": 1.0,
            "city_density": pytest.approx(1 / 6, abs=1e-6),
            "cso_engagement": 0.25,
            "private_engagement": 0.0,
        },
        "FR": {
            "cities": 2,
            "share_with_national_link": 0.0,
            "share_with_domestic_city_link": 0.0,
            "city_density": 0.0,
            "cso_engagement": 0.5,
            "private_engagement": 0.5,
        },
    }


def test_country_filter(two_countries):
    m = metrics(two_countries, country="fr")
    assert m["country"] == "FR"
    assert list(m["coverage"]) == ["FR"]
    assert m["graph"]["nodes"] == 5  # paris, lyon, fr-min, fr-cso, techco
    assert m["graph"]["edges"] == 2  # lyon-fr-cso, techco-paris (lyon-paris is planned)
    assert coverage(two_countries, "DE")["DE"]["cities"] == 4


def test_country_subgraph_keeps_countryless_neighbours(two_countries):
    G = two_countries.copy()
    G.add_node(
        "scn",
        id="scn",
        kind="international_org",
        name="SCN",
        family="actor",
        level="international",
        themes=[],
        threats=[],
        sources=[],
    )
    G.add_edge("scn", "paris", key="SUPPORTS_CAPACITY", type="SUPPORTS_CAPACITY", status="active")
    H = structure.country_subgraph(G, "FR")
    assert {"paris", "lyon", "scn", "fr-plan"} <= set(H) and "berlin" not in H


def test_output_is_json(two_countries):
    json.dumps(metrics(two_countries))


# --------------------------------------------------------------------------- scale


TWIN = TWIN_CITIES


@pytest.mark.slow
@pytest.mark.skipif(not TWIN.exists(), reason="twin_cities.csv not available")
def test_twin_cities_in_a_few_seconds():
    def slug(s: str) -> str:
        return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")

    nodes: dict[str, dict] = {}
    edges = []
    with TWIN.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            ids = []
            for k in "12":
                i = slug(f"{r['city' + k]}-{r['country' + k]}")
                nodes.setdefault(
                    i,
                    {
                        "id": i,
                        "kind": "city",
                        "name": r["city" + k],
                        "country": r["country" + k] or None,
                    },
                )
                ids.append(i)
            edges.append(rel(ids[0], ids[1], "TWINNED_WITH"))
    G = build_graph(list(nodes.values()), edges)
    m = metrics(G)
    assert m["graph"]["engine"] == "igraph" and not m["betweenness_method"]["exact"]
    assert m["brokers"] and m["single_points_of_failure"]["articulation_points"]
    json.dumps(m)


def test_mid_size_graph_uses_sampled_igraph():
    rng = random.Random(1)
    n = 5000
    nodes = [city(f"c{i}", rng.choice(["DE", "FR", "IT"])) for i in range(n)]
    edges = [rel(f"c{rng.randrange(n)}", f"c{rng.randrange(n)}") for _ in range(8000)]
    m = metrics(build_graph(nodes, edges))
    assert m["graph"]["engine"] == "igraph"
    assert m["betweenness_method"]["exact"] is False
