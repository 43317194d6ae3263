"""`python -m cli` runs the scn-graph command."""

from cli.main import app

app(prog_name="scn-graph")
