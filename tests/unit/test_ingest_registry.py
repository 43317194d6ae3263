"""The input-reader registry: one entry per format, and everything that lists formats agrees."""

from __future__ import annotations

import re
import typing
from pathlib import Path

import pytest

from ingest.readers import (
    FORMATS,
    READERS,
    InputFormat,
    ReadResult,
    UnknownFormat,
    detect_format,
    read_inputs,
    read_path,
)
from tests.support.paths import ROOT

DOC = ROOT / "docs" / "data-format.md"


def test_docs_table_and_format_option_list_the_registry():
    text = DOC.read_text(encoding="utf-8")
    table = text.split("| format | what to give `ingest` | detected by |", 1)[1]
    rows = re.findall(r"^\| ([^|]+?) \|", table.split("\n\n", 1)[0], flags=re.M)
    assert [r.lower() for r in rows if not r.startswith("---")] == list(FORMATS)
    option = re.search(r"`--format ([a-z|-]+)`", text)
    assert option is not None and option.group(1).split("|") == list(FORMATS)


def test_cli_and_api_choices_are_the_registry():
    from api.routes.ingest import FormatName
    from cli.cmd_ingest import InputFormat as Choice

    assert [c.value for c in Choice] == ["auto", *FORMATS]
    assert typing.get_args(FormatName) == FORMATS


def test_every_suffix_is_detected_as_its_format(tmp_path):
    for fmt in READERS.values():
        for suffix in fmt.suffixes:
            if fmt.claims is None:
                assert detect_format(tmp_path / f"data{suffix}") == fmt.name
    (tmp_path / "relationships.csv").write_text("source,type,target\n", encoding="utf-8")
    assert detect_format(tmp_path / "relationships.csv") == "csv"
    (tmp_path / "pairs.csv").write_text("city1,country1,city2,country2\n", encoding="utf-8")
    assert detect_format(tmp_path / "pairs.csv") == "twin-cities"
    (tmp_path / "other.csv").write_text("a,b\n", encoding="utf-8")
    with pytest.raises(UnknownFormat, match=r"named after its section .* or be a twin-cities"):
        detect_format(tmp_path / "other.csv")
    assert detect_format(tmp_path) == "csv"


def test_a_new_format_is_one_registry_entry(tmp_path, monkeypatch):
    """Registering a format makes it detected and read, with no other change."""
    from ingest.records import Actor, Dataset, Origin

    def read_lines(path: Path, **_options: object) -> ReadResult:
        dataset = Dataset()
        for n, name in enumerate(path.read_text(encoding="utf-8").split(), start=1):
            dataset.add(Actor(id=name, kind="city", name=name.title()), Origin(str(path), n))
        return ReadResult(dataset=dataset, notes=[f"{path.name}: one city per line"])

    monkeypatch.setitem(
        READERS, "lines", InputFormat("lines", read_lines, "a .lines file", (".lines",))
    )
    path = tmp_path / "cities.lines"
    path.write_text("exampleton\nsampleville\n", encoding="utf-8")
    assert detect_format(path) == "lines"
    result = read_inputs([path])
    assert [a.id for a in result.dataset.actors] == ["exampleton", "sampleville"]
    assert result.notes == ["cities.lines: one city per line"] and not result.problems
    assert read_path(path, "lines").dataset.actors[1].name == "Sampleville"


def test_unknown_format_name_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown format 'toml'; expected one of yaml, json"):
        read_path(tmp_path, "toml")
