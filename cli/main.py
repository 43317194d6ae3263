"""The `scn-graph` entry point: one Typer app, one module per group of commands."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="scn-graph",
    help=(
        "Map who works with whom in locally-led prevention of hate, extremism and "
        "polarisation: load data into a graph database, find partnership gaps, "
        "recommend partners, and show the network."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register() -> None:
    """Import the command modules; each adds its commands to `app`."""
    import importlib
    import pkgutil

    import cli

    for mod in sorted(m.name for m in pkgutil.iter_modules(cli.__path__)):
        if mod.startswith("cmd_"):
            importlib.import_module(f"cli.{mod}")


_register()
