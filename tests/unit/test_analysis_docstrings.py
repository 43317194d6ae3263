"""The examples in the structure modules' (and other small modules') docstrings are run,
so they stay true."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "graph.analysis.engine",
    "graph.analysis.brokers",
    "graph.analysis.block_cut",
    "graph.analysis.cut_points",
    "graph.analysis.communities",
    "graph.analysis.coverage",
    "graph.analysis.structure",
    "graph.collector",
    "graph.history.model",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"{name} has no example"
    assert result.failed == 0
