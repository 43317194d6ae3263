"""`GET /api/history`, `/api/diff`, `/api/gaps?at=` and `?since=` over real HTTP: the
confidential rule holds for history (absent for anonymous callers and readers, present
for analysts), and bad revision numbers are a 422, never a 500."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.api import CONFIDENTIAL_EDGES, DATA, MARKERS, Api, leaks, running_api

HIDDEN = ("reader", "anonymous")


@pytest.fixture(scope="module")
def api(server_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """DATA loaded (revision 1), then an editor deletes the funder known only through a
    confidential link (2) and renames Leeds (3)."""
    with running_api(
        server_dir, tmp_path_factory.mktemp("api-hist"), data=DATA, anonymous_read=True
    ) as a:
        with a.client("editor") as c:
            assert c.delete("/api/actors/shadow-fund").status_code == 200
            assert c.patch("/api/actors/leeds", json={"name": "Leeds City"}).status_code == 200
        yield a


def _get(api: Api, who: str, path: str, **params) -> dict:  # type: ignore[no-untyped-def]
    with api.client(None if who == "anonymous" else who) as c:
        r = c.get(path, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def _pair(source: str, type: str, target: str) -> tuple[str, frozenset[str]]:
    """A link by its type and ends (the loader stores a symmetric one either way round)."""
    return (type, frozenset((source, target)))


def _rels(part: dict) -> set[tuple[str, frozenset[str]]]:
    return {_pair(r["source"], r["type"], r["target"]) for r in part["relationships"]}


SECRETS = {_pair(*key) for key in CONFIDENTIAL_EDGES}


@pytest.mark.parametrize("who", HIDDEN)
def test_history_counts_only_what_the_role_may_see(api: Api, who: str) -> None:
    page = _get(api, who, "/api/history")
    assert page["latest"] == 3 and [r["id"] for r in page["items"]] == [1, 2, 3]
    analyst = _get(api, "analyst", "/api/history")["items"]
    seen = page["items"]
    added = analyst[0]["counts"]["relationships_added"]
    assert seen[0]["counts"]["relationships_added"] == added - len(CONFIDENTIAL_EDGES)
    # the delete removed a node and its one (confidential) link
    assert analyst[1]["counts"]["relationships_removed"] == 1
    assert seen[1]["counts"]["relationships_removed"] == 0
    assert seen[1]["counts"]["nodes_removed"] == 1
    assert seen[2]["source"] == "api" and seen[2]["counts"]["nodes_changed"] == 1


@pytest.mark.parametrize("who", HIDDEN)
def test_a_diff_never_shows_a_confidential_link_to_a_reader(api: Api, who: str) -> None:
    d = _get(api, who, "/api/diff", **{"from": 0, "to": 3})
    assert not leaks(d), leaks(d)
    assert not _rels(d["added"]) & SECRETS
    d = _get(api, who, "/api/diff", **{"from": 1, "to": 2})
    assert [n["id"] for n in d["removed"]["nodes"]] == ["shadow-fund"]
    assert d["removed"]["relationships"] == []


def test_an_analyst_sees_confidential_links_in_a_diff(api: Api) -> None:
    d = _get(api, "analyst", "/api/diff", **{"from": 0, "to": 3})
    # the shadow fund's link came in revision 1 and went in 2: it vanishes from 0..3
    assert (_rels(d["added"]) & SECRETS) == SECRETS - {_pair("shadow-fund", "FUNDS", "leeds-roots")}
    d = _get(api, "analyst", "/api/diff", **{"from": 1})  # to: the newest
    assert d["to"] == 3
    assert _rels(d["removed"]) == {_pair("shadow-fund", "FUNDS", "leeds-roots")}
    assert any(m in str(d) for m in MARKERS)
    (leeds,) = d["changed"]["nodes"]
    assert leeds["id"] == "leeds" and leeds["name"] == "Leeds City"
    assert leeds["properties"]["name"] == {"before": "Leeds", "after": "Leeds City"}
    assert set(leeds["properties"]) == {"name", "sources"}  # the edit is a source too


@pytest.mark.parametrize("who", [*HIDDEN, "analyst"])
def test_gaps_at_the_latest_revision_are_todays(api: Api, who: str) -> None:
    now = _get(api, who, "/api/gaps", limit=1000)
    then = _get(api, who, "/api/gaps", at=3, limit=1000)
    assert then["at"] == 3 and then["items"] == now["items"]
    if who != "analyst":
        assert not leaks(_get(api, who, "/api/gaps", at=1, limit=1000))


def _keys(found: list[dict]) -> set[tuple[str, ...]]:
    return {(f["type"], *f["subjects"]) for f in found}


def test_gaps_since_follow_the_role(api: Api) -> None:
    one_funder = ("cso.single_government_funder", "leeds-roots")
    analyst = _get(api, "analyst", "/api/gaps", since=1)
    assert list(analyst) == ["closed", "new", "persisting"]
    # the analyst saw Leeds Roots funded (confidentially) by the shadow fund besides its
    # city until the fund was deleted: relying on one government funder is new
    assert _keys(analyst["new"]) == {one_funder}
    for who in HIDDEN:
        seen = _get(api, who, "/api/gaps", since=1)
        assert not leaks(seen)
        # a reader never saw that funding: the gap was there all along
        assert seen["new"] == [] and one_funder in _keys(seen["persisting"])


@pytest.mark.parametrize(
    ("path", "params", "message"),
    [
        ("/api/diff", {"from": 3, "to": 1}, "revision 3 is after revision 1"),
        ("/api/diff", {"from": 0, "to": 9}, "unknown revision 9: revisions are 0 to 3"),
        ("/api/diff", {"from": -1}, ""),
        ("/api/diff", {"from": "abc"}, ""),
        ("/api/diff", {}, ""),
        ("/api/gaps", {"since": 99}, "unknown revision 99"),
        ("/api/gaps", {"at": 4}, "unknown revision 4"),
        ("/api/gaps", {"at": 10**30}, ""),
        ("/api/gaps", {"at": 1, "since": 1}, "give at= or since=, not both"),
    ],
)
def test_bad_revision_numbers_are_a_422_naming_them(api: Api, path, params, message) -> None:  # type: ignore[no-untyped-def]
    with api.client("reader") as c:
        r = c.get(path, params=params)
    assert r.status_code == 422, r.text
    assert message in r.text


def test_the_openapi_document_has_the_history_routes(api: Api) -> None:
    doc = _get(api, "reader", "/openapi.json")
    assert {"/api/history", "/api/diff"} <= set(doc["paths"])
    names = {p["name"] for p in doc["paths"]["/api/gaps"]["get"]["parameters"]}
    assert {"at", "since"} <= names
    assert {p["name"] for p in doc["paths"]["/api/diff"]["get"]["parameters"]} == {"from", "to"}


@pytest.mark.parametrize("who", ["reader", "analyst"])
def test_the_report_page_has_the_since_section(api: Api, who: str) -> None:
    with api.client(who) as c:
        r = c.get("/report", params={"since": 1})
        bad = c.get("/report", params={"since": 99})
    assert r.status_code == 200, r.text
    assert "Since revision 1 (" in r.text and 'aria-label="Findings per revision"' in r.text
    if who == "reader":
        assert not any(m in r.text for m in MARKERS)
    assert bad.status_code == 422 and "unknown revision 99" in bad.text
