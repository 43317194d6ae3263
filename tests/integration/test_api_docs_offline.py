"""The API's documentation pages work without internet.

`/docs` (Swagger UI) and `/redoc` (ReDoc) are served by the real app over real
HTTP. In headless Chromium with every non-loopback request aborted and recorded,
each page must draw the API's title and its operations, log no console error,
and send no request off the machine. Their HTML must name no http(s) URL other
than the server's own, and the assets they load must come from the package.

Needs Debian's `chromium` for the browser tests (see tests/support/browser.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlparse

import httpx
import pytest

from api.docs_pages import ASSETS
from tests.support.api import DATA, Api, running_api
from tests.support.browser import LOCAL_HOSTS, artifact_dir, offline_page
from viz.offline import external_refs

TITLE = "scn-graph API"
PAGES = ("/docs", "/redoc", "/docs/oauth2-redirect")
DRAW_TIMEOUT_MS = 30_000
#: An absolute or protocol-relative URL anywhere in a page: attribute, script or text.
ANY_URL = re.compile(r"""(?:https?:)?//[^\s'"<>`)]+""", re.IGNORECASE)
#: script-src, style-src ... in a Content-Security-Policy, and the sources each allows.
CSP_DIRECTIVE = re.compile(r"\s*([a-z-]+)\s+([^;]*)")


@pytest.fixture(scope="module")
def api(server_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    with running_api(server_dir, tmp_path_factory.mktemp("docs"), data=DATA) as a:
        yield a


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return artifact_dir(tmp_path_factory, "api-docs")


def _foreign_urls(html: str, server: str) -> list[str]:
    """URLs in `html` that point anywhere but `server` (same scheme, host and port)."""
    own = urlparse(server)
    out = []
    for url in ANY_URL.findall(html):
        u = urlparse(url if url.startswith("http") else f"{own.scheme}:{url}")
        if (u.hostname, u.port) != (own.hostname, own.port):
            out.append(url)
    return out


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_docs_html_names_no_url_outside_the_server(api: Api, path: str) -> None:
    with httpx.Client(base_url=api.url, timeout=30) as http:
        r = http.get(path)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert not _foreign_urls(r.text, api.url), _foreign_urls(r.text, api.url)
    assert not external_refs(r.text), external_refs(r.text)


@pytest.mark.parametrize("path", PAGES)
def test_docs_csp_allows_this_server_only(api: Api, path: str) -> None:
    with httpx.Client(base_url=api.url, timeout=30) as http:
        r = http.get(path)
    csp = dict(CSP_DIRECTIVE.findall(r.headers.get("content-security-policy", "")))
    assert csp.get("default-src") == "'none'", csp
    for directive, sources in csp.items():
        for source in sources.split():
            assert source.startswith("'") or source in ("data:", "blob:"), (directive, source)
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert r.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_docs_assets_come_from_the_package(api: Api, path: str) -> None:
    """Every script, stylesheet and icon the page names is served, byte for byte the
    vendored file."""
    with httpx.Client(base_url=api.url, timeout=30) as http:
        html = http.get(path).text
        refs = re.findall(r"""<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]+)\"""", html)
        assert len(refs) >= 2, refs
        for ref in refs:
            r = http.get(urljoin(api.url + path, ref))
            assert r.status_code == 200, ref
            name = urlparse(ref).path.removeprefix("/docs/assets/")
            assert r.content == (ASSETS / name).read_bytes(), ref


def _check_offline(opened: Any, name: str, artifacts: Path) -> None:
    opened.page.screenshot(path=str(artifacts / f"{name}.png"), full_page=False)
    assert not opened.blocked, f"{name} tried to leave loopback: {opened.blocked[:5]}"
    assert not opened.problems, f"{name}: {opened.problems[:5]}"
    off = [u for u in opened.requests if urlparse(u).hostname not in LOCAL_HOSTS]
    assert all(u.startswith(("data:", "blob:")) for u in off), off


@pytest.mark.browser
def test_swagger_ui_renders_offline(api: Api, browser: Any, artifacts: Path) -> None:
    with offline_page(browser) as opened:
        pg = opened.page
        pg.goto(f"{api.url}/docs", wait_until="load")
        pg.wait_for_selector(".swagger-ui .info .title", timeout=DRAW_TIMEOUT_MS)
        pg.wait_for_selector(".opblock", timeout=DRAW_TIMEOUT_MS)
        assert TITLE in pg.inner_text(".swagger-ui .info .title")
        assert pg.locator(".opblock").count() >= 10
        assert pg.locator(".opblock-summary-path", has_text="/api/actors/{actor_id}").count() >= 1
        # "Try it out" calls the API from the page: the page's CSP lets it reach the server
        health = pg.locator('.opblock:has(.opblock-summary-path[data-path="/health"])')
        health.locator(".opblock-summary").click()
        health.get_by_role("button", name="Try it out").click()
        health.get_by_role("button", name="Execute").click()
        status = health.locator(".live-responses-table tbody .response-col_status")
        status.first.wait_for(timeout=DRAW_TIMEOUT_MS)
        assert status.first.inner_text().strip() == "200"
        pg.wait_for_load_state("networkidle")
        _check_offline(opened, "swagger-ui", artifacts)


@pytest.mark.browser
def test_redoc_renders_offline(api: Api, browser: Any, artifacts: Path) -> None:
    with offline_page(browser) as opened:
        pg = opened.page
        pg.goto(f"{api.url}/redoc", wait_until="load")
        pg.wait_for_selector("h1", timeout=DRAW_TIMEOUT_MS)
        assert TITLE in pg.inner_text("h1")
        ops = pg.locator('[data-section-id^="operation/"]')
        ops.first.wait_for(timeout=DRAW_TIMEOUT_MS)
        assert ops.count() >= 10
        # the search index runs in a worker ReDoc makes from a blob: URL
        pg.fill('input[placeholder="Search..."]', "neighbourhood")
        hits = pg.locator('[data-role="search:results"] li')
        hits.first.wait_for(timeout=DRAW_TIMEOUT_MS)
        assert "neighbourhood" in hits.first.inner_text().lower()
        pg.wait_for_load_state("networkidle")
        _check_offline(opened, "redoc", artifacts)
