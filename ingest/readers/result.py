"""The one shape every input reader returns: records, problems, notes and adapter reports."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from ingest.problems import Problem
from ingest.records import Dataset

__all__ = ["ReadResult"]


@dataclass
class ReadResult:
    """What reading one or more inputs gave: records, problems, and notes for the user."""

    dataset: Dataset = field(default_factory=Dataset)
    problems: list[Problem] = field(default_factory=list)
    #: Lines worth showing (skipped sheets, the twin-cities adapter's report).
    notes: list[str] = field(default_factory=list)
    #: Adapter reports (e.g. `TwinCitiesReport`), for JSON output.
    reports: list[Any] = field(default_factory=list)

    def report_dicts(self) -> list[Any]:
        """The adapter reports as JSON-ready values (CLI and API print the same)."""
        out: list[Any] = []
        for report in self.reports:
            if hasattr(report, "to_dict"):
                out.append(report.to_dict())
            elif dataclasses.is_dataclass(report) and not isinstance(report, type):
                out.append(dataclasses.asdict(report))
            else:
                out.append(str(report))
        return out

    def extend(self, other: ReadResult) -> None:
        self.dataset.extend(other.dataset)
        self.problems += other.problems
        self.notes += other.notes
        self.reports += other.reports
