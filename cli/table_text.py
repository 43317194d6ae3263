"""The text of a rich table of many rows, without rich rendering every cell.

`scn-graph gaps` on a million relationships prints about 108,000 findings; rich
laid out each cell through its segment and style machinery, about 2 ms per finding
(over three minutes of CPU), far more than finding the gaps. The text is the same
here: rich itself measures the columns (on the few rows that set each column's
narrowest and widest cell) and draws the title, header and borders, and each body
cell is wrapped with rich's own word-wrapping and cell-width functions, as its
`Text.wrap` does for a left-justified, folding column. Tables whose cells need more
(control characters, line breaks, columns too narrow for their padding) are left
to rich whole. tests/unit/test_table_text.py compares both on many tables.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from itertools import pairwise

from rich._wrap import divide_line
from rich.cells import cell_len, set_cell_size
from rich.console import Console
from rich.table import Table

#: Characters rich treats specially inside a cell (line breaks, tabs, control codes).
_SPECIAL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_TRAILING_SPACE = re.compile(r"\s+$")
_WORD = re.compile(r"\s*\S+\s*")  # a word and the spaces around it, as rich splits
#: Below this many rows rich renders the whole table (nothing to gain).
MIN_ROWS = 50


def table_text(
    header: Sequence[str], rows: Sequence[Sequence[str]], *, title: str | None, width: int
) -> str:
    """What rich prints for `Table(title=title)` with these columns (overflow "fold")
    and rows, on a console `width` wide, as plain text."""
    console = Console(file=io.StringIO(), width=width, record=True)
    plain = None if len(rows) < MIN_ROWS else _plain_rows(console, rows)
    if plain is None:
        return _rich_text(console, _table(header, rows, title))
    probe = _table(header, [rows[i] for i in _extreme_rows(plain, len(header))], title)
    widths = probe._calculate_column_widths(  # the widths rich gives the whole table
        console, console.options.update_width(width - probe._extra_width)
    )
    if min(widths) < 3:
        return _rich_text(console, _table(header, rows, title))
    drawn = _rich_text(console, probe).split("\n")
    head = next(i for i, line in enumerate(drawn) if line.startswith(probe.box.head_row_left))
    return "\n".join([*drawn[: head + 1], *_body(plain, widths, probe), drawn[-1]])


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], title: str | None) -> Table:
    table = Table(title=title, show_lines=False)
    for c in header:
        table.add_column(c, overflow="fold")
    for r in rows:
        table.add_row(*r)
    return table


def _rich_text(console: Console, table: Table) -> str:
    console.print(table)
    return console.export_text().rstrip("\n")


def _plain_rows(console: Console, rows: Sequence[Sequence[str]]) -> list[list[str]] | None:
    """Each cell's text as rich shows it (markup and emoji codes applied), or None when
    a cell holds what this module leaves to rich."""
    out = []
    for row in rows:
        cells = []
        for cell in row:
            if _SPECIAL.search(cell):
                return None
            if "[" in cell or ":" in cell:
                cell = console.render_str(cell, highlight=False).plain
                if _SPECIAL.search(cell):
                    return None
            cells.append(cell)
        out.append(cells)
    return out


def _extreme_rows(plain: Sequence[Sequence[str]], n_columns: int) -> list[int]:
    """The rows holding each column's longest word and longest line: rich's measure of
    a column is the largest of its cells' (longest word, whole text) widths, so these
    rows alone give it the same widths as all of them."""
    best: dict[tuple[int, int], tuple[int, int]] = {}
    for i, row in enumerate(plain):
        for c, text in enumerate(row):
            size_of = len if text.isascii() else cell_len
            words = text.split()
            longest_word = max(map(size_of, words)) if words else size_of(text)
            for key, size in (((c, 0), longest_word), ((c, 1), size_of(text))):
                if key not in best or size > best[key][0]:
                    best[key] = (size, i)
    return sorted({i for _, i in best.values()})


def _body(plain: Sequence[Sequence[str]], widths: Sequence[int], table: Table) -> list[str]:
    """The body's lines: each row's cells wrapped, padded and joined by the box."""
    box, lines, last = table.box, [], len(plain) - 1
    assert box is not None
    inner = [w - 2 for w in widths]
    for index, row in enumerate(plain):
        cells = [_cell_lines(text, w) for text, w in zip(row, inner, strict=True)]
        height = max(map(len, cells))
        if index == last:
            left, mid, right = box.foot_left, box.foot_vertical, box.foot_right
        else:
            left, mid, right = box.mid_left, box.mid_vertical, box.mid_right
        for line_no in range(height):
            parts = [
                f" {c[line_no]} " if line_no < len(c) else " " * (w + 2)
                for c, w in zip(cells, inner, strict=True)
            ]
            lines.append(left + mid.join(parts) + right)
    return lines


def _cell_lines(text: str, width: int) -> list[str]:
    """`text` wrapped to `width` cells as rich's `Text.wrap` does (fold overflow,
    left-justified), each line padded to `width`."""
    size_of = len if text.isascii() else cell_len  # printable ASCII: one cell a character
    size = size_of(text)
    if size <= width:  # rich breaks no line that fits
        return [text + " " * (width - size)]
    offsets = ascii_breaks(text, width) if size_of is len else divide_line(text, width)
    bounds = [0, *offsets, len(text)]
    out = []
    for start, end in pairwise(bounds):
        line = text[start:end]
        if len(line) > width and (space := _TRAILING_SPACE.search(line)):
            line = line[: len(line) - min(len(space.group(0)), len(line) - width)]
        size = size_of(line)
        if size > width:
            line = set_cell_size(line, width)
        elif size < width:
            line += " " * (width - size)
        out.append(line)
    return out


def ascii_breaks(text: str, width: int) -> list[int]:
    """rich's `divide_line(text, width, fold=True)` for ASCII text, where a character
    is one cell: the same words and breaks, without measuring each word's cells.
    (Each word match starts where the last ended, so `start` is the running length.)"""
    breaks: list[int] = []
    offset = start = 0
    for word in _WORD.findall(text):
        length = len(word)
        size = len(word.rstrip())
        if width - offset >= size:
            offset += length
        elif size > width:  # folded into pieces of `width` characters
            pieces = range(start, start + length, width)
            breaks += [p for p in pieces if p]
            offset = start + length - pieces[-1]
        elif offset and start:
            breaks.append(start)
            offset = length
        start += length
    return breaks
