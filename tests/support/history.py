"""Revisions made by hand: each is the difference of two states of node and relationship
maps, as the write path records it, so the history tests can replay a sequence of
edits without a store, and graphs compared as the analyses see them; and the rounds
of edits the history tests replay, by hand (`ROUNDS`) and on a real store
(`STORE_ROUNDS`, `apply_round`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import networkx as nx

from graph.edits import delete_actor
from graph.history.model import Change, NodeChange, RelChange, Revision
from graph.history.state import EdgeMaps, NodeMaps, build_state
from graph.store.base import Store
from ingest.load import load_dataset
from ingest.readers.document import dataset_from_mapping
from tests.support.graphs import city, cso, rel

RelMap = dict[str, Any]


def edges_of(rels: Sequence[RelMap]) -> EdgeMaps:
    """Relationship maps (with source, type, target) keyed as a revision keys them."""
    return {(r["source"], r["type"], r["target"]): dict(r) for r in rels}


def _data(props: dict[str, Any], drop: tuple[str, ...] = ()) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k not in drop}


def change_between(old: tuple[NodeMaps, EdgeMaps], new: tuple[NodeMaps, EdgeMaps]) -> Change:
    """What a write taking the data from `old` to `new` records."""
    (on, oe), (nn, ne) = old, new
    nodes = tuple(
        NodeChange(i, on.get(i), nn.get(i))
        for i in sorted(set(on) | set(nn))
        if on.get(i) != nn.get(i)
    )
    ends = ("source", "type", "target")
    rels = tuple(
        RelChange(
            *k,
            _data(oe[k], ends) if k in oe else None,
            _data(ne[k], ends) if k in ne else None,
        )
        for k in sorted(set(oe) | set(ne))
        if oe.get(k) != ne.get(k)
    )
    return Change(nodes, rels)


def replay(
    states: Sequence[tuple[list[dict[str, Any]], list[RelMap]]],
) -> tuple[list[tuple[NodeMaps, EdgeMaps]], list[Revision]]:
    """The states as maps, and revision k taking state k-1 to state k (state 0 is where
    the history starts: revision 0)."""
    maps = [({n["id"]: dict(n) for n in nodes}, edges_of(rels)) for nodes, rels in states]
    revs = [
        Revision(
            k,
            100 + k,
            f"2026-12-01T10:{k:02d}:00+00:00",
            "ana",
            f"round{k}.yaml",
            change_between(maps[k - 1], maps[k]),
        )
        for k in range(1, len(maps))
    ]
    return maps, revs


def graph_of(
    maps: tuple[NodeMaps, EdgeMaps], *, include_confidential: bool = False
) -> nx.MultiDiGraph:
    nodes, edges = maps
    return build_state(dict(nodes), dict(edges), include_confidential=include_confidential)


def as_seen(G: nx.MultiDiGraph) -> tuple[list[Any], list[Any]]:
    """A graph's nodes and relationships with every attribute, sorted: equal for two
    graphs the analyses cannot tell apart."""
    nodes = sorted((n, sorted(d.items())) for n, d in G.nodes(data=True))
    edges = sorted(
        (u, k, v, sorted((a, repr(b)) for a, b in d.items()))
        for u, v, k, d in G.edges(keys=True, data=True)
    )
    return nodes, edges


def _secret(source: str, target: str, **kw) -> dict:
    return {**rel(source, target, **kw), "confidential": True}


#: Five rounds of edits of a small network (state 0 is where the history starts).
ROUNDS = [
    ([city("leeds"), city("york")], []),
    ([city("leeds"), city("york"), cso("hope")], [rel("leeds", "york")]),
    (  # hope renamed; a confidential link added
        [city("leeds"), city("york"), cso("hope", name="Hope UK")],
        [rel("leeds", "york"), _secret("hope", "leeds")],
    ),
    (  # a node added and its link, both removed in round 4; leeds-york ended
        [city("leeds"), city("york"), cso("hope", name="Hope UK"), city("hull")],
        [rel("leeds", "york", status="ended"), _secret("hope", "leeds"), rel("hull", "york")],
    ),
    (  # hull gone again; leeds-york active again (a change then its revert)
        [city("leeds"), city("york"), cso("hope", name="Hope UK")],
        [rel("leeds", "york"), _secret("hope", "leeds")],
    ),
    (  # the confidential link made public
        [city("leeds"), city("york"), cso("hope", name="Hope UK")],
        [rel("leeds", "york"), rel("hope", "leeds")],
    ),
]


def _city(i: str, **kw: Any) -> dict[str, Any]:
    return {"id": i, "name": i.title(), "kind": "city", "country": "GB", **kw}


def _link(s: str, t: str, typ: str = "PARTNERS_WITH", **kw: Any) -> dict[str, Any]:
    return {"source": s, "type": typ, "target": t, **kw}


#: Ten rounds of edits of a real store; each is the records a load writes, or ("delete", id).
STORE_ROUNDS: list[Any] = [
    {"actors": [_city("leeds"), _city("york")]},  # 1
    {  # 2
        "actors": [{"id": "hope", "name": "Hope", "kind": "cso", "country": "GB"}],
        "relationships": [_link("leeds", "york")],
    },
    {"actors": [{"id": "hope", "name": "Hope UK", "kind": "cso", "country": "GB"}]},  # 3
    {"relationships": [_link("hope", "leeds", confidential=True, note="SECRET-ROUND-4")]},  # 4
    {"actors": [_city("hull")], "relationships": [_link("hull", "york")]},  # 5
    {"relationships": [_link("leeds", "york", status="ended")]},  # 6
    ("delete", "hull"),  # 7
    {"relationships": [_link("leeds", "york", status="active")]},  # 8
    {"relationships": [_link("hope", "leeds", confidential=False, note="made public")]},  # 9
    {  # 10
        "actors": [
            {"id": "roots", "name": "Roots", "kind": "cso", "country": "GB", "grassroots": True}
        ],
        "relationships": [_link("roots", "york")],
    },
]


def apply_round(store: Store, step: Any, k: int) -> None:
    if isinstance(step, tuple):
        delete_actor(store, step[1], who="tester", source="delete")
    else:
        # one workbook edited round after round: the records' sources stay the same
        dataset = dataset_from_mapping(step, source="workbook")
        load_dataset(store, dataset, who="tester", source=f"round{k}.yaml")
