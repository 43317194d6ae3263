"""Text cells a spreadsheet would run as formulas: quoted on the way out, unquoted on
the way back in, so an exported CSV or workbook loads back to exactly what was stored.

As OWASP advises against CSV injection, a text cell starting with `=`, `+`, `-`, `@`,
tab or carriage return is written after a `'`, so a spreadsheet shows it as text
instead of running it. A text starting with `'` itself gets one too, so that reading
can strip exactly the quote writing added: `unquote_formula` removes a leading `'`
only before one of those characters or another `'`. Numbers are left alone (a
negative longitude is a number, not a formula).
"""

from __future__ import annotations

from typing import Any

#: A text cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def neutralise_formula(value: Any) -> Any:
    """`value`, after a `'` if it is text a spreadsheet would run (or starts with `'`)."""
    if isinstance(value, str) and value.startswith((*FORMULA_TRIGGERS, QUOTE)):
        return QUOTE + value
    return value


def unquote_formula(value: Any) -> Any:
    """The text `neutralise_formula` was given: one leading `'` dropped before a
    formula character or another `'`; any other value as it is."""
    if isinstance(value, str) and value[:1] == QUOTE and value[1:2] in (*FORMULA_TRIGGERS, QUOTE):
        return value[1:]
    return value
