"""The gap index of a patched projection, made from the previous generation's index.

Building a `GapIndex` reads every node and relationship (most of an incremental
update's time on a million relationships). After a write, only a few entries differ:

* the facts and pool memberships of the touched nodes (`GapIndex.read_facts`,
  `GapIndex.pools_of`): each depends on the node's own attributes only, so a touched
  node leaves the pools it was in and joins those it is in now, at its place in the
  pool's order;
* the per-node entries (`rel[n]`, `part[n]`, `funds_in[n]`, `past_out[type][n]` ...)
  of the *affected* nodes: the touched ones, their neighbours before and after the
  write, the cities a touched actor names in `city` and the actors naming a touched
  node. Every such entry is made from the relationships of its node (their status
  reads both ends) and the actors naming it, so the entries of every other node are
  the same. The affected nodes' entries are read again from a small graph holding
  just their relationships (`_neighbourhood`), indexed as a whole graph is.

`patched_index(old, before, after, touched)` returns a new index that shares every
unchanged entry with `old` and never changes `old` (its dicts and lists are copied
where they differ): a reader of the previous generation's findings never sees it move.
The provider sets and pools the detectors worked out on `old` (`GapIndex.provider_set`)
are patched too.
It equals `GapIndex(after)` (tests/unit/test_index_patch.py compares every attribute
after random edits). `remember` and `recall` keep the last index of each graph, weakly
by graph, so the next generation can be patched from it.
"""

from __future__ import annotations

import bisect
import weakref
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import networkx as nx

from graph.analysis.gaps_index import POOLS, GapIndex, pool_list

#: Per-node entries: node id -> value (a set, a list of links, a dict or a counter).
PER_NODE = (
    "local_actors",
    "home_cities",
    "rel",
    "rel_planned",
    "city_links",
    "city_links_planned",
    "members",
    "networks_of",
    "part",
    "participants",
    "part_planned",
    "participants_planned",
    "runs",
    "runners",
    "contrib_in",
    "contrib_out",
    "contrib_planned_in",
    "contrib_planned_out",
    "impl_in",
    "impl_out",
    "impl_planned_in",
    "impl_planned_out",
    "funds_in",
    "funds_planned_in",
    "capacity_in",
    "capacity_planned_in",
    "evaluated_by",
    "evaluates",
    "evaluated_planned",
    "init_city_countries",
)
#: Per-node entries under a relationship type: type -> node id -> set.
PER_TYPE_AND_NODE = ("past_out", "past_in")
#: Sets of nodes, each member for relationships of its own (funders, providers).
NODE_SETS = ("funders", "capacity_providers")
#: Facts about one node from its own attributes.
FACTS = ("nodes", "kinds", "countries", "names_", "themes")

#: What is remembered of an analysed graph: its inferred nodes and relationships
#: (`BasisMarker.inferred`) and its gap index. Neither refers to the graph itself.
Prepared = tuple[tuple[set[str], set[tuple[str, str, str]]], GapIndex]

_INDEXES: weakref.WeakKeyDictionary[nx.MultiDiGraph, Prepared] = weakref.WeakKeyDictionary()


def remember(G: nx.MultiDiGraph, prepared: Prepared) -> None:
    """Keep what the detectors read about `G` while `G` lives (it holds no reference to
    `G`, so this does not keep `G` alive, and it goes with `G`)."""
    _INDEXES[G] = prepared


def recall(G: nx.MultiDiGraph) -> Prepared | None:
    """What was remembered for `G`, if anything."""
    return _INDEXES.get(G)


def _copy(value: Any) -> Any:
    """A shallow copy keeping a defaultdict's factory."""
    if isinstance(value, defaultdict):
        return defaultdict(value.default_factory, value)
    return type(value)(value)


def _affected(
    old: GapIndex, before: nx.MultiDiGraph, after: nx.MultiDiGraph, touched: set[str]
) -> set[str]:
    """The nodes whose per-node entries can differ (see the module docstring)."""
    out = set(touched)
    for t in touched:
        for G in (before, after):
            if t in G:
                out.update(G._succ[t])
                out.update(G._pred[t])
                city = GapIndex.named_city(G._node[t])
                if city:
                    out.add(city)
        out.update(old.naming.get(t, ()))
    # actors that name a touched node only after the write are touched themselves
    return out


def _neighbourhood(after: nx.MultiDiGraph, affected: set[str], naming: dict) -> nx.MultiDiGraph:
    """A graph of the affected nodes' relationships, their other ends, the actors naming
    them and the cities they name, sharing `after`'s attribute dicts (read, never written)."""
    S = nx.MultiDiGraph()
    node, succ, pred = S._node, S._succ, S._pred
    hnode, hsucc, hpred = after._node, after._succ, after._pred

    def add(n: str) -> None:
        if n not in node:
            node[n], succ[n], pred[n] = hnode[n], {}, {}

    for a in affected & hnode.keys():
        add(a)
        city = GapIndex.named_city(hnode[a])
        if city in hnode:
            add(city)
        for m in naming.get(a, ()):
            add(m)
        for v, keys in hsucc[a].items():
            add(v)
            succ[a][v] = pred[v][a] = keys
        for u, keys in hpred[a].items():
            add(u)
            succ[u][a] = pred[a][u] = keys
    return S


def _patch_facts_and_pools(
    new: GapIndex, before: nx.MultiDiGraph, after: nx.MultiDiGraph, touched: set[str]
) -> None:
    """Touched nodes' facts, pool memberships and `city` naming, copied where written."""
    for attr in (*FACTS, *POOLS, "naming"):
        setattr(new, attr, _copy(getattr(new, attr)))
    owned: set[tuple[str, Any]] = set()

    def own(attr: str, key: Any) -> list[str]:
        if (attr, key) not in owned:
            pools = getattr(new, attr)
            if not isinstance(pools, list):
                pools[key] = list(pools.get(key, ()))
            owned.add((attr, key))
        return pool_list(new, attr, key)

    olds = {t: before._node[t] for t in touched if t in before}
    for t, d in olds.items():  # leave the old pools first: names may change below
        for attr, key in new.pools_of(t, d):
            own(attr, key).remove(t)
            if not pool_list(new, attr, key) and not isinstance(getattr(new, attr), list):
                del getattr(new, attr)[key]
        city = GapIndex.named_city(d)
        if city:
            new.naming[city] = new.naming[city] - {t}
            if not new.naming[city]:
                del new.naming[city]
    for t in touched:
        for attr in FACTS:
            getattr(new, attr).pop(t, None)
    for t in sorted(touched):
        if t not in after:
            continue
        d = after._node[t]
        new.read_facts(t, d)
        for attr, key in new.pools_of(t, d):
            lst = own(attr, key)
            order = new.pool_order(attr)
            lst.insert(bisect.bisect(lst, order(t), key=order), t)
        city = GapIndex.named_city(d)
        if city:
            new.naming[city] = new.naming.get(city, set()) | {t}


def _patch_entries(new: GapIndex, scratch: GapIndex, affected: set[str]) -> None:
    """The affected nodes' per-node entries and set memberships, from `scratch`."""
    for attr in PER_NODE:
        entries, fresh = _copy(getattr(new, attr)), getattr(scratch, attr)
        for n in affected:
            entries.pop(n, None)
            if fresh.get(n):
                entries[n] = fresh[n]
        setattr(new, attr, entries)
    for attr in PER_TYPE_AND_NODE:
        by_type, fresh_by_type = _copy(getattr(new, attr)), getattr(scratch, attr)
        for typ in set(by_type) | set(fresh_by_type):
            entries, fresh = _copy(by_type.get(typ, {})), fresh_by_type.get(typ, {})
            for n in affected:
                entries.pop(n, None)
                if fresh.get(n):
                    entries[n] = fresh[n]
            if entries:
                by_type[typ] = entries
            else:
                by_type.pop(typ, None)
        setattr(new, attr, by_type)
    for attr in NODE_SETS:
        setattr(new, attr, (getattr(new, attr) - affected) | (getattr(scratch, attr) & affected))


def patched_index(
    old: GapIndex,
    before: nx.MultiDiGraph,
    after: nx.MultiDiGraph,
    touched: Iterable[str],
    cls: type[GapIndex] | None = None,
) -> GapIndex:
    """`GapIndex(after)` (of class `cls`, default `old`'s), made from `old`, the index
    of `before`, and the ids touched between the two graphs; `old` is left as it was."""
    touched = set(touched)
    cls = cls or type(old)
    new = cls.__new__(cls)
    new.__dict__.update(old.__dict__)
    new.fresh_state()
    _patch_facts_and_pools(new, before, after, touched)
    affected = _affected(old, before, after, touched)
    scratch = GapIndex(_neighbourhood(after, affected, new.naming))
    _patch_entries(new, scratch, affected)
    new.clear_caches()
    _patch_providers(old, new, affected, touched)
    return new


def _patch_providers(old: GapIndex, new: GapIndex, affected: set[str], touched: set[str]) -> None:
    """The provider sets and pools `old` worked out, for `new`: only an affected node
    can join or leave one (membership reads a node's own attributes and entries), and
    only a touched one can change its name, country or level."""
    for ps, members in old._provider_sets.items():
        fresh = {a for a in affected if a in new.nodes and ps.member(new, a)}
        now = (members - affected) | fresh
        new._provider_sets[ps] = now
        pools = old._provider_pools.get(ps)
        if pools is not None:
            changed = (members ^ now) | (touched & (members | now))
            new._provider_pools[ps] = pools.patched(new, now, changed)
