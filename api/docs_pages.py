"""The API's documentation pages, `/docs` (Swagger UI) and `/redoc` (ReDoc), served offline.

FastAPI's own pages load Swagger UI and ReDoc from a CDN and a favicon from the
FastAPI site, so without internet they are blank. Here the same pages (FastAPI's
`get_swagger_ui_html` / `get_redoc_html`) point at copies shipped in the package,
`api/static/docs/` (vendored from npm at pinned versions by
`tools/docs-assets/update.sh`; versions and licences are in that folder), served
under `ASSETS_URL`. The OpenAPI document itself is not touched.

Each page carries a Content-Security-Policy that lets it load nothing from
anywhere but this server: scripts from 'self' plus the page's own inline start-up
script by its hash, no remote fonts, images or connections.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

#: The vendored Swagger UI and ReDoc files (see README.md and VERSIONS there).
ASSETS = Path(__file__).parent / "static" / "docs"
#: Where the app serves them.
ASSETS_URL = "/docs/assets"
DOCS_URL = "/docs"
OAUTH2_REDIRECT_URL = "/docs/oauth2-redirect"
REDOC_URL = "/redoc"

SWAGGER_JS = "swagger-ui/swagger-ui-bundle.js"
SWAGGER_CSS = "swagger-ui/swagger-ui.css"
REDOC_JS = "redoc/redoc.standalone.js"
FAVICON = "swagger-ui/favicon-32x32.png"

#: Swagger UI's defaults as FastAPI sets them, minus the online validator (its badge
#: would send the OpenAPI document's URL to validator.swagger.io).
SWAGGER_PARAMETERS = {"validatorUrl": None}

_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)

_HEADERS = {
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def csp_for(html: str) -> str:
    """A Content-Security-Policy allowing only this server and `html`'s own inline scripts.

    Inline scripts are allowed by their SHA-256 (Swagger UI's start-up script, the
    OAuth2 redirect page's script), not with 'unsafe-inline'. Styles may be inline:
    both Swagger UI and ReDoc set element styles at run time. ReDoc runs its search
    index in a worker it makes from a blob: URL.
    """
    hashes = [_hash_source(script) for script in _INLINE_SCRIPT.findall(html)]
    script_src = " ".join(["'self'", *hashes])
    return (
        f"default-src 'none'; script-src {script_src}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
        "worker-src blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )


def _hash_source(script: str) -> str:
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    return f"'sha256-{digest}'"


def _offline(page: HTMLResponse) -> HTMLResponse:
    html = bytes(page.body).decode()
    return HTMLResponse(html, headers={**_HEADERS, "Content-Security-Policy": csp_for(html)})


def install(app: FastAPI) -> None:
    """Serve the assets and the three documentation routes FastAPI would have served.

    The app must be made with `docs_url=None, redoc_url=None` (so FastAPI adds no
    CDN-backed pages of its own); paths honour the ASGI `root_path` as FastAPI's do.
    """
    app.mount(ASSETS_URL, StaticFiles(directory=ASSETS), name="docs-assets")
    openapi_url = app.openapi_url or "/openapi.json"

    def asset(root: str, name: str) -> str:
        return f"{root}{ASSETS_URL}/{name}"

    async def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "").rstrip("/")
        return _offline(
            get_swagger_ui_html(
                openapi_url=root + openapi_url,
                title=f"{app.title} - Swagger UI",
                swagger_js_url=asset(root, SWAGGER_JS),
                swagger_css_url=asset(root, SWAGGER_CSS),
                swagger_favicon_url=asset(root, FAVICON),
                oauth2_redirect_url=root + OAUTH2_REDIRECT_URL,
                init_oauth=app.swagger_ui_init_oauth,
                swagger_ui_parameters={**SWAGGER_PARAMETERS, **(app.swagger_ui_parameters or {})},
            )
        )

    async def oauth2_redirect(_: Request) -> HTMLResponse:
        return _offline(get_swagger_ui_oauth2_redirect_html())

    async def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "").rstrip("/")
        return _offline(
            get_redoc_html(
                openapi_url=root + openapi_url,
                title=f"{app.title} - ReDoc",
                redoc_js_url=asset(root, REDOC_JS),
                redoc_favicon_url=asset(root, FAVICON),
                with_google_fonts=False,
            )
        )

    app.add_route(DOCS_URL, swagger_ui, include_in_schema=False)
    app.add_route(OAUTH2_REDIRECT_URL, oauth2_redirect, include_in_schema=False)
    app.add_route(REDOC_URL, redoc, include_in_schema=False)
