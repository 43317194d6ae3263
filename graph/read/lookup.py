"""An actor (or any node) a person names: by its id, or by its exact name in any case.

Every command and endpoint that takes an id goes through here, so `recommend
London`, `/api/actors/London` and `viz --actor london` mean one thing. The
rule, the same against the store (`resolve_node`, Cypher in
`graph.queries.nodes`) and against an in-memory projection (`resolve_in_graph`,
what the pages draw from):

1. an existing id is that node;
2. otherwise the node whose id is the input in lower case (ids are lower-case
   slugs, so "London" is `london`) or whose name is the input in any case, if
   that is one node; two or more is `AmbiguousName`, listing their ids;
3. otherwise `NoSuchNode`, whose message keeps the old "no actor with id 'x'"
   and adds "did you mean <id> (<name>)" from the closest ids and names.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graph.queries import nodes as queries
from graph.read.nodes import node_exists
from graph.store.base import Store

#: Fewest points (of 100) a close match needs to be offered as "did you mean".
HINT_CUTOFF = 85
#: Shortest input a "did you mean" is looked for.
HINT_MIN_LENGTH = 3
#: Matches more than this many points below the best are not offered with it.
HINT_MARGIN = 3
#: Most close matches offered.
HINTS_SHOWN = 3


class NoSuchNode(KeyError):
    """No node has this id or name; `hint` is the "did you mean" (None when nothing is
    close). A KeyError, as the callers' "unknown id" has always been."""

    def __init__(self, value: str, what: str = "actor", hint: str | None = None) -> None:
        self.value = value
        self.what = what
        self.hint = hint
        self.message = f"no {what} with id {value!r}" + (f"; did you mean {hint}?" if hint else "")
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class AmbiguousName(ValueError):
    """Several nodes have the name typed: the caller must give an id."""

    def __init__(self, value: str, matches: list[tuple[str, str]], what: str = "actor") -> None:
        self.value = value
        self.ids = [i for i, _ in matches]
        listed = ", ".join(self.ids)
        super().__init__(f"{len(self.ids)} {what}s are named {value!r} ({listed}); give the id")


def _what(label: str) -> str:
    return "actor" if label == "Actor" else "node"


def resolve_node(store: Store, value: str, *, label: str = "Actor") -> str:
    """The id of the node of `label` ("Actor" or "Entity") that `value` names."""
    value = value.strip()
    if node_exists(store, value, label):
        return value
    rows = queries.ids_by_name(label).read(store, name=value.lower()).rows
    same = [(str(i), str(n)) for i, n in rows]
    if value.lower() != value and node_exists(store, value.lower(), label):
        same.append((value.lower(), value.lower()))
    if same:
        return _one(value, same, _what(label))
    candidates = queries.ids_and_names(label).read(store).rows
    raise NoSuchNode(value, _what(label), did_you_mean(value, candidates))


def resolve_in_graph(G: Any, value: str, *, family: str | None = None) -> str:
    """The same rule over a projected graph `G` (a networkx graph whose nodes have `name`
    and `family`); `family` "actor" keeps actors only."""
    value = value.strip()
    nodes = [
        (str(n), str(d.get("name") or n))
        for n, d in G.nodes(data=True)
        if family is None or d.get("family") == family
    ]
    what = family or "node"
    if value in G and (family is None or G.nodes[value].get("family") == family):
        return value
    same = [(i, name) for i, name in nodes if value.lower() in (i, name.lower())]
    if same:
        return _one(value, same, what)
    raise NoSuchNode(value, what, did_you_mean(value, nodes))


def _one(value: str, matches: list[tuple[str, str]], what: str) -> str:
    """The one node of `matches` (id, name), or `AmbiguousName`."""
    distinct = dict(sorted(matches))
    if len(distinct) > 1:
        raise AmbiguousName(value, list(distinct.items()), what)
    return next(iter(distinct))


def did_you_mean(value: str, candidates: Iterable[Any]) -> str | None:
    """ "london (London)" (or up to `HINTS_SHOWN` of them, joined by "or") for the ids and
    names closest to `value`; None when none is close."""
    from rapidfuzz import fuzz, process, utils

    if len(value.strip()) < HINT_MIN_LENGTH:  # "0" would "match" every id with a 0 in it
        return None
    names: dict[str, str] = {}
    texts: list[tuple[str, str]] = []
    for node_id, name in candidates:
        node_id = str(node_id)
        names[node_id] = str(name or node_id)
        texts += [(node_id, node_id), (names[node_id], node_id)]
    found = process.extract(
        value,
        [t for t, _ in texts],
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        score_cutoff=HINT_CUTOFF,
        limit=HINTS_SHOWN * 2,
    )
    best = found[0][1] if found else 0
    ids: list[str] = []
    for _, score, index in found:
        node_id = texts[index][1]
        if score < best - HINT_MARGIN:
            break
        if node_id not in ids:
            ids.append(node_id)
    if not ids:
        return None
    return " or ".join(f"{i} ({names[i]})" for i in ids[:HINTS_SHOWN])
