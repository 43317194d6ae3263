"""POST /api/query: read-only Cypher, enforced by the engine; a row cap; a time limit.

Every write clause is refused with a clear message and changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.api import DATA, Api, running_api

WRITES = {
    "CREATE node": "CREATE (n:Actor {id: 'x', name: 'X'})",
    "CREATE relationship": "MATCH (a:Actor {id: 'leeds'}), (b:Actor {id: 'paris'}) "
    "CREATE (a)-[:PARTNERS_WITH]->(b)",
    "UNWIND CREATE": "UNWIND range(1, 3) AS i CREATE (:Junk {i: i})",
    "MERGE": "MERGE (n:Actor {id: 'leeds'}) ON MATCH SET n.name = 'changed'",
    "MERGE new": "MERGE (n:Thing {id: 'new'})",
    "SET property": "MATCH (n:Actor {id: 'leeds'}) SET n.name = 'Hacked'",
    "SET label": "MATCH (n:Actor {id: 'leeds'}) SET n:Hacked",
    "SET map": "MATCH (n:Actor {id: 'leeds'}) SET n += {name: 'Hacked'}",
    "DELETE relationship": "MATCH (:Actor {id: 'leeds'})-[r]->() DELETE r",
    "DELETE node": "MATCH (n:Actor {id: 'bradford'}) DELETE n",
    "DETACH DELETE": "MATCH (n) DETACH DELETE n",
    "REMOVE property": "MATCH (n:Actor {id: 'leeds'}) REMOVE n.name",
    "REMOVE label": "MATCH (n:Actor {id: 'leeds'}) REMOVE n:City",
    "CREATE INDEX": "CREATE INDEX FOR (n:Actor) ON (n.name)",
    "DROP INDEX": "DROP INDEX ON :Actor(id)",
    "DROP INDEX FOR": "DROP INDEX FOR (n:Entity) ON (n.id)",
    "CREATE fulltext index (procedure)": "CALL db.idx.fulltext.createNodeIndex('Actor', 'note')",
    "DROP fulltext index (procedure)": "CALL db.idx.fulltext.drop('Entity')",
    "write in a later clause": "MATCH (n:Actor) WITH n LIMIT 1 SET n.touched = true RETURN n",
    "FOREACH": "MATCH (n:Actor) WITH collect(n) AS ns FOREACH (x IN ns | SET x.name = 'z')",
}


@pytest.fixture(scope="module")
def api(server_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    with running_api(
        server_dir,
        tmp_path_factory.mktemp("api-query"),
        data=DATA,
        query_row_cap=5,
        query_timeout_ms=5_000,
        query_max_timeout_ms=20_000,
    ) as a:
        yield a


@pytest.fixture(scope="module")
def http(api: Api) -> Iterator[httpx.Client]:
    with api.client("analyst") as c:
        yield c


def q(http: httpx.Client, cypher: str, **kw: object) -> httpx.Response:
    return http.post("/api/query", json={"cypher": cypher, **kw})


def test_rows_columns_and_parameters(http: httpx.Client) -> None:
    r = q(
        http,
        "MATCH (c:City {country: $cc}) RETURN c.id AS id, c.themes AS themes ORDER BY id",
        params={"cc": "GB"},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["columns"] == ["id", "themes"]
    assert body["rows"] == [
        ["bradford", ["polarisation"]],
        ["leeds", ["hate"]],
        ["london", ["hate", "polarisation"]],
    ]
    assert body["truncated"] is False and body["row_count"] == 3 and body["elapsed_ms"] >= 0
    r = q(
        http, "MATCH (c:City {id: 'leeds'})-[r:PARTNERS_WITH]-(x) RETURN c, r ORDER BY x.id LIMIT 1"
    )
    node, rel = r.json()["rows"][0]
    assert node["name"] == "Leeds" and "City" in node["_labels"]
    assert rel["_type"] == "PARTNERS_WITH"


def test_analysts_see_confidential_relationships(http: httpx.Client) -> None:
    r = q(http, "MATCH ()-[r {confidential: true}]->() RETURN count(r)")
    assert r.json()["rows"] == [[3]]


def test_row_cap_and_limit(http: httpx.Client) -> None:
    r = q(http, "MATCH (n:Actor) RETURN n.id")
    body = r.json()
    assert body["row_count"] == 5 and body["truncated"] is True and body["row_cap"] == 5
    body = q(http, "MATCH (n:Actor) RETURN n.id", limit=2).json()
    assert body["row_count"] == 2 and body["truncated"] is True and body["row_cap"] == 2
    body = q(http, "MATCH (n:Actor) RETURN n.id", limit=500).json()
    assert body["row_cap"] == 5  # the server's cap wins
    body = q(http, "MATCH (n:City) RETURN n.id").json()
    assert body["truncated"] is False and body["row_count"] == 5


def test_time_limit(http: httpx.Client) -> None:
    slow = "UNWIND range(1, 9000000) AS x WITH x WHERE x % 7 = 3 RETURN count(x)"
    r = q(http, slow, timeout_ms=20)
    assert r.status_code == 408, r.text
    msg = r.json()["error"]["message"]
    assert "time limit of 20 ms" in msg and "LIMIT" in msg
    body = q(http, "RETURN 1", timeout_ms=10_000_000).json()
    assert body["timeout_ms"] == 20_000  # capped by the server's maximum


@pytest.mark.parametrize("name", list(WRITES))
def test_every_write_is_refused_and_changes_nothing(
    api: Api, http: httpx.Client, name: str
) -> None:
    before_gen = api.store.generation
    before = q(
        http,
        "MATCH (n) OPTIONAL MATCH (n)-[r]->() "
        "RETURN count(DISTINCT n), count(r), collect(DISTINCT n.name)",
    ).json()["rows"]
    indexes = api.store.run(
        "CALL db.indexes() YIELD label, properties RETURN label, properties ORDER BY label",
        read_only=True,
    ).rows
    r = q(http, WRITES[name])
    assert r.status_code == 403, r.text
    msg = r.json()["error"]["message"]
    assert "only read queries" in msg and "nothing was changed" in msg
    after = q(
        http,
        "MATCH (n) OPTIONAL MATCH (n)-[r]->() "
        "RETURN count(DISTINCT n), count(r), collect(DISTINCT n.name)",
    ).json()["rows"]
    assert after == before
    assert api.store.generation == before_gen
    assert (
        api.store.run(
            "CALL db.indexes() YIELD label, properties RETURN label, properties ORDER BY label",
            read_only=True,
        ).rows
        == indexes
    )
    assert "Hacked" not in str(after)


def test_editors_cannot_write_through_cypher_either(api: Api) -> None:
    with api.client("editor") as c:
        r = c.post("/api/query", json={"cypher": WRITES["SET property"]})
    assert r.status_code == 403


@pytest.mark.parametrize(
    "cypher",
    [
        "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
        "LOAD /* hidden */ CSV FROM 'https://example.org/x.csv' AS row RETURN row",
        "load csv from 'file:///x' as row return row",
        "CALL { LOAD CSV FROM 'file:///x' AS r RETURN r } RETURN 1",
    ],
)
def test_load_csv_is_refused_wherever_it_hides(http: httpx.Client, cypher: str) -> None:
    r = q(http, cypher)
    assert r.status_code == 403 and "LOAD CSV" in r.json()["error"]["message"]


def test_the_words_load_csv_in_a_string_are_fine(http: httpx.Client) -> None:
    r = q(http, "RETURN 'LOAD CSV' AS words")
    assert r.status_code == 200 and r.json()["rows"] == [["LOAD CSV"]]


def test_bad_queries_say_why(http: httpx.Client) -> None:
    r = q(http, "MATCH (n RETURN n")
    assert r.status_code == 400
    assert r.json()["error"]["message"].startswith("the query could not run:")
    r = q(http, "RETURN $x", params={"not valid": 1})
    assert r.status_code == 400 and "not valid" in r.json()["error"]["message"]
    assert http.post("/api/query", json={"cypher": ""}).status_code == 422
    assert http.post("/api/query", json={"query": "RETURN 1"}).status_code == 422


def test_results_are_json_safe(http: httpx.Client) -> None:
    body = q(http, "RETURN 0.0/0.0 AS nan, 1.5 AS x, [1, 'a', null] AS l, {k: 1} AS m").json()
    assert body["rows"] == [[None, 1.5, [1, "a", None], {"k": 1}]]
