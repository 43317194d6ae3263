"""docker-compose.yml: Neo4j 5 with a healthcheck and a data volume, the API waiting for it.

No Docker engine runs here, so the file is checked offline: by `docker compose config`
where the Compose plugin is installed, and always by reading the YAML.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from tests.support.paths import ROOT

COMPOSE = ROOT / "docker-compose.yml"


def test_docker_compose_accepts_the_file() -> None:
    docker = shutil.which("docker")
    version = (
        subprocess.run([docker, "compose", "version"], capture_output=True, text=True, check=False)
        if docker
        else None
    )
    if version is None or version.returncode != 0:
        said = "no docker client"
        if version is not None:
            said = ((version.stderr or version.stdout).strip() or "no output").splitlines()[0]
        pytest.skip(
            f"the Docker Compose plugin is not installed here (`docker compose version`: {said})"
        )
    env = {**os.environ, "NEO4J_PASSWORD": "placeholder-for-config"}
    ok = subprocess.run(
        [docker, "compose", "-f", str(COMPOSE), "config", "-q"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    env.pop("NEO4J_PASSWORD")
    unset = subprocess.run(
        [docker, "compose", "-f", str(COMPOSE), "config", "-q"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert unset.returncode != 0 and "NEO4J_PASSWORD" in unset.stderr
