"""Keep pages self-contained: take pyvis's inlined assets, drop what it links
from CDNs, and check a page for anything that would load from the network.

pyvis 0.3.2 with ``cdn_resources="in_line"`` inlines vis-network's JavaScript
and CSS but still links bootstrap from cdn.jsdelivr.net (pyvis issue 229).
`pyvis_parts` splits its page into the inline ``<script>``/``<style>`` blocks
we keep and drops every tag that points elsewhere; our own template then
builds the page around them. `external_refs` is the check the tests (and
`viz.network` itself, before returning a page) run on the result.

Every page also carries a Content-Security-Policy that forbids loading
anything from anywhere (`CSP`): even if a reference slipped through, the
browser would refuse it rather than reach the network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

#: No remote loads of any kind; inline scripts and styles only; data: images
#: (vis-network's CSS uses them); `connect-src 'self'` so a page served by
#: the API can fetch a neighbourhood from the same origin.
CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data: blob:; font-src data:; connect-src 'self'; base-uri 'none'; "
    "form-action 'none'"
)

_BLOCK = re.compile(
    r"<script\b(?P<sattrs>[^>]*)>(?P<script>.*?)</script\s*>"
    r"|<style\b[^>]*>(?P<style>.*?)</style\s*>"
    r"|<link\b(?P<lattrs>[^>]*)>",
    re.DOTALL | re.IGNORECASE,
)
_SRC = re.compile(r"""\b(?:src|href)\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
_REMOTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
_CSS_URL = re.compile(r"""url\(\s*['"]?\s*((?:[a-z][a-z0-9+.-]*:)?//[^'")\s]*)""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*['"]?\s*((?:https?:)?//[^'")\s;]*)""", re.I)


class PyvisLayoutChanged(RuntimeError):
    """pyvis produced a page this module does not recognise (a pyvis upgrade?)."""


@dataclass
class PyvisParts:
    head: list[str] = field(default_factory=list)  # inline <script>/<style> blocks of assets
    drawing_script: str = ""  # the <script> that builds the vis DataSets and the Network
    dropped: list[str] = field(default_factory=list)  # remote URLs that were removed


def pyvis_parts(html: str) -> PyvisParts:
    """Split a pyvis page into its inline assets and its drawing script, dropping remote tags."""
    parts = PyvisParts()
    for m in _BLOCK.finditer(html):
        if m.group("lattrs") is not None:
            src = _SRC.search(m.group("lattrs"))
            if src and _REMOTE.match(src.group(1)):
                parts.dropped.append(src.group(1))
            continue  # our pages need no <link>: everything is inline
        if m.group("style") is not None:
            parts.head.append(f"<style>{slim_vis_css(m.group('style'))}</style>")
            continue
        attrs, code = m.group("sattrs") or "", m.group("script") or ""
        src = _SRC.search(attrs)
        if src:
            parts.dropped.append(src.group(1))
            continue
        if "new vis.Network" in code and "drawGraph" in code:
            parts.drawing_script = f'<script type="text/javascript">{code}</script>'
        elif code.strip():
            parts.head.append(f"<script>{code}</script>")
    if not parts.drawing_script or not any("vis-network" in h for h in parts.head):
        raise PyvisLayoutChanged(
            "pyvis did not produce an inline vis-network library and drawing script; "
            "check the pyvis version (this module was written for pyvis 0.3.2)."
        )
    return parts


_CSS_RULE = re.compile(r"[^{}]+\{[^{}]*\}")


def slim_vis_css(css: str) -> str:
    """Drop the CSS rules that embed images (data: URLs).

    In vis-network's stylesheet those style the navigation buttons, the
    manipulation toolbar and the configurator, none of which our pages turn
    on; they are 200 kB of the 220 kB file. Everything else is kept.
    """
    return _CSS_RULE.sub(lambda m: "" if "url(" in m.group(0) else m.group(0), css)


class _RefScanner(HTMLParser):
    _ATTRS = frozenset(
        {"src", "href", "data", "action", "formaction", "poster", "background", "xlink:href"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in self._ATTRS and _REMOTE.match(value):
                self.refs.append(f"<{tag} {name}> {value}")
            elif name == "srcset":
                for cand in value.split(","):
                    if _REMOTE.match(cand.strip()):
                        self.refs.append(f"<{tag} srcset> {cand.strip()}")
            elif name == "style":
                self.refs.extend(f"<{tag} style> {u}" for u in css_refs(value))
            elif name == "http-equiv" and value.lower() == "refresh":
                self.refs.append(f"<{tag} http-equiv=refresh>")
        self._in_style = tag == "style"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._in_style = False

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.refs.extend(f"<style> {u}" for u in css_refs(data))


def css_refs(css: str) -> list[str]:
    """Remote `url(...)` and `@import` references in a piece of CSS."""
    return [m.group(1) for m in _CSS_URL.finditer(css)] + [
        m.group(1) for m in _CSS_IMPORT.finditer(css)
    ]


def external_refs(html: str) -> list[str]:
    """Every reference in the page that would make a browser load something remote.

    Looks at the attributes of every tag (src, href, data, action, poster,
    srcset, style) and at CSS `url()` / `@import` in style blocks. Text,
    including URLs quoted in script code or written out as credits, is inert
    and not reported.
    """
    scanner = _RefScanner()
    scanner.feed(html)
    scanner.close()
    return scanner.refs


def json_for_script(text: str) -> str:
    """JSON text made safe to place inside a <script> element."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
