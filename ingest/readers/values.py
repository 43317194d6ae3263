"""Cell values as a person wrote them -> the values the record models expect.

The same rules for every format: blank cells count as absent; booleans are
true/false, yes/no, 1/0 in any case; list fields take lists or `;`-separated
text (themes also `,`); vocabulary words compare case-insensitively, with
spaces and hyphens read as `_`; numbers and dates in text fields become the
text a person meant (`12` not `12.0`, `2024-05-01` not a datetime).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

TRUE_WORDS = frozenset({"true", "yes", "1"})
FALSE_WORDS = frozenset({"false", "no", "0"})
LIST_SEPARATOR = ";"


def normalise_column(name: Any) -> str | None:
    """A column/key as written → the field name it is compared as (None if blank)."""
    if name is None:
        return None
    text = str(name).strip().lower()
    return text or None


def to_bool(value: Any) -> bool:
    """true/false, yes/no, 1/0 in any case (and real booleans); ValueError otherwise."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    raise ValueError("not a boolean: use true/false, yes/no or 1/0")


def as_text(value: Any) -> Any:
    """Numbers and dates written in a text field, as the text a person meant."""
    if isinstance(value, bool):
        return value  # let the model say it is not text
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def split_list(field: str, value: Any) -> list[Any]:
    if isinstance(value, str):
        # Themes are slugs, so ',' is a separator too; sources may contain commas.
        pattern = r";" if field == "sources" else r"[;,]"
        return [p.strip() for p in re.split(pattern, value) if p.strip()]
    if isinstance(value, list | tuple):
        return [as_text(v).strip() if isinstance(as_text(v), str) else as_text(v) for v in value]
    return [as_text(value)]


def vocab(value: Any) -> Any:
    if isinstance(value, str):
        return re.sub(r"[\s-]+", "_", value.strip().lower())
    return value


def blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple):
        return all(blank(v) for v in value)
    return False
