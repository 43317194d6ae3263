"""Warn about actors that are probably the same (names nearly equal in one country).

Never merges: a person decides. Uses rapidfuzz's vectorised `cdist`, one
country at a time, so a country with thousands of cities stays fast.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from rapidfuzz import fuzz, process

from ingest.records import Actor

SIMILARITY = 92  # token_sort_ratio, 0–100
MAX_LISTED = 20


def _norm(name: str) -> str:
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return " ".join(s.replace("-", " ").replace(".", " ").split())


def likely_duplicate_pairs(
    actors: Iterable[Actor],
    existing_names: Iterable[tuple[str, str, str | None]] = (),
) -> list[tuple[str, str, float]]:
    """(id_a, id_b, score) for distinct ids of the same kind family and country."""
    by_country: dict[str | None, dict[str, str]] = defaultdict(dict)
    for rid, name, country in existing_names:
        by_country[country][rid] = _norm(name)
    for a in actors:
        by_country[a.country][a.id] = _norm(a.name)
    pairs: list[tuple[str, str, float]] = []
    for members in by_country.values():
        if len(members) < 2:
            continue
        ids = list(members)
        names = [members[i] for i in ids]
        matrix = process.cdist(
            names, names, scorer=fuzz.token_sort_ratio, score_cutoff=SIMILARITY, workers=1
        )
        rows, cols = matrix.nonzero()
        for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
            if i < j:
                pairs.append((ids[i], ids[j], float(matrix[i, j])))
    return sorted(pairs)


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
