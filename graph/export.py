"""The export-format registry, and the GraphML and GEXF writers.

`FORMATS` is the one registry of export formats: each `ExportFormat` names
its media type, file suffix and writer, and the API's `format` parameter,
its description and its response types, and the CLI's `export --format`, are
made from it, so adding a format is one `register` call. The formats that are
also ingest input (JSON, YAML, CSV, XLSX: `ingest.export_formats`) need the
readers' sections and the workbook template, so they are registered there,
and whoever offers exports (the API, the CLI) imports that module.

A writer gets an `ExportSource`: the projected graph, already filtered
(confidential relationships dropped for callers who may not see them, a
country or neighbourhood selected), the Country nodes it names, what the
export holds (`meta`) and, for formats with tables, the one table asked for.
So writers only translate. GraphML and GEXF use the networkx writers, with
values flattened the way those formats need:

* lists (`themes`, `threats`, `sources`) become one text joined by "; ";
* missing values are left out rather than written as "None";
* GEXF reserves `start`/`end` (dynamic graphs) and an edge's `type`
  (directed/undirected) and `label`, so initiatives' dates are written as
  `start_date`/`end_date`, the relationship type as `relationship` and as
  the edge label, and a node's label is its name.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graph import schema
from graph.spreadsheet_cells import FORMULA_TRIGGERS, neutralise_formula, unquote_formula

__all__ = [
    "FORMATS",
    "FORMULA_TRIGGERS",
    "ExportFormat",
    "ExportSource",
    "export",
    "format_of",
    "neutralise_formula",
    "register",
    "select",
    "to_gexf",
    "to_graphml",
    "unquote_formula",
]

_INTERNAL = schema.INTERNAL_PROPERTIES


@dataclass(frozen=True)
class ExportSource:
    """What one export writes: the (filtered) graph, the Country nodes it names
    (code -> name), what it holds (`meta`: visibility, filters) and, for a format
    with tables, the one `table` asked for (None: all of them)."""

    graph: nx.MultiDiGraph
    countries: Mapping[str, str] = field(default_factory=dict)
    meta: Mapping[str, Any] = field(default_factory=dict)
    table: str | None = None


def _flat(value: Any) -> Any:
    if isinstance(value, list | tuple | set | frozenset):
        return "; ".join(str(v) for v in value)
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _flat_graph(G: nx.MultiDiGraph, *, gexf: bool) -> nx.MultiDiGraph:
    """A copy with scalar attributes only (and GEXF's reserved names avoided)."""
    H = nx.MultiDiGraph()
    H.graph.update({k: _flat(v) for k, v in G.graph.items() if v is not None})
    for n, d in G.nodes(data=True):
        attrs = {k: _flat(v) for k, v in d.items() if v is not None and k not in _INTERNAL}
        attrs.pop("id", None)
        if gexf:
            for k in ("start", "end"):
                if k in attrs:
                    attrs[f"{k}_date"] = attrs.pop(k)
            attrs["label"] = str(d.get("name", n))
        H.add_node(n, **attrs)
    for s, t, k, d in G.edges(keys=True, data=True):
        attrs = {a: _flat(v) for a, v in d.items() if v is not None and a not in _INTERNAL}
        if gexf:
            attrs["relationship"] = attrs.pop("type", k)
            attrs["label"] = attrs["relationship"]
        H.add_edge(s, t, key=k, **attrs)
    return H


def _mixed_types(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """GraphML/GEXF declare one type per attribute: an attribute whose values mix
    types (e.g. `since` as 2019 and "2019-05") is written as text everywhere."""
    for items in (
        [d for _, d in G.nodes(data=True)],
        [d for _, _, d in G.edges(data=True)],
    ):
        kinds: dict[str, set[type]] = {}
        for d in items:
            for k, v in d.items():
                kinds.setdefault(k, set()).add(bool if isinstance(v, bool) else type(v))
        mixed = {k for k, ts in kinds.items() if len(ts) > 1}
        for d in items:
            for k in mixed & set(d):
                d[k] = str(d[k]).lower() if isinstance(d[k], bool) else str(d[k])
    return G


def to_graphml(G: nx.MultiDiGraph) -> bytes:
    buf = io.BytesIO()
    nx.write_graphml(_mixed_types(_flat_graph(G, gexf=False)), buf, encoding="utf-8")
    return buf.getvalue()


def to_gexf(G: nx.MultiDiGraph) -> bytes:
    buf = io.BytesIO()
    nx.write_gexf(_mixed_types(_flat_graph(G, gexf=True)), buf, encoding="utf-8")
    return buf.getvalue()


#: A writer: what to export -> the file's bytes.
Writer = Callable[[ExportSource], bytes]


@dataclass(frozen=True)
class ExportFormat:
    """One export format: how it is named, served and written.

    `tables` are parts a format can also write alone (CSV: one of its section
    files), served as `table_media_type` with suffix `table_suffix`. `ingest`
    says the file is ingest input (`scn-graph ingest` reads it back to the same
    graph); `default_name` is the file name the CLI writes without `-o`.
    """

    name: str
    title: str  # in prose: "GEXF"
    described: str  # in the API's list of formats: "gexf (Gephi)"
    media_type: str
    suffix: str
    write: Writer
    binary: bool = False
    tables: tuple[str, ...] = ()
    table_media_type: str | None = None
    table_suffix: str | None = None
    ingest: bool = False


#: format name -> format, in the order they are offered.
FORMATS: dict[str, ExportFormat] = {}
#: The format an export is written in when none is asked for.
DEFAULT_FORMAT = "json"


def register(fmt: ExportFormat) -> ExportFormat:
    """Offer `fmt` (to the API, the CLI and `export`)."""
    FORMATS[fmt.name] = fmt
    return fmt


register(
    ExportFormat(
        "graphml",
        "GraphML",
        "graphml",
        "application/graphml+xml",
        "graphml",
        lambda src: to_graphml(src.graph),
    )
)
register(
    ExportFormat(
        "gexf",
        "GEXF",
        "gexf (Gephi)",
        "application/gexf+xml",
        "gexf",
        lambda src: to_gexf(src.graph),
    )
)


def format_of(name: str) -> ExportFormat:
    """The registered format `name`; ValueError naming the ones there are."""
    try:
        return FORMATS[name]
    except KeyError:
        raise ValueError(
            f"unknown export format {name!r}; expected one of {', '.join(FORMATS)}"
        ) from None


def export(
    G: nx.MultiDiGraph,
    fmt: str,
    *,
    table: str | None = None,
    meta: Mapping[str, Any] | None = None,
    countries: Mapping[str, str] | None = None,
) -> tuple[bytes, str, str]:
    """(content, media type, file extension) of `G` written as `fmt` (or, for a format
    with tables, only its `table`; `table` is ignored by the others). `countries` are
    the Country nodes (code -> name) the formats that are ingest input write too."""
    f = format_of(fmt)
    part = table if f.tables else None
    if part is not None and part not in f.tables:
        raise ValueError(f"unknown {f.title} table {part!r}; expected one of {', '.join(f.tables)}")
    content = f.write(ExportSource(G, dict(countries or {}), dict(meta or {}), part))
    if part is not None and f.table_media_type and f.table_suffix:
        return content, f.table_media_type, f.table_suffix
    return content, f.media_type, f.suffix


def select(
    G: nx.MultiDiGraph,
    *,
    kinds: Iterable[str] | None = None,
    types: Iterable[str] | None = None,
    statuses: Iterable[str] | None = None,
) -> nx.MultiDiGraph:
    """A copy of `G` with only nodes of `kinds` and relationships of `types` / `statuses`."""
    kinds = set(kinds or ())
    types = set(types or ())
    statuses = set(statuses or ())
    for k in kinds:
        if k not in schema.ACTOR_KINDS and k not in schema.INITIATIVE_KINDS:
            raise ValueError(f"unknown kind {k!r}")
    for t in types:
        if t not in schema.REL_TYPES:
            raise ValueError(f"unknown relationship type {t!r}")
    H = nx.MultiDiGraph()
    H.graph.update(G.graph)
    H.add_nodes_from((n, d) for n, d in G.nodes(data=True) if not kinds or d.get("kind") in kinds)
    H.add_edges_from(
        (s, t, k, d)
        for s, t, k, d in G.edges(keys=True, data=True)
        if s in H
        and t in H
        and (not types or d.get("type", k) in types)
        and (not statuses or d.get("status") in statuses)
    )
    return H
