"""Every core command answers `--help`."""

from __future__ import annotations

from tests.support.cli import cli_streams


def test_every_command_has_help() -> None:
    code, _out, _ = cli_streams("--help")
    assert code == 0
    for command in (
        "seed",
        "stats",
        "query",
        "db",
        "ingest",
        "template",
        "gaps",
        "recommend",
        "metrics",
    ):
        c, o, _ = cli_streams(command, "--help")
        assert c == 0 and "Usage" in o, command
