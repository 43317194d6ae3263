"""Enumerated parameters matched in any case: "High" is `high`, "member_of" is `MEMBER_OF`.

`any_case(choices)` is `Literal[choices]` with a validator that first maps a
value to the choice it equals in any case, so the meaning never changes (a
value is still one of the canonical words, and the route gets that word) and
the OpenAPI schema still lists the canonical values. A value that is no
choice in any case is refused with 422 as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator


def _canonical(choices: tuple[str, ...]) -> Callable[[Any], Any]:
    by_lower = {c.lower(): c for c in choices}

    def canonical(value: Any) -> Any:
        if isinstance(value, str):
            return by_lower.get(value.strip().lower(), value)
        return value

    return canonical


def any_case(choices: Iterable[str]) -> Any:
    """`Literal[choices]` that accepts each choice in any case."""
    values = tuple(choices)
    return Annotated[Literal[values], BeforeValidator(_canonical(values))]  # type: ignore[valid-type]
