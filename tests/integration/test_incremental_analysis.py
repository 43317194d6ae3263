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
