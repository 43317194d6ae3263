"""English wording shared by the findings and the pages: country names, lists,
possessives, counted nouns ("1 node", "2 nodes") and the
sentences that name the proposed or planned links which would close a gap and the
ended initiative where a city last met others.

Plain functions over strings, so the gap detectors (and anything else that words a
finding) say things the same way; what to say about which node is the detectors' job.
"""

from __future__ import annotations

from functools import lru_cache

#: How many names a sentence lists before saying "and N more".
NAME_LIMIT = 3

#: Countries whose English name takes "the" in a sentence.
_WITH_THE = frozenset(
    [
        "AE",
        "BS",
        "CD",
        "CF",
        "CK",
        "DO",
        "FK",
        "FM",
        "FO",
        "GB",
        "KM",
        "KY",
        "MH",
        "MV",
        "NL",
        "PH",
        "RU",
        "SB",
        "SC",
        "TC",
        "US",
        "VA",
        "VG",
        "VI",
    ]
)
_READABLE = {"CD": "Democratic Republic of the Congo", "PS": "State of Palestine"}


@lru_cache(maxsize=1024)
def country_name(code: str | None) -> str:
    """A country as it reads in a sentence ("FR" -> "France", "GB" -> "the United
    Kingdom"); the code itself if it is not an ISO code."""
    if not code:
        return "an unknown country"
    raw, code = code, code.upper()
    try:
        import pycountry

        c = pycountry.countries.get(alpha_2=code) if len(code) == 2 else None
    except Exception:  # pragma: no cover - pycountry missing or broken
        c = None
    if c is None:
        return raw
    name = _READABLE.get(code) or getattr(c, "common_name", None) or c.name
    if "," in name and getattr(c, "official_name", None):
        name = c.official_name
    if code in _WITH_THE or code == "PS":
        name = f"the {name.removeprefix('the ')}"
    return name


def possessive(name: str) -> str:
    """ "London" -> "London's", "Youth Voices" -> "Youth Voices'"."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


#: Themes whose words need more than underscores turned into spaces.
_THEME_LABELS = {
    "m_and_e": "M&E",
    "national_local_cooperation": "national-local cooperation",
    "public_private_partnership": "public-private partnership",
}


def theme_label(theme: str) -> str:
    """A theme as it reads in a sentence ("violent_extremism" -> "violent extremism")."""
    return _THEME_LABELS.get(theme) or theme.replace("_", " ")


def guidance_text(names: str, themes: list[str]) -> str:
    """ "for guidance on national-local cooperation, see A and B": where a suggestion
    points to guidance the graph holds (`names`, already joined) on the gap's themes."""
    return f"for guidance on {join_words([theme_label(t) for t in themes])}, see {names}"


def join_words(words: list[str], total: int | None = None) -> str:
    """["a", "b", "c"] -> "a, b and c"; with total > len(words): "a, b, c and 2 more"."""
    total = len(words) if total is None else total
    if not words:
        return ""
    if total > len(words):
        return f"{', '.join(words)} and {total - len(words)} more"
    if len(words) == 1:
        return words[0]
    return f"{', '.join(words[:-1])} and {words[-1]}"


def noun(n: int, one: str, many: str | None = None) -> str:
    """`one` for a count of 1, else its plural (`many`, by default `one` + "s")."""
    return one if n == 1 else (many or one + "s")


def counted(n: int, one: str, many: str | None = None) -> str:
    """ "1 node", "2,000 nodes", "0 cities" (with `many`="cities")."""
    return f"{n:,} {noun(n, one, many)}"


def link_text(source: str, type: str, target: str, why: str) -> str:
    """ "London PARTNERS_WITH Paris (planned)" from the two names, the type and why
    ("planned", "proposed", "planned initiative" or "proposed initiative")."""
    return f"{source} {type} {target} ({why})"


def mitigation_text(links: list[tuple[str, str]]) -> str | None:
    """ "A planned link would close this: …" for (status, description) pairs (in the
    order given, at most NAME_LIMIT named), or None when there are none.

    The head names the statuses present: "A proposed link would", "Planned links
    would", "Planned and proposed links would"."""
    if not links:
        return None
    statuses = list(dict.fromkeys(status for status, _ in links))
    if len(links) == 1:
        head = f"A {statuses[0]} link would"
    else:
        head = f"{' and '.join(statuses).capitalize()} links would"
    texts = [text for _, text in links]
    shown = "; ".join(texts[:NAME_LIMIT])
    more = f" (and {len(texts) - NAME_LIMIT} more)" if len(texts) > NAME_LIMIT else ""
    return f"{head} close this: {shown}{more}."


def last_met_text(names: str, initiative: str) -> str:
    """ "It last met Ville de Lyon at Peace Forum 2019 (ended)." """
    return f"It last met {names} at {initiative} (ended)."
