"""A country's name set by a `countries` section is part of the history: the revision
counts it, a diff shows it before and after, a revert puts the earlier name back, and the
load's report names it, over the store, the CLI and the API (the bug: such a load
recorded a revision of no change, said nothing of it, and no revert could undo it)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from graph.analysis.service import AnalysisService
from graph.history.service import HistoryService
from graph.queries import load as load_queries
from graph.store.base import Store
from ingest.load import load_dataset
from ingest.readers.document import dataset_from_mapping
from ingest.revert import revert
from tests.support.api import running_api
from tests.support.cli import cli_streams

LEEDS = {"actors": [{"id": "leeds", "kind": "city", "name": "Leeds", "country": "GB"}]}
RENAME_GB = {"countries": [{"code": "GB", "name": "Great Britain"}]}
NAME_NO = {"countries": [{"code": "NO", "name": "Norge"}]}


def _load(store: Store, data: dict[str, Any], source: str) -> None:
    load_dataset(store, dataset_from_mapping(data, source=source), source=source)


def _names(store: Store) -> dict[str, str]:
    rows = load_queries.STORED_COUNTRIES.read(store, codes=["GB", "NO"]).rows
    return dict(rows)


def _rounds(store: Store) -> str:
    """Leeds (1), GB renamed (2), NO named first (3); returns GB's first name."""
    _load(store, LEEDS, "leeds.yaml")
    first = _names(store)["GB"]
    _load(store, RENAME_GB, "rename.yaml")
    _load(store, NAME_NO, "norway.yaml")
    return first


def test_a_rename_is_counted_diffed_and_reverted(store: Store) -> None:
    first = _rounds(store)
    assert first != "Great Britain"
    hist = HistoryService(AnalysisService(store))
    counts = [r["counts"] for r in hist.history()]
    assert [c["countries_changed"] for c in counts] == [0, 1, 0]
    assert [c["countries_added"] for c in counts] == [0, 0, 1]
    d = hist.diff(1, 3).to_dict()
    assert d["changed"]["countries"] == [
        {"code": "GB", "properties": {"name": {"before": first, "after": "Great Britain"}}}
    ]
    assert d["added"]["countries"] == [{"code": "NO", "properties": {"name": "Norge"}}]
    assert hist.diff(3, 3).to_dict()["changed"]["countries"] == []

    done = revert(store, 1, who="tester")
    assert done.new_revision == 4
    # GB has its first name back; NO, named first since, keeps its node and name
    assert _names(store) == {"GB": first, "NO": "Norge"}
    assert [c["code"] for c in done.diff.to_dict()["changed"]["countries"]] == ["GB"]
    hist = HistoryService(AnalysisService(store))
    assert hist.history()[-1]["counts"]["countries_changed"] == 1
    assert hist.diff(1, 4).to_dict()["changed"]["countries"] == []


def test_the_same_name_again_records_no_country_change(store: Store) -> None:
    _rounds(store)
    _load(store, RENAME_GB, "rename-again.yaml")
    hist = HistoryService(AnalysisService(store))
    assert hist.history()[-1]["counts"]["countries_changed"] == 0


def test_history_and_diff_on_the_command_line(env: dict[str, str]) -> None:
    from graph.store import open_store

    store = open_store(env["SCN_GRAPH_STORE"])
    try:
        first = _rounds(store)
    finally:
        store.close()
    code, out, err = cli_streams("history", "--format", "json")
    assert code == 0, err
    assert [r["counts"]["countries_changed"] for r in json.loads(out)] == [0, 1, 0]
    code, out, err = cli_streams("history")
    assert code == 0, err
    assert "countries" in out and "+0 -0 ~1" in out and "+1 -0 ~0" in out
    code, out, err = cli_streams("diff", "1", "2")
    assert code == 0, err
    assert "country" in out and "GB" in out
    assert f"name: {first!r} -> 'Great Britain'" in " ".join(out.split())


def test_the_load_says_which_countries_it_names(env: dict[str, str], tmp_path: Path) -> None:
    from graph.store import open_store

    store = open_store(env["SCN_GRAPH_STORE"])
    try:
        _load(store, LEEDS, "leeds.yaml")
        first = _names(store)["GB"]
    finally:
        store.close()
    path = tmp_path / "names.yaml"
    path.write_text(
        "countries:\n  - code: GB\n    name: Great Britain\n  - code: NO\n    name: Norge\n"
    )
    code, out, err = cli_streams("ingest", str(path), "--dry-run")
    assert code == 0, err
    assert f"2 named: GB 'Great Britain' (was {first!r}), NO 'Norge'" in out
    code, out, err = cli_streams("ingest", str(path), "--report-format", "json")
    assert code == 0, err
    assert json.loads(out)["report"]["countries"] == [
        {"code": "GB", "name": "Great Britain", "was": first},
        {"code": "NO", "name": "Norge", "was": None},
    ]
    code, out, err = cli_streams("ingest", str(path))  # named already: nothing to say
    assert code == 0, err
    assert "named" not in out


def test_history_and_diff_over_the_api(server_dir: Path, tmp_path: Path) -> None:
    with running_api(server_dir, tmp_path) as api:
        first = _rounds(api.store)
        with api.client("reader") as c:
            items = c.get("/api/history").json()["items"]
            d = c.get("/api/diff", params={"from": 1, "to": 3})
        assert [r["counts"]["countries_changed"] for r in items] == [0, 1, 0]
        assert [r["counts"]["countries_added"] for r in items] == [0, 0, 1]
        assert d.status_code == 200, d.text
        assert d.json()["changed"]["countries"] == [
            {"code": "GB", "properties": {"name": {"before": first, "after": "Great Britain"}}}
        ]
        body = "countries:\n  - code: GB\n    name: Britain\n"
        with api.client("editor") as c:
            r = c.post("/api/ingest", files={"file": ("names.yaml", body)})
        assert r.status_code == 200, r.text
        assert r.json()["report"]["countries"] == [
            {"code": "GB", "name": "Britain", "was": "Great Britain"}
        ]
