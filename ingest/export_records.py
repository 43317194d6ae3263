"""A projected graph as the readers' sections: what an ingest-input export writes.

The inverse of the readers: `sections` turns the nodes and relationships of a
projection (`graph.projection`) and the Country nodes it names into the four
sections `countries`, `actors`, `initiatives` and `relationships`, each record
holding the fields of its section (`ingest.readers.field_docs`, in the
template's column order) and nothing else: derived values (`family`, the
classification `axis`/`cross_border`/`cross_sector`, `symmetric`) and
bookkeeping never reach a file, since the loader derives or keeps them itself.
A field with no value is left out (an empty list too), and `confidential` is
written only when true, so a record reads as a person would write it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import networkx as nx

from graph import schema
from ingest.readers.field_docs import FIELD_DOCS
from ingest.readers.fields import SECTIONS

#: section -> its fields, in the template's column order.
COLUMNS: dict[str, tuple[str, ...]] = {s: tuple(f.name for f in FIELD_DOCS[s]) for s in SECTIONS}
#: The order sections are written in: what the others refer to first.
SECTION_ORDER = ("countries", "actors", "initiatives", "relationships")

Sections = dict[str, list[dict[str, Any]]]


def _present(value: Any) -> bool:
    return value is not None and value != [] and value != () and value != ""


def _record(data: Mapping[str, Any], columns: tuple[str, ...]) -> dict[str, Any]:
    out = {c: data[c] for c in columns if c in data and _present(data[c])}
    for name, value in out.items():
        if isinstance(value, tuple | set | frozenset):
            out[name] = list(value)
    if out.get("confidential") is False:
        del out["confidential"]
    return out


def sections(G: nx.MultiDiGraph, countries: Mapping[str, str] | None = None) -> Sections:
    """The records of `G` by section: nodes sorted by id, relationships by
    (source, type, target), countries by code."""
    out: Sections = {s: [] for s in SECTION_ORDER}
    out["countries"] = [{"code": c, "name": n} for c, n in sorted((countries or {}).items())]
    for nid, d in sorted(G.nodes(data=True), key=lambda x: str(x[0])):
        family = schema.family_of(d.get("kind"), strict=False)
        section = "actors" if family == schema.ACTOR else "initiatives"
        out[section].append(_record({**d, "id": nid}, COLUMNS[section]))
    rels = []
    for s, t, k, d in G.edges(keys=True, data=True):
        rels.append(_record({**d, "source": s, "target": t, "type": d.get("type", k)},
                            COLUMNS["relationships"]))  # fmt: skip
    rels.sort(key=lambda r: (str(r["source"]), r["type"], str(r["target"])))
    out["relationships"] = rels
    return out


def counts(records: Sections) -> dict[str, int]:
    """How many records each section holds."""
    return {s: len(records[s]) for s in SECTION_ORDER}
