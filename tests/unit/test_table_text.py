"""`cli.table_text` prints exactly what rich prints for the same table, and leaves the
body's cells to its own wrapping (rich laid out ~108,000 findings in minutes)."""

from __future__ import annotations

import io
import random

import pytest
from rich._wrap import divide_line
from rich.console import Console
from rich.table import Table

from cli.output import TABLE_WIDTH, Format, render
from cli.table_text import MIN_ROWS, ascii_breaks, table_text

WORDS = [
    "Leeds", "a", "city", "partnership", "no", "CSO", "could", "open", "with", "the",
    "Zürich", "Łódź", "東京都", "São", "Paulo", "👍", "naïve", "x" * 70, "y" * 23,
    "[bold]strong[/bold]", "[not a tag", "a:b", ":thumbs_up:", "\\[escaped]", "e.g.:",
    "vertical.no_national_link", "be-city-21790", "", "—", "«quoted»",
]  # fmt: skip


def rich_text(header: list[str], rows: list[list[str]], title: str | None) -> str:
    """The reference: rich laying out and drawing every cell."""
    table = Table(title=title, show_lines=False)
    for c in header:
        table.add_column(c, overflow="fold")
    for r in rows:
        table.add_row(*r)
    console = Console(file=io.StringIO(), width=TABLE_WIDTH, record=True)
    console.print(table)
    return console.export_text().rstrip("\n")


def random_cell(rng: random.Random, longest: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(0, longest))]
    text = " ".join(words)
    if rng.random() < 0.1:
        text = " " * rng.randint(1, 3) + text + " " * rng.randint(0, 3)
    return text


@pytest.mark.parametrize("seed", range(12))
def test_the_same_text_as_rich(seed: int) -> None:
    rng = random.Random(seed)
    n_columns = rng.choice([1, 3, 8, 12])
    header = [
        rng.choice(["severity", "type", "subjects", "explanation", "a"]) for _ in range(n_columns)
    ]
    longest = rng.choice([2, 6, 25])
    rows = [
        [random_cell(rng, longest) for _ in header] for _ in range(MIN_ROWS + rng.randint(0, 80))
    ]
    title = rng.choice(
        [None, "108413 gaps", "3 gaps: no actor in Denmark (DK) " * rng.randint(1, 8)]
    )
    assert table_text(header, rows, title=title, width=TABLE_WIDTH) == rich_text(
        header, rows, title
    )


@pytest.mark.parametrize("odd", ["line\nbreak", "tab\there", "bell\x07", "nel\x85", "sep\u2028"])
def test_cells_rich_treats_specially_are_left_to_rich(odd: str) -> None:
    header = ["a", "b"]
    rows = [["plain", "words"]] * MIN_ROWS + [[odd, "x"]]
    assert table_text(header, rows, title="t", width=TABLE_WIDTH) == rich_text(header, rows, "t")


def test_columns_squeezed_below_their_padding_are_left_to_rich() -> None:
    header = [f"c{i}" for i in range(60)]
    rows = [["word " * 5 for _ in header] for _ in range(MIN_ROWS)]
    assert table_text(header, rows, title=None, width=TABLE_WIDTH) == rich_text(header, rows, None)


def test_ascii_breaks_are_richs() -> None:
    rng = random.Random(7)
    alphabet = "ab  cdefghijklmnop    xyz.-"
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        width = rng.randint(1, 30)
        assert ascii_breaks(text, width) == divide_line(text, width, fold=True), (text, width)


def test_rich_lays_out_only_a_few_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    """The body's rows are wrapped here, not by rich: rich sees the probe's few rows."""
    added = []
    real = Table.add_row
    monkeypatch.setattr(
        Table, "add_row", lambda self, *c, **k: (added.append(c), real(self, *c, **k))
    )
    rows = [{"id": f"city-{i}", "note": "a city with no partner " * (i % 7)} for i in range(2000)]
    text = render(rows, Format.table, title="2000 rows")
    assert text.count("city-") == 2000
    assert 0 < len(added) <= 2 * 2 + 1
