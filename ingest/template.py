"""A blank Excel workbook to fill in: `scn-graph template -o FILE.xlsx`.

Sheets: README (how to fill it in, every field, the allowed values, the
relationship types), then `actors`, `initiatives`, `relationships` and
`countries`, each with a header row of the exact field names (required ones
marked in bold red) and drop-down lists for kind, type, status, basis, level,
sector, nation and the yes/no columns. The reader (`ingest.readers.excel`) skips the
README sheet, so a filled-in template is ingested as it is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graph import schema
from ingest.readers.field_docs import FIELD_DOCS
from ingest.readers.fields import ALLOWED, BOOL_FIELDS, KNOWN_THEMES_TEXT, REQUIRED, SECTIONS

#: Data validations cover this many rows under the header.
ROWS = 5000
SHEET_ORDER = ("actors", "initiatives", "relationships", "countries")
README = "README"

#: field -> allowed values for a drop-down, per section.
_DROPDOWNS: dict[str, dict[str, tuple[str, ...]]] = {
    "actors": {
        "kind": ALLOWED["actors.kind"],
        "level": ALLOWED["level"],
        "sector": ALLOWED["sector"],
        "nation": ALLOWED["nation"],
        "grassroots": ("true", "false"),
        "basis": ALLOWED["basis"],
    },
    "initiatives": {
        "kind": ALLOWED["initiatives.kind"],
        "level": ALLOWED["level"],
        "status": ALLOWED["status"],
        "published": ("true", "false"),
        "basis": ALLOWED["basis"],
    },
    "relationships": {
        "type": ALLOWED["relationships.type"],
        "status": ALLOWED["status"],
        "confidential": ("true", "false"),
        "basis": ALLOWED["basis"],
    },
    "countries": {},
}


def describe_kinds(kinds: frozenset[str]) -> str:
    names = sorted(
        "any actor" if k == schema.ACTOR else "any initiative" if k == schema.INITIATIVE else k
        for k in kinds
    )
    return " or ".join(names)


def _readme_rows() -> list[list[Any]]:
    rows: list[list[Any]] = [
        ["scn-graph data template"],
        [],
        ["Fill in one record per row in the sheets actors, initiatives, relationships "
         "(and countries if you want to name countries). Keep the header row as it is; "
         "leave unused columns empty. Then run: scn-graph ingest THIS_FILE.xlsx "
         "(add --dry-run to check it first; nothing is written if anything is wrong)."],
        ["Lists (themes, threats, sources): separate values with ';'. Yes/no columns: "
         "true/false, yes/no or 1/0. Countries: English name or ISO code (England, "
         "Scotland, Wales, Northern Ireland become GB with the nation kept)."],
        ["Ids: lower-case slugs (a-z, 0-9, _ . : -), unique across all sheets; "
         "relationships refer to actors and initiatives by id (also to ids already in "
         "the graph). Required columns have red headers."],
        [f"Known themes (the list is open): {KNOWN_THEMES_TEXT}"],
    ]  # fmt: skip
    for section in SHEET_ORDER:
        rows += [[], [f"Sheet {section}"], ["field", "type", "required", "allowed values",
                                             "default", "meaning"]]  # fmt: skip
        for f in FIELD_DOCS[section]:
            rows.append(
                [f.name, f.type, "yes" if f.required else "", f.allowed, f.default, f.description]
            )
    rows += [[], ["Relationship types"], ["type", "from", "to", "meaning", "direction"]]
    for t in schema.REL_TYPES.values():
        rows.append(
            [
                t.name,
                describe_kinds(t.sources),
                describe_kinds(t.targets),
                t.meaning,
                "undirected (stored once)" if t.symmetric else "from → to",
            ]
        )
    rows += [[], ["Actor kinds"], ["kind", "default level", "meaning"]]
    for k in schema.ACTOR_KINDS.values():
        rows.append([k.name, k.default_level.value, k.description])
    rows += [[], ["Initiative kinds"], ["kind"]]
    rows += [[k] for k in schema.INITIATIVE_KINDS]
    rows += [[], ["status"], *[[s] for s in ALLOWED["status"]]]
    rows += [[], ["basis"], *[[b] for b in ALLOWED["basis"]]]
    return rows


def build_template() -> Any:
    """The blank workbook (an `openpyxl.Workbook`)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    readme = wb.active
    readme.title = README
    for row in _readme_rows():
        readme.append(row)
    readme["A1"].font = Font(bold=True, size=14)
    for cells in readme.iter_rows():
        first = cells[0]
        if isinstance(first.value, str) and (
            first.value.startswith("Sheet ") or first.value in {"Relationship types",
                                                                "Actor kinds", "Initiative kinds",
                                                                "status", "basis", "field", "type",
                                                                "kind"}
        ):  # fmt: skip
            for c in cells:
                c.font = Font(bold=True)
    for col, width in zip("ABCDEF", (26, 22, 22, 60, 30, 50), strict=True):
        readme.column_dimensions[col].width = width
    for r in range(3, 7):
        readme.cell(r, 1).alignment = Alignment(wrap_text=False)

    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for section in SHEET_ORDER:
        ws = wb.create_sheet(section)
        fields = [f.name for f in FIELD_DOCS[section]]
        ws.append(fields)
        for i, name in enumerate(fields, start=1):
            cell = ws.cell(1, i)
            cell.fill = header_fill
            required = name in REQUIRED[section]
            cell.font = Font(bold=True, color="C00000" if required else "000000")
            ws.column_dimensions[get_column_letter(i)].width = max(12, len(name) + 4)
        ws.freeze_panes = "A2"
        for name, allowed in _DROPDOWNS[section].items():
            col = get_column_letter(fields.index(name) + 1)
            formula = '"' + ",".join(allowed) + '"'
            if len(formula) > 255:  # Excel's limit for an inline list
                raise ValueError(f"drop-down list for {section}.{name} is too long")
            dv = DataValidation(
                type="list",
                # yes/no and 1/0 are accepted too: Excel only warns for the boolean columns.
                errorStyle="warning" if name in BOOL_FIELDS else "stop",
                formula1=formula,
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=f"{section}: {name}",
                error=f"Choose one of: {', '.join(allowed)}",
                showInputMessage=True,
                promptTitle=name,
                prompt=", ".join(allowed)[:255],
            )
            dv.add(f"{col}2:{col}{ROWS + 1}")
            ws.add_data_validation(dv)
    assert set(SHEET_ORDER) == set(SECTIONS)
    return wb


def write_template(path: Path) -> Path:
    """Write the blank workbook to `path` (.xlsx) and return the path."""
    path = Path(path)
    build_template().save(path)
    return path
