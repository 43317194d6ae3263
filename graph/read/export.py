"""Which part of the store an export holds, written in a registered format (`graph.export`).

The formats that are ingest input are registered by `ingest.export_formats`; the
API and the CLI import it before they export.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from graph import export as writers
from graph.predicates import norm_country
from graph.projection import project, project_neighbourhood
from graph.queries import projection as queries
from graph.store.base import Store


def export_graph(
    store: Store,
    fmt: str,
    *,
    include_confidential: bool = False,
    countries: Iterable[str] | None = None,
    kinds: Iterable[str] | None = None,
    types: Iterable[str] | None = None,
    statuses: Iterable[str] | None = None,
    actor: str | None = None,
    depth: int = 1,
    table: str | None = None,
    graph: nx.MultiDiGraph | None = None,
) -> tuple[bytes, str, str]:
    """The whole graph, or a filtered part, as (content, media type, file extension).

    Parts: `countries` (their nodes plus the country-less nodes linked to them,
    and the relationships among these: a link to another country's actor is
    left out, since its other end is not in the file), or the neighbourhood of
    `actor` to `depth`; then only nodes of `kinds` and relationships of `types` /
    `statuses`. `graph`, a projection of the whole store made with the same
    `include_confidential` (e.g. one a cache already holds), is used for the
    whole graph instead of reading the store again. The Country nodes written
    are all of them for the whole graph, else the ones the part names.
    Raises KeyError for an `actor` not in the graph.
    """
    writers.format_of(fmt)  # an unknown format is refused before anything is read
    codes = sorted({cc for c in countries or () if (cc := norm_country(c))}) or None
    whole = actor is None and codes is None
    if actor is not None:
        G = project_neighbourhood(store, actor, depth, include_confidential=include_confidential)
        if actor not in G:
            raise KeyError(actor)
    elif whole and graph is not None and _sees(graph, include_confidential=include_confidential):
        G = graph
    else:
        G = project(store, countries=codes, include_confidential=include_confidential)
    G = writers.select(G, kinds=kinds, types=types, statuses=statuses)
    meta = {
        "include_confidential": include_confidential,
        "filters": {
            "countries": codes or [],
            "kinds": sorted(set(kinds or ())),
            "types": sorted(set(types or ())),
            "statuses": sorted(set(statuses or ())),
            "actor": actor,
            "depth": depth if actor is not None else None,
        },
    }
    named = _countries(store, G, every=whole and not kinds, selected=codes or ())
    return writers.export(G, fmt, table=table, meta=meta, countries=named)


def _countries(
    store: Store, G: nx.MultiDiGraph, *, every: bool, selected: Iterable[str]
) -> dict[str, str]:
    """The Country nodes (code -> name) an export names: all of them (`every`), or
    those of its nodes and the `selected` ones."""
    stored = {code: name for code, name in queries.COUNTRIES.read(store).rows if code}
    if every:
        return stored
    used = {d.get("country") for _, d in G.nodes(data=True)} | set(selected)
    return {code: name for code, name in stored.items() if code in used}


def _sees(G: nx.MultiDiGraph, *, include_confidential: bool = False) -> bool:
    """Whether a projection was made for this visibility (never export another's)."""
    return G.graph.get("include_confidential") == include_confidential
