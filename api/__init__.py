"""The HTTP API (FastAPI): reads, analyses, read-only Cypher, authenticated writes.

`api.app.create_app()` builds the app; `scn-graph serve` runs it. See docs/api.md.
"""

__version__ = "0.1.0"
