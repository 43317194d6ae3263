"""API writes are revisions too: who is the key's name, source "api" (or the uploaded
file's name), in the same transaction as the write; and a revision's JSON, which holds
confidential relationships, is readable through `/api/query` only by roles that may
see them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from api.auth import ANALYST, CONFIDENTIAL_ROLES, RANK
from graph.history.read import revisions
from tests.support.api import DATA, MARKERS, Api, running_api

YAML = b"actors:\n  - {id: york, name: York, kind: city, country: GB}\n"


@pytest.fixture
def api(server_dir: Path, tmp_path: Path) -> Iterator[Api]:
    with running_api(server_dir, tmp_path, data=DATA) as a:
        yield a


def key_name(api: Api, role: str) -> str:
    with api.client(role) as c:
        return c.get("/api/me").json()["name"]


def test_api_edits_are_revisions_of_the_key(api: Api) -> None:
    editor = key_name(api, "editor")
    start = len(revisions(api.store))
    with api.client("editor") as c:
        ripon = {"id": "ripon", "name": "Ripon", "kind": "city"}
        assert c.post("/api/actors", json=ripon).is_success
        assert c.patch("/api/actors/ripon", json={"name": "Ripon City"}).is_success
        assert c.patch("/api/actors/ripon", json={"name": "Ripon City"}).is_success  # no change
        assert c.delete("/api/actors/techco").is_success
        r = c.post("/api/ingest", files={"file": ("york.yaml", YAML)})
        assert r.is_success, r.text
        r = c.post("/api/ingest", files={"file": ("york.yaml", YAML)}, data={"dry_run": "true"})
        assert r.is_success
    new = revisions(api.store)[start:]
    assert [(r.who, r.source) for r in new] == [
        (editor, "api"),
        (editor, "api"),
        (editor, "api"),
        (editor, "york.yaml"),
    ]
    created, renamed, deleted, uploaded = (r.change for r in new)
    assert [(n.id, n.action) for n in created.nodes] == [("ripon", "added")]
    assert [(n.before["name"], n.after["name"]) for n in renamed.nodes] == [("Ripon", "Ripon City")]
    assert [(n.id, n.action) for n in deleted.nodes] == [("techco", "removed")]
    assert [r.action for r in deleted.relationships] == ["removed"]
    assert [n.id for n in uploaded.nodes] == ["york"]


def test_only_roles_that_see_confidential_links_can_read_revisions(api: Api) -> None:
    """`/api/query` is the one way to read a revision node's JSON; every role it admits
    sees confidential relationships anyway, and a reader is refused."""
    admitted = {role for role, rank in RANK.items() if rank >= RANK[ANALYST]}
    assert admitted <= CONFIDENTIAL_ROLES
    query = {"cypher": "MATCH (r:ScnRevision) RETURN r.change"}
    with api.client("reader") as c:
        assert c.post("/api/query", json=query).status_code == 403
    with api.client("analyst") as c:
        r = c.post("/api/query", json=query)
        assert r.status_code == 200 and all(m in r.text for m in MARKERS)


def test_upload_sync_removes_what_the_file_no_longer_has(api: Api) -> None:
    york, ripon, hull = (
        f"  - {{id: {c}, name: {c.capitalize()}, kind: city}}\n" for c in ("york", "ripon", "hull")
    )
    first = f"actors:\n{york}{ripon}{hull}".encode()
    kept = f"actors:\n{york}{hull}".encode()
    with api.client("editor") as c:
        assert c.post("/api/ingest", files={"file": ("net.yaml", first)}).is_success
        r = c.post(
            "/api/ingest",
            files={"file": ("net.yaml", kept)},
            data={"sync": "true", "dry_run": "true"},
        )
        assert r.status_code == 200, r.text
        sync = r.json()["report"].get("sync")
        assert sync, r.text
        assert sync["removals"] == [{"id": "ripon", "name": "Ripon", "kind": "city"}]
        assert c.get("/api/actors/ripon").status_code == 200
        r = c.post("/api/ingest", files={"file": ("net.yaml", kept)}, data={"sync": "true"})
        assert r.status_code == 200 and r.json()["report"]["actors"]["removed"] == 1
        assert c.get("/api/actors/ripon").status_code == 404
        york = c.get("/api/actors/york").json()
        assert "loaded_from" not in york  # bookkeeping, never in an answer
        r = c.post(
            "/api/ingest",
            files={"file": ("net.yaml", b"actors: []\n")},
            data={"sync": "true"},
        )
        assert r.status_code == 409 and "more than half" in r.text
        assert c.get("/api/actors/york").status_code == 200
    with api.client("analyst") as c:
        r = c.post("/api/ingest", files={"file": ("net.yaml", kept)}, data={"sync": "true"})
        assert r.status_code == 403
