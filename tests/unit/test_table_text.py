"""`cli.table_text` prints exactly what rich prints for the same table, and leaves the
body's cells to its own wrapping (rich laid out ~108,000 findings in minutes)."""

from __future__ import annotations

import io
import random

import pytest
from rich._wrap import divide_line
from rich.console import Console
from rich.table import Table
from rich.text import Text

from cli.output import TABLE_WIDTH, Format, render
from cli.table_text import _REMEMBERED, MIN_ROWS, _ColumnWrap, ascii_breaks, table_text

WORDS = [
    "Leeds", "a", "city", "partnership", "no", "CSO", "could", "open", "with", "the",
    "Zürich", "Łódź", "東京都", "São", "Paulo", "👍", "naïve", "x" * 70, "y" * 23,
    "[bold]strong[/bold]", "[not a tag", "a:b", ":thumbs_up:", "\\[escaped]", "e.g.:",
    "vertical.no_national_link", "be-city-21790", "", "—", "«quoted»",
]  # fmt: skip


def rich_text(
    header: list[str], rows: list[list[str]], title: str | None, width: int = TABLE_WIDTH
) -> str:
    """The reference: rich laying out and drawing every cell."""
    table = Table(title=title, show_lines=False)
    for c in header:
        table.add_column(c, overflow="fold")
    for r in rows:
        table.add_row(*r)
    console = Console(file=io.StringIO(), width=width, record=True)
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


def rich_lines(text: str, width: int) -> list[str]:
    """rich's lines for a left-justified, folding cell `width` cells wide, padded."""
    console = Console(file=io.StringIO(), width=200)
    lines = Text(text).wrap(console, width, justify="left", overflow="fold")
    return [line.plain + " " * (width - line.cell_len) for line in lines]


def test_column_wrap_breaks_ascii_text_as_rich() -> None:
    """Words that fit or not, runs of spaces, leading and trailing spaces, words of
    exactly the width and longer ones folded: the lines, once padded and cut as the
    row's format does, are rich's."""
    rng = random.Random(11)
    alphabet = "ab  cdefghijklmnop    xyz.-"
    for _ in range(6000):
        width = rng.randint(1, 30)
        words = [
            rng.choice(["x" * width, "y" * (width + rng.randint(1, 2 * width)), "a", "bc"])
            if rng.random() < 0.2
            else "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
            for _ in range(rng.randint(1, 12))
        ]
        text = (" " * rng.randint(0, 3)).join(words)
        if rng.random() < 0.2:
            text = " " * rng.randint(1, width + 2) + text + " " * rng.randint(0, width + 2)
        wrap = _ColumnWrap(width)
        got = [f"{line:<{width}.{width}}" for line in wrap(text)]
        assert got == rich_lines(text, width), (text, width)


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("abc def", 3, ["abc ", "def"]),  # the space after a full line is cut by the format
        ("abc  def  ", 4, ["abc  ", "def  "]),
        ("  ab cd", 4, ["  ab ", "cd"]),  # leading spaces that fit with the first word
    ],
)
def test_column_wrap_leaves_the_spaces_after_a_line(text: str, width: int, lines: list) -> None:
    assert _ColumnWrap(width)(text) == lines


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("xxxxxxxx  abcd", 4, ["xxxx", "xxxx", "    ", "abcd"]),
        ("xxxxxx   ab", 4, ["xxxx", "xx  ", " ab "]),
        ("x kl   ez", 1, ["x", "k", "l", " ", " ", " ", "e", "z"]),
        ("   abcd", 4, ["   a", "bcd "]),
    ],
)
def test_folded_words_and_the_spaces_after_them_are_richs(
    text: str, width: int, lines: list
) -> None:
    """rich folds a word wider than the column (or than what is left of the first line
    after leading spaces) with the spaces after it, which may make lines of their own."""
    assert _ColumnWrap(width)(text) == rich_lines(text, width) == lines


def test_columns_of_many_repeated_and_many_different_long_texts() -> None:
    """A column of a few long values (remembered) beside one of more different long
    texts than a column remembers (it stops remembering): the same text as rich."""
    header = ["type", "explanation", "n"]
    kinds = ["vertical.no_national_link_in_country", "horizontal.unlinked_countries_pair"]
    rows = [
        [kinds[i % 2], f"city {i} has no active relationship with any national body", str(i)]
        for i in range(_REMEMBERED + 100)
    ]
    assert table_text(header, rows, title="t", width=TABLE_WIDTH) == rich_text(header, rows, "t")


@pytest.mark.parametrize("wide", ["東京都", "👍", "naïve"])
def test_rows_with_wide_characters_beside_wrapped_ascii_cells(wide: str) -> None:
    """A row with a character of two cells (or a non-ASCII one) is padded in cells,
    its ASCII cells of several lines with it; the other rows by the ASCII format."""
    header = ["a", "b", "c"]
    long = "a city with no partner in the country " * 6
    rows = [
        [f"{wide} {wide} word", long, "x"] if i % 3 == 0 else ["w", long, "y"] for i in range(60)
    ]
    assert table_text(header, rows, title=None, width=80) == rich_text(header, rows, None, 80)


def test_widths_come_from_the_widest_cells_when_squeezed() -> None:
    """Columns narrower than their widest cell, a long word in one row and the widest
    text in another: rich's widths all the same."""
    header = [f"c{i}" for i in range(9)]
    rows = [
        ["z" * 40 if i == 3 else "a few short words " * (1 + (i % 4)) for _ in header]
        for i in range(MIN_ROWS + 5)
    ]
    assert table_text(header, rows, title="t", width=TABLE_WIDTH) == rich_text(header, rows, "t")


@pytest.mark.parametrize(
    "cell",
    [
        "[bold]strong[/bold] words",
        "e.g.: :thumbs_up: done",
        "plain: text, a:b and c: d",
        ":not_a_code: kept",
        "zero\u200bwidth space, unprintable but not special",
    ],
)
def test_markup_and_emoji_codes_are_applied_only_where_a_cell_has_them(cell: str) -> None:
    header = ["a", "b", "c"]
    rows = [[cell, "inferred: be-city-1, a PARTNERS_WITH b", "x"]] * MIN_ROWS
    assert table_text(header, rows, title=None, width=TABLE_WIDTH) == rich_text(header, rows, None)


def test_finding_cells_are_what_render_writes_from_the_dicts() -> None:
    """The gaps table takes its cells straight from the findings: the same cells and
    table as `render` of `to_dict()` with the basis in words."""
    from cli.cmd_analysis import FINDING_COLUMNS, finding_cells, findings_table
    from cli.output import _cell
    from graph.analysis.findings import Finding
    from graph.analysis.gaps import basis_text

    findings = [
        Finding(
            type="vertical.no_national_link",
            severity=["high", "medium", "low"][i % 3],
            subjects=tuple(f"be-city-{j}" for j in range(i % 4)),
            country=None if i % 5 == 0 else "BE",
            explanation=f"Gandor {i} has no active relationship with any national body.",
            suggestion="Gandor could open a working channel with Babrevik Ministry " * (i % 3),
            mitigation=None if i % 2 else "A planned link would close this: a (planned).",
            inferred=() if i % 4 else (f"be-city-{i}", "a PARTNERS_WITH b"),
        )
        for i in range(MIN_ROWS + 10)
    ]
    rows = [{**f.to_dict(), "basis": basis_text(f)} for f in findings]
    assert [finding_cells(f) for f in findings] == [
        [_cell(r[c]) for c in FINDING_COLUMNS] for r in rows
    ]
    expected = render(rows, Format.table, columns=FINDING_COLUMNS, title="t")
    assert findings_table(findings, Format.table, "t") == expected


def test_a_long_table_comes_in_pieces_of_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    """`scn-graph gaps` writes the table a few hundred rows at a time: the pieces make
    rich's text, the head and foot apart, and no piece holds more than its rows."""
    import cli.table_text as table_module

    monkeypatch.setattr(table_module, "_PIECE_ROWS", 16)
    rng = random.Random(7)
    header = ["severity", "type", "explanation"]
    rows = [[random_cell(rng, 12) for _ in header] for _ in range(MIN_ROWS + 40)]
    pieces = list(table_module.table_pieces(header, rows, title="t", width=TABLE_WIDTH))
    assert "".join(pieces) == rich_text(header, rows, "t")
    body = pieces[1:-1]
    assert len(body) == -(-len(rows) // 16)  # ceil: every row in exactly one piece
    assert all(piece.startswith("\n") for piece in pieces[1:])
    assert pieces[-1].count("\n") == 1  # the bottom border alone


def test_the_pieces_are_written_as_echo_writes_the_whole(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import typer

    from cli.output import echo_pieces

    echo_pieces(["first\n", "sec", "ond"])
    pieces = capsys.readouterr().out
    typer.echo("first\nsecond")
    assert pieces == capsys.readouterr().out == "first\nsecond\n"
    # not a terminal: ANSI codes a cell holds are taken out, as typer.echo does
    echo_pieces(["\x1b[31mred", "\x1b[0m row"])
    assert capsys.readouterr().out == "red row\n"


def test_the_findings_text_with_types_not_assessed_is_one_text() -> None:
    """The findings' text is the table, a blank line and the types not assessed, in
    words (the pieces joined)."""
    from cli.cmd_analysis import findings_pieces, findings_table
    from graph.analysis.applicability import NotAssessed
    from graph.analysis.findings import Finding
    from graph.analysis.gaps import not_assessed_text

    findings = [
        Finding(
            type="cso.no_cso_partner",
            severity="medium",
            subjects=(f"x-{i}",),
            country="BE",
            explanation=f"City {i} has no CSO partner.",
            suggestion="Open one.",
        )
        for i in range(MIN_ROWS + 3)
    ]
    skipped = [NotAssessed("vertical.no_national_link", "no national body in the graph")]
    text = "".join(findings_pieces(findings, skipped, Format.table))
    # the head, the body, the foot, then the types not assessed
    assert len(list(findings_pieces(findings, skipped, Format.table))) == 4
    table = findings_table(findings, Format.table, f"{len(findings)} gaps")
    assert text == f"{table}\n\nNot assessed:\n  {not_assessed_text(skipped[0])}"
