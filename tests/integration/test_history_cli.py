"""`history`, `diff`, `gaps --at / --since` and `report --since` end to end: files
ingested round after round with the real CLI, on the real embedded FalkorDB."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import cli_streams

LEEDS = {"id": "leeds", "name": "Leeds", "kind": "city", "country": "GB"}
YORK = {"id": "york", "name": "York", "kind": "city", "country": "GB"}
HOPE = {"id": "hope", "name": "Hope", "kind": "cso", "country": "GB"}
SECRET = {
    "source": "hope",
    "type": "FUNDS",
    "target": "leeds",
    "confidential": True,
    "note": "SECRET-CLI-MARK",
}
ROUNDS: list[dict[str, Any]] = [
    {"actors": [LEEDS, YORK]},
    {
        "actors": [HOPE],
        "relationships": [{"source": "leeds", "type": "PARTNERS_WITH", "target": "york"}],
    },
    {"relationships": [SECRET]},
]


@pytest.fixture
def rounds(env, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    for k, data in enumerate(ROUNDS, start=1):
        path = tmp_path / f"round{k}.yaml"
        path.write_text(json.dumps(data), encoding="utf-8")
        code, _, err = cli_streams("ingest", str(path))
        assert code == 0, err
    return tmp_path


def _json(*args: str) -> Any:
    code, out, err = cli_streams(*args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def test_history_lists_each_ingest_as_a_revision(rounds) -> None:  # type: ignore[no-untyped-def]
    revisions = _json("history")
    assert [r["id"] for r in revisions] == [1, 2, 3]
    assert [r["source"] for r in revisions] == ["round1.yaml", "round2.yaml", "round3.yaml"]
    assert {"id", "time", "who", "source", "counts"} <= set(revisions[0])
    assert revisions[0]["counts"]["nodes_added"] == 2
    assert revisions[1]["counts"]["relationships_added"] == 1
    # the third only added a confidential link: nothing to count without the flag
    assert set(revisions[2]["counts"].values()) == {0}
    code, out, _ = cli_streams("history", "--include-confidential", "--format", "json")
    assert json.loads(out)[2]["counts"]["relationships_added"] == 1
    code, out, _ = cli_streams("history")
    assert code == 0 and "3 revisions" in out and "round2.yaml" in out and "+1 -0 ~0" in out


def test_diff_lists_what_changed_between_two_revisions(rounds) -> None:  # type: ignore[no-untyped-def]
    d = _json("diff", "1", "3")
    assert set(d) == {"from", "to", "added", "removed", "changed"}
    assert [n["id"] for n in d["added"]["nodes"]] == ["hope"]
    assert [(r["source"], r["target"]) for r in d["added"]["relationships"]] == [("leeds", "york")]
    assert "SECRET-CLI-MARK" not in json.dumps(d)
    code, out, _ = cli_streams("diff", "2", "3", "--include-confidential", "--format", "json")
    assert "SECRET-CLI-MARK" in out
    code, out, _ = cli_streams("diff", "0", "2")
    assert code == 0 and "added" in out and "leeds PARTNERS_WITH york" in out


def test_gaps_since_and_at_look_back(rounds) -> None:  # type: ignore[no-untyped-def]
    since = _json("gaps", "--since", "1")
    assert list(since) == ["closed", "new", "persisting"]
    closed = {(f["type"], *f["subjects"]) for f in since["closed"]}
    assert closed == {("horizontal.isolated_city", "leeds"), ("horizontal.isolated_city", "york")}
    at = _json("gaps", "--at", "1")
    assert {(f["type"], *f["subjects"]) for f in at["findings"]} == closed
    code, out, _ = cli_streams("gaps", "--since", "1", "--format", "markdown")
    assert code == 0 and "### 2 closed since revision 1" in out
    code, out, _ = cli_streams("gaps", "--since", "1", "--format", "csv")
    assert out.splitlines()[0].startswith("change,severity,type")


def test_report_since_has_its_section(rounds, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "report.html"
    code, _, err = cli_streams("report", "-o", str(out), "--since", "1")
    assert code == 0, err
    html = out.read_text(encoding="utf-8")
    day = _json("history")[0]["time"][:10]
    assert f"Since revision 1 ({day})" in html
    assert 'aria-label="Findings per revision"' in html and "SECRET-CLI-MARK" not in html


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("diff", "3", "1"), "revision 3 is after revision 1"),
        (("diff", "0", "9"), "unknown revision 9: revisions are 0 to 3"),
        (("gaps", "--since", "7"), "unknown revision 7"),
        (("gaps", "--at", "-2"), "unknown revision -2"),
        (("gaps", "--at", "1", "--since", "1"), "give --at or --since, not both"),
        (("report", "-o", "x.html", "--since", "8"), "unknown revision 8"),
        (("history", "--format", "csv"), "history prints --format table or json"),
    ],
)
def test_bad_revision_numbers_are_named(rounds, args, message) -> None:  # type: ignore[no-untyped-def]
    code, _, err = cli_streams(*args)
    assert code == 2 and message in err, err
