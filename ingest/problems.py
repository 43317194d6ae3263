"""Problems found in input, reported all at once with file, line, field and value."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ingest.records import Origin


@dataclass(frozen=True)
class Problem:
    origin: Origin | None
    field: str | None
    value: Any
    reason: str

    def __str__(self) -> str:
        where = str(self.origin) if self.origin else "input"
        what = f" field {self.field!r}" if self.field else ""
        val = "" if self.value is None else f" value {self.value!r}"
        detail = f"{what}{val}".strip()
        return f"{where}: {detail}: {self.reason}" if detail else f"{where}: {self.reason}"

    def to_dict(self) -> dict[str, Any]:
        o = self.origin
        return {
            "file": o.file if o else None,
            "sheet": o.sheet if o else None,
            "line": o.line if o else None,
            "field": self.field,
            "value": self.value
            if isinstance(self.value, str | int | float | bool)
            else (None if self.value is None else str(self.value)),
            "reason": self.reason,
        }


class ValidationFailed(Exception):
    """The input has problems; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        n = len(problems)
        head = "\n".join(f"  {p}" for p in problems[:50])
        more = f"\n  … and {n - 50} more" if n > 50 else ""
        super().__init__(
            f"{n} problem{'s' if n != 1 else ''} in the input; nothing was written:\n{head}{more}"
        )
