"""The API never stalls after a write: reads are answered from the last complete analysis.

On the real twin-cities network (17k cities, an analysis of several seconds),
served over real HTTP from the real embedded FalkorDB: after an edit, an
actor's detail and the gap list answer while the background worker is still
computing the new generation — the worker's own state says so, not a clock —
marked stale with the previous generation; once the worker is done they come
from the new one, and so do the pages. Many readers start one computation.

An incremental update of twin-cities after a rename takes under 0.1 s, less than the
readers take to arrive, so the test holds the worker: a job of its own runs first and
waits on an event, and the new generation's analysis queues behind it until the test
releases it. What "while the worker computes" means is then the worker's state, not
the analysis's speed.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from graph.analysis.cache import GENERATION_HEADER, STALE_HEADER, ResultCache
from tests.support.api import Api, running_api

WAIT = 600  # seconds: only a bound for a broken server


def _cache(api: Api) -> ResultCache:
    return api.server.app.state.scn.cache  # type: ignore[no-any-return]


def _analysis_generation(response: Any) -> tuple[int, bool]:
    assert response.status_code == 200, response.text
    return int(response.headers[GENERATION_HEADER]), response.headers[STALE_HEADER] == "true"


@pytest.fixture
def twin_api(twin_cities_read, server_dir: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    from ingest.load import load_dataset

    _, ds, _ = twin_cities_read
    with running_api(server_dir, tmp_path) as api:
        load_dataset(api.store, ds)
        yield api, ds.actors[0].id


@pytest.mark.slow
def test_reads_after_an_edit_come_from_the_last_analysis_until_the_next_is_ready(
    twin_api,  # type: ignore[no-untyped-def]
) -> None:
    api, actor = twin_api
    cache = _cache(api)
    # a fresh connection per request: an edit can outlast the server's keep-alive
    close = {"headers": {"Connection": "close"}}
    with api.client("reader", **close) as reader, api.client("editor", **close) as editor:
        # first start: 8 readers at once, nothing computed yet -> one computation
        with ThreadPoolExecutor(8) as pool:
            first = list(pool.map(lambda _: reader.get("/api/gaps/summary"), range(8)))
        gens = {_analysis_generation(r) for r in first}
        assert len(gens) == 1
        (before, stale) = gens.pop()
        assert not stale
        # the projection, the findings and each view of them once: nothing computed twice
        assert cache.misses == len(cache) >= 3
        counts = first[0].json()

        # hold the worker: the analysis the edit starts waits behind this job
        gate = threading.Event()
        cache.refresher.submit(("test", "gate"), before, lambda: gate.wait(WAIT))
        while cache.refresher.pending() != [(("test", "gate"), before)]:
            threading.Event().wait(0.01)

        r = editor.patch(f"/api/actors/{actor}", json={"name": "Renamed During The Test"})
        assert r.status_code == 200, r.text
        # the write started the new generation's analysis in the background ...
        assert cache.refresher.pending()

        detail = reader.get(f"/api/actors/{actor}")
        # ... and the actor answered before it finished (the worker still has it)
        assert cache.refresher.pending()
        assert detail.json()["name"] == "Renamed During The Test"  # the data is current
        assert _analysis_generation(detail) == (before, True)
        assert (detail.json()["gaps_generation"], detail.json()["gaps_stale"]) == (before, True)

        with ThreadPoolExecutor(8) as pool:
            during = list(pool.map(lambda _: reader.get("/api/gaps/summary"), range(8)))
        assert cache.refresher.pending()
        for resp in during:
            assert _analysis_generation(resp) == (before, True)
            assert resp.json() == counts  # the findings of before the edit
        plain = reader.get(f"/api/actors/{actor}", params={"gaps": "false"})
        assert plain.status_code == 200 and GENERATION_HEADER not in plain.headers
        # a page built meanwhile is all of the generation it names, before the edit
        page = reader.get(f"/viz/actors/{actor}")
        assert _analysis_generation(page) == (before, True)
        assert "Renamed During The Test" not in page.text

        gate.set()
        assert cache.refresher.idle.wait(WAIT)
        # the gate and, for 1 + 8 + 1 readers, one computation
        assert cache.refresher.computed == 2
        after = reader.get("/api/gaps", params={"limit": 1})
        now, stale = _analysis_generation(after)
        assert now > before and not stale and after.json()["generation"] == now
        assert _analysis_generation(reader.get(f"/api/actors/{actor}")) == (now, False)
        page = reader.get(f"/viz/actors/{actor}")
        assert _analysis_generation(page) == (now, False)
        assert "Renamed During The Test" in page.text
        # the old generation was released as soon as the new one was complete
        assert cache.generations() == [now]

        # an analyst's view was never computed: it is not answered from the readers' one
        computed = cache.misses
        with api.client("analyst", **close) as analyst:
            assert _analysis_generation(analyst.get("/api/gaps/summary")) == (now, False)
        assert cache.misses > computed
