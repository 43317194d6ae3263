"""Headless Chromium for page tests that must not reach the network.

`launch()` starts Debian's Chromium through Playwright (skipped outside CI when it is
missing, failed in CI); `offline_page()` opens a page whose every request to a
non-loopback host is aborted and recorded, with console errors and page errors
collected, so a test can assert that a page works with the network cut off.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

CHROMIUM = os.environ.get("SCN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def unavailable(msg: str) -> None:
    """Skip outside CI, fail in CI (CI=true): a missing browser must not pass silently."""
    if os.environ.get("CI"):
        pytest.fail(f"{msg} (required in CI)")
    pytest.skip(f"{msg} (outside CI: skipped)")


@contextlib.contextmanager
def launch() -> Iterator[Any]:
    """A headless Chromium browser (Playwright's `Browser`)."""
    if not Path(CHROMIUM).exists():
        unavailable(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover
        unavailable("the playwright package is not installed")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@dataclass
class OfflinePage:
    """A page and what it did: every request, the ones blocked, console and page errors."""

    page: Any
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@contextlib.contextmanager
def offline_page(browser: Any) -> Iterator[OfflinePage]:
    """A fresh browser context whose requests may reach loopback hosts only."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    opened = OfflinePage(page)
    page.on(
        "console",
        lambda m: (
            opened.problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None
        ),
    )
    page.on("pageerror", lambda e: opened.problems.append(f"page error: {e}"))

    def route(r: Any) -> None:
        url = r.request.url
        opened.requests.append(url)
        u = urlparse(url)
        if u.scheme in ("data", "blob") or u.hostname in LOCAL_HOSTS:
            r.continue_()
        else:
            opened.blocked.append(url)
            r.abort()

    context.route("**/*", route)
    try:
        yield opened
    finally:
        context.close()
