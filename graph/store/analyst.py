"""Bounding an analyst's Cypher before the engine sees it, on the text alone.

Nothing here asks the engine: on FalkorDB `GRAPH.EXPLAIN` runs on the server's
main thread with no time limit and folds constants while planning, so the plan
of `UNWIND range(1, 1000000000) ...` alone allocated 16 GB and brought the
server down. The text is read by a small lexer that knows strings, quoted
names and comments, so neither case nor comments hide a keyword and words
inside a string are just text.

* `reads_files` finds `LOAD CSV` (it would make the database read files or URLs);
* `guard_ranges` makes every `range(a, b[, step])` fail with a type error
  (`expected Integer but was Point`, recognised by `RANGE_TOO_LARGE_MARK`)
  instead of building more than a given number of values: FalkorDB allocates
  the whole list at once, before its per-query memory accounting looks;
* `cap_rows` makes the engine stop after a number of rows (a `LIMIT` on the
  last `RETURN`, or the query inside `CALL { }` when it has a UNION or a
  `LIMIT` that is not a plain number), so a huge result is never produced,
  sent or parsed.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

#: The part of FalkorDB's error that `guard_ranges`' failure produces.
RANGE_TOO_LARGE_MARK = "but was Point"

_TOKEN = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<comment>//[^\n]*|/\*.*?(?:\*/|\Z))
    | (?P<string>'(?:[^'\\]|\\.)*(?:'|\Z)|"(?:[^"\\]|\\.)*(?:"|\Z))
    | (?P<quoted>`(?:[^`]|``)*(?:`|\Z))
    | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<number>\d+(?:\.\d+)?)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_OPEN = {"(": ")", "[": "]", "{": "}"}
_CLOSE = {")", "]", "}"}


@dataclass(frozen=True)
class _Tok:
    kind: str
    text: str
    start: int
    end: int
    depth: int  # brackets of any kind around it

    def is_word(self, word: str) -> bool:
        return self.kind == "word" and self.text.lower() == word


def _tokens(text: str) -> list[_Tok]:
    """Significant tokens (no spaces or comments), each with its bracket depth."""
    out: list[_Tok] = []
    depth = 0
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind in ("space", "comment"):
            continue
        tok = m.group()
        if tok in _CLOSE:
            depth = max(0, depth - 1)
        out.append(_Tok(kind, tok, m.start(), m.end(), depth))
        if tok in _OPEN:
            depth += 1
    return out


def reads_files(cypher: str) -> bool:
    """True if the query has a `LOAD CSV` clause (outside strings and comments)."""
    toks = _tokens(cypher)
    return any(a.is_word("load") and b.is_word("csv") for a, b in itertools.pairwise(toks))


def _range_call(toks: list[_Tok]) -> tuple[int, int, list[tuple[int, int]]] | None:
    """The first `range(...)` call: (start, end, argument spans) in the text."""
    for i, tok in enumerate(toks[:-1]):
        if not tok.is_word("range") or toks[i + 1].text != "(":
            continue
        if i and toks[i - 1].text == ".":
            continue  # a namespaced procedure or a property, not the function
        depth = toks[i + 1].depth + 1
        args: list[tuple[int, int]] = []
        arg_start = toks[i + 1].end
        for tok2 in toks[i + 2 :]:
            if tok2.depth == toks[i + 1].depth and tok2.text == ")":
                args.append((arg_start, tok2.start))
                return tok.start, tok2.end, args
            if tok2.depth == depth and tok2.text == ",":
                args.append((arg_start, tok2.start))
                arg_start = tok2.end
        return None  # unbalanced: the engine reports the syntax error
    return None


def guard_ranges(cypher: str, max_values: int) -> str:
    """`cypher` with each `range()` failing before it would make over `max_values` values."""
    call = _range_call(_tokens(cypher))
    if call is None:
        return cypher
    start, end, spans = call
    args = [guard_ranges(cypher[a:b], max_values).strip() for a, b in spans]
    if len(args) not in (2, 3) or not all(args):
        return cypher[:end] + guard_ranges(cypher[end:], max_values)
    lo, hi = f"({args[0]})", f"({args[1]})"
    count = f"({hi} - {lo})" if len(args) == 2 else f"(({hi} - {lo}) / ({args[2]}))"
    bounded_hi = (
        f"CASE WHEN {count} >= {max_values} THEN point({{latitude: 0, longitude: 0}}) ELSE {hi} END"
    )
    rest = f", {args[2]}" if len(args) == 3 else ""
    guarded = f"range({lo}, {bounded_hi}{rest})"
    return cypher[:start] + guarded + guard_ranges(cypher[end:], max_values)


def cap_rows(cypher: str, limit: int) -> str:
    """`cypher` made to stop after `limit` rows inside the engine.

    A query without a top-level RETURN (a bare procedure call) is left as it is.
    """
    text = cypher.strip()
    while text.endswith(";"):
        text = text[:-1].rstrip()
    toks = [t for t in _tokens(text) if t.depth == 0]
    returns = [i for i, t in enumerate(toks) if t.is_word("return") and _not_a_key(toks, i)]
    if not returns:
        return text
    if any(t.is_word("union") for t in toks):
        return _wrapped(text, limit)
    tail = toks[returns[-1] :]
    limits = [i for i, t in enumerate(tail) if t.is_word("limit")]
    if not limits:
        return f"{text}\nLIMIT {limit}"
    after = tail[limits[-1] + 1 :]
    if len(after) == 1 and after[0].kind == "number" and after[0].text.isdigit():
        own = int(after[0].text)
        return text[: after[0].start] + str(min(own, limit)) + text[after[0].end :]
    return _wrapped(text, limit)


def _not_a_key(toks: list[_Tok], i: int) -> bool:
    return not (i and toks[i - 1].text == ".")


def _wrapped(text: str, limit: int) -> str:
    # FalkorDB returns the columns of `RETURN *` in alphabetical order; this form is
    # only used for what a LIMIT cannot be added to.
    return f"CALL {{\n{text}\n}}\nRETURN * LIMIT {limit}"
