"""History on a real store: ten rounds of edits (loads and a delete), then diffs, past
states and gaps since, checked against hand-computed answers (graph.history.service)."""

from __future__ import annotations

from typing import Any

import pytest

from graph.analysis.service import AnalysisService
from graph.history.checks import HistoryError
from graph.history.service import Filters, HistoryService
from graph.projection import project
from graph.store.base import Store
from tests.support.history import STORE_ROUNDS, apply_round, as_seen


@pytest.fixture(scope="module")
def rounds(server_dir):  # type: ignore[no-untyped-def]
    """The store after the ten rounds, and the projections recorded after each."""
    import uuid

    from graph.store import open_store

    store = open_store(f"embedded:{server_dir}?graph=hist{uuid.uuid4().hex[:8]}")
    seen = {vis: [as_seen(project(store, include_confidential=vis))] for vis in (False, True)}
    for k, step in enumerate(STORE_ROUNDS, start=1):
        apply_round(store, step, k)
        for vis in (False, True):
            seen[vis].append(as_seen(project(store, include_confidential=vis)))
    yield store, seen
    store.drop()  # type: ignore[attr-defined]
    store.close()


def _keys(d: dict[str, Any], action: str) -> set[str]:
    part = d[action]
    return {n["id"] for n in part["nodes"]} | {
        f"{r['source']} {r['type']} {r['target']}" for r in part["relationships"]
    }


def test_each_write_is_one_revision_in_order(rounds) -> None:  # type: ignore[no-untyped-def]
    store, _ = rounds
    hist = HistoryService(AnalysisService(store))
    revisions = hist.history(include_confidential=True)
    assert [r["id"] for r in revisions] == list(range(1, 11))
    assert [r["source"] for r in revisions][:3] == ["round1.yaml", "round2.yaml", "round3.yaml"]
    assert revisions[6]["source"] == "delete" and revisions[6]["who"] == "tester"
    # round 4 only added a confidential link: a reader sees a revision that counts nothing
    assert revisions[3]["counts"]["relationships_added"] == 1
    assert set(hist.history()[3]["counts"].values()) == {0}


@pytest.mark.parametrize("vis", [False, True])
def test_the_graph_as_of_each_revision_is_the_graph_as_it_was(rounds, vis) -> None:  # type: ignore[no-untyped-def]
    store, seen = rounds
    hist = HistoryService(AnalysisService(store))
    for k in range(11):
        assert as_seen(hist.graph_at(k, include_confidential=vis)) == seen[vis][k], k


def test_diffs_across_the_rounds_are_the_hand_computed_ones(rounds) -> None:  # type: ignore[no-untyped-def]
    store, _ = rounds
    hist = HistoryService(AnalysisService(store))
    everything = hist.diff(0, 10, include_confidential=True).to_dict()
    assert _keys(everything, "added") == {
        "leeds",
        "york",
        "hope",
        "roots",
        "leeds PARTNERS_WITH york",
        "hope PARTNERS_WITH leeds",
        "roots PARTNERS_WITH york",
    }  # hull came in round 5 and went in round 7, with its link: it vanishes
    assert _keys(everything, "removed") == _keys(everything, "changed") == set()
    # 4..8: hull and its link came and went; leeds-york ended then active again: no change
    assert hist.diff(4, 8, include_confidential=True).to_dict()["changed"] == {
        "nodes": [],
        "relationships": [],
        "countries": [],
    }
    d = hist.diff(2, 3).to_dict()
    assert d["changed"]["nodes"] == [
        {
            "id": "hope",
            "name": "Hope UK",
            "properties": {"name": {"before": "Hope", "after": "Hope UK"}},
        }
    ]
    d = hist.diff(5, 7, include_confidential=True).to_dict()
    assert _keys(d, "removed") == {"hull", "hull PARTNERS_WITH york"}
    assert d["changed"]["relationships"][0]["properties"] == {
        "status": {"before": "active", "after": "ended"}
    }


def test_a_reader_never_sees_the_link_while_it_was_confidential(rounds) -> None:  # type: ignore[no-untyped-def]
    store, _ = rounds
    hist = HistoryService(AnalysisService(store))
    assert "SECRET-ROUND-4" not in str(hist.diff(0, 8).to_dict())
    assert "SECRET-ROUND-4" in str(hist.diff(0, 8, include_confidential=True).to_dict())
    public = hist.diff(8, 9).to_dict()  # made public in round 9: added, as public
    assert _keys(public, "added") == {"hope PARTNERS_WITH leeds"}
    assert "SECRET" not in str(public)
    assert not hist.graph_at(8).has_edge("hope", "leeds")
    assert hist.graph_at(8, include_confidential=True).has_edge("hope", "leeds")


def _since(hist: HistoryService, rev: int, **kw: Any) -> dict[str, set[tuple[str, ...]]]:
    out = hist.since(rev, **kw).to_dict()
    return {g: {(f["type"], *f["subjects"]) for f in out[g]} for g in out}


def test_gaps_since_are_the_hand_computed_ones(rounds) -> None:  # type: ignore[no-untyped-def]
    store, _ = rounds
    hist = HistoryService(AnalysisService(store))
    # at 1: two cities, no link at all (no CSO: the CSO types were not assessed)
    assert _since(hist, 1) == {
        "closed": {("horizontal.isolated_city", "leeds"), ("horizontal.isolated_city", "york")},
        # now: leeds's one CSO partner (hope) is not grassroots; roots has no support
        "new": {("cso.no_grassroots_partner", "leeds"), ("cso.unsupported_grassroots", "roots")},
        "persisting": set(),
    }
    # at 6: leeds-york ended, so leeds has no city link; hull has no CSO partner
    assert _since(hist, 6) == {
        "closed": {
            ("horizontal.isolated_city", "leeds"),
            ("cso.no_cso_partner", "hull"),
            ("cso.no_cso_partner", "leeds"),
            ("cso.no_cso_partner", "york"),
        },
        "new": {("cso.no_grassroots_partner", "leeds"), ("cso.unsupported_grassroots", "roots")},
        "persisting": set(),
    }
    # the analyst saw hope-leeds from round 4: leeds had its CSO partner then
    assert ("cso.no_cso_partner", "leeds") not in _since(hist, 6, include_confidential=True)[
        "closed"
    ]
    only = _since(hist, 6, filters=Filters(country="GB", types=("horizontal.isolated_city",)))
    assert only == {
        "closed": {("horizontal.isolated_city", "leeds")},
        "new": set(),
        "persisting": set(),
    }


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda h: h.diff(4, 2), "revision 4 is after revision 2"),
        (lambda h: h.diff(0, 11), "unknown revision 11: revisions are 0 to 10"),
        (lambda h: h.graph_at(-1), "unknown revision -1"),
        (lambda h: h.since(99), "unknown revision 99"),
    ],
)
def test_bad_revision_numbers_are_named(rounds, call, message) -> None:  # type: ignore[no-untyped-def]
    store, _ = rounds
    with pytest.raises(HistoryError, match=message):
        call(HistoryService(AnalysisService(store)))


def test_a_write_without_a_revision_makes_earlier_states_unknown(store: Store) -> None:
    apply_round(store, STORE_ROUNDS[0], 1)
    with store.transaction() as tx:  # a write that records no revision
        tx.run("MATCH (n:Entity {id: 'leeds'}) SET n.name = 'Changed behind its back'")
    apply_round(store, STORE_ROUNDS[1], 2)
    apply_round(store, STORE_ROUNDS[2], 3)
    hist = HistoryService(AnalysisService(store))
    with pytest.raises(HistoryError, match="as of revision 1 cannot be rebuilt"):
        hist.graph_at(1)
    assert hist.graph_at(2).nodes["leeds"]["name"] == "Changed behind its back"
    assert hist.diff(0, 3).to_dict()["added"]["nodes"]  # diffs need only the revisions


def test_after_a_clear_the_history_starts_again_where_it_was_cleared(store: Store) -> None:
    for k, step in enumerate(STORE_ROUNDS[:2], start=1):
        apply_round(store, step, k)
    store.clear()
    apply_round(store, STORE_ROUNDS[0], 3)
    hist = HistoryService(AnalysisService(store))
    earliest, latest = hist.bounds()
    assert latest == earliest + 1 and [r["id"] for r in hist.history()] == [latest]
    assert hist.graph_at(earliest).number_of_nodes() == 0
    with pytest.raises(HistoryError, match=f"revisions are {earliest} to {latest}"):
        hist.graph_at(earliest - 1)
