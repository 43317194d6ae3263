"""Render rows as table, JSON, CSV or Markdown, the same way for every command."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from enum import StrEnum
from typing import Any

import typer

from cli.table_text import table_pieces

#: The width tables are laid out in, whatever the terminal.
TABLE_WIDTH = 160


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


def _cell(value: Any) -> str:
    if type(value) is str:  # most cells: no conversion
        return value
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def render(
    rows: Sequence[dict[str, Any]],
    fmt: Format,
    *,
    columns: Sequence[str] | None = None,
    title: str | None = None,
    json_value: Any = None,
) -> str:
    """Text for `rows`. `json_value` overrides what JSON prints (default: the rows)."""
    if fmt == Format.json:
        return json.dumps(rows if json_value is None else json_value, indent=2, ensure_ascii=False)
    cols = list(columns or (rows[0].keys() if rows else []))
    if fmt == Format.csv:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(cols)
        for r in rows:
            w.writerow([_cell(r.get(c)) for c in cols])
        return buf.getvalue().rstrip("\n")
    if fmt == Format.markdown:
        out = [f"### {title}", ""] if title else []
        out.append("| " + " | ".join(cols) + " |")
        out.append("|" + "---|" * len(cols))
        for r in rows:
            out.append("| " + " | ".join(_cell(r.get(c)).replace("|", "\\|") for c in cols) + " |")
        return "\n".join(out)
    return table([[_cell(r.get(c)) for c in cols] for r in rows], cols, title=title)


def table(cells: Sequence[Sequence[str]], columns: Sequence[str], *, title: str | None) -> str:
    """The table `render` prints, from the cells' text already made (for callers with
    many rows that can make it more cheaply than from dicts)."""
    return "".join(table_in_pieces(cells, columns, title=title))


def table_in_pieces(
    cells: Sequence[Sequence[str]], columns: Sequence[str], *, title: str | None
) -> Iterator[str]:
    """`table`'s text in pieces of rows, for `echo_pieces`: a table of many rows is
    written without being held whole."""
    return table_pieces(columns, cells, title=title, width=TABLE_WIDTH)


def echo_pieces(pieces: Iterable[str]) -> None:
    """Write text made in pieces to stdout, each as it comes, then a line break: what
    `typer.echo` of the joined text prints (each piece goes through it, so an ASCII-only
    stdout still gets UTF-8 and a pipe gets no ANSI codes; pieces end between rows)."""
    for piece in pieces:
        typer.echo(piece, nl=False)
    typer.echo()
