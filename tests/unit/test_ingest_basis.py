"""`basis` (stated | inferred) is read alike from YAML, JSON, a CSV folder and Excel,
and the blank template offers it as a drop-down on every sheet that has it.

Only `inferred` is kept on a record (`stated` and blank both mean the default), in any
case; anything else is a problem naming the field and the value, in every format.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from graph import schema
from ingest.readers import read_inputs
from ingest.records import Dataset
from ingest.template import build_template
from tests.support.ingest import write_workbook

DATA: dict[str, Any] = {
    "actors": [
        {"id": "ex-city", "kind": "city", "name": "Ex City", "basis": "Inferred"},
        {"id": "ex-cso", "kind": "cso", "name": "Ex CSO", "basis": "stated"},
        {"id": "ex-lab", "kind": "research", "name": "Ex Lab"},
    ],
    "initiatives": [
        {"id": "ex-guide", "kind": "resource", "name": "Ex Guide", "basis": "INFERRED"},
        {"id": "ex-prog", "kind": "program", "name": "Ex Program"},
    ],
    "relationships": [
        {"source": "ex-lab", "type": "PUBLISHES", "target": "ex-guide", "basis": "inferred"},
        {"source": "ex-city", "type": "PARTNERS_WITH", "target": "ex-cso", "basis": ""},
        {"source": "ex-cso", "type": "RUNS", "target": "ex-prog"},
    ],
}
SECTIONS = ("actors", "initiatives", "relationships")


def _write(fmt: str, data: dict[str, Any], tmp_path: Path) -> Path:
    """The same records in one input format, as a person would write them."""
    if fmt == "yaml":
        path = tmp_path / "in.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    elif fmt == "json":
        path = tmp_path / "in.json"
        path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    elif fmt == "csv":
        path = tmp_path / "in_csv"
        path.mkdir()
        for section in SECTIONS:
            rows = data[section]
            header = list(dict.fromkeys(k for r in rows for k in r))
            with (path / f"{section}.csv").open("w", newline="", encoding="utf-8") as fh:
                w = csv.DictWriter(fh, fieldnames=header)
                w.writeheader()
                w.writerows(rows)
    else:
        path = write_workbook(data, tmp_path / "in.xlsx")
    return path


FORMATS = ("yaml", "json", "csv", "excel")


def _bases(ds: Dataset) -> dict[Any, str | None]:
    out: dict[Any, str | None] = {}
    for r in [*ds.actors, *ds.initiatives]:
        out[r.id] = r.basis.value if r.basis else None
    for r in ds.relationships:
        out[(r.source, r.type, r.target)] = r.basis.value if r.basis else None
    return out


EXPECTED = {
    "ex-city": "inferred",
    "ex-cso": None,
    "ex-lab": None,
    "ex-guide": "inferred",
    "ex-prog": None,
    ("ex-lab", "PUBLISHES", "ex-guide"): "inferred",
    ("ex-city", "PARTNERS_WITH", "ex-cso"): None,
    ("ex-cso", "RUNS", "ex-prog"): None,
}


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_reads_basis_and_keeps_only_inferred(fmt: str, tmp_path: Path) -> None:
    result = read_inputs([_write(fmt, DATA, tmp_path)])
    assert result.problems == [], [str(p) for p in result.problems]
    assert _bases(result.dataset) == EXPECTED


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("section", SECTIONS)
def test_an_unknown_basis_names_field_value_and_allowed_values(
    fmt: str, section: str, tmp_path: Path
) -> None:
    data = {k: [dict(r) for r in v] for k, v in DATA.items()}
    data[section][0]["basis"] = "guessed"
    problems = read_inputs([_write(fmt, data, tmp_path)]).problems
    assert len(problems) == 1, [str(p) for p in problems]
    p = problems[0]
    assert (p.field, p.value) == ("basis", "guessed")
    assert p.origin is not None and p.origin.line is not None
    assert all(b in p.reason for b in schema.BASES), p.reason


@pytest.mark.parametrize("section", SECTIONS)
def test_the_template_has_a_basis_drop_down(section: str) -> None:
    wb = build_template()
    ws = wb[section]
    header = [c.value for c in ws[1]]
    col = header.index("basis") + 1
    letter = ws.cell(1, col).column_letter
    lists = [
        dv
        for dv in ws.data_validations.dataValidation
        if str(dv.sqref).split(":")[0] == f"{letter}2"
    ]
    assert len(lists) == 1, f"{section}: no drop-down on the basis column"
    assert lists[0].formula1 == '"' + ",".join(schema.BASES) + '"'
    readme = [row[0].value for row in wb["README"].iter_rows()]
    i = readme.index("basis", readme.index("Initiative kinds"))
    assert tuple(readme[i + 1 : i + 1 + len(schema.BASES)]) == schema.BASES
