"""The workshop seed dataset and the core commands (seed, stats, query, db), end to end."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from graph.store import Store
from tests.support.cli import cli_streams

SEED_DOC = "000_1c898fc5f72e3a3a.txt"


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
    assert any(
        t == "PARTNERS_WITH" and {"london", "london-tech-sector"} == {a, b} for a, t, b in triples
    )
    assert any(s == "planned" for *_, s in rows), "next steps are planned relationships"


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


def test_stats_json_has_integer_totals(store: Store, store_uri: str) -> None:
    assert cli_streams("seed", "--store", store_uri)[0] == 0
    code, out, _ = cli_streams("stats", "--store", store_uri, "--format", "json")
    assert code == 0
    data = json.loads(out)
    for key in ("actors", "initiatives", "relationships"):
        assert isinstance(data[key], int) and data[key] > 0
    assert data["actors"] == sum(data["actors_by_kind"].values())
    assert data["relationships_by_type"]["RUNS"] >= 1


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
