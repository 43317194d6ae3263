"""Diffs compose the revisions between two numbers; past states undo the later ones;
the confidential rule holds in both (graph.history.diff, .state, .visibility)."""

from __future__ import annotations

import pytest

from graph.history.checks import HistoryError, check_range, check_revision
from graph.history.compare import compare_findings
from graph.history.diff import compose, diff
from graph.history.model import Change, RelChange, Revision
from graph.history.revert import revert_plan
from graph.history.state import graph_as_of
from graph.history.visibility import visible_revision
from tests.support.graphs import gaps
from tests.support.history import ROUNDS, as_seen, graph_of, replay


@pytest.fixture(scope="module")
def history():
    return replay(ROUNDS)


def test_an_added_then_removed_record_and_a_reverted_change_vanish(history) -> None:
    _, revs = history
    d = diff(revs, 2, 4, include_confidential=True).to_dict()
    assert d == {
        "from": 2,
        "to": 4,
        "added": {"nodes": [], "relationships": [], "countries": []},
        "removed": {"nodes": [], "relationships": [], "countries": []},
        "changed": {"nodes": [], "relationships": [], "countries": []},
    }


def test_a_diff_lists_added_removed_and_changed_with_the_changed_properties(history) -> None:
    _, revs = history
    d = diff(revs, 0, 3, include_confidential=True).to_dict()
    assert [n["id"] for n in d["added"]["nodes"]] == ["hope", "hull"]
    assert d["added"]["nodes"][0]["properties"] == {
        "id": "hope",
        "kind": "cso",
        "name": "Hope UK",
        "country": "GB",
        "grassroots": False,
    }
    assert [(r["source"], r["target"]) for r in d["added"]["relationships"]] == [
        ("hope", "leeds"),
        ("hull", "york"),
        ("leeds", "york"),
    ]
    d = diff(revs, 1, 3, include_confidential=True).to_dict()
    assert d["changed"]["nodes"] == [
        {
            "id": "hope",
            "name": "Hope UK",
            "properties": {"name": {"before": "HOPE", "after": "Hope UK"}},
        }
    ]
    assert d["changed"]["relationships"] == [
        {
            "source": "leeds",
            "type": "PARTNERS_WITH",
            "target": "york",
            "properties": {"status": {"before": "active", "after": "ended"}},
        }
    ]
    d = diff(revs, 3, 4, include_confidential=True).to_dict()
    assert [n["id"] for n in d["removed"]["nodes"]] == ["hull"]
    assert d["removed"]["relationships"][0]["properties"] == {"status": "active"}


def test_a_confidential_link_is_absent_from_a_diff_unless_the_role_may_see_it(history) -> None:
    _, revs = history
    hidden = diff(revs, 1, 4).to_dict()
    assert hidden["added"]["relationships"] == []
    assert "hope" not in str(hidden["added"]["relationships"])
    assert [
        r["source"]
        for r in diff(revs, 1, 4, include_confidential=True).to_dict()["added"]["relationships"]
    ] == ["hope"]
    # made public in round 5: from then on the role sees it, as added, its public side only
    public = diff(revs, 1, 5).to_dict()
    assert [(r["source"], r["properties"]) for r in public["added"]["relationships"]] == [
        ("hope", {"status": "active"})
    ]
    assert public["changed"]["relationships"] == []


def test_history_counts_of_a_confidential_only_change_reveal_nothing(history) -> None:
    _, revs = history
    r2 = revs[1]  # hope renamed and a confidential link added
    assert r2.counts()["relationships_added"] == 1
    seen = visible_revision(r2, include_confidential=False).counts()
    assert seen["relationships_added"] == 0 and seen["nodes_changed"] == 1
    only_secret = Revision(
        9,
        9,
        "t",
        "ana",
        "x",
        Change(relationships=(RelChange("a", "PARTNERS_WITH", "b", None, {"confidential": True}),)),
    )
    assert set(visible_revision(only_secret, include_confidential=False).counts().values()) == {0}


def test_compose_keeps_the_first_before_and_the_last_after(history) -> None:
    _, revs = history
    net = compose(revs)
    hope = {n.id: n for n in net.nodes}["hope"]
    assert hope.before is None and hope.after["name"] == "Hope UK"
    assert "hull" not in {n.id for n in net.nodes}


@pytest.mark.parametrize("include_confidential", [False, True])
def test_the_state_at_each_revision_equals_the_graph_as_it_was(
    history, include_confidential
) -> None:
    maps, revs = history
    now = graph_of(maps[-1], include_confidential=include_confidential)
    for k in range(len(maps)):
        past = graph_as_of(
            now, [r for r in revs if r.id > k], include_confidential=include_confidential
        )
        assert as_seen(past) == as_seen(
            graph_of(maps[k], include_confidential=include_confidential)
        ), k


def test_a_past_state_hides_a_link_confidential_then_even_if_public_now(history) -> None:
    maps, revs = history
    now = graph_of(maps[-1])
    assert now.has_edge("hope", "leeds")
    past = graph_as_of(now, [r for r in revs if r.id > 4])
    assert not past.has_edge("hope", "leeds")
    assert graph_as_of(
        graph_of(maps[-1], include_confidential=True), [revs[-1]], include_confidential=True
    ).has_edge("hope", "leeds")


def _keys(out: dict, group: str) -> set:
    return {(f["type"], *f["subjects"]) for f in out[group]}


def test_gaps_since_sorts_findings_into_closed_new_and_persisting(history) -> None:
    maps, _ = history

    def findings(k):
        nodes, edges = maps[k]
        return gaps(list(nodes.values()), list(edges.values()))

    out = compare_findings(findings(3), findings(5)).to_dict()
    assert list(out) == ["closed", "new", "persisting"]
    assert _keys(out, "closed") == {
        ("cso.no_cso_partner", "hull"),
        ("cso.no_cso_partner", "leeds"),
        ("horizontal.isolated_city", "leeds"),
    }
    assert _keys(out, "new") == {("cso.no_grassroots_partner", "leeds")}
    assert _keys(out, "persisting") == {("cso.no_cso_partner", "york")}
    out = compare_findings(findings(0), findings(5)).to_dict()
    assert _keys(out, "closed") == {
        ("horizontal.isolated_city", "leeds"),
        ("horizontal.isolated_city", "york"),
    }
    assert _keys(out, "persisting") == set()


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (-1, 2, "unknown revision -1"),
        (0, 7, "unknown revision 7: revisions are 0 to 5"),
        (4, 2, "revision 4 is after revision 2"),
    ],
)
def test_bad_revision_numbers_are_named(start, end, message) -> None:
    with pytest.raises(HistoryError, match=message):
        check_range(start, end, 5)


def test_no_revision_yet_is_said() -> None:
    with pytest.raises(HistoryError, match="unknown revision 1: no revision is recorded yet"):
        check_revision(1, 0)


def _applied(plan, maps):  # type: ignore[no-untyped-def]
    """The maps with a revert plan written, as the loader writes it."""
    nodes, edges = ({k: dict(v) for k, v in m.items()} for m in maps)
    for i in plan.remove_nodes:
        nodes.pop(i)
    edges = {k: v for k, v in edges.items() if k[0] in nodes and k[2] in nodes}
    for k in plan.remove_relationships:
        edges.pop(k, None)
    for rec in (*plan.actors, *plan.initiatives):
        nodes[rec["id"]] = rec
    for r in plan.relationships:
        edges[(r["source"], r["type"], r["target"])] = r
    return nodes, edges


@pytest.mark.parametrize("k", range(6))
def test_a_revert_plan_brings_the_data_back_to_the_revision(history, k) -> None:  # type: ignore[no-untyped-def]
    maps, revs = history
    plan = revert_plan([r for r in revs if r.id > k])
    assert bool(plan) == (k < 5)
    assert as_seen(graph_of(_applied(plan, maps[-1]), include_confidential=True)) == as_seen(
        graph_of(maps[k], include_confidential=True)
    )


def test_a_revert_plan_removes_what_came_later_and_writes_back_what_changed(history) -> None:  # type: ignore[no-untyped-def]
    _, revs = history
    plan = revert_plan([r for r in revs if r.id > 1])
    assert plan.remove_nodes == {}
    assert list(plan.remove_relationships) == [("hope", "PARTNERS_WITH", "leeds")]
    assert [a["name"] for a in plan.actors] == ["HOPE"]
    plan = revert_plan(revs)
    assert list(plan.remove_nodes) == ["hope"] and plan.remove_nodes["hope"]["name"] == "Hope UK"
    assert set(plan.remove_relationships) == {
        ("hope", "PARTNERS_WITH", "leeds"),
        ("leeds", "PARTNERS_WITH", "york"),
    }


def test_country_names_compose_and_old_revisions_read_without_them() -> None:
    """A name set and set back vanishes from a diff; a revision recorded before country
    names were kept reads with none, and counts them as 0."""
    import json

    from graph.history.model import CountryChange, every_count

    def named(i: int, *changes: CountryChange) -> Revision:
        return Revision(i, i, "t", "w", "s", Change(countries=changes))

    revs = [
        named(1, CountryChange("GB", "United Kingdom", "Britain")),
        named(2, CountryChange("GB", "Britain", "United Kingdom"), CountryChange("NO", None, "N")),
    ]
    assert compose(revs).countries == (CountryChange("NO", None, "N"),)
    assert compose(revs[:1]).countries == (CountryChange("GB", "United Kingdom", "Britain"),)
    assert revs[1].counts()["countries_added"] == 1 and revs[1].counts()["countries_changed"] == 1
    old = json.loads(revs[0].to_json())
    del old["change"]["countries"]
    for k in ("countries_added", "countries_removed", "countries_changed"):
        del old["counts"][k]
    assert Revision.from_json(json.dumps(old)).change == Change()
    old["counts"]["nodes_added"] = 3
    counted = every_count(old["counts"])
    assert counted == {**Revision(1, 1, "t", "w", "s").counts(), "nodes_added": 3}
