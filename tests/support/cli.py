"""Running the `scn-graph` command in-process (Typer's CliRunner)."""

from __future__ import annotations

from typer.testing import CliRunner

from cli.main import app

runner = CliRunner()


def run_cli(*args: str) -> object:
    return runner.invoke(app, [str(a) for a in args])


def cli_streams(*args: str) -> tuple[int, str, str]:
    res = runner.invoke(app, list(args))
    return res.exit_code, res.stdout, res.stderr
