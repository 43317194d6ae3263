"""The input-reader registry: one entry per format, and everything that lists formats agrees."""

from __future__ import annotations

import inspect
import re
import typing
import zipfile

import pytest

from ingest.readers import (
    READERS,
    InputFormat,
    ReadResult,
    detection_help,
    folder_format,
    format_names,
)
from tests.support.paths import ROOT

DOC = ROOT / "docs" / "data-format.md"


def test_docs_table_and_format_option_list_the_registry():
    text = DOC.read_text(encoding="utf-8")
    table = text.split("| format | what to give `ingest` | detected by |", 1)[1]
    rows = re.findall(r"^\| ([^|]+?) \|", table.split("\n\n", 1)[0], flags=re.M)
    assert [r for r in rows if not r.startswith("---")] == [f.label for f in READERS.values()]
    option = re.search(r"`--format ([a-z|-]+)`", text)
    assert option is not None and option.group(1).split("|") == list(format_names())


def test_cli_and_api_choices_are_the_registry():
    from api.routes.ingest import FormatName
    from cli.cmd_ingest import InputFormat as Choice

    assert [c.value for c in Choice] == ["auto", *format_names()]
    assert typing.get_args(FormatName) == format_names()


def test_cli_and_api_help_texts_are_built_from_the_registry():
    from api.routes.ingest import _FORMAT_HELP, router
    from cli.cmd_ingest import ingest

    assert detection_help() == (
        "a folder is CSV; a .csv file named after a section is CSV, "
        "one with city1/city2 columns is twin-cities"
    )
    option = inspect.signature(ingest).parameters["fmt"].default
    assert option.help == f"Input format; auto decides by suffix ({detection_help()})."
    assert _FORMAT_HELP == (
        "yaml, json, csv, excel or twin-cities; by default the file name decides "
        "(.yaml/.yml, .json, .xlsx, .zip of CSV files, actors.csv …)."
    )
    (route,) = router.routes
    assert all(f.label in route.summary for f in READERS.values())  # type: ignore[attr-defined]


def test_help_texts_follow_a_format_registered_later(monkeypatch):
    """A format registered after the registry module was imported is in every help text
    built from then on, and `format_names()` lists it (a snapshot tuple would not)."""
    from api.routes.ingest import _named_by

    ledger = InputFormat(
        "ledger",
        lambda path, **_: ReadResult(),
        "a ledger CSV",
        (".csv",),
        claims=lambda path: path.stem == "ledger",
        claimed_as="named ledger",
        named_like="ledger.csv",
        title="Ledger",
    )
    notes = InputFormat("notes", lambda path, **_: ReadResult(), ".notes", (".notes",))
    monkeypatch.setitem(READERS, "ledger", ledger)
    monkeypatch.setitem(READERS, "notes", notes)
    assert format_names()[-2:] == ("ledger", "notes")
    assert detection_help().endswith(
        "one with city1/city2 columns is twin-cities, one named ledger is Ledger"
    )
    assert (
        _named_by()
        == ".yaml/.yml, .json, .xlsx, .notes, .zip of CSV files, actors.csv …, ledger.csv"
    )


def test_a_zip_upload_is_read_as_the_registered_folder_format(tmp_path, monkeypatch):
    """The API unpacks a .zip upload for whichever format reads folders, not for "csv"."""
    from api.errors import ApiError
    from api.routes.ingest import _unzipped

    archive = tmp_path / "upload.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("data/actors.tsv", "id\tkind\tname\n")
        zf.writestr("data/actors.csv", "id,kind,name\n")
    assert folder_format() is READERS["csv"]
    monkeypatch.delitem(READERS, "csv")
    tsv = InputFormat(
        "tsv", lambda path, **_: ReadResult(), "a folder of TSV files", (".tsv",), folder=True
    )
    monkeypatch.setitem(READERS, "tsv", tsv)
    with pytest.raises(ApiError, match=r"must hold tsv files \(format tsv\)"):
        _unzipped(archive, tmp_path, "json", 10**6)
    folder, fmt = _unzipped(archive, tmp_path, None, 10**6)
    assert fmt == "tsv" and [p.name for p in folder.iterdir()] == ["actors.tsv"]
