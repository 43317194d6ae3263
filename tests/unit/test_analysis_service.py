"""One visibility rule, as signatures and help: every command that reads relationships
takes `--include-confidential`, and every function's `include_confidential` is
keyword-only and False by default (the behaviour: tests/integration/test_analysis_service.py).
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator

import pytest
from typer.models import OptionInfo

from cli.main import app
from tests.support.cli import runner

COMMANDS_THAT_READ_RELATIONSHIPS = ("gaps", "recommend", "metrics", "stats", "viz", "report", "up")


@pytest.mark.parametrize("command", COMMANDS_THAT_READ_RELATIONSHIPS)
def test_every_command_that_reads_relationships_takes_the_flag(command: str) -> None:
    res = runner.invoke(app, [command, "--help"], terminal_width=200)
    assert res.exit_code == 0
    text = " ".join(res.stdout.split())
    assert "--include-confidential" in text
    assert "left out" in text


# --------------------------------------------------------------------------- signatures


def _functions_with_the_parameter() -> Iterator[tuple[str, inspect.Parameter]]:
    import importlib
    import pkgutil

    for top in ("graph", "ingest", "viz", "api", "cli"):
        package = importlib.import_module(top)
        for info in pkgutil.walk_packages(package.__path__, f"{top}."):
            if info.name.endswith(".__main__"):  # running it is the command itself
                continue
            module = importlib.import_module(info.name)
            for name, obj in vars(module).items():
                if getattr(obj, "__module__", None) != module.__name__ or name.startswith("_"):
                    continue
                members = [(name, obj)]
                if inspect.isclass(obj):
                    members = [
                        (f"{name}.{m}", f)
                        for m, f in vars(obj).items()
                        if inspect.isfunction(f) and not m.startswith("_")
                    ]
                for qual, f in members:
                    if not inspect.isfunction(f):
                        continue
                    p = inspect.signature(f).parameters.get("include_confidential")
                    if p is not None:
                        yield f"{module.__name__}.{qual}", p


def test_include_confidential_is_keyword_only_and_off_by_default() -> None:
    """Every function: keyword-only, False by default; every command: the one flag, off."""
    found = dict(_functions_with_the_parameter())
    assert "graph.projection.project" in found and "viz.service.network_page" in found
    commands = {n: p for n, p in found.items() if isinstance(p.default, OptionInfo)}
    assert {n.rsplit(".", 1)[1] for n in commands} >= set(COMMANDS_THAT_READ_RELATIONSHIPS)
    wrong = {
        name: str(p)
        for name, p in found.items()
        if name not in commands
        and (p.kind is not inspect.Parameter.KEYWORD_ONLY or p.default is not False)
    }
    wrong.update(
        {
            name: str(p.default.param_decls)
            for name, p in commands.items()
            if p.default.default is not False
            or p.default.param_decls != ("--include-confidential",)
        }
    )
    assert wrong == {}
