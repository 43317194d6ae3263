"""The `viz` command's `--view` and view flags, built from the page-view registry.

`with_view_flags` gives a command `--view` (the names of `viz.views.VIEWS`)
and one flag per `ViewOption` any view takes (`viz.views.view_options`):
`--NAME`, its one-letter alias, default, bounds and help ("ISO code for
--view country.") all from the option. Typer reads the parameters from the
command's signature, so the signature is rebuilt from the registry when the
decorator is applied: a view with an option no other view takes needs no
change to the CLI.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any

import typer

from viz.views import VIEWS, ViewOption, view_options

_PLAIN = inspect.Parameter.POSITIONAL_OR_KEYWORD


def either(words: list[str]) -> str:
    """'a, b or c'."""
    return ", ".join(words[:-1]) + f" or {words[-1]}" if len(words) > 1 else "".join(words)


def view_choices() -> type[StrEnum]:
    """The views `--view` offers: the names of the registry, as it is now."""
    return StrEnum("View", [(name, name) for name in VIEWS])  # type: ignore[return-value]


def view_help() -> str:
    """`--view`'s help: "network, country, actor or cities."."""
    return either(list(VIEWS)) + "."


def _flag(option: ViewOption, views: tuple[str, ...]) -> inspect.Parameter:
    """The CLI flag of a view option, as a parameter typer reads."""
    names = [f"--{option.name}", *([f"-{option.short}"] if option.short else [])]
    info = typer.Option(
        option.default,
        *names,
        min=option.minimum,
        max=option.maximum,
        help=f"{option.flag_help or option.name.capitalize()} for --view {either(list(views))}.",
    )
    annotation = option.type if option.default is not None else option.type | None
    return inspect.Parameter(option.name, _PLAIN, default=info, annotation=annotation)


def with_view_flags(command: Callable[..., None]) -> Callable[..., None]:
    """`command` with its `view` parameter made `--view` and its `view_values` parameter
    replaced by one flag per view option, from the registry as it is now. `command` is
    called with the view's name as `view` and the flags' values as one mapping."""
    choices = view_choices()
    flags = view_options()
    params = list(inspect.signature(command, eval_str=True).parameters.values())
    names = [p.name for p in params]
    clash = sorted(set(flags) & set(names))
    if clash:
        raise ValueError(f"view option {clash[0]!r} clashes with a parameter of {command}")
    view = inspect.Parameter(
        "view",
        _PLAIN,
        default=typer.Option(next(iter(choices)), "--view", case_sensitive=False, help=view_help()),
        annotation=choices,
    )
    params[names.index("view")] = view
    at = names.index("view_values")
    params[at : at + 1] = [_flag(o, views) for o, views in flags.values()]

    @functools.wraps(command)
    def run(**kwargs: Any) -> None:
        values = {name: kwargs.pop(name) for name in flags}
        command(**{**kwargs, "view": str(kwargs["view"])}, view_values=values)

    run.__signature__ = inspect.Signature(params, return_annotation=None)  # type: ignore[attr-defined]
    # Typer prefers the annotations to the signature's: they must say the same.
    run.__annotations__ = {p.name: p.annotation for p in params} | {"return": None}
    return run


def chosen_view(view: str, given: Mapping[str, Any]) -> str:
    """The view to draw: the default (first) view with a required option of another view
    given (e.g. only --country) means that view, the first such in registry order."""
    if view != next(iter(VIEWS)):
        return view
    for registered in VIEWS.values():
        if any(o.required and given.get(o.name) for o in registered.options):
            return registered.name
    return view


def options_of(view: str, given: Mapping[str, Any]) -> dict[str, Any]:
    """The options `view` takes among the flags given; a missing required one is a usage
    error ("--view country needs --country CC")."""
    values = {}
    for o in VIEWS[view].options:
        if o.required and not given.get(o.name):
            raise typer.BadParameter(
                f"--view {view} needs --{o.name} {o.placeholder}".rstrip(),
                param_hint=f"--{o.name}",
            )
        values[o.name] = given.get(o.name)
    return values
