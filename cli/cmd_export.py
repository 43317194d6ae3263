"""`scn-graph export`: the graph (or one country's part) as a file, in any registered
format; the JSON, YAML, CSV and XLSX files load back with `scn-graph ingest`."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path

import typer

import ingest.export_formats  # noqa: F401  (registers the formats that are ingest input)
from cli.context import StoreOption, store_from
from cli.inputs import country_option, fail
from cli.main import app
from graph import export as writers
from graph.read.export import export_graph

#: The formats, from the registry (`graph.export.FORMATS`).
ExportFormatName = StrEnum(  # type: ignore[misc]
    "ExportFormatName", {name: name for name in writers.FORMATS}
)

EXPORT_CONFIDENTIAL_HELP = (
    "Also write confidential relationships. Without it they are in no file, in no format."
)


@app.command("export")
def export_command(
    fmt: ExportFormatName = typer.Option(  # type: ignore[valid-type]
        writers.DEFAULT_FORMAT,
        "--format",
        "-f",
        case_sensitive=False,
        help=", ".join(f.described for f in writers.FORMATS.values()) + ".",
    ),
    output: Path | None = typer.Option(
        None,
        "--output",
        "-o",
        help="File to write (default: standard output for text formats; a CSV or XLSX "
        "export needs one).",
        dir_okay=False,
    ),
    country: str | None = country_option(
        "Only this country: its actors and initiatives, the country-less nodes linked to "
        "them, and the relationships among these (links to other countries' actors are "
        "left out). English name, ISO code or UK nation."
    ),
    include_confidential: bool = typer.Option(
        False, "--include-confidential", help=EXPORT_CONFIDENTIAL_HELP
    ),
    store: str | None = StoreOption,
) -> None:
    """Write the graph as YAML, JSON, XLSX, CSV (ingest input) or GraphML, GEXF.

    The YAML, JSON, XLSX and CSV files are valid `scn-graph ingest` input: loaded
    into an empty store they give the same graph and the same findings. Bookkeeping
    (fingerprints, timestamps, load sources, revisions) is never written.
    """
    name = str(fmt.value if isinstance(fmt, StrEnum) else fmt)
    spec = writers.format_of(name)
    if output is None and spec.binary and sys.stdout.isatty():
        raise fail(f"a {spec.title} export is binary: give -o FILE.{spec.suffix}")
    with store_from(store) as s:
        content, _media, _suffix = export_graph(
            s,
            name,
            include_confidential=include_confidential,
            countries=[country] if country else None,
        )
    if output is None:
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
        return
    _write(output, content)
    note = " (with confidential relationships)" if include_confidential else ""
    typer.echo(f"wrote {output} ({spec.title}, {len(content):,} bytes){note}", err=True)


def _write(path: Path, content: bytes) -> None:
    """Write the file whole or not at all (a temporary file renamed over it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(content)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
