"""Hostile uploads and hostile text over real HTTP: bounded, refused clearly, never a 500.

Uploads: a body over the limit is refused while it streams (413 naming the
limit); a workbook whose shared strings unpack to 120 MB, and one of a million
rows (with and without a `<dimension>`), are refused before they are parsed; the
memory of a real `scn-graph serve` stays bounded meanwhile; an upload's temporary
folder is private, inside the data directory, and one left by a killed server is
removed when the next one starts. Text: lone surrogates, control characters, NUL,
over-long ids and names, and booleans for numbers are refused with 422 in every
way of writing (POST, PUT, PATCH, an uploaded file), and nothing is stored.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ingest.records import MAX_ID_LENGTH, MAX_NAME_LENGTH
from tests.support.api import DATA, Api, running_api, wait_for_serve
from tests.support.hostile import million_rows, shared_strings_bomb

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: How much a server's peak memory may grow while it refuses the hostile workbooks.
MEMORY_BOUND_MB = 100


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    return {
        "strings": shared_strings_bomb(folder / "strings.xlsx"),
        "rows": million_rows(folder / "rows.xlsx"),
        "rows-undeclared": million_rows(folder / "undeclared.xlsx", declare=False),
    }


@pytest.fixture
def api(server_dir: Path, tmp_path: Path) -> Iterator[Api]:
    with running_api(server_dir, tmp_path, data=DATA, upload_max_bytes=8 * 2**20) as a:
        yield a


def _upload(client: httpx.Client, path: Path, **data: str) -> httpx.Response:
    with path.open("rb") as fh:
        return client.post("/api/ingest", files={"file": (path.name, fh, XLSX)}, data=data)


# --------------------------------------------------------------------------- uploads


def test_hostile_workbooks_are_refused_before_parsing(api: Api, hostile: dict[str, Path]) -> None:
    with api.client("editor") as c:
        t = time.monotonic()
        r = _upload(c, hostile["strings"])
        assert r.status_code == 413, r.text
        message = r.json()["error"]["message"]
        assert "sharedStrings.xml" in message and "50 MB" in message, message
        assert "SCN_GRAPH_XLSX_MAX_UNPACKED_MB" in message
        for name in ("rows", "rows-undeclared"):
            r = _upload(c, hostile[name])
            assert r.status_code == 413, r.text
            message = r.json()["error"]["message"]
            assert "100,000 rows" in message and "SCN_GRAPH_MAX_ROWS" in message, message
        assert time.monotonic() - t < 20
        assert c.get("/api/stats").json()["actors"] == len(DATA["actors"])


def test_the_row_limit_is_a_setting(server_dir: Path, tmp_path: Path) -> None:
    """A lower row limit (a setting) holds for a sheet that declares no size."""
    small = million_rows(tmp_path / "small.xlsx", 30, declare=False)
    with (
        running_api(server_dir, tmp_path, data=DATA, upload_max_rows=20) as a,
        a.client("editor") as c,
    ):
        r = _upload(c, small, dry_run="true")
    assert r.status_code == 413, r.text
    assert "more than 20 rows" in r.json()["error"]["message"]


def test_an_upload_over_the_limit_is_refused_while_it_streams(api: Api) -> None:
    """Sent without a Content-Length, the body is cut off at the limit: the server
    answers 413 naming it and closes the connection, so the client cannot send the rest
    (far more than the limit); it may see the answer or only the closed connection."""
    sent = 0

    def body() -> Iterator[bytes]:
        nonlocal sent
        yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.yaml"\r\n\r\n'
        for _ in range(200):  # 200 MB, if it were all read
            sent += 2**20
            yield b"#" * 2**20
        yield b"\r\n--b--\r\n"

    headers = {
        "Authorization": f"Bearer {api.keys['editor']}",
        "Content-Type": "multipart/form-data; boundary=b",
    }
    try:
        r = httpx.post(f"{api.url}/api/ingest", content=body(), headers=headers, timeout=60)
    except httpx.TransportError:
        pass  # closed while the client was still sending
    else:
        assert r.status_code == 413, r.text
        assert "8 MB" in r.json()["error"]["message"]
        assert "SCN_GRAPH_UPLOAD_MAX_MB" in r.json()["error"]["message"]
    assert sent < 50 * 2**20, f"the server read {sent / 2**20:.0f} MB"


def test_a_declared_length_over_the_limit_is_refused_at_once(api: Api) -> None:
    big = b"x" * (9 * 2**20)
    with api.client("editor") as c:
        r = c.post("/api/ingest", files={"file": ("a.yaml", big, "application/yaml")})
        assert r.status_code == 413 and "8 MB" in r.json()["error"]["message"], r.text
        # any other body over the request limit (1 MB by default)
        r = c.post("/api/actors", content=b'{"id": "' + big + b'"}')
        assert r.status_code == 413, r.text
        assert "SCN_GRAPH_REQUEST_MAX_KB" in r.json()["error"]["message"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


def _serve(env: dict[str, str], port: int) -> subprocess.Popen[str]:
    exe = Path(sys.executable).with_name("scn-graph")
    return subprocess.Popen(
        [str(exe), "serve", "--port", str(port), "--log-level", "warning"],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _stop(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()


def _editor_key(env: dict[str, str]) -> str:
    from tests.support.cli import run_cli

    r = run_cli("keys", "add", "ed", "--role", "editor")
    return str(r.stdout.strip().splitlines()[0])  # type: ignore[attr-defined]


def test_memory_of_the_server_stays_bounded(env: dict[str, str], hostile: dict[str, Path]) -> None:
    """The peak RSS of a real `scn-graph serve` grows by less than MEMORY_BOUND_MB while
    it refuses the three hostile workbooks (docs/api.md, "Limits")."""
    key = _editor_key(env)
    port = _free_port()
    proc = _serve(env, port)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for_serve(base + "/health", proc)
        with httpx.Client(base_url=base, headers={"X-API-Key": key}, timeout=120) as c:
            assert c.get("/api/stats").status_code == 200
            before = _peak_rss_mb(proc.pid)
            for path in hostile.values():
                assert _upload(c, path).status_code == 413
            grown = _peak_rss_mb(proc.pid) - before
    finally:
        _stop(proc)
    assert grown < MEMORY_BOUND_MB, f"peak RSS grew by {grown:.0f} MB"


def _upload_folders(data_dir: Path) -> list[Path]:
    tmp = data_dir / "tmp"
    return sorted(tmp.glob("upload-*")) if tmp.is_dir() else []


def test_upload_folders_are_private_and_a_killed_servers_are_removed(
    env: dict[str, str], server_dir: Path, tmp_path: Path
) -> None:
    """A server killed mid-upload leaves its folder (in the data directory, mode 0700,
    never in /tmp); the next server removes it when it starts."""
    rows = "\n".join(f"a{i},Actor {i},city" for i in range(20_000))
    csv = tmp_path / "actors.csv"
    csv.write_text(f"id,name,kind\n{rows}\n")
    key = _editor_key(env)
    before = set(_upload_folders(server_dir))
    port = _free_port()
    proc = _serve(env, port)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for_serve(base + "/health", proc)
        import threading

        def post() -> None:
            try:
                with csv.open("rb") as fh:
                    httpx.post(
                        f"{base}/api/ingest",
                        files={"file": ("actors.csv", fh, "text/csv")},
                        data={"dry_run": "true"},
                        headers={"X-API-Key": key},
                        timeout=120,
                    )
            except httpx.TransportError:
                pass  # the server is killed under it

        thread = threading.Thread(target=post)
        thread.start()
        deadline = time.monotonic() + 60
        while not (mine := set(_upload_folders(server_dir)) - before):
            assert time.monotonic() < deadline, "the upload never reached its folder"
            time.sleep(0.02)
        (folder,) = mine
        assert folder.stat().st_mode & 0o777 == 0o700
        assert (server_dir / "tmp").stat().st_mode & 0o777 == 0o700
        proc.kill()
        proc.communicate()
        thread.join(30)
        assert folder.exists()  # left behind by the killed server
    finally:
        _stop(proc)
    proc = _serve(env, port)
    try:
        wait_for_serve(f"http://127.0.0.1:{port}/health", proc)
        assert not folder.exists()
    finally:
        _stop(proc)


# --------------------------------------------------------------------------- text

BAD_TEXT = {
    "a lone surrogate": ("name", "x\ud800y", "lone surrogate"),
    "a control character": ("name", "a\u0001b", "control character U+0001"),
    "a NUL": ("name", "a\u0000b", "control character U+0000"),
    "a line break in a name": ("name", "a\nb", "only in notes"),
    "an over-long name": ("name", "n" * (MAX_NAME_LENGTH + 1), f"at most {MAX_NAME_LENGTH}"),
    "an over-long note": ("note", "n" * 5001, "at most 5000"),
    "a control character in a theme": ("themes", ["ha\u0007te"], "control character U+0007"),
}


def _raw(body: dict[str, object]) -> bytes:
    """JSON as a client would send it, with \\ud800 escapes for lone surrogates."""
    return json.dumps(body, ensure_ascii=True).encode()


@pytest.mark.parametrize("case", list(BAD_TEXT), ids=list(BAD_TEXT))
def test_bad_text_is_refused_by_every_write(api: Api, case: str) -> None:
    field, value, reason = BAD_TEXT[case]
    as_json = {"Content-Type": "application/json"}
    new = {"id": "newbie", "name": "N", "kind": "cso", field: value}
    with api.client("editor") as c:
        attempts = {
            "POST": c.post("/api/actors", content=_raw(new), headers=as_json),
            "PUT": c.put(
                "/api/actors/leeds",
                content=_raw({"name": "Leeds", "kind": "city", field: value}),
                headers=as_json,
            ),
            "PATCH": c.patch("/api/actors/leeds", content=_raw({field: value}), headers=as_json),
            "upload": c.post(
                "/api/ingest",
                files={"file": ("x.json", _raw({"actors": [new]}), "application/json")},
            ),
        }
        for how, r in attempts.items():
            assert r.status_code == 422, (how, r.status_code, r.text[:500])
            assert reason in r.text, (how, r.text[:500])
            assert len(r.content) < 20_000, (how, len(r.content))  # no 1 MB echo
        assert c.get("/api/actors/newbie").status_code == 404
        leeds = c.get("/api/actors/leeds").json()
        assert leeds["name"] == "Leeds" and not leeds.get("note")


def test_an_over_long_id_is_refused(api: Api) -> None:
    long_id = "a" * (MAX_ID_LENGTH + 1)
    with api.client("editor") as c:
        r = c.post("/api/actors", json={"id": long_id, "name": "N", "kind": "cso"})
        assert r.status_code == 422, r.text
        doc = json.dumps({"actors": [{"id": long_id, "name": "N", "kind": "cso"}]})
        r = c.post("/api/ingest", files={"file": ("x.json", doc, "application/json")})
        assert r.status_code == 422 and f"at most {MAX_ID_LENGTH}" in r.text, r.text
        assert len(r.content) < 5_000


def test_a_lone_surrogate_anywhere_gives_422_not_500(api: Api) -> None:
    """Even where no model field takes it (a query parameter, an unknown field), the
    error body is sent."""
    with api.client("editor", headers={"Content-Type": "application/json"}) as c:
        r = c.post("/api/actors", content=b'{"id": "x", "kind": "cso", "n\\ud800": "y"}')
        assert r.status_code == 422, r.text
        assert "\\ud800" in r.json()["error"]["message"] + json.dumps(r.json())
        r = c.post("/api/query", content=b'{"cypher": "RETURN 1", "params": {"a": "\\udfff"}}')
        assert r.status_code != 500, r.text


def test_json_clients_send_typed_values(api: Api) -> None:
    """`true` is not a coordinate, `"yes"` not a boolean, a number not text (a JSON
    client sends typed values; spreadsheets keep their lenient readers)."""
    with api.client("editor") as c:
        for body in ({"lat": True, "lon": False}, {"grassroots": "yes"}, {"name": 12}):
            r = c.patch("/api/actors/leeds", json=body)
            assert r.status_code == 422, (body, r.text)
        leeds = c.get("/api/actors/leeds").json()
        assert leeds["lat"] == 53.8 and leeds["lon"] == -1.55
        assert c.patch("/api/actors/leeds", json={"lat": 54, "lon": -1.5}).status_code == 200
