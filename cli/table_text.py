"""The text of a rich table of many rows, without rich rendering every cell.

`scn-graph gaps` on a million relationships prints about 108,000 findings; rich
laid out each cell through its segment and style machinery, about 2 ms per finding
(over three minutes of CPU), far more than finding the gaps. The text is the same
here: rich itself measures the columns (on the few rows that hold each column's
widest cell) and draws the title, header and borders, and each body cell is wrapped
as rich's `Text.wrap` does for a left-justified, folding column: ASCII text by one
regular expression giving rich's greedy breaks, anything else with rich's own
word-wrapping and cell-width functions. Each row's lines are made by one format per
shape of row (how many lines each cell has). Tables whose cells need more (control
characters, line breaks, columns too narrow for their padding) are left to rich
whole. tests/unit/test_table_text.py compares both on many tables.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator, Sequence
from itertools import accumulate, chain, pairwise

from rich._wrap import divide_line
from rich.box import Box
from rich.cells import cell_len, set_cell_size
from rich.console import Console
from rich.table import Table

from graph.collector import collector_paused

#: Characters rich treats specially inside a cell (line breaks, tabs, control codes).
_SPECIAL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
#: What rich replaces as an emoji code (`rich._emoji_replace`), markup aside.
_EMOJI_CODE = re.compile(r":\S*?:")
_TRAILING_SPACE = re.compile(r"\s+$")
_WORD = re.compile(r"\s*\S+\s*")  # a word and the spaces around it, as rich splits
#: Below this many rows rich renders the whole table (nothing to gain).
MIN_ROWS = 50
#: How many texts longer than its width a column remembers the lines of.
_REMEMBERED = 512
#: Rows in each piece of `table_pieces` (about 1 MB of text for the findings' table).
_PIECE_ROWS = 512
#: How many shapes of row (lines per cell) a table keeps the format of (108,413
#: findings have 573).
_SHAPES = 4096


def table_text(
    header: Sequence[str], rows: Sequence[Sequence[str]], *, title: str | None, width: int
) -> str:
    """What rich prints for `Table(title=title)` with these columns (overflow "fold")
    and rows, on a console `width` wide, as plain text."""
    return "".join(table_pieces(header, rows, title=title, width=width))


def table_pieces(
    header: Sequence[str], rows: Sequence[Sequence[str]], *, title: str | None, width: int
) -> Iterator[str]:
    """`table_text` in pieces of about `_PIECE_ROWS` rows each, to be written one after
    another: a table of 100,000 rows is never held whole (on 1M relationships it was
    186 million characters, and making that much fresh memory cost more system time
    than the text did)."""
    console = Console(file=io.StringIO(), width=width, record=True)
    columns = None if len(rows) < MIN_ROWS else _plain_columns(console, rows)
    if columns is None:
        yield _rich_text(console, _table(header, rows, title))
        return
    probe = _table(header, [rows[i] for i in _widest_rows(columns)], title)
    widths = probe._calculate_column_widths(  # the widths rich gives the whole table
        console, console.options.update_width(width - probe._extra_width)
    )
    if min(widths) < 3:
        yield _rich_text(console, _table(header, rows, title))
        return
    drawn = _rich_text(console, probe).split("\n")
    assert probe.box is not None
    head = next(i for i, line in enumerate(drawn) if line.startswith(probe.box.head_row_left))
    yield "\n".join(drawn[: head + 1])
    for lines in _body(list(zip(*columns, strict=True)), widths, probe.box):
        yield "\n" + "\n".join(lines)
    yield "\n" + drawn[-1]


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


def _plain_columns(console: Console, rows: Sequence[Sequence[str]]) -> list[Sequence[str]] | None:
    """Each column's cells as rich shows them (markup and emoji codes applied), or None
    when a cell holds what this module leaves to rich. A column is looked at as one
    string: most have neither markup nor emoji codes and are kept as they are."""
    columns: list[Sequence[str]] = list(zip(*rows, strict=True))
    for c, column in enumerate(columns):
        joined = "".join(column)
        if _special(joined):
            return None
        if "[" in joined or ":" in joined:
            columns[c] = [_plain(console, t) if "[" in t or ":" in t else t for t in column]
            if _special("".join(columns[c])):
                return None
    return columns


def _special(text: str) -> bool:
    """Whether `text` has a character rich treats specially (all are unprintable)."""
    return not text.isprintable() and _SPECIAL.search(text) is not None


def _plain(console: Console, cell: str) -> str:
    """The text rich shows for `cell`: as it is without markup or an emoji code."""
    if "[" not in cell and not _EMOJI_CODE.search(cell):
        return cell
    return console.render_str(cell, highlight=False).plain


def _widest_rows(columns: Sequence[Sequence[str]]) -> list[int]:
    """The rows holding each column's widest cell: these rows alone give rich's widths
    for the whole table. rich measures a cell as (its longest word, its widest line) and
    sets each column from the largest widest line; the longest word only ever counts
    when it is wider than that (never, without line breaks)."""
    return sorted({_widest(column) for column in columns})


def _widest(texts: Sequence[str]) -> int:
    """The first of these texts that is widest in cells."""
    if "".join(texts).isascii():
        sizes = list(map(len, texts))
    else:
        sizes = [len(t) if t.isascii() else cell_len(t) for t in texts]
    return sizes.index(max(sizes))


def _body(plain: Sequence[Sequence[str]], widths: Sequence[int], box: Box) -> Iterator[list[str]]:
    """The body, a text per row (its cells wrapped, padded and joined by the box), in
    lists of `_PIECE_ROWS` rows."""
    inner = [w - 2 for w in widths]
    wraps = [_ColumnWrap(w) for w in inner]
    mid = _RowLines(inner, box.mid_left, box.mid_vertical, box.mid_right)
    foot = _RowLines(inner, box.foot_left, box.foot_vertical, box.foot_right)
    last = len(plain) - 1
    for first in range(0, len(plain), _PIECE_ROWS):
        out = []
        with collector_paused():  # nothing here makes cycles; collecting walked every list
            for index in range(first, min(first + _PIECE_ROWS, len(plain))):
                row = plain[index]
                form = mid if index < last else foot
                if "".join(row).isascii():
                    cells = [
                        [t] if len(t) <= w else wrap(t)
                        for t, w, wrap in zip(row, inner, wraps, strict=True)
                    ]
                    out.append(form.text(cells, ascii_lines=True))
                else:
                    cells = [_cell_lines(t, w) for t, w in zip(row, inner, strict=True)]
                    out.append(form.text(cells, ascii_lines=False))
        yield out


class _RowLines:
    """Joins a row's wrapped cells into its lines, with one format for each shape of
    row (how many lines each cell has): a cell's lines are its fields, blank lines
    under a cell are part of the format."""

    def __init__(self, widths: Sequence[int], left: str, mid: str, right: str) -> None:
        self.widths = widths
        self.left, self.mid, self.right = (_literal(s) for s in (left, mid, right))
        self.forms: dict[tuple[bool, tuple[int, ...]], Callable[..., str]] = {}

    def text(self, cells: list[list[str]], *, ascii_lines: bool) -> str:
        """The lines of one row, given each cell's lines: as rich breaks them when
        `ascii_lines` (ASCII, one cell a character: the format pads them and cuts the
        spaces they end with beyond the width), else padded to the width in cells."""
        heights = tuple(map(len, cells))
        form = self.forms.get((ascii_lines, heights))
        if form is None:
            form = self._form(heights, ascii_lines)
            if len(self.forms) < _SHAPES:
                self.forms[ascii_lines, heights] = form
        return form(*chain.from_iterable(cells))

    def _form(self, heights: tuple[int, ...], ascii_lines: bool) -> Callable[..., str]:
        starts = [0, *accumulate(heights)]
        lines = []
        for line in range(max(heights)):
            fields = [
                (f"{{{start + line}:<{w}.{w}}}" if ascii_lines else f"{{{start + line}}}")
                if line < h
                else " " * w
                for start, h, w in zip(starts, heights, self.widths, strict=False)
            ]
            lines.append(f"{self.left} " + f" {self.mid} ".join(fields) + f" {self.right}")
        return "\n".join(lines).format


def _literal(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


class _ColumnWrap:
    """Wraps the cells of a column `width` cells wide as rich breaks them, faster for
    ASCII text, remembering the lines of texts seen before while that pays (columns of
    a few values: severity, type, country). ASCII lines are left with the spaces after
    their last word (`_RowLines` pads and cuts them)."""

    def __init__(self, width: int) -> None:
        self.width = width
        # From where a line starts: the most words that fit and the spaces after them.
        # These are rich's breaks unless a word is wider than the column or the first
        # word and the spaces before it are: there no match starts, and a text whose
        # lines do not add up to it is left to `_cell_lines` (rich folds such a word,
        # the spaces after it included).
        self.lines = re.compile(rf".{{0,{width - 1}}}\S(?: +|\Z)").findall
        self.seen: dict[str, list[str]] | None = {}

    def __call__(self, text: str) -> list[str]:
        """The lines of a cell of ASCII text wider than the column."""
        seen = self.seen
        if seen is None:
            return self._wrap(text)
        lines = seen.get(text)
        if lines is None:
            lines = seen[text] = self._wrap(text)
            if len(seen) > _REMEMBERED:  # mostly different texts: stop looking
                self.seen = None
        return lines

    def _wrap(self, text: str) -> list[str]:
        lines = self.lines(text)
        if sum(map(len, lines)) == len(text):
            return lines
        return _cell_lines(text, self.width)


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
