"""Loading a YAML-shaped dataset dict into a real store."""

from __future__ import annotations

from typing import Any

from graph.store import Store


def load(store: Store, data: dict[str, Any]) -> Any:
    """Load a YAML-shaped dict (sections actors/initiatives/relationships) into `store`."""
    from ingest.load import load_dataset
    from ingest.readers.document import dataset_from_mapping

    return load_dataset(store, dataset_from_mapping(data, source="test"))
