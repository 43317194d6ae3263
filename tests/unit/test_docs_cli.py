"""docs/cli.md is the commands' own `--help`, regenerated and compared on every run."""

from __future__ import annotations

import difflib

from cli import reference
from tests.support.paths import ROOT

CLI_DOC = ROOT / "docs" / "cli.md"
HOW = "regenerate it with `make docs` (python -m cli.reference > docs/cli.md)"


def test_cli_reference_is_up_to_date() -> None:
    fresh = reference.render()
    committed = CLI_DOC.read_text(encoding="utf-8") if CLI_DOC.exists() else ""
    if committed != fresh:
        diff = "".join(
            difflib.unified_diff(
                committed.splitlines(keepends=True),
                fresh.splitlines(keepends=True),
                "docs/cli.md (committed)",
                "python -m cli.reference (now)",
                n=1,
            )
        )
        raise AssertionError(f"docs/cli.md is out of date: {HOW}\n{diff[:4000]}")


def test_cli_reference_covers_every_command() -> None:
    """Every visible command and subcommand has a section, groups before their commands."""
    import typer.main

    from cli.main import app

    root = typer.main.get_command(app)
    expected = ["scn-graph"]
    for name, command in root.commands.items():
        if command.hidden:
            continue
        expected.append(f"scn-graph {name}")
        for sub, subcommand in getattr(command, "commands", {}).items():
            if not subcommand.hidden:
                expected.append(f"scn-graph {name} {sub}")
    sections = [
        line.removeprefix("## `").removesuffix("`")
        for line in reference.render().splitlines()
        if line.startswith("## `")
    ]
    assert sections == expected
    assert "scn-graph db start" in sections and "scn-graph keys add" in sections


def test_cli_reference_does_not_depend_on_the_terminal(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Width, colour and the environment's store do not change a byte."""
    before = reference.render()
    monkeypatch.setenv("COLUMNS", "40")
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("SCN_GRAPH_STORE", "embedded:/elsewhere")
    after = reference.render()
    assert after == before
    assert "\x1b[" not in after  # no colour codes
    assert max(len(line) for line in after.splitlines()) <= reference.WIDTH
