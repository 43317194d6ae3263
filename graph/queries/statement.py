"""`Statement`: one Cypher text with the names of the parameters it takes.

Every query the product sends is a `Statement` from a family module of
`graph.queries`, so all of them can be listed (`graph.queries.statements`)
and checked by a Cypher front end without running anything. Running one
through `read` or `write` checks that the parameters given are exactly the
ones declared, so the declared names stay true.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from graph.store.base import QueryResult, Store, Tx


@dataclass(frozen=True)
class Statement:
    """A Cypher statement: `name` says what it is for, `params` what it takes."""

    name: str
    cypher: str
    params: frozenset[str] = frozenset()

    def _check(self, given: dict[str, Any]) -> None:
        if given.keys() != self.params:
            raise TypeError(
                f"statement {self.name} takes {sorted(self.params)}, was given {sorted(given)}"
            )

    def read(self, store: Store, /, **params: Any) -> QueryResult:
        """Run it on `store` in the engine's read-only mode."""
        self._check(params)
        return store.run(self.cypher, params, read_only=True)

    def write(self, tx: Tx | Store, /, **params: Any) -> QueryResult:
        """Run it on a transaction (or, for store housekeeping, on the store itself)."""
        self._check(params)
        return tx.run(self.cypher, params)


def read_each(store: Store, statements: Sequence[Statement]) -> Iterator[QueryResult]:
    """Each of `statements` (none taking parameters) run read-only, in order; a store
    may have the server run the next one while the caller works on this one's rows
    (`Store.read_each`)."""
    for s in statements:
        s._check({})
    return store.read_each([s.cypher for s in statements])


def statement(name: str, cypher: str, *params: str) -> Statement:
    """A `Statement` taking `params` (in any order)."""
    return Statement(name, cypher, frozenset(params))
