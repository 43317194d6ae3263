"""Which revision numbers a history question may name, with errors that name the value.

Revision 0 is the state before the first recorded revision; the last is
`latest_revision(store)`. Callers turn `HistoryError` into exit status 2 (CLI) or
422 (API).
"""

from __future__ import annotations


class HistoryError(ValueError):
    """A revision number the history cannot answer for, said in words."""


def check_revision(rev: int, latest: int, *, name: str = "revision") -> int:
    """`rev` if it is 0..`latest`; else a HistoryError naming it and the range there is."""
    if rev < 0 or rev > latest:
        there = "no revision is recorded yet" if latest == 0 else f"revisions are 0 to {latest}"
        raise HistoryError(f"unknown {name} {rev}: {there}")
    return rev


def check_range(start: int, end: int, latest: int) -> tuple[int, int]:
    """(start, end) if both are known revisions and start is not after end."""
    check_revision(start, latest)
    check_revision(end, latest)
    if start > end:
        raise HistoryError(f"revision {start} is after revision {end}: give the older one first")
    return start, end
