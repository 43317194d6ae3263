"""The gap index patched after a write equals the index built from scratch, in every
attribute, and the previous index is left as it was (random edits of every kind)."""

from __future__ import annotations

import copy
from collections import Counter
from typing import Any

import pytest

from graph.analysis import index_patch
from graph.analysis.gaps_index import PROVIDER_SETS, GapIndex
from graph.analysis.index_patch import patched_index
from graph.analysis.resting import BasisMarker, RecordingIndex
from graph.projection import build_graph
from graph.projection_patch import patched
from tests.support.graphs import city, cso, rel
from tests.support.random_edits import World

_CACHES = {
    "_members_sorted",
    "_past_cities",
    "_geo",
    "scope",
    "named",
    "described",
    "_provider_sets",
    "_provider_pools",
}


def _plain(value: Any) -> Any:
    """A value without empty entries (a read may leave one in a defaultdict) and with
    sets and link lists in a fixed order."""
    if isinstance(value, Counter):
        return dict(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v not in (None, set(), [], {})}
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    return value


def contents(idx: GapIndex) -> dict[str, Any]:
    """Every attribute of the index that a detector reads, comparable."""
    out = {k: _plain(v) for k, v in vars(idx).items() if k not in _CACHES}
    for attr in ("rel_planned", "city_links_planned"):  # lists of links: their order is free
        out[attr] = {n: {m: sorted(ls) for m, ls in d.items()} for n, d in out[attr].items()}
    for attr in [a for a in out if "planned" in a and a not in ("rel_planned",)]:
        v = out[attr]
        out[attr] = {n: sorted(x) if isinstance(x, list) else x for n, x in v.items()}
    return out


@pytest.mark.parametrize("seed", range(12))
def test_a_patched_index_equals_a_fresh_one_after_random_edits(seed: int) -> None:
    world = World(seed)
    G = world.graph(include_confidential=seed % 2 == 1)
    idx = GapIndex(G)
    for step in range(30):
        touched = world.edits(1 if step % 3 else 3)
        H = patched(G, touched, world.node_maps(touched), world.edges_touching(touched))
        before = copy.deepcopy(contents(idx))
        new = patched_index(idx, G, H, touched)
        assert contents(idx) == before, (seed, step)  # the old index never moves
        assert contents(new) == contents(GapIndex(H)), (seed, step, sorted(touched))
        G, idx = H, new


def _providers(idx: GapIndex) -> dict[str, Any]:
    """Every provider set and its pools (by country, international), comparable."""
    out = {}
    for ps in PROVIDER_SETS:
        pools = idx.provider_pools(ps)
        lists = {k: v for k, v in pools.by_country.items() if v}
        out[ps.name] = (sorted(idx.provider_set(ps)), lists, pools.international)
    return out


@pytest.mark.parametrize("seed", range(8))
def test_patched_provider_sets_and_pools_equal_fresh_ones(seed: int) -> None:
    """The provider sets and pools worked out on the old index are patched, not made
    again: they equal those of a fresh index, and the old ones do not move."""
    world = World(seed)
    G = world.graph()
    idx = GapIndex(G)
    for step in range(30):
        was = copy.deepcopy(_providers(idx))  # works them out on the old index
        touched = world.edits(1 if step % 3 else 3)
        H = patched(G, touched, world.node_maps(touched), world.edges_touching(touched))
        new = patched_index(idx, G, H, touched)
        assert set(new._provider_pools) == set(PROVIDER_SETS)  # patched, not made
        assert _providers(idx) == was, (seed, step)
        assert _providers(new) == _providers(GapIndex(H)), (seed, step, sorted(touched))
        G, idx = H, new


def test_a_city_whose_kind_changes_loses_the_actors_naming_it() -> None:
    """The actors naming a touched node are affected though no relationship joins them."""
    nodes = [city("leeds", "GB"), cso("roots", "GB", city="leeds")]
    G = build_graph(nodes, [])
    H = patched(G, {"leeds"}, [{**nodes[0], "kind": "cso"}], [])
    new = patched_index(GapIndex(G), G, H, {"leeds"})
    assert contents(new) == contents(GapIndex(H))
    assert not new.home_cities.get("roots")


def test_an_untouched_neighbour_s_entries_follow_the_change() -> None:
    """A relationship removed at a touched node leaves its untouched end's entries."""
    nodes = [city("a", "GB"), cso("b", "GB"), cso("c", "GB")]
    edges = [rel("a", "b"), rel("c", "b", "FUNDS")]
    G = build_graph(nodes, edges)
    H = patched(G, {"a", "c"}, nodes[:1] + nodes[2:], [])
    new = patched_index(GapIndex(G), G, H, {"a", "c"})
    assert "a" not in new.rel.get("b", ())
    assert "c" not in new.funders
    assert contents(new) == contents(GapIndex(H))


def test_the_recording_index_is_kept_when_the_graph_holds_inferred_records() -> None:
    nodes = [city("a", "GB"), cso("b", "GB", basis="inferred")]
    G = build_graph(nodes, [])
    H = patched(G, {"a"}, [city("a", "GB", name="A2")], [rel("a", "b")])
    marker = BasisMarker(G).patched(H, {"a"})
    assert marker.inferred == BasisMarker(H).inferred
    new = patched_index(GapIndex(G), G, H, {"a"}, marker.index_class)
    assert isinstance(new, RecordingIndex) and new.named == set()


def test_what_is_remembered_goes_with_its_graph() -> None:
    import gc

    G = build_graph([city("a", "GB")], [])
    index_patch.remember(G, ((set(), set()), GapIndex(G)))
    assert index_patch.recall(G) is not None
    count = len(index_patch._INDEXES)
    del G
    gc.collect()
    assert len(index_patch._INDEXES) == count - 1


def test_a_funder_of_an_initiative_no_longer_active_leaves_the_funders() -> None:
    """Only the program is touched (its status), yet its funder, a neighbour, stops
    being a funder: the patched provider sets follow it."""
    nodes = [cso("fund", "GB"), {"id": "prog", "kind": "program", "name": "P", "status": "active"}]
    G = build_graph(nodes, [rel("fund", "prog", "FUNDS")])
    idx = GapIndex(G)
    _providers(idx)
    proposed = {**nodes[1], "status": "proposed"}
    H = patched(G, {"prog"}, [proposed], [rel("fund", "prog", "FUNDS")])
    new = patched_index(idx, G, H, {"prog"})
    assert "fund" not in new.provider_set(PROVIDER_SETS[0])
    assert _providers(new) == _providers(GapIndex(H))
