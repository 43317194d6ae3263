"""Schemathesis against the app's own OpenAPI schema, over real HTTP to a live server.

Every operation is called with generated requests (valid and invalid ones) using an
editor key, so the writes run too, on a graph of their own. Required: no server
error (5xx) and no response that contradicts the schema (status code, content type,
headers, body).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.app import openapi_schema
from api.settings import Settings
from tests.support.api import DATA, Api, running_api

#: Examples per operation; a deeper run: SCN_GRAPH_ST_EXAMPLES=200 SCN_GRAPH_ST_RANDOM=1.
MAX_EXAMPLES = int(os.environ.get("SCN_GRAPH_ST_EXAMPLES", "15"))
DERANDOMIZE = not os.environ.get("SCN_GRAPH_ST_RANDOM")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@pytest.fixture(scope="session")
def live_api(server_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    with running_api(
        server_dir,
        tmp_path_factory.mktemp("api-st"),
        data=DATA,
        query_timeout_ms=2_000,
        query_max_timeout_ms=2_000,
    ) as a:
        yield a


#: The schema the app serves at /openapi.json (built without opening a store; the test
#: below checks that the live server serves the same document).
schema = schemathesis.openapi.from_dict(openapi_schema(settings=Settings(mount_pages=True)))


def test_served_schema_is_the_tested_one(live_api: Api) -> None:
    served = httpx.get(f"{live_api.url}/openapi.json").json()
    assert served == schema.raw_schema


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=DERANDOMIZE,
    database=None,
)
def test_api_conforms_to_its_schema(case: schemathesis.Case, live_api: Api) -> None:
    case.call_and_validate(
        base_url=live_api.url,
        headers={"Authorization": f"Bearer {live_api.keys['editor']}"},
        checks=CHECKS,
        timeout=120,
    )
