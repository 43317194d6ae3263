"""`ingest` (files → graph, all-or-nothing) and `template` (a blank Excel workbook)."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from cli.context import StoreOption, store_from
from cli.inputs import fail
from cli.main import app
from ingest.readers import ON_UNRESOLVED, READERS, detection_help, one_of

#: A load shorter than this shows no progress bar.
PROGRESS_AFTER_S = 0.5


#: `--format` choices: auto, then every registered input format.
InputFormat = StrEnum(  # type: ignore[misc]
    "InputFormat", {"auto": "auto", **{name.replace("-", "_"): name for name in READERS}}
)


#: `--on-unresolved` choices.
Unresolved = StrEnum("Unresolved", {word: word for word in ON_UNRESOLVED})  # type: ignore[misc]


class ReportFormat(StrEnum):
    text = "text"
    json = "json"


@contextmanager
def _progress_bar(enabled: bool) -> Iterator[Callable[[str, int, int], None] | None]:
    """A `progress` callback for `load_dataset` drawing a rich bar on stderr, shown only
    once a load has taken longer than a moment (or has more batches to come)."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    started = time.monotonic()
    state: dict[str, Any] = {"bar": None, "tasks": {}}

    def update(phase: str, done: int, total: int) -> None:
        bar = state["bar"]
        if bar is None:
            if done >= total and time.monotonic() - started < PROGRESS_AFTER_S:
                return
            bar = Progress(
                TextColumn("writing {task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            bar.start()
            state["bar"] = bar
        tasks = state["tasks"]
        if phase not in tasks:
            tasks[phase] = bar.add_task(phase, total=total)
        bar.update(tasks[phase], completed=done, total=total)

    try:
        yield update
    finally:
        if state["bar"] is not None:
            state["bar"].stop()


def _read_within_limits(
    paths: list[Path], fmt: str | None, on_unresolved: str, source: str | None
) -> Any:
    """`read_inputs` held to `ingest.limits`: a file over a limit ends the run with one
    line naming the file and the limit (exit code 1), before anything is parsed."""
    from ingest.limits import InputLimits, InputTooLarge
    from ingest.readers import read_inputs

    try:
        limits = InputLimits.from_env()
    except ValueError as exc:
        typer.secho(f"error: {exc}", err=True, fg="red")
        raise typer.Exit(2) from None
    try:
        return read_inputs(paths, fmt, on_unresolved=on_unresolved, limits=limits, source=source)
    except InputTooLarge as exc:
        typer.secho(f"error: {exc}; nothing was written", err=True, fg="red")
        raise typer.Exit(1) from None


@app.command(no_args_is_help=True)
def ingest(
    paths: list[Path] = typer.Argument(
        ...,
        help=f"Files or folders to load: {one_of([f.given_as for f in READERS.values()])}. "
        "Several paths are merged and loaded together.",
        show_default=False,
        metavar="PATH...",
    ),
    fmt: InputFormat = typer.Option(
        InputFormat.auto,
        "--format",
        case_sensitive=False,
        help=f"Input format; auto decides by suffix ({detection_help()}).",
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Check everything and report the counts; write nothing."
    ),
    on_unresolved: Unresolved = typer.Option(
        Unresolved.skip,
        "--on-unresolved",
        case_sensitive=False,
        help="Twin-cities only: rows whose country cannot be resolved are skipped and "
        "reported (skip), or are errors that stop the load (fail).",
    ),
    store: str | None = StoreOption,
    report_format: ReportFormat = typer.Option(
        ReportFormat.text,
        "--report-format",
        case_sensitive=False,
        help="text, or json: one JSON object on stdout with counts, warnings and problems.",
    ),
    quiet: bool = typer.Option(
        False, "--quiet", "-q", help="No progress bar and no notes; counts and problems only."
    ),
    sync: bool = typer.Option(
        False,
        "--sync",
        help="The files are the whole truth for their source: records only that source "
        "held and the files no longer have are removed, with their relationships; "
        "records other sources also hold only lose this source. With --dry-run, lists "
        "every removal.",
    ),
    source_label: str | None = typer.Option(
        None,
        "--source",
        metavar="LABEL",
        help="Name of the source the files are (default: each file's or folder's name); "
        "recorded on every record loaded, and what --sync compares.",
    ),
    yes: bool = typer.Option(
        False,
        "--yes",
        help="Sync even when it takes away more than half of a source's records "
        "(refused otherwise).",
    ),
) -> None:
    """Load actors, initiatives and relationships from files into the graph.

    Everything is checked before anything is written: if any record has a
    problem, every problem is listed on stderr, one per line, as
    `FILE, line N: field 'x' value 'y': reason` (Excel: `FILE, sheet S, row N: …`),
    nothing is written, and the exit code is 1. Otherwise all inputs are loaded
    in one transaction and the created / updated / unchanged counts are printed,
    with the countries a `countries` section named or renamed.
    A file over a size limit (SCN_GRAPH_UPLOAD_MAX_MB, SCN_GRAPH_XLSX_MAX_UNPACKED_MB,
    SCN_GRAPH_XLSX_MAX_RATIO, SCN_GRAPH_MAX_ROWS; docs/data-format.md) is refused
    with one line naming it and the limit, before it is parsed (exit code 1).
    Loading the same files again changes nothing. Ids may refer to actors and
    initiatives already in the graph. Every load is one revision (`who`: your
    OS user; source: the --source label or the file names; docs/history.md).

    Every record remembers the sources it was loaded from. With --sync the
    files are the whole truth for their source: what only that source held
    and the files no longer have is removed (an actor or initiative with all
    its relationships), what other sources also hold only loses this source,
    in the same transaction as the rest; every removal is listed by id and
    name. A sync taking away more than half of a source's records is refused
    (exit code 1) unless --yes is given. Records loaded before sources were
    recorded belong to no source until a load names them; a sync never
    removes them (docs/data-format.md, "Sync").

    The format of every input: docs/data-format.md. A blank workbook to fill
    in: `scn-graph template -o data.xlsx`.

    Examples:

      scn-graph ingest data.yaml

      scn-graph ingest people.xlsx links/ --dry-run

      scn-graph ingest twin_cities.csv --on-unresolved fail

      scn-graph ingest network.xlsx --sync --dry-run
    """
    from ingest.load import LoadReport, SyncRefused, load_dataset
    from ingest.problems import Problem, ValidationFailed

    fmt_arg = None if fmt == "auto" else fmt.value
    if source_label is not None and not source_label.strip():
        typer.secho("error: --source needs a label", err=True, fg="red")
        raise typer.Exit(2)
    result = _read_within_limits(paths, fmt_arg, on_unresolved.value, source_label)
    labels = [source_label] if source_label else sorted({p.name for p in paths})
    dataset = result.dataset
    problems: list[Problem] = list(result.problems)
    report: LoadReport | None = None
    show_progress = not quiet and report_format == ReportFormat.text and sys.stderr.isatty()
    try:
        with store_from(store) as s:
            if problems:
                # Also the cross-record problems, checked against the store, in the same run.
                try:
                    load_dataset(s, dataset, dry_run=True, sync=labels if sync else None)
                except ValidationFailed as exc:
                    problems += exc.problems
            else:
                with _progress_bar(show_progress) as progress:
                    try:
                        report = load_dataset(
                            s,
                            dataset,
                            dry_run=dry_run,
                            progress=progress,
                            source=", ".join(labels),
                            sync=labels if sync else None,
                            allow_large_sync=yes,
                        )
                    except ValidationFailed as exc:
                        problems += exc.problems
                    except SyncRefused as exc:
                        raise fail(
                            f"{exc}. Check with --dry-run --sync, then add --yes to sync anyway.",
                            code=1,
                        ) from None
    except typer.Exit:
        if not problems:
            raise
        # The store could not be opened (said above); still list the files' problems.

    read = {
        "inputs": [str(p) for p in paths],
        "actors": len(dataset.actors),
        "initiatives": len(dataset.initiatives),
        "relationships": len(dataset.relationships),
    }
    for p in problems:
        typer.echo(str(p), err=True)
    if problems:
        n = len(problems)
        typer.secho(
            f"{n} problem{'s' if n != 1 else ''} in the input; nothing was written.",
            err=True,
            fg="red",
        )

    if report_format == ReportFormat.json:
        out = {
            "ok": not problems,
            "dry_run": dry_run,
            "read": read,
            "report": report.to_dict() if report else None,
            "problems": [p.to_dict() for p in problems],
            "notes": result.notes,
            "adapter_reports": result.report_dicts(),
        }
        typer.echo(json.dumps(out, indent=2, ensure_ascii=False, default=str))
    else:
        if not quiet:
            for note in result.notes:
                typer.echo(note)
        if report is not None:
            typer.echo(
                f"Read {len(paths)} input{'s' if len(paths) != 1 else ''}: "
                f"{read['actors']} actors, {read['initiatives']} initiatives, "
                f"{read['relationships']} relationships"
            )
            for line in report.lines():
                typer.echo(line)
    if problems:
        raise typer.Exit(1)


@app.command()
def template(
    output: Path = typer.Option(
        Path("scn-graph-template.xlsx"), "--output", "-o", help="Where to write the .xlsx file."
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite the file if it exists."),
) -> None:
    """Write a blank Excel workbook to fill in and load with `scn-graph ingest`.

    It has the sheets actors, initiatives, relationships and countries with the
    exact column names (required ones in red), drop-down lists for kind, type,
    status, basis, level, sector, nation and the yes/no columns, and a README sheet
    listing every field, the allowed values and the relationship types.
    """
    from ingest.template import write_template

    if output.suffix.lower() != ".xlsx":
        typer.secho(f"error: {output} must end in .xlsx", err=True, fg="red")
        raise typer.Exit(2)
    if output.exists() and not force:
        typer.secho(f"error: {output} exists; use --force to overwrite it", err=True, fg="red")
        raise typer.Exit(2)
    write_template(output)
    typer.echo(f"Wrote {output}. Fill it in, then: scn-graph ingest {output} --dry-run")
