"""Partner recommendations: for one actor, whom to work with next, and why.

`recommend(G, actor_id)` ranks the actors the subject has **no tie** with
(`ties`: no relationship of any type and any status but ended, in either
direction, no shared active initiative) by a weighted sum of components, each
a number and a phrase (`components`); `recommendation_set` also lists the
proposed or planned ties ("already planned"), which are never recommended.
The capacity gaps a candidate can fill are `needs`; the ranking is `ranking`.
docs/recommendations.md gives the rules and the formula exactly.
"""

from graph.analysis.recommend.components import (
    COMPONENTS,
    INFERRED_NOTE,
    MAX_EXPANDED_DEGREE,
    NAMES_IN_REASON,
    PRECISION,
    SCORE_WEIGHTS,
)
from graph.analysis.recommend.ranking import (
    Component,
    Recommendation,
    RecommendationSet,
    recommend,
    recommendation_set,
)
from graph.analysis.recommend.ties import PendingTie

__all__ = [
    "COMPONENTS",
    "INFERRED_NOTE",
    "MAX_EXPANDED_DEGREE",
    "NAMES_IN_REASON",
    "PRECISION",
    "SCORE_WEIGHTS",
    "Component",
    "PendingTie",
    "Recommendation",
    "RecommendationSet",
    "recommend",
    "recommendation_set",
]
