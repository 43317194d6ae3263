"""Through the real embedded store: after writes over the loader and the editor, the
service's findings are computed from the previous generation's (the projection
patched, the findings updated) and equal a full analysis of a fresh projection."""

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


def test_incremental_findings_after_writes_equal_a_full_run(store: Store) -> None:
    data, problems = read_document(Path(WORKBOOK))
    assert not problems
    load_dataset(store, data)
    touched: dict[int, set[str]] = {}

    def touched_since(_: Store, generation: int) -> set[str] | None:
        now = int(store.generation)
        ids: set[str] = set()
        for g in range(generation + 1, now + 1):
            if g not in touched:
                return None
            ids |= touched[g]
        return ids

    service = AnalysisService(store, touched_since=touched_since)
    first = service.findings()
    assert first == find_gaps(project(store)) and service.incremental == 0

    edit = {
        "actors": [
            {
                "id": "manchester",
                "name": "Manchester City Council",
                "kind": "city",
                "country": "GB",
            },
            {"id": "uppsala", "name": "Uppsala", "kind": "city", "country": "SE"},
        ],
        "relationships": [{"source": "uppsala", "type": "TWINNED_WITH", "target": "manchester"}],
    }
    load_dataset(store, dataset_from_mapping(edit, source="edit"))
    touched[int(store.generation)] = {"manchester", "uppsala"}
    second = service.findings()
    assert service.incremental == 2  # the projection patched, the findings updated
    assert graph_content(service.graph()) == graph_content(project(store))
    assert second == find_gaps(project(store)) and second != first

    before = int(store.generation)
    neighbours = {s for s, _, t in _links(store, "london")} | {"london"}
    delete_actor(store, "london")
    for g in range(before + 1, int(store.generation) + 1):
        touched[g] = neighbours
    third = service.findings()
    assert service.incremental == 4
    assert third == find_gaps(project(store))
    assert not any("london" in f.subjects for f in third)


def _links(store: Store, node: str) -> set[tuple[str, str, str]]:
    G = project(store, include_confidential=True)
    return {(v if u == node else u, k, node) for u, v, k in G.edges(keys=True) if node in (u, v)}
