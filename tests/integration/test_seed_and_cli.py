"""The workshop seed dataset and the core commands (seed, stats, query, db), end to end."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from graph import schema
from graph.store import Store
from ingest.readers import read_input
from ingest.records import Dataset
from tests.support.cli import cli_streams
from tests.support.paths import ROOT

SEED_DOC = "000_1c898fc5f72e3a3a.txt"
SEED = ROOT / "ingest" / "data" / "workshop.yaml"


def seed_file() -> Dataset:
    """The seed as `ingest` reads it: what the store must hold after `seed`."""
    return read_input(SEED)


def test_seed_loads_the_workshop_entities(store: Store, store_uri: str) -> None:
    code, out, err = cli_streams("seed", "--store", store_uri)
    assert code == 0, err
    assert "actors" in out and "created" in out
    names = {
        r[0]: r[1] for r in store.run("MATCH (n:Entity) RETURN n.id, n.name", read_only=True).rows
    }
    # Organisations, programs and frameworks the summary names.
    for rid in (
        "london",
        "scn",
        "fcdo",
        "mopac",
        "rusi",
        "gctf",
        "ran",
        "cst",
        "ireportit",
        "london-tech-sector",
    ):
        assert rid in names, rid
    assert "Strong Cities Network" in names["scn"]
    # Relationships the summary states.
    rows = store.run(
        "MATCH (a:Entity)-[r]->(b:Entity) RETURN a.id, type(r), b.id, r.status",
        read_only=True,
    ).rows
    triples = {(a, t, b) for a, t, b, _ in rows}
    assert ("london", "RUNS", "ireportit") in triples
    assert ("scn", "PUBLISHES", "scn-10-steps") in triples, "authorship is PUBLISHES"
    assert any(
        t == "PARTNERS_WITH" and {"london", "london-tech-sector"} == {a, b} for a, t, b in triples
    )
    status = {(a, t, b): s for a, t, b, s in rows}
    assert status["scn", "RUNS", "scn-national-local-cooperation-wg"] == "planned", "'will'"
    assert status["scn", "RUNS", "scn-me-repository"] == "proposed", "'should'"


def test_seed_keeps_each_records_status_basis_and_type(store: Store, store_uri: str) -> None:
    """What the store holds is the file's reading of the summary: the same statuses and
    types, and `basis` stored on the inferred records only (never 'stated')."""
    assert cli_streams("seed", "--store", store_uri)[0] == 0
    ds = seed_file()

    def basis(r: object) -> str | None:
        b = getattr(r, "basis", None)
        return b.value if b else None

    nodes = store.run("MATCH (n:Entity) RETURN n.id, n.status, n.basis", read_only=True).rows
    assert {i: (st, b) for i, st, b in nodes} == {
        **{a.id: (None, basis(a)) for a in ds.actors},
        **{i.id: (i.status.value, basis(i)) for i in ds.initiatives},
    }
    rels = store.run(
        "MATCH (a:Entity)-[r]->(b:Entity) RETURN a.id, type(r), b.id, r.status, r.basis",
        read_only=True,
    ).rows
    symmetric = schema.SYMMETRIC_TYPES  # stored once, in either order

    def key(a: str, t: str, b: str) -> tuple[str, str, str]:
        return (min(a, b), t, max(a, b)) if t in symmetric else (a, t, b)

    assert {key(a, t, b): (st, bs) for a, t, b, st, bs in rels} == {
        key(r.source, r.type, r.target): (r.status.value, basis(r)) for r in ds.relationships
    }
    assert sum(1 for *_, b in rels if b == "inferred") == 6
    assert sum(1 for *_, b in nodes if b == "inferred") == 6


def test_every_seed_record_cites_the_workshop_summary(store: Store, store_uri: str) -> None:
    assert cli_streams("seed", "--store", store_uri)[0] == 0
    for label in ("n:Entity", "()-[n]->()"):
        q = (
            f"MATCH ({label}) RETURN n.sources"
            if label == "n:Entity"
            else "MATCH (:Entity)-[n]->(:Entity) RETURN n.sources"
        )
        for (sources,) in store.run(q, read_only=True).rows:
            assert sources and any(SEED_DOC in s for s in sources), sources


def test_vague_mentions_are_modelled_as_vague(store: Store, store_uri: str) -> None:
    assert cli_streams("seed", "--store", store_uri)[0] == 0
    note = store.run(
        "MATCH (n:Entity {id: 'london-tech-sector'}) RETURN n.note", read_only=True
    ).scalar()
    assert note and "collective" in note.lower()


def test_seed_is_idempotent_and_dry_run_writes_nothing(store: Store, store_uri: str) -> None:
    code, out, _ = cli_streams("seed", "--store", store_uri, "--dry-run")
    assert code == 0 and "Dry run" in out
    assert store.run("MATCH (n:Entity) RETURN count(n)", read_only=True).scalar() == 0
    assert cli_streams("seed", "--store", store_uri)[0] == 0
    gen = store.generation
    code, out, _ = cli_streams("seed", "--store", store_uri)
    assert code == 0
    assert " 0 created" in out and " 0 updated" in out
    assert store.generation == gen, "an unchanged reload must not write"


def test_ingesting_the_seed_file_twice_changes_nothing(store: Store, store_uri: str) -> None:
    code, out, err = cli_streams("ingest", str(SEED), "--store", store_uri)
    assert code == 0, err
    gen = store.generation
    code, out, err = cli_streams("ingest", str(SEED), "--store", store_uri)
    assert code == 0, err
    ds = seed_file()
    for section in ("actors", "initiatives", "relationships"):
        n = len(getattr(ds, section))
        line = next(x for x in out.splitlines() if x.strip().startswith(section))
        assert line.split() == [section, "0", "created", "0", "updated", str(n), "unchanged"]
    assert store.generation == gen, "an unchanged reload must not write"


def test_seed_co_authors_and_past_events_make_no_current_link(store: Store) -> None:
    """PUBLISHES makes no shared-initiative link, and an ended workshop joins nobody:
    ORIV and ESEIS wrote one paper together, which the summary reports as all they share."""
    from graph.analysis.undirected import actor_graph
    from graph.projection import project
    from ingest.load import load_dataset

    load_dataset(store, seed_file())
    A = actor_graph(project(store))
    assert not A.has_edge("oriv", "eseis")
    assert not A.has_edge("fcdo", "scn") and not A.has_edge("fcdo", "london")
    assert A.has_edge("scn", "london"), "the collaboration is a current PARTNERS_WITH"


def test_seed_findings_follow_the_corrected_statuses(store: Store) -> None:
    """Seed findings that follow from the data itself (re-check after analysis changes):
    every active program without an evaluation is reported and no program that is not
    active; London keeps its active private partner (the IREPORTIT partnership)."""
    from graph.analysis.gaps import find_gaps
    from graph.projection import project
    from ingest.load import load_dataset

    ds = seed_file()
    load_dataset(store, ds)
    findings = find_gaps(project(store))
    unevaluated = {f.subjects[0] for f in findings if f.type == "me.program_unevaluated"}
    evaluated = {r.target for r in ds.relationships if r.type == "EVALUATES"}
    programs = {i.id: i.status.value for i in ds.initiatives if i.kind == "program"}
    assert "rusi-prevention-project" in programs and programs["rusi-prevention-project"] == "ended"
    assert unevaluated == {p for p, st in programs.items() if st == "active"} - evaluated
    assert not any(
        f.type == "private.no_private_partner" and "london" in f.subjects for f in findings
    )


def test_stats_json_has_integer_totals(store: Store, store_uri: str) -> None:
    assert cli_streams("seed", "--store", store_uri)[0] == 0
    code, out, _ = cli_streams("stats", "--store", store_uri, "--format", "json")
    assert code == 0
    data = json.loads(out)
    for key in ("actors", "initiatives", "relationships"):
        assert isinstance(data[key], int) and data[key] > 0
    assert data["actors"] == sum(data["actors_by_kind"].values())
    by_type = {t: sum(1 for r in seed_file().relationships if r.type == t) for t in ("RUNS",
               "PUBLISHES")}  # fmt: skip
    assert {t: data["relationships_by_type"][t] for t in by_type} == by_type


def test_query_with_params_and_formats(store: Store, store_uri: str) -> None:
    assert cli_streams("seed", "--store", store_uri)[0] == 0
    code, out, _ = cli_streams(
        "query",
        "MATCH (n:Entity {id: $id}) RETURN n.name AS name",
        "--param",
        "id=london",
        "--store",
        store_uri,
        "--format",
        "json",
    )
    assert code == 0
    assert json.loads(out) == [{"name": "London (Mayor of London)"}]
    code, out, _ = cli_streams(
        "query", "RETURN $n + 1 AS x", "-p", "n=41", "--store", store_uri, "-f", "csv"
    )
    assert code == 0 and out.strip().splitlines() == ["x", "42"]


@pytest.mark.parametrize(
    "cypher",
    [
        "CREATE (:Entity {id: 'x'})",
        "MATCH (n:Entity) SET n.name = 'x'",
        "MATCH (n) DETACH DELETE n",
    ],
)
def test_query_refuses_writes(store: Store, store_uri: str, cypher: str) -> None:
    assert cli_streams("seed", "--store", store_uri)[0] == 0
    before = store.run("MATCH (n) RETURN count(n)", read_only=True).scalar()
    code, _, err = cli_streams("query", cypher, "--store", store_uri)
    assert code == 1 and "only read queries" in err
    assert store.run("MATCH (n) RETURN count(n)", read_only=True).scalar() == before


def test_query_bad_param_is_a_usage_error(store_uri: str) -> None:
    code, _, err = cli_streams("query", "RETURN 1", "--param", "novalue", "--store", store_uri)
    assert code == 2 and "KEY=VALUE" in err


def test_db_start_status_stop(tmp_path: Path) -> None:
    """The console script itself, in a fresh data directory."""
    exe = [sys.executable, "-m", "cli"]
    d = str(tmp_path / "db")
    status = subprocess.run([*exe, "db", "status", "--data-dir", d], capture_output=True, text=True)
    assert status.returncode == 3 and "running: False" in status.stdout
    start = subprocess.run([*exe, "db", "start", "--data-dir", d], capture_output=True, text=True)
    assert start.returncode == 0, start.stderr
    status = subprocess.run(
        [*exe, "db", "status", "--data-dir", d, "--json"], capture_output=True, text=True
    )
    info = json.loads(status.stdout)
    assert info["running"] is True and info["socket"].endswith("falkordb.sock")
    stop = subprocess.run([*exe, "db", "stop", "--data-dir", d], capture_output=True, text=True)
    assert stop.returncode == 0 and "stopped" in stop.stdout


def test_up_loads_summarises_and_prints_gaps(store: Store, store_uri: str) -> None:
    """The main job without its final `serve` (served pages are tested in the API/viz tests)."""
    code, out, err = cli_streams("up", "--no-serve", "--store", store_uri)
    assert code == 0, err
    assert "Workshop seed dataset" in out
    assert "Partnership gaps in the workshop dataset" in out
    assert "vertical.no_national_link" in out
    assert (
        store.run("MATCH (n:Entity {id: 'london'}) RETURN count(n)", read_only=True).scalar() == 1
    )


def test_countries_section_is_written(store: Store) -> None:
    from tests.support.store import load

    load(store, {"countries": [{"code": "SE", "name": "Sweden"}, {"code": "FR"}]})
    rows = store.run("MATCH (c:Country) RETURN c.code, c.name ORDER BY c.code", read_only=True).rows
    assert rows == [["FR", "France"], ["SE", "Sweden"]]
    gen = store.generation
    load(store, {"countries": [{"code": "SE", "name": "Sweden"}]})
    assert store.generation == gen, "an unchanged country is not written again"


def test_seed_has_the_four_participant_countries(store: Store, store_uri: str) -> None:
    assert cli_streams("seed", "--store", store_uri)[0] == 0
    codes = {r[0] for r in store.run("MATCH (c:Country) RETURN c.code", read_only=True).rows}
    assert {"GB", "FR", "DE", "SE"} <= codes
