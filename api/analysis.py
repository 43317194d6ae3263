"""The API's side of the analysis service: one long-lived service, never waited for after a write.

The service itself (`graph.analysis.service.AnalysisService`) is the one the
CLI and the pages use. What is the server's own: it keeps the service for its
lifetime, settles big results out of the cyclic garbage collector (they live
until the next write), and answers analysis reads from the last complete
analysis while the next one is computed by the cache's one background worker
(`graph.analysis.cache`). After a write, `warm_in_background` starts that
computation at once, so the first reader after it does not start it.

Every response built from an analysis says which generation it describes
(`mark`; the pages too, `viz.routes`): the header `X-Analysis-Generation`, and
`X-Analysis-Stale: true` when a write came after it.
"""

from __future__ import annotations

import logging

from fastapi import Response

from graph.analysis.basis import ANY, BASIS_CHOICES
from graph.analysis.cache import (
    SETTLE_MIN_NODES,
    Answer,
    ResultCache,
    generation_headers,
)
from graph.analysis.service import AnalysisService
from graph.store.base import Store

log = logging.getLogger("scn_graph.api")


def server_analysis(store: Store, cache: ResultCache) -> AnalysisService:
    """The service a server keeps: shared cache, big results settled out of the GC."""
    return AnalysisService(store, cache, settle_from=SETTLE_MIN_NODES)


def warm_in_background(analysis: AnalysisService | None) -> None:
    """After a write: compute the new generation's findings in the background.

    The public view of every record always (most readers need it), the other
    views (confidential, stated only) when an earlier generation had them (someone
    asked for them). Readers meanwhile get the last complete findings. Never raises:
    a failure only means a reader computes them.
    """
    if analysis is None:
        return
    try:
        for visible in (False, True):
            for basis in BASIS_CHOICES:
                public = not visible and basis == ANY
                analysis.answer(include_confidential=visible, basis=basis, warm=public)
    except Exception:
        log.warning("starting the analysis of the new generation failed", exc_info=True)


def answer(
    analysis: AnalysisService, response: Response, *, visible: bool, basis: str = ANY
) -> Answer:
    """The generation an analysis read is answered from (see `AnalysisService.answer`),
    said in the response's headers."""
    found = analysis.answer(include_confidential=visible, basis=basis)
    mark(response, found)
    return found


def mark(response: Response, found: Answer) -> None:
    response.headers.update(generation_headers(found.generation, found.stale))
