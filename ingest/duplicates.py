"""Warn about actors that are probably the same (names nearly equal in one country).

Never merges: a person decides. Uses rapidfuzz's vectorised `cdist` within
blocks of names that share country and the first and last letter of their
words sorted alphabetically (after folding accents and punctuation), so a
country with thousands of cities stays fast; the price is that two names
differing in exactly those letters are not compared.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from rapidfuzz import fuzz, process

from ingest.records import Actor

SIMILARITY = 92  # token_sort_ratio, 0–100
MAX_LISTED = 20


def _norm(name: str) -> str:
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    # Tokens sorted once here, so plain `ratio` below equals token_sort_ratio, faster.
    return " ".join(sorted("".join(c if c.isalnum() else " " for c in s).split()))


def _digits(name: str) -> list[str]:
    """Numbers in a name: "Prague 1" and "Prague 10" are different places."""
    return re.findall(r"\d+", name)


def likely_duplicate_pairs(
    actors: Iterable[Actor],
    existing_names: Iterable[tuple[str, str, str | None]] = (),
) -> list[tuple[str, str, float]]:
    """(id_a, id_b, score), id_a < id_b, for pairs in which at least one is in `actors`
    (the new ones); `existing_names` are (id, name, country) already known."""
    new_blocks: dict[tuple[str | None, str, str], dict[str, str]] = defaultdict(dict)
    all_blocks: dict[tuple[str | None, str, str], dict[str, str]] = defaultdict(dict)
    for rid, name, country in existing_names:
        norm = _norm(name)
        if norm:
            all_blocks[(country, norm[0], norm[-1])][rid] = norm
    for a in actors:
        norm = _norm(a.name)
        if norm:
            key = (a.country, norm[0], norm[-1])
            new_blocks[key][a.id] = norm
            all_blocks[key][a.id] = norm
    found: dict[tuple[str, str], float] = {}
    for key, new in new_blocks.items():
        pool = all_blocks[key]
        if len(pool) < 2:
            continue
        new_ids, pool_ids = list(new), list(pool)
        matrix = process.cdist(
            [new[i] for i in new_ids],
            [pool[i] for i in pool_ids],
            scorer=fuzz.ratio,
            score_cutoff=SIMILARITY,
            workers=-1,
        )
        rows, cols = matrix.nonzero()
        for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
            a, b = new_ids[i], pool_ids[j]
            if a != b and _digits(new[a]) == _digits(pool[b]):
                found[(min(a, b), max(a, b))] = float(matrix[i, j])
    return sorted((a, b, score) for (a, b), score in found.items())


def likely_duplicates(
    actors: Iterable[Actor],
    existing_names: Iterable[tuple[str, str, str | None]] = (),
) -> list[str]:
    """Human-readable warnings, capped at MAX_LISTED plus a count of the rest."""
    pairs = likely_duplicate_pairs(actors, existing_names)
    out = [
        f"possible duplicate: {a!r} and {b!r} have nearly the same name (similarity {s:.0f}); "
        "not merged — check and give them the same id if they are one actor"
        for a, b, s in pairs[:MAX_LISTED]
    ]
    if len(pairs) > MAX_LISTED:
        out.append(f"… and {len(pairs) - MAX_LISTED} more possible duplicates")
    return out
