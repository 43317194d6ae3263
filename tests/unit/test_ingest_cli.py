"""`scn-graph ingest --help` and `scn-graph template --help`."""

from __future__ import annotations

from tests.support.cli import run_cli


def test_help_texts() -> None:
    res = run_cli("ingest", "--help")
    assert res.exit_code == 0
    for word in ("--dry-run", "--on-unresolved", "--report-format", "twin-cities",
                 "nothing is", "data-format.md"):  # fmt: skip
        assert word in res.stdout, word
    res = run_cli("template", "--help")
    assert res.exit_code == 0 and "README" in res.stdout
