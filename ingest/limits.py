"""How large an input file may be, checked before it is parsed (CLI and API alike).

A small file can stand for a huge amount of work: an .xlsx is a ZIP, and a
few megabytes of it can unpack to gigabytes of shared strings or a million
rows. So every input is checked first against its size on disk, a workbook
against the sizes its ZIP declares (in total, per member, and the ratio of
unpacked to packed size) and against the rows its sheets declare; the tables
(CSV files, sheets) also count their rows while they are read. A file over a
limit is refused with `InputTooLarge`, whose message names the file and the
limit; nothing of it is read further.

| limit | environment | default |
|---|---|---|
| size of one input file | `SCN_GRAPH_UPLOAD_MAX_MB` | 20 MB |
| a workbook's unpacked size, all members | `SCN_GRAPH_XLSX_MAX_UNPACKED_MB` | 100 MB |
| one workbook member unpacked (a sheet, the shared strings) | (the same, halved) | 50 MB |
| unpacked : packed ratio of a member over 1 MB | `SCN_GRAPH_XLSX_MAX_RATIO` | 200 |
| rows of one sheet or CSV file | `SCN_GRAPH_MAX_ROWS` | 100 000 |

A ZIP member cannot unpack to more than it declares (Python's zipfile stops
there and the checksum then fails), so checking the declared sizes is enough.
"""

from __future__ import annotations

import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

ENV_FILE_MB = "SCN_GRAPH_UPLOAD_MAX_MB"
ENV_UNPACKED_MB = "SCN_GRAPH_XLSX_MAX_UNPACKED_MB"
ENV_RATIO = "SCN_GRAPH_XLSX_MAX_RATIO"
ENV_ROWS = "SCN_GRAPH_MAX_ROWS"

MB = 1024 * 1024
#: Members smaller than this unpacked are not held to the ratio (tiny XML parts
#: compress extremely well and cost nothing).
RATIO_FLOOR_BYTES = MB


class InputTooLarge(ValueError):
    """An input is over one of the limits; the message names the file and the limit."""

    def __init__(self, file: str, what: str, setting: str) -> None:
        self.file = file
        self.setting = setting
        super().__init__(f"{file}: {what} ({setting})" if setting else f"{file}: {what}")


def _whole(name: str, raw: str | None, default: int) -> int:
    """A setting's value from the environment (`raw`), else `default`."""
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r}: expected a whole number") from None
    if value < 1:
        raise ValueError(f"{name}={raw!r}: must be at least 1")
    return value


@dataclass(frozen=True)
class InputLimits:
    """The limits one run applies to its inputs."""

    max_file_bytes: int = 20 * MB
    max_unpacked_bytes: int = 100 * MB
    max_ratio: int = 200
    max_rows: int = 100_000

    @property
    def max_member_bytes(self) -> int:
        return self.max_unpacked_bytes // 2

    @classmethod
    def from_env(cls) -> InputLimits:
        """The limits from the environment (the table above), else the defaults."""
        d, env = cls(), os.environ
        return cls(
            max_file_bytes=_whole(ENV_FILE_MB, env.get(ENV_FILE_MB), d.max_file_bytes // MB) * MB,
            max_unpacked_bytes=_whole(
                ENV_UNPACKED_MB, env.get(ENV_UNPACKED_MB), d.max_unpacked_bytes // MB
            )
            * MB,
            max_ratio=_whole(ENV_RATIO, env.get(ENV_RATIO), d.max_ratio),
            max_rows=_whole(ENV_ROWS, env.get(ENV_ROWS), d.max_rows),
        )

    # -- the checks -------------------------------------------------------------------

    def check_size(self, path: Path, shown: str | None = None) -> None:
        """The file (or every file of a folder) is not larger than `max_file_bytes`."""
        files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if file.exists() and file.stat().st_size > self.max_file_bytes:
                raise InputTooLarge(
                    shown or str(file),
                    f"the file is larger than the limit of {_mb(self.max_file_bytes)}",
                    ENV_FILE_MB,
                )

    def check_zip(self, path: Path, shown: str | None = None) -> None:
        """A ZIP's declared unpacked sizes are within the limits (nothing is unpacked)."""
        name = shown or str(path)
        try:
            with zipfile.ZipFile(path) as zf:
                infos = zf.infolist()
        except (zipfile.BadZipFile, OSError):
            return  # not a ZIP: the reader says so in its own words
        total = 0
        for info in infos:
            total += info.file_size
            if info.file_size > self.max_member_bytes:
                raise InputTooLarge(
                    name,
                    f"{info.filename} unpacks to {_mb(info.file_size)}, over the limit of "
                    f"{_mb(self.max_member_bytes)} per part",
                    ENV_UNPACKED_MB,
                )
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > RATIO_FLOOR_BYTES and ratio > self.max_ratio:
                raise InputTooLarge(
                    name,
                    f"{info.filename} unpacks to {ratio:.0f} times its packed size, over the "
                    f"limit of {self.max_ratio}",
                    ENV_RATIO,
                )
        if total > self.max_unpacked_bytes:
            raise InputTooLarge(
                name,
                f"it unpacks to {_mb(total)}, over the limit of {_mb(self.max_unpacked_bytes)}",
                ENV_UNPACKED_MB,
            )

    def check_sheet_rows(self, path: Path, shown: str | None = None) -> None:
        """No worksheet of a workbook holds more than `max_rows` rows: its `<row>`
        elements are counted in the unpacked stream, stopping at the limit, before
        any of it is parsed (a sheet's `<dimension>` may be missing or wrong)."""
        name = shown or str(path)
        try:
            with zipfile.ZipFile(path) as zf:
                for info in zf.infolist():
                    if _SHEET_PART.match(info.filename):
                        with zf.open(info) as part:
                            rows = _count_rows(part, self.max_rows + 1)
                        where = f"worksheet {info.filename}"
                        self.check_rows(name, rows - 1, where)  # less the header
        except (zipfile.BadZipFile, OSError):
            return  # not a readable ZIP: the reader says so in its own words

    def check_rows(self, file: str, rows: int, where: str = "") -> None:
        """`rows` (declared or counted so far) is not over `max_rows`."""
        if rows > self.max_rows:
            raise InputTooLarge(
                file,
                f"{where or 'the file'} has more than {self.max_rows:,} rows, the limit",
                ENV_ROWS,
            )


_SHEET_PART = re.compile(r"^xl/worksheets/[^/]+\.xml$", re.IGNORECASE)
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s/>]")


def _count_rows(stream: object, stop_at: int) -> int:
    """`<row>` start tags in an XML byte stream, counted up to `stop_at`."""
    count, tail = 0, b""
    read = stream.read  # type: ignore[attr-defined]
    while chunk := read(1 << 20):
        data = tail + chunk
        count += len(_ROW_TAG.findall(data))
        if count >= stop_at:
            return count
        tail = data[-16:]
        count -= len(_ROW_TAG.findall(tail))  # counted again with the next chunk
    return count


def _mb(n: int) -> str:
    return f"{n / MB:.0f} MB" if n >= MB else f"{n:,} bytes"


#: The limits in force when a caller gives none: the environment's, read once per run.
def current() -> InputLimits:
    return InputLimits.from_env()
