"""POST /api/query cannot take the database or the API down: a huge range() is refused
before it allocates, the engine stops at the row cap, answers are capped in bytes, at
most a configured number of queries run at once, a query past the per-query memory
limit is stopped, and a database that dies anyway is restarted by the app."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api.errors import RESTARTING_MESSAGE
from graph.store.embedded import ENV_QUERY_MEMORY_MB, EmbeddedServer
from tests.support.api import DATA, Api, running_api

#: Nine billion rows (each range within the bound): no machine counts them within the
#: 3 s limit, so the query is surely still running when the next one arrives.
SLOW = "UNWIND range(1, 9000000) AS x UNWIND range(1, 1000) AS y RETURN count(*)"


@pytest.fixture(scope="module")
def api(server_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    with running_api(
        server_dir,
        tmp_path_factory.mktemp("api-query-bounds"),
        data=DATA,
        query_row_cap=50,
        query_timeout_ms=4_000,
        query_concurrency=1,
        query_max_response_bytes=4_096,
    ) as a:
        # 150 more nodes: MATCH (a),(b),(c) makes 4.7 million rows.
        a.store.run("UNWIND range(1, 150) AS i CREATE (:Filler {i: i, text: 'filler node'})")
        yield a


def q(api: Api, cypher: str, **kw: object) -> httpx.Response:
    with api.client("analyst") as c:
        return c.post("/api/query", json={"cypher": cypher, **kw})


def alive(api: Api) -> None:
    with api.client() as c:
        r = c.get("/api/actors/leeds")
    assert r.status_code == 200, r.text
    assert q(api, "RETURN 1 AS one").json()["rows"] == [[1]]


def test_a_huge_range_is_refused_at_once_and_the_server_lives_on(api: Api) -> None:
    started = time.monotonic()
    r = q(api, "UNWIND range(1, 1000000000) AS x RETURN count(x)")
    took = time.monotonic() - started
    assert r.status_code == 422, r.text
    assert "range()" in r.json()["error"]["message"] and "memory" in r.json()["error"]["message"]
    assert took < 4 + 2
    alive(api)


def test_ranges_within_the_bound_still_work(api: Api) -> None:
    r = q(api, "UNWIND range(1, 1000) AS x RETURN count(x) AS n, size(range(0, 9, 3)) AS s")
    assert r.status_code == 200 and r.json()["rows"] == [[1000, 4]]


def test_a_cartesian_product_stops_at_the_row_cap_inside_the_engine(api: Api) -> None:
    started = time.monotonic()
    r = q(api, "MATCH (a),(b),(c) RETURN a.i, b.i, c.i")
    assert time.monotonic() - started < 4, "the engine did not stop at the row cap"
    body = r.json()
    assert r.status_code == 200, r.text
    assert body["row_count"] == 50 and body["truncated"] and body["truncated_by"] == "rows"
    assert body["columns"] == ["a.i", "b.i", "c.i"]


def test_an_answer_is_cut_at_the_largest_response_size(api: Api) -> None:
    r = q(api, "MATCH (a),(b),(c) RETURN a, b, c")
    body = r.json()
    assert r.status_code == 200, r.text
    assert 0 < body["row_count"] < 50 and body["truncated_by"] == "bytes"
    assert body["max_response_bytes"] == 4_096 and len(r.content) < 4_096 + 1_024


def test_the_query_s_own_limit_and_union_are_kept(api: Api) -> None:
    body = q(api, "MATCH (n:Filler) RETURN n.i AS i ORDER BY i LIMIT 3").json()
    assert body["rows"] == [[1], [2], [3]] and not body["truncated"]
    body = q(api, "MATCH (n:Filler) RETURN n.i AS i UNION MATCH (n:City) RETURN n.i AS i").json()
    assert body["row_count"] == 50 and body["truncated_by"] == "rows"


def test_more_queries_than_allowed_at_once_get_429(api: Api) -> None:
    first: list[httpx.Response] = []
    worker = threading.Thread(target=lambda: first.append(q(api, SLOW, timeout_ms=3_000)))
    worker.start()
    try:
        time.sleep(0.5)
        r = q(api, "RETURN 1")
        assert r.status_code == 429, r.text
        assert int(r.headers["Retry-After"]) > 0
        assert "at once" in r.json()["error"]["message"]
    finally:
        worker.join()
    assert first[0].status_code == 408, first[0].text
    alive(api)


@pytest.fixture(scope="module")
def small_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A server of its own whose per-query memory limit is 32 MiB (it is killed below)."""
    path = tmp_path_factory.mktemp("fk-small")
    os.environ[ENV_QUERY_MEMORY_MB] = "32"
    try:
        EmbeddedServer(path, idle_timeout=120).ensure_running()
    finally:
        del os.environ[ENV_QUERY_MEMORY_MB]
    yield path
    EmbeddedServer(path).stop()


@pytest.fixture(scope="module")
def small_api(small_server: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    with running_api(small_server, tmp_path_factory.mktemp("api-small"), data=DATA) as a:
        yield a


def test_a_query_past_the_memory_limit_is_stopped_with_a_message(small_api: Api) -> None:
    r = q(small_api, "WITH range(1, 5000000) AS l RETURN size(l)")
    assert r.status_code == 422, r.text
    assert "memory" in r.json()["error"]["message"]
    alive(small_api)


def test_the_app_restarts_a_killed_embedded_server(small_api: Api, small_server: Path) -> None:
    alive(small_api)
    pid = int((small_server / "falkordb.pid").read_text())
    os.kill(pid, signal.SIGKILL)
    seen: list[tuple[int, str]] = []
    deadline = time.monotonic() + 30
    with small_api.client() as c:
        while time.monotonic() < deadline:
            r = c.get("/api/actors/leeds")
            seen.append((r.status_code, r.text))
            if r.status_code == 200:
                break
            time.sleep(0.2)
    assert seen[-1][0] == 200, seen[-3:]
    unavailable = [text for status, text in seen if status == 503]
    assert unavailable and all(RESTARTING_MESSAGE in t for t in unavailable), seen[:3]
