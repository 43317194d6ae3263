"""What a person types on the command line, read the same way by every command.

* `CountryOption`: `--country` takes a name ("United Kingdom", "sweden", "UK"),
  an ISO alpha-2 or alpha-3 code in any case, or a UK nation (`graph.countries`);
  the command gets the alpha-2 code. An unknown country is one line on stderr
  with a "did you mean" and exit code 2, never an empty answer.
* `lower_case` / `lower_cases`: callbacks that make a word option (`--severity`,
  `--type`) case-insensitive; Choice and Enum options say `case_sensitive=False`.
* `actor_id`: the id of the actor a person named by id or by exact name
  (`graph.read.lookup`), or the error with "did you mean" and exit code 2.
* `country_note`: "no actor in Denmark (DK)" when a known country holds no data,
  for the commands that print a count.
"""

from __future__ import annotations

from typing import Any

import typer

from graph.countries import UnknownCountry, country_code, describe
from graph.predicates import node_country
from graph.store.base import Store

COUNTRY_HELP = "Country: English name, ISO code or UK nation, e.g. GB, gbr, 'United Kingdom'."


def fail(message: str, *, code: int = 2) -> typer.Exit:
    """Print `error: message` (one line, stderr) and return the exit to raise (code 2
    for a usage error unless told otherwise)."""
    typer.secho(f"error: {message}", err=True, fg="red")
    return typer.Exit(code)


def _country(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    try:
        return country_code(value)
    except UnknownCountry as exc:
        raise fail(f"--country: {exc}") from exc


def country_option(help: str = COUNTRY_HELP) -> Any:
    """`--country` / `-c`, resolved to an ISO alpha-2 code before the command runs."""
    return typer.Option(None, "--country", "-c", callback=_country, help=help)


CountryOption = country_option()


def lower_case(value: str | None) -> str | None:
    """Callback: a word option's value in lower case (vocabularies are lower case)."""
    return value.strip().lower() if isinstance(value, str) else value


def lower_cases(values: list[str] | None) -> list[str] | None:
    """Callback: each value of a repeatable word option in lower case."""
    return [v.strip().lower() for v in values] if values else values


def actor_id(store: Store, value: str, *, label: str = "Actor") -> str:
    """The id of the actor `value` names (its id, or its exact name in any case)."""
    from graph.read.lookup import AmbiguousName, NoSuchNode, resolve_node

    try:
        return resolve_node(store, value, label=label)
    except (NoSuchNode, AmbiguousName) as exc:
        raise fail(str(exc)) from exc


def country_note(G: Any, code: str | None) -> str | None:
    """ "no actor in Denmark (DK)" when the graph `G` has no node of country `code`."""
    if code is None or any(node_country(d) == code for _, d in G.nodes(data=True)):
        return None
    return f"no actor in {describe(code)}"
