"""Vocabulary words typed in any case: "High" is `high`, "member_of" is `MEMBER_OF`.

For the enumerated parameters of the API and the pages (`api.models`,
`viz.routes`): pydantic types, here so that both layers share one.

`any_case(choices)` is `Literal[choices]` with a validator that first maps a
value to the choice it equals in any case, so the meaning never changes (a
value is still one of the canonical words, and the route gets that word) and
the OpenAPI schema still lists the canonical values. A value that is no
choice in any case is refused with 422 as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Literal

from pydantic import GetCoreSchemaHandler
from pydantic_core import CoreSchema, core_schema


def _canonical(choices: tuple[str, ...]) -> Callable[[Any], Any]:
    by_lower = {c.lower(): c for c in choices}

    def canonical(value: Any) -> Any:
        if isinstance(value, str):
            return by_lower.get(value.strip().lower(), value)
        return value

    return canonical


def any_case(choices: Iterable[str]) -> Any:
    """`Literal[choices]` that accepts each choice in any case.

    Its `choices` are the canonical words, in order. A class whose pydantic schema is
    the Literal's behind the case-mapping validator, rather than `Annotated[Literal,
    BeforeValidator]`: FastAPI drops an `Annotated` parameter's validators when the
    parameter is not optional.
    """
    values = tuple(choices)
    literal = Literal[values]  # type: ignore[valid-type]
    canonical = _canonical(values)

    def schema(cls: type, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_before_validator_function(canonical, handler(literal))

    return type(
        "AnyCase", (), {"choices": values, "__get_pydantic_core_schema__": classmethod(schema)}
    )
