"""The pages served over HTTP, as a FastAPI router the API app mounts.

    from viz.routes import make_router
    app.include_router(make_router(get_store, get_visibility))

`get_store` and `get_visibility` are FastAPI dependencies supplied by the app
(so this module knows nothing of keys or roles): the first gives the `Store`,
the second a bool, True when the caller may see confidential relationships
(analyst, editor). A page for a caller who may not see them is built from a
projection without them.

Routes (all GET, HTML; errors are JSON `{"detail": "..."}` via HTTPException):

* one per view of the registry (`viz.views.VIEWS`), at the view's `route`,
  with its options as path or query parameters: `/viz` — the whole network;
  `/viz/countries/{code}`; `/viz/actors/{actor_id}` (`depth`); `/viz/cities`;
  `/viz/map` (`country`, `measure`) — each with `size_by`, `max_nodes`, `large`,
  `layout`;
* `/report` — the gap report (`basis=stated` for stated records only).

Pages are the same self-contained files the CLI writes, plus two flags:
double-clicking a node fetches its neighbourhood from `expand_url` (default
`/api/{collection}/{id}/neighbourhood?depth=1`, `{collection}` being `actors` or
`initiatives` after the node's family, expected to answer
`{"nodes": [{id, name, kind, country, ...}], "edges": [{source, target,
type, axis, cross_border, status, confidential, symmetric}, ...]}` honouring
the same visibility), and double-clicking a country of an aggregated view
opens `/viz/countries/{code}`; on a WebGL page (the cities view), double-clicking
a node opens its neighbourhood page `/viz/actors/{id}`. Responses are `Cache-Control: no-store`:
what a page contains depends on the caller's role. As the API's analysis reads, a page
says which store generation its findings describe (`X-Analysis-Generation`) and
whether a write came after it (`X-Analysis-Stale`).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from fastapi.responses import HTMLResponse

from graph.analysis.cache import generation_headers
from graph.choices import any_case
from viz.layout import LAYOUTS
from viz.network import HARD_MAX_NODES, MAX_NODES, Page
from viz.offline import CSP
from viz.views import VIEWS, PageView, ViewError, ViewOption

DEFAULT_EXPAND_URL = "/api/{collection}/{id}/neighbourhood?depth=1"

#: The page options' words, in any case ("Betweenness" is betweenness).
SizeBy = any_case(("degree", "betweenness"))
Large = any_case(("auto", "aggregate", "top"))
LayoutName = any_case(("auto", "force", "geo"))
assert set(LAYOUTS) == {"auto", "force", "geo"}

_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


_SIZE_Q = Query("degree", description="Node size: degree or betweenness.")
_MAX_Q = Query(
    MAX_NODES,
    ge=1,
    le=HARD_MAX_NODES,
    description="Most nodes drawn one by one; a bigger view is aggregated or cut.",
)
_LARGE_Q = Query(
    "auto",
    description="Bigger views: aggregate (countries as nodes), top (top-N by size), auto.",
)
_LAYOUT_Q = Query("auto", description="auto, force, or geo (longitude/latitude).")
_SINCE_Q = Query(
    None,
    ge=0,
    le=2**53,
    description='Add the section "Since revision N (date)": gaps closed, new and persisting.',
)
_BASIS_Q = Query(
    "any",
    description="stated: only what the sources state (inferred records left out); any: all.",
)


@dataclass(frozen=True)
class PageOptions:
    """The query options every page takes (`layout` only on the network pages)."""

    size_by: str
    max_nodes: int
    large: str
    layout: str = "auto"


def page_options(
    size_by: SizeBy = _SIZE_Q,
    max_nodes: int = _MAX_Q,
    large: Large = _LARGE_Q,
    layout: LayoutName = _LAYOUT_Q,
) -> PageOptions:
    """Dependency: the options of the network pages (`/viz`, `/viz/...`)."""
    return PageOptions(size_by, max_nodes, large, layout)


def report_options(
    size_by: SizeBy = _SIZE_Q,
    max_nodes: int = _MAX_Q,
    large: Large = _LARGE_Q,
) -> PageOptions:
    """Dependency: the options of `/report` (no layout)."""
    return PageOptions(size_by, max_nodes, large)


@dataclass(frozen=True)
class _Source:
    """What a page is built from: the store, the caller's visibility, cached analyses."""

    store: Any
    visible: bool
    analysis: Any


def make_router(
    get_store: Callable[..., Any],
    get_visibility: Callable[..., Any],
    *,
    expand_url: str | None = DEFAULT_EXPAND_URL,
    prefix: str = "",
    tags: list[str] | None = None,
    get_analysis: Callable[..., Any] | None = None,
) -> APIRouter:
    """The pages router. `expand_url=None` turns off expanding nodes on double-click.

    `prefix` is prepended to the routes and to the country links in pages
    (e.g. "/pages" → "/pages/viz/countries/{code}").
    """
    router = APIRouter(prefix=prefix, tags=tags or ["pages"])
    # Optional: a long-lived analysis service (the API's); without it each page makes a
    # one-shot service over the store, as the CLI does.
    analysis_dep = get_analysis or _no_analysis
    country_url = prefix + VIEWS["country"].route  # where an aggregated country opens
    # where a double-click on a node of a WebGL page goes: the node's neighbourhood page
    actor_url = prefix + VIEWS["actor"].route.replace("{actor_id}", "{id}")

    def html(page_fn: Callable[[], Page]) -> HTMLResponse:
        try:
            page = page_fn()
        except ViewError as exc:
            raise HTTPException(status_code=exc.status, detail=str(exc)) from exc
        headers = {
            **_HEADERS,
            "X-Node-Count": str(page.node_count),
            "X-Edge-Count": str(page.edge_count),
            "X-View-Mode": page.mode,
        }
        if page.generation is not None:
            headers.update(generation_headers(page.generation, page.stale))
        return HTMLResponse(page.html, headers=headers)

    def page_arguments(src: _Source, opts: PageOptions) -> dict[str, Any]:
        """What every page is built with: the caller's visibility, the cached analyses,
        the page options and the links out of the page."""
        return {
            "include_confidential": src.visible,
            "analysis": src.analysis,
            "size_by": opts.size_by,
            "max_nodes": opts.max_nodes,
            "large": opts.large,
            "expand_url": expand_url,
            "country_url": country_url,
        }

    def source(
        store: Any = Depends(get_store),
        visible: bool = Depends(get_visibility),
        analysis: Any = Depends(analysis_dep),
    ) -> _Source:
        return _Source(store, bool(visible), analysis)

    def _network(src: _Source, opts: PageOptions, **kw: Any) -> HTMLResponse:
        from viz.service import network_page

        return html(
            lambda: network_page(
                src.store,
                **page_arguments(src, opts),
                actor_url=actor_url,
                layout_name=opts.layout,
                **kw,
            )
        )

    for registered in VIEWS.values():
        router.add_api_route(
            registered.route,
            _view_endpoint(registered, _network, page_options, source),
            methods=["GET"],
            name=f"viz_{registered.name}",
            response_class=HTMLResponse,
            summary=f"{registered.title} (HTML page)",
        )

    @router.get("/report", response_class=HTMLResponse, summary="The gap report (HTML page)")
    def report(
        opts: PageOptions = Depends(report_options),
        src: _Source = Depends(source),
        basis: str = _BASIS_Q,
        since: int | None = _SINCE_Q,
    ) -> HTMLResponse:
        from graph.analysis.basis import check_basis
        from graph.history.checks import HistoryError
        from viz.service import report_page

        try:
            basis = check_basis(basis)
        except ValueError as exc:
            raise HTTPException(status_code=422, detail=str(exc)) from exc

        def page() -> Page:
            try:
                return report_page(src.store, basis=basis, since=since, **page_arguments(src, opts))
            except HistoryError as exc:
                raise HTTPException(status_code=422, detail=f"since: {exc}") from exc

        return html(page)

    return router


def _no_analysis() -> None:
    return None


def _view_endpoint(
    registered: PageView,
    network: Callable[..., HTMLResponse],
    options_dep: Callable[..., PageOptions],
    source_dep: Callable[..., _Source],
) -> Callable[..., HTMLResponse]:
    """The route function of a registered view: its options as path or query parameters
    (declared through `__signature__`, which FastAPI reads), then the page options."""

    def endpoint(**params: Any) -> HTMLResponse:
        values = {o.name: params[_param_name(o)] for o in registered.options}
        return network(params["src"], params["opts"], view=registered.name, options=values)

    kw = inspect.Parameter.KEYWORD_ONLY
    endpoint.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            *(
                inspect.Parameter(_param_name(o), kw, default=_param(o), annotation=o.type)
                for o in registered.options
            ),
            inspect.Parameter("opts", kw, default=Depends(options_dep), annotation=PageOptions),
            inspect.Parameter("src", kw, default=Depends(source_dep), annotation=_Source),
        ],
        return_annotation=HTMLResponse,
    )
    endpoint.__name__ = f"viz_{registered.name}"
    return endpoint


def _param_name(o: ViewOption) -> str:
    return o.path_name or o.name


def _param(o: ViewOption) -> Any:
    """The FastAPI parameter of a view option: a path segment or a query parameter."""
    if o.path_name:
        return Path(..., description=o.help, min_length=o.min_length, max_length=o.max_length)
    return Query(o.default, ge=o.minimum, le=o.maximum, description=o.help)


__all__ = ["DEFAULT_EXPAND_URL", "ViewError", "make_router"]
