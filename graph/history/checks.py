"""Which revision numbers a history question may name, with errors that name the value.

Revision 0 is the state before the first recorded revision; the last is
`latest_revision(store)`. When the history no longer starts at 1 (the graph was
cleared, and revisions went on counting), the oldest revision kept is F and the
state before it, F-1, is the earliest one can ask about. Callers turn `HistoryError`
into exit status 2 (CLI) or 422 (API).
"""

from __future__ import annotations


class HistoryError(ValueError):
    """A revision number the history cannot answer for, said in words."""


def check_revision(rev: int, latest: int, *, earliest: int = 0) -> int:
    """`rev` if it is `earliest`..`latest`; else a HistoryError naming it and the range."""
    if rev < earliest or rev > latest:
        there = (
            "no revision is recorded yet"
            if latest == 0
            else f"revisions are {earliest} to {latest}"
        )
        raise HistoryError(f"unknown revision {rev}: {there}")
    return rev


def check_range(start: int, end: int, latest: int, *, earliest: int = 0) -> tuple[int, int]:
    """(start, end) if both are known revisions and start is not after end."""
    check_revision(start, latest, earliest=earliest)
    check_revision(end, latest, earliest=earliest)
    if start > end:
        raise HistoryError(f"revision {start} is after revision {end}: give the older one first")
    return start, end
