"""`scn-graph revert REV`: the graph brought back to a revision, as one new revision,
through the loader (removals in the same transaction), on a real store."""

from __future__ import annotations

import json

from graph.analysis.service import AnalysisService
from graph.history.service import HistoryService
from graph.projection import project
from graph.store.base import Store
from ingest.revert import revert
from tests.support.cli import cli_streams
from tests.support.history import STORE_ROUNDS, apply_round, as_seen


def _seen(store: Store) -> tuple:
    return tuple(as_seen(project(store, include_confidential=vis)) for vis in (False, True))


def test_revert_brings_the_graph_back_as_one_new_revision(store: Store) -> None:
    seen = [_seen(store)]
    for k, step in enumerate(STORE_ROUNDS, start=1):
        apply_round(store, step, k)
        seen.append(_seen(store))
    done = revert(store, 4, who="tester")
    assert done.new_revision == 11
    assert _seen(store) == seen[4]  # hull, the link made public and roots: all undone
    hist = HistoryService(AnalysisService(store))
    last = hist.history(include_confidential=True)[-1]
    assert (last["id"], last["source"], last["who"]) == (11, "revert", "tester")
    empty = {"nodes": [], "relationships": [], "countries": []}
    d = hist.diff(4, 11, include_confidential=True).to_dict()
    assert d["added"] == d["removed"] == d["changed"] == empty  # sources included
    # a revert is a revision like any other: reverting it gives the graph of round 10
    revert(store, 10, who="tester")
    assert _seen(store) == seen[10]
    # back to the start: nothing left
    revert(store, 0, who="tester")
    assert project(store, include_confidential=True).number_of_nodes() == 0


def test_revert_on_the_command_line(env) -> None:  # type: ignore[no-untyped-def]
    from graph.store import open_store

    store = open_store(env["SCN_GRAPH_STORE"])
    try:
        for k, step in enumerate(STORE_ROUNDS[:5], start=1):
            apply_round(store, step, k)
        before = _seen(store)
        code, out, err = cli_streams("revert", "2", "--dry-run")
        assert code == 0, err
        assert "Dry run" in out and "hull" in out and "SECRET" not in out
        assert _seen(store) == before
        code, out, err = cli_streams("revert", "2", "--format", "json")
        assert code == 0, err
        value = json.loads(out)
        assert value["revision"] == 6 and value["dry_run"] is False
        assert {n["id"] for n in value["diff"]["removed"]["nodes"]} == {"hull"}
        code, out, _ = cli_streams("revert", "6")
        assert code == 0 and "Nothing to revert" in out
        code, _, err = cli_streams("revert", "9")
        assert code == 2 and "unknown revision 9: revisions are 0 to 6" in err
    finally:
        store.close()
