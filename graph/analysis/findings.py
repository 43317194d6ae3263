"""The record every analysis returns: one finding about one gap.

A `Finding` is plain data (frozen, hashable) so the API, the CLI, the report
page and the visualisation can all use it without knowing how it was found.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graph.schema import SEVERITIES, Basis

__all__ = ["SEVERITIES", "Finding"]

_KEYS = (
    "type",
    "severity",
    "subjects",
    "country",
    "explanation",
    "suggestion",
    "mitigation",
    "basis",
    "inferred",
)


@dataclass(frozen=True)
class Finding:
    """One gap: what it is about, why it matters, and what to do.

    * `type` — a string of the gap catalogue (e.g. "vertical.no_national_link").
    * `severity` — one of SEVERITIES.
    * `subjects` — node ids (or, for `horizontal.unlinked_countries`, the two
      ISO country codes) the finding is about; order is defined per type.
    * `country` — ISO code of the subject's country, or None.
    * `explanation` — one plain sentence, naming actors by name.
    * `suggestion` — a concrete next step, naming candidate partners.
    * `mitigation` — set when a planned (not yet active) link would close the
      gap, e.g. "A planned link would close this: London PARTNERS_WITH Paris (planned)."
    * `inferred` — the inferred records the finding rests on (see `basis`): node
      ids, and relationships as "source TYPE target"; empty when it rests on
      stated records only. `find_gaps` sets it (`graph.analysis.resting`).
    * `basis` (derived) — "inferred" when `inferred` is not empty, else "stated".
    """

    type: str
    severity: str
    subjects: tuple[str, ...]
    country: str | None
    explanation: str
    suggestion: str
    mitigation: str | None = None
    inferred: tuple[str, ...] = ()

    @property
    def basis(self) -> str:
        """ "inferred" when the finding rests on an inferred record, else "stated"."""
        return Basis.INFERRED.value if self.inferred else Basis.STATED.value

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(
                f"unknown severity {self.severity!r}; expected one of {', '.join(SEVERITIES)}"
            )
        if not isinstance(self.subjects, tuple):
            object.__setattr__(self, "subjects", tuple(self.subjects))
        if not isinstance(self.inferred, tuple):
            object.__setattr__(self, "inferred", tuple(self.inferred))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with exactly the keys of the public record."""
        return {
            "type": self.type,
            "severity": self.severity,
            "subjects": list(self.subjects),
            "country": self.country,
            "explanation": self.explanation,
            "suggestion": self.suggestion,
            "mitigation": self.mitigation,
            "basis": self.basis,
            "inferred": list(self.inferred),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        """The inverse of `to_dict` (unknown keys are an error, and so is a `basis` that
        disagrees with `inferred`)."""
        extra = set(data) - set(_KEYS)
        if extra:
            raise ValueError(f"unknown finding field(s): {', '.join(sorted(extra))}")
        found = cls(
            type=data["type"],
            severity=data["severity"],
            subjects=tuple(data["subjects"]),
            country=data.get("country"),
            explanation=data["explanation"],
            suggestion=data["suggestion"],
            mitigation=data.get("mitigation"),
            inferred=tuple(data.get("inferred") or ()),
        )
        if data.get("basis", found.basis) != found.basis:
            raise ValueError(
                f"finding basis {data['basis']!r} disagrees with its inferred records "
                f"{list(found.inferred)!r}"
            )
        return found
