"""Hostile workbooks, built small on disk: huge when unpacked or long in rows.

Both are real .xlsx files (a ZIP with the parts openpyxl needs), written part by
part so that building them never holds the unpacked text in memory at once.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>"""
_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="xl/workbook.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>
</Relationships>"""
_WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"
 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="actors" sheetId="1" r:id="rId1"/></sheets></workbook>"""
_WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="worksheets/sheet1.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>
<Relationship Id="rId2" Target="sharedStrings.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>
</Relationships>"""
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
_HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>name</t></is></c>'
    '<c r="C1" t="inlineStr"><is><t>kind</t></is></c></row>'
)


def _write(path: Path, parts: dict[str, Iterator[str] | str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, text in parts.items():
            with zf.open(name, "w", force_zip64=True) as out:
                for chunk in [text] if isinstance(text, str) else text:
                    out.write(chunk.encode())
    return path


def _workbook(path: Path, sheet: Iterator[str] | str, strings: Iterator[str] | str) -> Path:
    return _write(
        path,
        {
            "[Content_Types].xml": _CONTENT_TYPES,
            "_rels/.rels": _RELS,
            "xl/workbook.xml": _WORKBOOK,
            "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS,
            "xl/worksheets/sheet1.xml": sheet,
            "xl/sharedStrings.xml": strings,
        },
    )


def _strings(count: int, text: str) -> Iterator[str]:
    yield (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{count}" uniqueCount="{count}">'
    )
    item = f"<si><t>{text}</t></si>"
    batch = 10_000
    for done in range(0, count, batch):
        yield item * min(batch, count - done)
    yield "</sst>"


def shared_strings_bomb(path: Path, unpacked_mb: int = 64) -> Path:
    """A workbook of one tiny sheet whose shared strings unpack to `unpacked_mb` MB of
    repeated text (a few hundred KB on disk)."""
    text = "hate-prevention " * 64  # 1 KB a string
    count = unpacked_mb * 1024 * 1024 // (len(text) + 13)
    sheet = (
        f'{_SHEET_HEAD}<dimension ref="A1:C2"/><sheetData>{_HEADER_ROW}'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>x</t></is></c>'
        '<c r="B2" t="s"><v>0</v></c><c r="C2" t="inlineStr"><is><t>city</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    return _workbook(path, sheet, _strings(count, text))


def _rows(rows: int, declare: bool) -> Iterator[str]:
    dimension = f'<dimension ref="A1:A{rows + 1}"/>' if declare else ""
    yield f"{_SHEET_HEAD}{dimension}<sheetData>{_HEADER_ROW}"
    batch = 10_000
    for start in range(2, rows + 2, batch):
        stop = min(start + batch, rows + 2)
        yield "".join(f'<row r="{n}"><c r="A{n}"><v>1</v></c></row>' for n in range(start, stop))
    yield "</sheetData></worksheet>"


def actors_sheet(path: Path, rows: list[list[str]]) -> Path:
    """A workbook whose actors sheet holds `rows` (id, name, kind) as inline text, written
    as given: Excel's `_xHHHH_` escapes are how a cell holds a control character."""
    body = "".join(
        f'<row r="{n}">'
        + "".join(
            f'<c r="{col}{n}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'
            for col, text in zip("ABC", row, strict=False)
        )
        + "</row>"
        for n, row in enumerate(rows, start=2)
    )
    sheet = f"{_SHEET_HEAD}<sheetData>{_HEADER_ROW}{body}</sheetData></worksheet>"
    return _workbook(path, sheet, _strings(0, ""))


def million_rows(path: Path, rows: int = 1_000_000, *, declare: bool = True) -> Path:
    """A workbook whose actors sheet has `rows` tiny rows (a number each) under a header;
    its `<dimension>` declares them unless `declare` is false."""
    return _workbook(path, _rows(rows, declare), _strings(0, ""))
