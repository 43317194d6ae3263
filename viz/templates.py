"""The Jinja environment and the static files (CSS, JavaScript, templates) of every page.

Both the network pages (`viz.page`) and the report (`viz.report`) render
their HTML from `viz/static/` through this one environment, so the filters
and escaping rules are the same on every page.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import jinja2

from graph.analysis.wording import noun


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The page templates' environment: autoescaped, strict about missing variables."""
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(static_text),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["pct"] = lambda v: "—" if v is None else f"{100 * float(v):.0f}%"
    env.filters["num"] = lambda v: f"{v:,}" if isinstance(v, int) else v
    # {{ n|noun("node") }}: "node" for 1, else "nodes"; {{ n|noun("city", "cities") }}.
    env.filters["noun"] = noun
    return env


@lru_cache(maxsize=16)
def static_text(name: str) -> str:
    """A file of `viz/static/` (read once)."""
    return (resources.files("viz") / "static" / name).read_text(encoding="utf-8")
