"""The real twin-cities network with one city removed: the diff is exactly that city and
its links, and the graph as of the load is the graph before the removal."""

from __future__ import annotations

import pytest

from graph.analysis.service import AnalysisService
from graph.edits import delete_actor
from graph.history.service import HistoryService
from graph.projection import project
from tests.support.history import as_seen


@pytest.mark.slow
def test_removing_one_city_is_a_diff_of_that_city_and_its_links(twin_cities_read, store) -> None:  # type: ignore[no-untyped-def]
    from ingest.load import load_dataset

    _, ds, _ = twin_cities_read
    load_dataset(store, ds, who="tester", source="twin-cities.csv")
    before = project(store, include_confidential=True)
    # a well-linked city, chosen from the data rather than named
    city = min(before, key=lambda n: (-before.degree(n), n))
    links = {(u, k, v) for u, v, k in before.in_edges(city, keys=True)}
    links |= {(u, k, v) for u, v, k in before.out_edges(city, keys=True)}
    assert len(links) >= 3
    delete_actor(store, city, who="tester", source="delete")

    hist = HistoryService(AnalysisService(store))
    assert hist.latest() == 2
    d = hist.diff(1, 2).to_dict()
    assert [n["id"] for n in d["removed"]["nodes"]] == [city]
    assert {(r["source"], r["type"], r["target"]) for r in d["removed"]["relationships"]} == links
    assert d["added"] == d["changed"] == {"nodes": [], "relationships": [], "countries": []}
    assert d["removed"]["nodes"][0]["properties"]["name"] == before.nodes[city]["name"]
    assert as_seen(hist.graph_at(1)) == as_seen(before)
