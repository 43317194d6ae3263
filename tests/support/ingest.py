"""The ingest fixtures (the same records as YAML, JSON, CSV and Excel) and helpers
that write a workbook from a dataset dict and snapshot a graph.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from graph.store import Store
from ingest.readers.fields import SECTIONS
from ingest.template import build_template
from tests.support.paths import FIXTURES

YAML = FIXTURES / "exampleton.yaml"
JSON = FIXTURES / "exampleton.json"
CSV_DIR = FIXTURES / "exampleton_csv"


def fixture_data() -> dict[str, Any]:
    return yaml.safe_load(YAML.read_text(encoding="utf-8"))


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return value


def write_workbook(data: dict[str, Any], path: Path) -> Path:
    """Fill the blank template with a YAML-shaped dict, as a person would, and save it."""
    wb = build_template()
    doc_sources = data.get("sources")
    for section in SECTIONS:
        ws = wb[section]
        header = [c.value for c in ws[1]]
        for rec in data.get(section) or []:
            rec = dict(rec)
            if doc_sources and "sources" in header and not rec.get("sources"):
                rec["sources"] = doc_sources
            if isinstance(rec.get("start"), dt.date):  # an Excel date cell
                rec["start"] = dt.datetime.combine(rec["start"], dt.time())
            ws.append([_cell(rec.get(h)) for h in header])
    wb.save(path)
    return path


def write_yaml(tmp_path: Path, text: str, name: str = "input.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def snapshot(store: Store) -> list[list[Any]]:
    return store.run(
        "MATCH (n) OPTIONAL MATCH (n)-[r]->(m) "
        "RETURN labels(n), properties(n), type(r), properties(r), properties(m) "
        "ORDER BY coalesce(n.id, n.code, n.name), type(r), coalesce(m.id, m.code, m.name)",
        read_only=True,
    ).rows
