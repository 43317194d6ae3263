"""docker-compose.yml: Neo4j 5 with a healthcheck and a data volume, the API waiting for it.

No Docker engine runs here, so the file is checked offline: by `docker compose config`
(the Docker CLI's plugin, or Debian's standalone docker-compose, which `make compose`
installs) and always by reading the YAML.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from tests.support.paths import COMPOSE_FILE


def _compose_command() -> list[str] | None:
    """The Docker CLI's Compose plugin where it answers, else a standalone docker-compose."""
    docker = shutil.which("docker")
    if docker:
        version = subprocess.run(
            [docker, "compose", "version"], capture_output=True, text=True, check=False
        )
        if version.returncode == 0:
            return [docker, "compose"]
    standalone = shutil.which("docker-compose")
    return [standalone] if standalone else None


def test_docker_compose_accepts_the_file() -> None:
    compose = _compose_command()
    if compose is None:
        if os.environ.get("CI"):
            pytest.fail("no Docker Compose in CI: `make compose` installs Debian's docker-compose")
        pytest.skip("no Docker Compose here (`make compose` installs Debian's docker-compose)")
    env = {**os.environ, "NEO4J_PASSWORD": "placeholder-for-config"}
    ok = subprocess.run(
        [*compose, "-f", str(COMPOSE_FILE), "config", "-q"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    env.pop("NEO4J_PASSWORD")
    unset = subprocess.run(
        [*compose, "-f", str(COMPOSE_FILE), "config", "-q"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert unset.returncode != 0 and "NEO4J_PASSWORD" in unset.stderr
