"""Through the real embedded store: after writes over the loader and the editor, the
service's findings are computed from the previous generation's (the projection
patched from the ids the revisions say were touched, the findings updated) and equal
a full analysis of a fresh projection."""

from __future__ import annotations

from pathlib import Path

from graph.analysis.gaps import find_gaps
from graph.analysis.service import AnalysisService
from graph.edits import delete_actor
from graph.projection import project
from graph.store import Store
from ingest.load import load_dataset
from ingest.readers.document import dataset_from_mapping, read_document
from tests.support.random_edits import WORKBOOK, graph_content

EDIT = {
    "actors": [
        {"id": "manchester", "name": "Manchester City Council", "kind": "city", "country": "GB"},
        {"id": "uppsala", "name": "Uppsala", "kind": "city", "country": "SE"},
    ],
    "relationships": [{"source": "uppsala", "type": "TWINNED_WITH", "target": "manchester"}],
}


def _load_workbook(store: Store) -> None:
    data, problems = read_document(Path(WORKBOOK))
    assert not problems
    load_dataset(store, data)


def _fresh(store: Store, service: AnalysisService) -> list:  # type: ignore[type-arg]
    """The service's findings, checked against a full run on a fresh projection."""
    got = service.findings()
    assert graph_content(service.graph()) == graph_content(project(store))
    assert got == find_gaps(project(store))
    return got


def test_incremental_findings_after_writes_equal_a_full_run(store: Store) -> None:
    _load_workbook(store)
    service = AnalysisService(store)
    first = _fresh(store, service)
    assert service.incremental == 0  # nothing to start from

    load_dataset(store, dataset_from_mapping(EDIT, source="edit"))
    second = _fresh(store, service)
    assert service.incremental == 2  # the projection patched, the findings updated
    assert second != first

    delete_actor(store, "london", who="test", source="delete")
    third = _fresh(store, service)
    assert service.incremental == 4
    assert not any("london" in f.subjects for f in third)


def test_unknown_touched_ids_mean_a_full_computation(store: Store) -> None:
    _load_workbook(store)
    service = AnalysisService(store, touched_since=lambda _store, _gen: None)
    service.findings()
    load_dataset(store, dataset_from_mapping(EDIT, source="edit"))
    _fresh(store, service)
    assert service.incremental == 0


def test_the_api_worker_answers_an_edit_incrementally(server_dir: Path, tmp_path: Path) -> None:
    """Over real HTTP: after a PATCH the background worker computes the new generation
    from the last one, and the fresh findings are a full run's."""
    from tests.support.api import running_api

    with running_api(server_dir, tmp_path) as api:
        _load_workbook(api.store)
        service = api.server.app.state.scn.analysis
        with api.client("reader") as reader, api.client("editor") as editor:
            assert reader.get("/api/gaps", params={"limit": 1}).status_code == 200
            assert service.incremental == 0
            r = editor.patch("/api/actors/manchester", json={"name": "Manchester CC"})
            assert r.status_code == 200, r.text
            reader.get("/api/gaps/summary")  # starts the worker if the edit did not
            assert service.cache.refresher.idle.wait(600)
            fresh = reader.get("/api/gaps/summary")
            assert fresh.headers["X-Analysis-Stale"] == "false"
        assert service.incremental >= 2
        assert service.findings() == find_gaps(project(api.store))
