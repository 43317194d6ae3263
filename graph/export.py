"""Write a projected graph (`graph.projection`) as JSON, GraphML, GEXF or CSV.

`FORMATS` is the one registry of export formats: each `ExportFormat` names
its media type, file suffix and writer, and the API's `format` parameter,
its description and its response types are made from it, so adding a format
is one `register` call here.

The graph handed in is already filtered (confidential relationships dropped
for callers who may not see them, a country or neighbourhood selected), so
these writers only translate. They use the networkx writers for GraphML and
GEXF, with values flattened the way those formats need:

* lists (`themes`, `threats`, `sources`) become one text joined by "; ";
* missing values are left out rather than written as "None";
* GEXF reserves `start`/`end` (dynamic graphs) and an edge's `type`
  (directed/undirected) and `label`, so initiatives' dates are written as
  `start_date`/`end_date`, the relationship type as `relationship` and as
  the edge label, and a node's label is its name.

CSV is a ZIP with `nodes.csv` and `edges.csv` (Gephi's spreadsheet import
takes both), or one of the two tables alone.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graph import schema
from graph.projection import NODE_FIELDS

CSV_TABLES = ("nodes", "edges")

#: The projection's node fields plus `family` (derived from kind); export
#: keeps id, name, family, kind first so a table reads by name.
_LEAD_COLUMNS = ("id", "name", "family", "kind")
NODE_COLUMNS = _LEAD_COLUMNS + tuple(f for f in NODE_FIELDS if f not in _LEAD_COLUMNS)
#: Ends, type and direction first, then the relationship's properties, with the
#: classification before the free text (note, sources).
_TEXT = ("note", "sources")
EDGE_COLUMNS = (
    "source",
    "target",
    "type",
    "symmetric",
    *(p for p in schema.RELATIONSHIP_PROPERTIES if p != "type" and p not in _TEXT),
    *schema.CLASSIFICATION,
    *_TEXT,
)
_INTERNAL = schema.INTERNAL_PROPERTIES


def node_records(G: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Nodes as dicts (sorted by id), attributes as projected."""
    return [
        {"id": n, **{k: v for k, v in d.items() if k not in _INTERNAL and k != "id"}}
        for n, d in sorted(G.nodes(data=True), key=lambda x: str(x[0]))
    ]


def edge_records(G: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Edges as dicts {source, target, type, …} sorted by source, type, target."""
    out = []
    for s, t, k, d in G.edges(keys=True, data=True):
        rec = {"source": s, "target": t, "type": d.get("type", k)}
        rec.update({a: v for a, v in d.items() if a not in _INTERNAL and a not in rec})
        out.append(rec)
    out.sort(key=lambda e: (str(e["source"]), e["type"], str(e["target"])))
    return out


def to_json(G: nx.MultiDiGraph, meta: Mapping[str, Any] | None = None) -> bytes:
    data = {
        "format": "scn-graph/1",
        **dict(meta or {}),
        "node_count": G.number_of_nodes(),
        "edge_count": G.number_of_edges(),
        "nodes": node_records(G),
        "edges": edge_records(G),
    }
    return json.dumps(data, ensure_ascii=False, default=str).encode()


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


#: A text cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula, quoted so it shows as text.

    As OWASP advises against CSV injection: a leading `'` before `=`, `+`, `-`, `@`,
    tab or carriage return. Numbers are left alone (a negative longitude is a number,
    not a formula).
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _csv_table(rows: Iterable[Mapping[str, Any]], columns: tuple[str, ...]) -> str:
    rows = list(rows)
    extra = sorted({k for r in rows for k in r} - set(columns) - _INTERNAL)
    cols = [*columns, *extra]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")  # RFC 4180; a CR in a cell is quoted too
    w.writerow(cols)
    for r in rows:
        w.writerow(["" if r.get(c) is None else neutralise_formula(_flat(r.get(c))) for c in cols])
    return buf.getvalue()


def to_csv(G: nx.MultiDiGraph, table: str | None = None) -> bytes:
    """`nodes.csv` and `edges.csv` in a ZIP, or one table as CSV text."""
    nodes = _csv_table(node_records(G), NODE_COLUMNS)
    edges = _csv_table(edge_records(G), EDGE_COLUMNS)
    if table == "nodes":
        return nodes.encode()
    if table == "edges":
        return edges.encode()
    if table is not None:
        raise ValueError(f"unknown CSV table {table!r}; expected nodes or edges")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("nodes.csv", nodes)
        zf.writestr("edges.csv", edges)
    return buf.getvalue()


#: A writer: (graph, meta for formats that carry it, table for formats that have tables).
Writer = Callable[[nx.MultiDiGraph, Mapping[str, Any], str | None], bytes]


@dataclass(frozen=True)
class ExportFormat:
    """One export format: how it is named, served and written.

    `tables` are parts a format can also write alone (CSV: one of its two
    tables), served as `table_media_type` with suffix `table_suffix`.
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


#: format name -> format, in the order they are offered.
FORMATS: dict[str, ExportFormat] = {}


def register(fmt: ExportFormat) -> ExportFormat:
    """Offer `fmt` (to the API, the CLI and `export`)."""
    FORMATS[fmt.name] = fmt
    return fmt


register(
    ExportFormat(
        "json", "JSON", "json", "application/json", "json", lambda G, meta, _: to_json(G, meta)
    )
)
register(
    ExportFormat(
        "graphml",
        "GraphML",
        "graphml",
        "application/graphml+xml",
        "graphml",
        lambda G, _, __: to_graphml(G),
    )
)
register(
    ExportFormat(
        "gexf",
        "GEXF",
        "gexf (Gephi)",
        "application/gexf+xml",
        "gexf",
        lambda G, _, __: to_gexf(G),
    )
)
register(
    ExportFormat(
        "csv",
        "CSV",
        "csv (a ZIP of nodes.csv and edges.csv, or one table with `table`)",
        "application/zip",
        "zip",
        lambda G, _, table: to_csv(G, table),
        binary=True,
        tables=CSV_TABLES,
        table_media_type="text/csv; charset=utf-8",
        table_suffix="csv",
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
) -> tuple[bytes, str, str]:
    """(content, media type, file extension) of `G` written as `fmt` (or, for a format
    with tables, only its `table`; `table` is ignored by the others)."""
    f = format_of(fmt)
    part = table if f.tables else None
    content = f.write(G, meta or {}, part)
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
