"""Problems only the store can show (dangling ids, kinds of stored endpoints), and
nothing is written when the input has a problem.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.store import Store
from ingest.load import load_dataset
from ingest.problems import ValidationFailed
from ingest.readers import read_input
from tests.support.ingest import YAML, snapshot, write_yaml


def test_dangling_ids_are_checked_against_the_store(store: Store, tmp_path: Path) -> None:
    load_dataset(store, read_input(YAML))
    path = write_yaml(
        tmp_path,
        "relationships:\n"
        "  - {source: exampleton, type: PARTNERS_WITH, target: examplecorp}\n"  # both stored
        "  - {source: exampleton, type: PARTNERS_WITH, target: nowhere}\n",
    )
    dataset = read_input(path)  # no store: unknown ids may be in it, so no error yet
    with pytest.raises(ValidationFailed) as err:
        load_dataset(store, dataset)
    (p,) = err.value.problems
    assert (p.origin.line, p.field, p.value) == (3, "target", "nowhere")  # type: ignore[union-attr]
    assert "no actor or initiative with this id" in p.reason


def test_endpoint_kinds_are_checked_against_stored_nodes(store: Store, tmp_path: Path) -> None:
    load_dataset(store, read_input(YAML))
    path = write_yaml(
        tmp_path,
        "relationships:\n"
        "  - {source: examplecorp, type: LOCATED_IN, target: exampleton-youth-voices}\n",
    )
    dataset = read_input(path)  # both ends are only in the store
    with pytest.raises(ValidationFailed) as err:
        load_dataset(store, dataset)
    (p,) = err.value.problems
    assert (p.origin.line, p.field, p.value) == (2, "type", "LOCATED_IN")  # type: ignore[union-attr]
    assert "cannot go from a private_sector (examplecorp) to a cso" in p.reason


# -- nothing is written ------------------------------------------------------------


def test_a_failed_load_writes_nothing(store: Store, tmp_path: Path) -> None:
    load_dataset(store, read_input(YAML))
    before = snapshot(store)
    # Mostly good (a new actor, a changed name, a new link) and one dangling id.
    path = write_yaml(
        tmp_path,
        "actors:\n"
        "  - {id: newtown, kind: city, name: Newtown, country: GB}\n"
        "  - {id: exampleton, kind: city, name: Renamed, country: Scotland}\n"
        "relationships:\n"
        "  - {source: newtown, type: TWINNED_WITH, target: exampleton}\n"
        "  - {source: newtown, type: FUNDS, target: nowhere}\n",
    )
    with pytest.raises(ValidationFailed):
        load_dataset(store, read_input(path))
    assert snapshot(store) == before
    # A row-level problem stops the reading itself.
    bad = write_yaml(tmp_path, "actors:\n  - {id: x, kind: city, name: X, country: Nowhere}\n",
                     "bad.yaml")  # fmt: skip
    with pytest.raises(ValidationFailed):
        load_dataset(store, read_input(bad))
    assert snapshot(store) == before
