"""Pages from a real store: `scn-graph viz` and `report` write their files, and the
HTTP routes honour roles.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.support.pages import (
    CONFIDENTIAL_NOTE,
    SAMPLE,
    SAMPLE_NODES,
    body_attr,
    make_test_app,
    page_config,
)
from tests.support.store import load
from viz import offline


def test_cli_viz_and_report_write_files(store, store_uri, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from cli.main import app

    load(store, SAMPLE)
    runner = CliRunner()
    out = tmp_path / "net.html"
    res = runner.invoke(app, ["viz", "-o", str(out), "--store", store_uri])
    assert res.exit_code == 0, res.output
    assert f"{SAMPLE_NODES} nodes" in res.output
    # default: no confidential relationship in a file that may be forwarded
    assert CONFIDENTIAL_NOTE not in out.read_text(encoding="utf-8")
    res = runner.invoke(
        app, ["viz", "-o", str(out), "--store", store_uri, "--include-confidential"]
    )
    assert res.exit_code == 0 and CONFIDENTIAL_NOTE in out.read_text(encoding="utf-8")
    for args in (
        ["--view", "country", "--country", "FR"],
        ["--view", "actor", "--actor", "fr-dole", "--depth", "2", "--size-by", "betweenness"],
        ["--view", "cities"],
    ):
        res = runner.invoke(app, ["viz", "-o", str(out), "--store", store_uri, *args])
        assert res.exit_code == 0, res.output
        assert offline.external_refs(out.read_text(encoding="utf-8")) == []
    res = runner.invoke(
        app, ["viz", "-o", str(out), "--store", store_uri, "--view", "actor", "--actor", "nobody"]
    )
    assert res.exit_code == 1 and "No actor or initiative with id 'nobody'" in res.output
    rep = tmp_path / "report.html"
    res = runner.invoke(app, ["report", "-o", str(rep), "--store", store_uri])
    assert res.exit_code == 0, res.output
    assert 'id="findings"' in rep.read_text(encoding="utf-8")


def test_http_pages_honour_roles(store) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    load(store, SAMPLE)
    client = TestClient(make_test_app(store))
    for path in (
        "/viz",
        "/viz/countries/fr",
        "/viz/actors/fr-dole?depth=2",
        "/viz/cities",
        "/report",
    ):
        res = client.get(path)
        assert res.status_code == 200, (path, res.text[:300])
        assert res.headers["content-type"].startswith("text/html")
        assert res.headers["cache-control"] == "no-store"
        assert "default-src 'none'" in res.headers["content-security-policy"]
        assert offline.external_refs(res.text) == []
        assert CONFIDENTIAL_NOTE not in res.text, path
        assert res.headers["x-node-count"] == body_attr(res.text, "node-count")
        if 'data-renderer="webgl"' in res.text:  # the cities view: drawn whole
            settings = re.search(r'id="scn-settings">(.*?)</script>', res.text, re.S)
            assert settings and json.loads(settings.group(1))["actorUrl"] == "/viz/actors/{id}"
            continue
        cfg = json.loads(page_config(res.text))
        assert cfg["expandUrl"] == "/api/{collection}/{id}/neighbourhood?depth=1"
    analyst = client.get("/viz", headers={"X-Role": "analyst"})
    assert CONFIDENTIAL_NOTE in analyst.text and "Confidential:" in analyst.text
    assert (
        CONFIDENTIAL_NOTE in client.get("/viz/actors/de-amberg", headers={"X-Role": "editor"}).text
    )
    missing = client.get("/viz/actors/nobody")
    assert missing.status_code == 404 and "nobody" in missing.json()["detail"]
    assert client.get("/viz/countries/DK").status_code == 404  # a country, with nothing
    assert client.get("/viz/countries/ZZ").status_code == 422  # no country
    assert client.get("/viz?size_by=charisma").status_code == 422
    assert client.get("/viz/actors/fr-dole?depth=9").status_code == 422
