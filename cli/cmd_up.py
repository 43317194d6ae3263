"""`up`: the main job — the workshop dataset loaded, summarised, and served."""

from __future__ import annotations

import typer

from cli.context import ConfidentialOption, StoreOption, analysis_from
from cli.main import app
from cli.output import Format, render

TOP_FINDINGS = 8


@app.command()
def up(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to serve on."),
    port: int = typer.Option(8000, "--port", min=0, max=65535),
    serve_api: bool = typer.Option(
        True, "--serve/--no-serve", help="End by serving the API and pages (default) or stop."
    ),
    include_confidential: bool = ConfidentialOption,
    store: str | None = StoreOption,
) -> None:
    """Load the workshop seed dataset, print its stats and gaps, then serve the API,
    the network pages and the gap report (what `make run` does).

    The printed stats and gaps leave confidential relationships out unless
    --include-confidential is given; the server shows them by role, as always.
    """
    # Imported here: the sibling command modules import cli.main, which imports this one.
    from cli.cmd_analysis import summary_lines
    from cli.cmd_core import seed, stats
    from cli.cmd_serve import serve
    from graph.analysis.gaps import summarise

    seed(store=store, dry_run=False)
    typer.echo("")
    stats(store=store, fmt=Format.table, include_confidential=include_confidential)
    with analysis_from(store) as analysis:
        findings = analysis.findings(include_confidential=include_confidential)
    typer.echo("")
    typer.echo("Partnership gaps in the workshop dataset")
    for line in summary_lines(summarise(findings)):
        if not line.rstrip().endswith(" 0"):
            typer.echo(f"  {line}")
    top = [f.to_dict() for f in findings[:TOP_FINDINGS]]
    typer.echo(
        render(
            top,
            Format.table,
            columns=["severity", "type", "explanation"],
            title=f"Top {len(top)} of {len(findings)} (all: scn-graph gaps)",
        )
    )
    if not serve_api:
        return
    shown = f"[{host}]" if ":" in host else host
    base = f"http://{shown}:{port}"
    typer.echo("")
    typer.echo("Open in a browser:")
    typer.echo(f"  gap report          {base}/report")
    typer.echo(f"  whole network       {base}/viz")
    typer.echo(f"  city-to-city        {base}/viz/cities")
    typer.echo(f"  API docs (OpenAPI)  {base}/docs")
    typer.echo("Press Ctrl+C to stop.\n")
    serve(host=host, port=port, store=store, anonymous_read=None, workers=1, log_level="warning")
