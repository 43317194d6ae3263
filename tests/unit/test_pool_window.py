"""A touched node beyond the first POOL_CAP members of its country's pools is settled:
its country is not a target, and the incremental findings still equal a full run.

Each hand-built case puts the touched node where one rule of
`graph.analysis.pool_window` is at stake (a name moving into or out of a pool's first
members, a provider set ranked apart from the kind pools, the nearest cities read by
coordinates, a node becoming a provider); the randomized test narrows POOL_CAP so that
most touched nodes of a small world are settled.
"""

from __future__ import annotations

import pytest

from graph.analysis import gaps_index
from graph.analysis.gaps import find_gaps
from graph.analysis.incremental import full_findings, update_findings
from graph.analysis.pool_window import PoolWindows
from graph.analysis.reach import Change
from graph.projection import build_graph
from graph.projection_patch import patched
from tests.support.graphs import actor, city, cso, patched_to, rel
from tests.support.random_edits import World

CAP = gaps_index.POOL_CAP


def _csos(n: int, country: str = "GB") -> list[dict]:
    """`n` CSOs of one country named C00, C01 ... (name order = id order)."""
    return [cso(f"c{i:02}", country, name=f"C{i:02}") for i in range(n)]


def _update(nodes, edges, new_nodes, new_edges, touched):  # type: ignore[no-untyped-def]
    """(incremental findings, full findings, the touched nodes' countries targeted for
    `gap`) after the change, from a first generation analysed by `full_findings` (so
    its index is remembered and the windows are read)."""
    G = build_graph(nodes, edges)
    findings = full_findings(G)
    ids = set(touched)
    H = patched_to(G, new_nodes, new_edges, ids)
    want = find_gaps(build_graph(new_nodes, new_edges))
    assert want != findings  # the change mattered
    return G, H, findings, update_findings(G, findings, H, ids), want


def _settled(G, H, ids: set[str]) -> set[str]:  # type: ignore[no-untyped-def]
    """The touched nodes settled between the remembered indexes of G and H (H's is
    remembered by the update)."""
    old, new = (gaps_index_of(g) for g in (G, H))
    windows = PoolWindows(old, new)
    return {n for n in ids if windows.settled(n)}


def gaps_index_of(G):  # type: ignore[no-untyped-def]
    from graph.analysis import index_patch

    prepared = index_patch.recall(G)
    assert prepared is not None
    return prepared[1]


def test_a_name_moving_into_the_first_members_of_a_pool_reaches_the_country() -> None:
    """Leeds has no CSO partner; its suggestion names the first CSOs of Great Britain.
    The last one (beyond POOL_CAP) renamed "A" comes first: Leeds, out of its reach,
    must hear of it."""
    nodes = [city("leeds", "GB"), *_csos(CAP + 2)]
    last = f"c{CAP + 1:02}"
    renamed = [*nodes[:-1], cso(last, "GB", name="A")]
    G, H, _, got, want = _update(nodes, [], renamed, [], {last})
    assert got == want
    assert _settled(G, H, {last}) == set()


def test_a_name_moving_out_of_the_first_members_of_a_pool_reaches_the_country() -> None:
    """The first CSO renamed "Z" leaves the first POOL_CAP members: Leeds's suggestion
    names another."""
    nodes = [city("leeds", "GB"), *_csos(CAP + 2)]
    renamed = [nodes[0], cso("c00", "GB", name="Z"), *nodes[2:]]
    G, H, _, got, want = _update(nodes, [], renamed, [], {"c00"})
    assert got == want
    assert _settled(G, H, {"c00"}) == set()


def test_a_rename_beyond_the_first_members_keeps_the_country_s_findings() -> None:
    """A CSO far down every pool renamed (still far down) is settled: Leeds's finding is
    the previous object, not computed again."""
    nodes = [city("leeds", "GB"), city("york", "GB"), *_csos(CAP + 4)]
    last = f"c{CAP + 3:02}"
    edges = [rel("york", last)]
    renamed = [*nodes[:-1], cso(last, "GB", name="C99")]
    G = build_graph(nodes, edges)
    findings = full_findings(G)
    H = patched(G, {last}, renamed[-1:], edges)
    got = update_findings(G, findings, H, {last})
    assert _settled(G, H, {last}) == {last}
    assert got == find_gaps(build_graph(renamed, edges))
    leeds = [f for f in findings if f.subjects == ("leeds",)]
    assert leeds and all(any(g is f for g in got) for f in leeds)


def test_a_provider_ranked_first_among_funders_reaches_the_country() -> None:
    """The funders of Great Britain are ranked apart from their kind: a funder far down
    the private-sector pool (behind many companies that fund nothing) renamed "B"
    becomes the first funder an unsupported grassroots CSO is told about."""
    fillers = [actor(f"a{i:02}", "private_sector", "GB", name=f"A{i:02}") for i in range(CAP + 2)]
    funders = [actor(f"f{i:02}", "private_sector", "GB", name=f"F{i:02}") for i in range(CAP + 1)]
    nodes = [cso("roots", "GB", grassroots=True), cso("other", "NL"), *fillers, *funders]
    edges = [rel(f["id"], "other", "FUNDS") for f in funders]
    last = funders[-1]["id"]
    renamed = [*nodes[:-1], actor(last, "private_sector", "GB", name="B")]
    G, H, _, got, want = _update(nodes, edges, renamed, edges, {last})
    assert got == want
    assert _settled(G, H, {last}) == set()


def test_an_actor_becoming_a_provider_reaches_the_country() -> None:
    """A company far down its kind pool starts funding (a relationship, its attributes
    unchanged): it joins the funders, first by name, of an unsupported grassroots CSO
    it has no relationship with."""
    fillers = [actor(f"a{i:02}", "private_sector", "GB", name=f"A{i:02}") for i in range(CAP + 2)]
    nodes = [cso("roots", "GB", grassroots=True), cso("other", "NL"), *fillers]
    nodes.append(actor("zeta", "private_sector", "GB", name="Zeta"))
    funds = [rel("zeta", "other", "FUNDS")]
    G, H, _, got, want = _update(nodes, [], nodes, funds, {"zeta", "other"})
    assert got == want
    assert "zeta" not in _settled(G, H, {"zeta", "other"})


def test_a_located_city_renamed_is_among_its_compatriots_nearest_cities() -> None:
    """Cities are ranked by distance for an isolated city's nearby peers, not by name:
    a city far down every pool but next to Leeds renamed changes Leeds's suggestion,
    though Leeds is out of its reach; for the other types it is settled."""
    far = [city(f"b{i:02}", "GB", lat=50.0, lon=-5.0 + i / 100) for i in range(CAP + 2)]
    nodes = [city("a-leeds", "GB", lat=53.8, lon=-1.55), *far]
    nodes.append(city("zz-york", "GB", lat=53.96, lon=-1.08, name="York"))
    edges = [rel(f"b{i:02}", f"b{i + 1:02}", "TWINNED_WITH") for i in range(CAP + 1)]
    renamed = [*nodes[:-1], city("zz-york", "GB", lat=53.96, lon=-1.08, name="Eboracum")]
    G, H, _, got, want = _update(nodes, edges, renamed, edges, {"zz-york"})
    assert got == want
    assert _settled(G, H, {"zz-york"}) == {"zz-york"}
    change = Change(G, H, {"zz-york"}, _settled(G, H, {"zz-york"}).__contains__)
    from graph.analysis.gaps import GAP_TYPES

    assert change.pool_countries(GAP_TYPES["horizontal.isolated_city"].reach) == {"GB"}
    assert change.pool_countries(GAP_TYPES["cso.no_cso_partner"].reach) == frozenset()


@pytest.mark.parametrize("seed", range(10))
def test_many_random_edits_with_narrow_pools_give_the_findings_of_a_full_run(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With POOL_CAP 2, most touched nodes of the small world are settled (renames and
    relationship edits most often): every update still equals a full run."""
    monkeypatch.setattr(gaps_index, "POOL_CAP", 2)
    world = World(seed)
    vis = seed % 2 == 1
    G = world.graph(include_confidential=vis)
    findings = full_findings(G)
    settled = 0
    for step in range(25):
        touched = world.rename() if step % 2 else world.edits(1 if step % 3 else 2)
        H = patched(G, touched, world.node_maps(touched), world.edges_touching(touched))
        findings = update_findings(G, findings, H, touched)
        settled += len(_settled(G, H, touched))
        assert findings == find_gaps(world.graph(include_confidential=vis)), (seed, step)
        G = H
    assert settled  # the windows were exercised
