"""Loading a YAML-shaped dataset dict into a real store."""

from __future__ import annotations

from typing import Any

from graph.store import Store


def load(store: Store, data: dict[str, Any]) -> Any:
    """Load a YAML-shaped dict (sections actors/initiatives/relationships) into `store`."""
    from ingest.load import load_dataset
    from ingest.readers.document import dataset_from_mapping

    return load_dataset(store, dataset_from_mapping(data, source="test"))


def page_store(server_dir: Any, data: dict[str, Any] | None, prefix: str) -> Any:
    """A fresh graph on the test server holding `data`, or the workshop seed when None;
    dropped when the generator closes (for module fixtures of the page tests)."""
    import uuid

    from graph.store import open_store
    from ingest.load import load_dataset
    from ingest.readers import read_input
    from tests.support.paths import ROOT

    s = open_store(f"embedded:{server_dir}?graph={prefix}{uuid.uuid4().hex[:12]}")
    if data is None:
        load_dataset(s, read_input(ROOT / "ingest" / "data" / "workshop.yaml"))
    else:
        load(s, data)
    yield s
    s.drop()  # type: ignore[attr-defined]
    s.close()
