"""docker-compose.yml read as YAML: Neo4j 5 with a healthcheck and a data volume, the API
waiting for it, no secret in the file. Docker Compose's own reading of the file runs a
process, so it lives in `tests/integration/test_compose.py`.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from graph.store.uri import parse_store_uri
from tests.support.paths import COMPOSE_FILE, ROOT

#: Variables the neo4j image's entrypoint reads itself; every other NEO4J_* variable it
#: writes into neo4j.conf as a setting (NEO4J_server_memory_heap_max__size ->
#: server.memory.heap.max_size), and Neo4j 5 will not start with a setting it does not know.
IMAGE_VARIABLES = frozenset(
    {
        "NEO4J_ACCEPT_LICENSE_AGREEMENT",
        "NEO4J_AUTH",
        "NEO4J_AUTH_PATH",
        "NEO4J_DEBUG",
        "NEO4J_EDITION",
        "NEO4J_HOME",
        "NEO4J_PLUGINS",
    }
)
SETTING_NAMESPACES = ("server_", "dbms_", "db_", "initial_", "browser_", "client_")
#: `${NAME}`, `${NAME:?message}`, `${NAME:-default}`: a value compose takes from the host.
INTERPOLATION = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*(?::?[?-][^}]*)?\}")
#: `$${NAME...}`: escaped for compose, expanded by the container's shell.
CONTAINER_VARIABLE = re.compile(r"\$\$\{([A-Za-z_][A-Za-z0-9_]*)")
SECRET_KEY = re.compile(r"PASSWORD|AUTH|SECRET|TOKEN|KEY", re.IGNORECASE)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


def _environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {k: str(v) for k, v in env.items()}


def test_neo4j_is_version_5_with_a_named_data_volume(compose: dict[str, Any]) -> None:
    neo4j = compose["services"]["neo4j"]
    assert re.fullmatch(r"neo4j:5(\.[0-9.]+)?(-community|-enterprise)?", neo4j["image"])
    mounts = [str(v).split(":") for v in neo4j["volumes"]]
    data = [source for source, target, *_ in mounts if target == "/data"]
    assert data and data[0] in (compose.get("volumes") or {}), (
        "Neo4j's /data must be a named volume declared under volumes:, so data outlives "
        "the container"
    )
    for port in neo4j["ports"]:
        assert str(port).startswith("127.0.0.1:"), f"{port}: published beyond this machine"


def test_neo4j_healthcheck_runs_a_query(compose: dict[str, Any]) -> None:
    neo4j = compose["services"]["neo4j"]
    check = neo4j["healthcheck"]
    kind, *command = check["test"]
    assert kind in ("CMD", "CMD-SHELL")
    text = " ".join(command)
    assert "cypher-shell" in text and "RETURN 1" in text, text
    for key in ("interval", "timeout", "retries", "start_period"):
        assert key in check, key
    # What the container's shell expands must be in the container's environment.
    env = _environment(neo4j)
    for name in CONTAINER_VARIABLE.findall(text):
        assert name in env, f"the healthcheck reads ${name}, which the neo4j service lacks"


def test_neo4j_environment_holds_only_what_neo4j_understands(compose: dict[str, Any]) -> None:
    for name in _environment(compose["services"]["neo4j"]):
        if not name.startswith("NEO4J_") or name in IMAGE_VARIABLES:
            continue
        assert name.removeprefix("NEO4J_").startswith(SETTING_NAMESPACES), (
            f"{name} would become the neo4j.conf setting "
            f"{name.removeprefix('NEO4J_').replace('_', '.')!r}, which Neo4j 5 does not "
            "know, so it would refuse to start"
        )


def test_api_waits_for_a_healthy_neo4j_it_can_reach(compose: dict[str, Any]) -> None:
    services = compose["services"]
    api = services["api"]
    assert api["depends_on"]["neo4j"]["condition"] == "service_healthy"
    env = _environment(api)
    addr = parse_store_uri(env["SCN_GRAPH_STORE"], default_dir=ROOT)
    assert addr.engine == "neo4j"
    assert addr.url is not None
    host_port = addr.url.rsplit("//", 1)[1]
    host, _, port = host_port.partition(":")
    assert host == "neo4j", "the store URI must name the neo4j service"
    exposed = {str(p).rsplit(":", 1)[1] for p in services["neo4j"]["ports"]}
    assert (port or "7687") in exposed
    assert "NEO4J_PASSWORD" in env, "the API needs the password to log in"


def test_no_secret_is_written_in_the_file(compose: dict[str, Any]) -> None:
    """Credentials come from the host's environment (or an untracked .env), and a missing
    one stops compose (`${NAME:?...}`) instead of starting with an empty password."""
    for service_name, service in compose["services"].items():
        for name, value in _environment(service).items():
            if not SECRET_KEY.search(name):
                continue
            literal = INTERPOLATION.sub("", value)
            assert literal in ("", "neo4j/"), f"{service_name}.{name} holds a literal secret"
            assert ":?" in value, f"{service_name}.{name} must fail when the variable is unset"
