"""The API's side of the analysis service: one long-lived service, warmed after writes.

The service itself (`graph.analysis.service.AnalysisService`) is the one the
CLI and the pages use. What is the server's own: it keeps the service for its
lifetime, settles big results out of the cyclic garbage collector (they live
until the next write) and, after a write, computes the gap findings for both
visibilities in the background so the next reader does not wait for them.
"""

from __future__ import annotations

import logging
import threading

from graph.analysis.cache import SETTLE_MIN_NODES, ResultCache
from graph.analysis.service import AnalysisService
from graph.store.base import Store

log = logging.getLogger("scn_graph.api")


def server_analysis(store: Store, cache: ResultCache) -> AnalysisService:
    """The service a server keeps: shared cache, big results settled out of the GC."""
    return AnalysisService(store, cache, settle_from=SETTLE_MIN_NODES)


def warm(analysis: AnalysisService) -> None:
    """Compute the gap findings for both visibilities, so the next reader does not wait."""
    try:
        for visible in (False, True):
            analysis.findings(include_confidential=visible)
    except Exception:  # a failed warm-up only means the next request computes it
        log.warning("warming the analysis cache failed", exc_info=True)


def warm_in_background(analysis: AnalysisService | None) -> None:
    if analysis is not None:
        threading.Thread(target=warm, args=(analysis,), name="scn-warm-cache", daemon=True).start()
