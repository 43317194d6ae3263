"""`ingest --sync`: the files are the whole truth for their source. Only what that source
alone held goes (with its relationships), shared records only lose the source, every
removal is listed, a large one needs --yes, and a killed sync leaves graph and history
as they were."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest
import yaml

from graph.history.read import revisions
from graph.read.stats import stats
from graph.store import Store
from ingest.load import SyncRefused, load_dataset
from ingest.problems import ValidationFailed
from ingest.readers.document import dataset_from_mapping
from tests.support.cli import cli_streams
from tests.support.load_worker import SYNC_SOURCE, synthetic
from tests.support.store import load
from tests.support.workers import snapshot, start_worker, wait_for_line


def city(cid: str, **kw: object) -> dict:
    return {"id": cid, "name": cid.capitalize(), "kind": "city", "country": "GB", **kw}


def link(a: str, b: str) -> dict:
    return {"source": a, "type": "PARTNERS_WITH", "target": b}


NET = {
    "actors": [city("leeds"), city("bradford"), city("york"), city("hull"), city("wakefield")],
    "relationships": [link("leeds", "bradford"), link("york", "leeds"), link("hull", "york")],
}
OTHER = {"actors": [city("york"), city("ripon")], "relationships": [link("ripon", "york")]}


def write_yaml(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data))
    return path


def sync(store: Store, data: dict, label: str = "net", **kw: bool) -> object:
    dataset = dataset_from_mapping(data, source=f"{label}.yaml")
    dataset.label_all(label)
    return load_dataset(store, dataset, sync=[label], **kw)


def ids(store: Store) -> set[str]:
    return {r[0] for r in store.run("MATCH (n:Entity) RETURN n.id", read_only=True).rows}


def links(store: Store) -> set[tuple[str, str]]:
    rows = store.run(
        "MATCH (a:Entity)-[:PARTNERS_WITH]->(b:Entity) RETURN a.id, b.id", read_only=True
    ).rows
    return {tuple(sorted(r)) for r in rows}  # type: ignore[misc]


def test_a_sync_removes_what_only_its_source_held_and_unlabels_the_rest(store: Store) -> None:
    sync(store, NET)
    sync(store, OTHER, "other")
    kept = {
        "actors": [city("leeds"), city("bradford"), city("hull"), city("wakefield")],
        "relationships": [link("leeds", "bradford")],
    }
    report = sync(store, kept)
    assert ids(store) == {"leeds", "bradford", "hull", "wakefield", "york", "ripon"}
    assert links(store) == {("bradford", "leeds"), ("ripon", "york")}
    assert report.relationships.removed == 2 and report.actors.removed == 0
    assert report.released == 1  # york: the other source still holds it
    # One revision, with every removal and its data before.
    rev = revisions(store)[-1]
    gone = {(r.source, r.target): r for r in rev.change.relationships if r.action == "removed"}
    assert set(gone) == {("leeds", "york"), ("hull", "york")}
    assert all(r.before["status"] == "active" and r.after is None for r in gone.values())
    # When the other source lets go of york too, it goes, with its last link.
    sync(store, {"actors": [city("ripon")]}, "other", allow_large_sync=True)
    assert ids(store) == {"leeds", "bradford", "hull", "wakefield", "ripon"}
    assert links(store) == {("bradford", "leeds")}
    removed = [n for n in revisions(store)[-1].change.nodes if n.action == "removed"]
    assert [(n.id, n.before["name"]) for n in removed] == [("york", "York")]


def test_records_without_a_source_are_never_removed_by_a_sync(store: Store) -> None:
    """Records loaded before source bookkeeping (or made through the API) belong to no
    source; once a load names their source, a later sync governs them."""
    load(store, NET)  # no source label, as data loaded by an older version
    sync(store, {"actors": [city("leeds")]})
    assert ids(store) == {"leeds", "bradford", "york", "hull", "wakefield"}
    sync(store, {"actors": [city("leeds"), city("bradford")]})
    sync(store, {"actors": [city("leeds")]})
    assert "bradford" not in ids(store) and "york" in ids(store)


def test_a_sync_taking_more_than_half_of_a_source_needs_confirming(store: Store) -> None:
    sync(store, NET)
    before, history = snapshot(store), revisions(store)
    with pytest.raises(SyncRefused, match="more than half"):
        sync(store, {"actors": [city("leeds")]})
    assert snapshot(store) == before and revisions(store) == history
    dry = sync(store, {"actors": [city("leeds")]}, dry_run=True)
    assert any("refused unless confirmed" in w for w in dry.warnings)
    sync(store, {"actors": [city("leeds")]}, allow_large_sync=True)
    assert ids(store) == {"leeds"}


def test_a_sync_refuses_to_remove_what_a_kept_record_still_names(store: Store) -> None:
    sync(store, NET)
    sync(
        store,
        {"actors": [city("ripon"), {**city("ripon-cso"), "kind": "cso", "city": "hull"}]},
        "other",
    )
    with pytest.raises(ValidationFailed) as caught:
        sync(
            store,
            {
                "actors": [city("leeds"), city("bradford"), city("york"), city("wakefield")],
                "relationships": [link("leeds", "bradford"), link("hull", "york")],
            },
            allow_large_sync=True,
        )
    text = str(caught.value)
    assert "'hull' is removed by this sync" in text  # the file still links to it
    assert "'ripon-cso' has it as its city" in text  # a stored actor kept names it
    assert "hull" in ids(store)


def test_each_file_is_its_own_source_without_a_label(
    store: Store, store_uri: str, tmp_path: Path
) -> None:
    """A record that moves from one file to the other stays; one in neither goes."""
    a = write_yaml(tmp_path / "a.yaml", {"actors": [city("leeds"), city("york")]})
    b = write_yaml(tmp_path / "b.yaml", {"actors": [city("hull")]})
    assert cli_streams("ingest", str(a), str(b), "--store", store_uri)[0] == 0
    write_yaml(a, {"actors": [city("leeds")]})
    write_yaml(b, {"actors": [city("hull"), city("york"), city("wakefield")]})
    code, _out, err = cli_streams("ingest", str(a), str(b), "--sync", "--store", store_uri)
    assert code == 0, err
    assert ids(store) == {"leeds", "hull", "york", "wakefield"}
    write_yaml(b, {"actors": [city("hull"), city("wakefield")]})
    code, _, err = cli_streams("ingest", str(a), str(b), "--sync", "--store", store_uri)
    assert code == 0, err
    assert "york" not in ids(store)
    assert revisions(store)[-1].source == "a.yaml, b.yaml"


def test_cli_dry_run_lists_every_removal_by_id_and_name(
    store: Store, store_uri: str, tmp_path: Path
) -> None:
    path = write_yaml(tmp_path / "net.yaml", NET)
    assert cli_streams("ingest", str(path), "--source", "net", "--store", store_uri)[0] == 0
    write_yaml(
        path,
        {
            "actors": [city("leeds"), city("bradford"), city("york"), city("hull")],
            "relationships": [link("leeds", "bradford"), link("york", "leeds")],
        },
    )
    args = ("ingest", str(path), "--source", "net", "--sync", "--store", store_uri)
    before = snapshot(store)
    code, out, err = cli_streams(*args, "--dry-run")
    assert code == 0, err
    assert "Would remove 2 record(s)" in out
    assert "wakefield  (Wakefield)" in out
    assert "hull PARTNERS_WITH york  (Hull → York)" in out
    code, out, err = cli_streams(*args, "--dry-run", "--report-format", "json")
    body = json.loads(out)["report"]
    assert body["actors"]["removed"] == 1 and body["relationships"]["removed"] == 1
    assert body["sync"]["removals"][0] == {"id": "wakefield", "name": "Wakefield", "kind": "city"}
    assert snapshot(store) == before
    code, out, err = cli_streams(*args)
    assert code == 0 and "Removed 2 record(s)" in out
    assert stats(store)["actors"] == 4


def test_cli_refuses_a_large_sync_without_yes(store: Store, store_uri: str, tmp_path: Path) -> None:
    path = write_yaml(tmp_path / "net.yaml", NET)
    assert cli_streams("ingest", str(path), "--store", store_uri)[0] == 0
    write_yaml(path, {"actors": [city("leeds")]})
    code, _, err = cli_streams("ingest", str(path), "--sync", "--store", store_uri)
    assert code == 1 and "more than half" in err and "--yes" in err
    assert stats(store)["actors"] == 5
    code, _, err = cli_streams("ingest", str(path), "--sync", "--yes", "--store", store_uri)
    assert code == 0, err
    assert stats(store)["actors"] == 1


def test_sigkill_during_a_staged_sync_leaves_graph_and_history_as_before(
    store: Store, store_uri: str
) -> None:
    base = synthetic("s", 4_000, 12_000)
    base.label_all(SYNC_SOURCE)
    load_dataset(store, base)
    before, history = snapshot(store), revisions(store)
    proc = start_worker(store_uri, "s", 2_000, 12_000, "sync")
    wait_for_line(proc, "batch relationships", timeout=180)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    assert snapshot(store) == before
    assert revisions(store) == history
