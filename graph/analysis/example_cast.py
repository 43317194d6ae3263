"""The actors and initiatives that recur in the gap types' worked examples.

Each detector module registers a small example graph with its gap type (see
`graph.analysis.registry.Example`); most of them are built from the same few
London, Manchester, Paris and Berlin actors. They are written once here, so a
change to one (its name, its themes) reaches every example that uses it. An
actor that appears in one example only, or with other properties, stays where
it is used. The maps are shared between examples: read them, never change them
(`graph.projection.build_graph` copies what it takes).
"""

from __future__ import annotations

from graph.analysis.registry import node

LONDON = node("london", "city", "Mayor of London", country="GB")
MANCHESTER = node("manchester", "city", "Manchester City Council", country="GB", themes=["hate"])
PARIS = node("paris", "city", "Ville de Paris", country="FR")
BERLIN = node("berlin", "city", "Land Berlin", country="DE")

#: A London CSO (works in the city: a local actor of London).
CST = node("cst", "cso", "Community Security Trust", country="GB", city="london", themes=["hate"])
#: A grassroots London CSO (a local actor of London).
YOUTH_VOICES = node(
    "youth",
    "cso",
    "Youth Voices",
    country="GB",
    grassroots=True,
    city="london",
    themes=["hate"],
)
#: The same grassroots CSO with no city: an actor of the country only.
YOUTH_VOICES_NATIONAL = node(
    "youth", "cso", "Youth Voices", country="GB", grassroots=True, themes=["hate"]
)
#: A grassroots CSO with no city (examples that need one link it with LOCATED_IN).
MOTHERS_TOGETHER = node(
    "mums", "cso", "Mothers Together", country="GB", grassroots=True, themes=["hate"]
)
RUSI = node("rusi", "research", "RUSI", country="GB")
SCN = node("scn", "international_org", "Strong Cities Network")

IREPORTIT = node("ireportit", "program", "IREPORTIT app", country="GB", themes=["hate"])
PREVENT = node(
    "prevent",
    "framework",
    "Prevent Strategy",
    country="GB",
    level="national",
    themes=["violent_extremism"],
)
COHESION = node(
    "cohesion",
    "framework",
    "Cohesion Framework",
    country="GB",
    level="national",
    themes=["polarisation"],
)
