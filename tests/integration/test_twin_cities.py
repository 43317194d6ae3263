"""The real twin-cities file loaded into the store: each pair once, in key order."""

from __future__ import annotations

import pytest


@pytest.mark.slow
def test_real_file_loads_into_the_store_once(twin_cities_read, store) -> None:  # type: ignore[no-untyped-def]
    from ingest.load import load_dataset

    _, ds, report = twin_cities_read
    first = load_dataset(store, ds)
    assert first.actors.created == report.cities
    assert first.relationships.created == report.links
    assert store.run("MATCH (c:City) RETURN count(c)").scalar() == report.cities
    assert store.run("MATCH ()-[e:TWINNED_WITH]->() RETURN count(e)").scalar() == report.links
    # each pair stored once: never A→B and B→A, always in key order
    both = store.run(
        "MATCH (a:City)-[:TWINNED_WITH]->(b:City)-[:TWINNED_WITH]->(a) RETURN count(*)"
    ).scalar()
    assert both == 0
    unsorted = store.run(
        "MATCH (a:City)-[:TWINNED_WITH]->(b:City) WHERE a.id > b.id RETURN count(*)"
    ).scalar()
    assert unsorted == 0
    nation = store.run(
        "MATCH (c:City {country: 'GB'}) WHERE c.nation IS NOT NULL RETURN count(c)"
    ).scalar()
    assert nation == sum(report.nations.values())

    again = load_dataset(store, ds)
    assert again.actors.to_dict() == {"created": 0, "updated": 0, "unchanged": report.cities}
    assert again.relationships.to_dict() == {
        "created": 0,
        "updated": 0,
        "unchanged": report.links,
    }
    assert store.run("MATCH ()-[e:TWINNED_WITH]->() RETURN count(e)").scalar() == report.links
