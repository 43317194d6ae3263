"""The embedded FalkorDB server's settings: the data directory and the idle timeout
from the environment.
"""

from __future__ import annotations

import pytest

from graph.store.embedded import (
    DEFAULT_IDLE_TIMEOUT,
    EmbeddedServer,
    EmbeddedServerError,
    default_data_dir,
)


def test_configuration_from_the_environment(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("SCN_GRAPH_HOME", str(tmp_path / "home"))
    assert default_data_dir() == tmp_path / "home"
    monkeypatch.delenv("SCN_GRAPH_HOME")
    assert default_data_dir().name == "scn-graph"

    monkeypatch.delenv("SCN_GRAPH_IDLE_TIMEOUT", raising=False)
    assert EmbeddedServer(tmp_path).idle_timeout == DEFAULT_IDLE_TIMEOUT == 600
    monkeypatch.setenv("SCN_GRAPH_IDLE_TIMEOUT", "0")
    assert EmbeddedServer(tmp_path).idle_timeout == 0
    assert EmbeddedServer(tmp_path, idle_timeout=7).idle_timeout == 7
    monkeypatch.setenv("SCN_GRAPH_IDLE_TIMEOUT", "soon")
    with pytest.raises(EmbeddedServerError, match="SCN_GRAPH_IDLE_TIMEOUT"):
        EmbeddedServer(tmp_path)
