"""Editor writes over HTTP: uploads in every ingest format with dry-run, actor create /
update / delete validated like ingest, the audit log, and cache invalidation."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.api import DATA, Api, running_api
from tests.support.paths import FIXTURES
from tests.support.store import load

NEW_YAML = b"""\
actors:
  - id: york
    name: York
    kind: city
    country: United Kingdom
    themes: [hate]
  - id: york-voices
    name: York Voices
    kind: cso
    country: GB
    grassroots: yes
    city: york
relationships:
  - {source: york, type: PARTNERS_WITH, target: york-voices}
  - {source: york, type: TWINNED_WITH, target: paris}
"""

BAD_YAML = b"""\
actors:
  - id: Bad Id
    name: Nowhere
    kind: village
relationships:
  - {source: york, type: LIKES, target: nobody}
"""


@pytest.fixture
def api(server_dir: Path, tmp_path: Path) -> Iterator[Api]:
    """A fresh graph per test: writes here must not disturb other tests."""
    with running_api(server_dir, tmp_path, data=DATA, upload_max_bytes=200_000) as a:
        yield a


@pytest.fixture
def editor(api: Api) -> Iterator[httpx.Client]:
    with api.client("editor") as c:
        yield c


def upload(c: httpx.Client, name: str, content: bytes, **data: str) -> httpx.Response:
    return c.post("/api/ingest", files={"file": (name, content)}, data=data)


def stats(c: httpx.Client) -> dict:
    return c.get("/api/stats").json()


# --------------------------------------------------------------------------- uploads


def test_upload_dry_run_then_load_then_again(editor: httpx.Client) -> None:
    before = stats(editor)
    r = upload(editor, "york.yaml", NEW_YAML, dry_run="true")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["ok"] is True and body["dry_run"] is True
    assert body["read"] == {
        "inputs": ["york.yaml"],
        "actors": 2,
        "initiatives": 0,
        "relationships": 2,
    }
    assert body["report"]["actors"] == {"created": 2, "updated": 0, "unchanged": 0}
    assert body["report"]["relationships"]["created"] == 2
    assert stats(editor) == before  # nothing written

    r = upload(editor, "york.yaml", NEW_YAML)
    assert r.status_code == 200 and r.json()["dry_run"] is False
    york = editor.get("/api/actors/york").json()
    assert york["country"] == "GB"  # the country name was normalised
    assert stats(editor)["actors"] == before["actors"] + 2

    again = upload(editor, "york.yaml", NEW_YAML).json()
    assert again["report"]["actors"] == {"created": 0, "updated": 0, "unchanged": 2}
    assert again["report"]["relationships"]["unchanged"] == 2


def test_upload_with_problems_writes_nothing_and_lists_them(editor: httpx.Client) -> None:
    before = stats(editor)
    r = upload(editor, "bad.yaml", BAD_YAML)
    assert r.status_code == 422
    err = r.json()["error"]
    assert "nothing was written" in err["message"] and "bad.yaml" in err["message"]
    fields = {p["field"] for p in err["problems"]}
    assert {"id", "kind", "type"} <= fields
    assert all(p["file"] == "bad.yaml" for p in err["problems"])
    assert all(p["line"] for p in err["problems"])
    assert "/tmp" not in r.text  # the server's temporary path is not shown
    assert stats(editor) == before


def test_upload_formats(editor: httpx.Client, tmp_path: Path) -> None:
    doc = {"actors": [{"id": "hull", "name": "Hull", "kind": "city", "country": "GB"}]}
    r = upload(editor, "hull.json", json.dumps(doc).encode(), dry_run="true")
    assert r.status_code == 200 and r.json()["report"]["actors"]["created"] == 1

    csv_actor = b"id,name,kind,country\nsheffield,Sheffield,city,GB\n"
    r = upload(editor, "actors.csv", csv_actor, dry_run="true")
    assert r.status_code == 200, r.text
    assert r.json()["report"]["actors"]["created"] == 1

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("data/actors.csv", csv_actor.decode())
        zf.writestr("data/relationships.csv", "source,type,target\nsheffield,PARTNERS_WITH,leeds\n")
    r = upload(editor, "folder.zip", buf.getvalue(), dry_run="true")
    assert r.status_code == 200, r.text
    assert r.json()["report"]["relationships"]["created"] == 1

    from ingest.template import write_template

    xlsx = tmp_path / "t.xlsx"
    write_template(xlsx)
    r = upload(editor, "t.xlsx", xlsx.read_bytes(), dry_run="true")
    assert r.status_code == 200, r.text

    twin = (
        b"city1,country1,lat1,lng1,city2,country2,lat2,lng2\n"
        b"Leeds,United Kingdom,53.8,-1.55,Dortmund,Germany,51.5,7.46\n"
    )
    r = upload(editor, "twins.csv", twin, format="twin-cities", dry_run="true")
    assert r.status_code == 200, r.text
    assert r.json()["report"]["relationships"]["created"] == 1

    r = upload(editor, "broken.xlsx", b"not a workbook", dry_run="true")
    assert r.status_code == 422 and "broken.xlsx" in r.json()["error"]["message"]
    r = upload(editor, "notes.txt", b"hello")
    assert r.status_code == 422 and "format" in r.json()["error"]["message"]
    r = upload(editor, "big.yaml", b"#" * 300_000)
    assert r.status_code == 413


def test_fixture_files_upload(editor: httpx.Client) -> None:
    for name in ("exampleton.yaml", "exampleton.json"):
        path = FIXTURES / name
        if not path.exists():
            pytest.skip(f"{path} missing")
        r = upload(editor, name, path.read_bytes(), dry_run="true")
        assert r.status_code == 200, r.text


# --------------------------------------------------------------------------- actors


def test_create_actor_validated_like_ingest(editor: httpx.Client) -> None:
    body = {
        "id": "york",
        "name": "York",
        "kind": "city",
        "country": "united kingdom",
        "themes": ["Hate", "polarisation"],
        "lat": 53.96,
        "lon": -1.08,
    }
    r = editor.post("/api/actors", json=body)
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["actor"]["country"] == "GB" and out["actor"]["themes"] == ["hate", "polarisation"]
    assert out["actor"]["level"] == "local"
    assert out["report"]["actors"]["created"] == 1
    assert out["actor"]["sources"][0].startswith("api:editor-")
    assert editor.get("/api/actors/york").json()["name"] == "York"

    r = editor.post("/api/actors", json=body)
    assert r.status_code == 409 and "exists" in r.json()["error"]["message"]

    r = editor.post(
        "/api/actors", json={"id": "x1", "name": "X", "kind": "city", "country": "Atlantis"}
    )
    assert r.status_code == 422
    problem = r.json()["error"]["problems"][0]
    assert problem["field"] == "country" and problem["value"] == "Atlantis"
    r = editor.post(
        "/api/actors", json={"id": "x2", "name": "X", "kind": "cso", "city": "paris-not-here"}
    )
    assert r.status_code == 422 and "paris-not-here" in r.text
    r = editor.post(
        "/api/actors", json={"id": "x3", "name": "X", "kind": "cso", "city": "home-office"}
    )
    assert r.status_code == 422  # `city` must be a city
    r = editor.post("/api/actors", json={"id": "Not A Slug", "name": "X", "kind": "city"})
    assert r.status_code == 422
    r = editor.post("/api/actors", json={"id": "x4", "name": "X", "kind": "city", "colour": 1})
    assert r.status_code == 422 and "colour" in r.text

    dry = editor.post(
        "/api/actors",
        params={"dry_run": True},
        json={"id": "ripon", "name": "Ripon", "kind": "city"},
    )
    assert dry.status_code == 201 and dry.json()["report"]["dry_run"] is True
    assert editor.get("/api/actors/ripon").status_code == 404


def test_update_actor_reclassifies_and_rechecks_relationships(editor: httpx.Client) -> None:
    rel = next(
        r
        for r in editor.get("/api/actors/leeds").json()["relationships"]
        if r["type"] == "PARTNERS_WITH" and r["other"]["id"] == "bradford"
    )
    assert rel["cross_border"] is False

    r = editor.patch("/api/actors/bradford", json={"country": "FR", "note": "moved"})
    assert r.status_code == 200, r.text
    assert r.json()["actor"]["country"] == "FR" and r.json()["actor"]["note"] == "moved"
    assert r.json()["actor"]["themes"] == ["polarisation"]  # untouched fields stay
    listed = editor.get("/api/relationships", params={"node": "bradford"}).json()["items"]
    partner = next(x for x in listed if x["type"] == "PARTNERS_WITH")
    assert partner["cross_border"] is True
    stored = editor.post(
        "/api/query",
        json={
            "cypher": "MATCH (:City {id: 'bradford'})-[r:PARTNERS_WITH]-() RETURN r.cross_border"
        },
    ).json()
    assert stored["rows"] == [[True]]  # re-classified in the store too

    r = editor.patch("/api/actors/bradford", json={"note": None})
    assert "note" not in r.json()["actor"]

    # london is TWINNED_WITH paris: it cannot stop being a city
    r = editor.patch("/api/actors/london", json={"kind": "cso"})
    assert r.status_code == 422, r.text
    assert "TWINNED_WITH" in r.text
    assert editor.get("/api/actors/london").json()["kind"] == "city"

    r = editor.put(
        "/api/actors/techco",
        json={"name": "TechCo Ltd", "kind": "private_sector", "country": "GB", "sector": "media"},
    )
    assert r.status_code == 200, r.text
    got = editor.get("/api/actors/techco").json()
    assert got["name"] == "TechCo Ltd" and got["sector"] == "media"
    r = editor.put("/api/actors/techco", json={"id": "other", "name": "T", "kind": "city"})
    assert r.status_code == 422 and "differs" in r.json()["error"]["message"]
    assert editor.put("/api/actors/nobody", json={"name": "N", "kind": "city"}).status_code == 404
    assert editor.patch("/api/actors/nobody", json={"name": "N"}).status_code == 404
    assert editor.patch("/api/actors/leeds", json={"name": None}).status_code == 422


def test_delete_actor(editor: httpx.Client) -> None:
    before = stats(editor)
    r = editor.delete("/api/actors/techco")
    assert r.status_code == 200
    assert r.json() == {"deleted": "techco", "name": "TechCo", "relationships_removed": 1}
    assert editor.get("/api/actors/techco").status_code == 404
    after = stats(editor)
    assert after["actors"] == before["actors"] - 1
    assert after["relationships"] == before["relationships"] - 1
    r = editor.delete("/api/actors/techco")
    assert r.status_code == 404 and "'techco'" in r.json()["error"]["message"]
    # leeds is the `city` of two actors
    r = editor.delete("/api/actors/leeds")
    assert r.status_code == 409
    assert "leeds-police" in r.json()["error"]["message"]
    assert editor.get("/api/actors/leeds").status_code == 200


# --------------------------------------------------------------------------- audit


def test_every_write_is_audited(api: Api, editor: httpx.Client) -> None:
    editor.post("/api/actors", json={"id": "york", "name": "York", "kind": "city"})
    editor.patch("/api/actors/york", json={"note": "n"})
    editor.put("/api/actors/york", json={"name": "York", "kind": "city", "country": "GB"})
    editor.delete("/api/actors/york")
    upload(editor, "york.yaml", NEW_YAML)
    upload(editor, "york.yaml", NEW_YAML, dry_run="true")  # a dry run writes nothing
    editor.post(
        "/api/actors", json={"id": "bad", "name": "B", "kind": "city", "country": "Atlantis"}
    )  # refused: nothing written
    body = editor.get("/api/audit").json()
    actions = [e["action"] for e in body["items"]]
    assert actions == ["ingest", "actor.delete", "actor.replace", "actor.update", "actor.create"]
    assert body["total"] == 5
    name = next(k for k in api.keys if k == "editor")
    for e in body["items"]:
        assert e["who"].startswith(f"{name}-") and e["role"] == "editor"
        assert e["when"].endswith("Z") or "+00:00" in e["when"]
        assert e["method"] in ("POST", "PUT", "PATCH", "DELETE")
        assert e["path"].startswith("/api/")
    assert body["items"][1]["summary"]["deleted"] == "york"
    assert body["items"][3]["summary"]["fields"] == ["note"]
    assert body["items"][0]["summary"]["report"]["actors"]["created"] == 2
    lines = api.settings.resolved_audit_file.read_text().splitlines()
    assert len(lines) == 5 and all(json.loads(x)["store"] == api.settings.store_id for x in lines)
    page = editor.get("/api/audit", params={"limit": 2, "offset": 1}).json()
    assert [e["action"] for e in page["items"]] == ["actor.delete", "actor.replace"]


# --------------------------------------------------------------------------- caching


def _gap(c: httpx.Client, typ: str, subject: str) -> bool:
    items = c.get("/api/gaps", params={"type": typ, "limit": 1000}).json()["items"]
    return any(subject in g["subjects"] for g in items)


def test_cached_results_follow_api_writes(api: Api, editor: httpx.Client) -> None:
    assert _gap(editor, "private.no_private_partner", "leeds")
    recs_before = editor.get("/api/actors/leeds/recommendations").json()
    metrics_before = editor.get("/api/metrics").json()["graph"]["edges"]
    doc = b"relationships:\n  - {source: leeds, type: PARTNERS_WITH, target: techco}\n"
    assert upload(editor, "link.yaml", doc).status_code == 200
    assert not _gap(editor, "private.no_private_partner", "leeds")
    assert editor.get("/api/metrics").json()["graph"]["edges"] == metrics_before + 1
    recs_after = editor.get("/api/actors/leeds/recommendations").json()
    assert "techco" not in [r["partner"] for r in recs_after["items"]]
    assert recs_after != recs_before or "techco" not in str(recs_before)
    assert "private.no_private_partner" not in {
        g["type"] for g in editor.get("/api/actors/leeds").json()["gaps"]
    }


def test_cached_results_follow_writes_from_elsewhere(api: Api, editor: httpx.Client) -> None:
    assert _gap(editor, "private.no_private_partner", "bradford")
    # another process (here: the test itself) writes straight to the store
    load(
        api.store,
        {"relationships": [{"source": "bradford", "type": "PARTNERS_WITH", "target": "techco"}]},
    )
    assert not _gap(editor, "private.no_private_partner", "bradford")
