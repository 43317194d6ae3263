"""The vendored assets of the API's documentation pages are whole, licensed, shipped
and documented.

`tools/docs-assets/update.sh` vendors Swagger UI and ReDoc from npm at pinned
versions into api/static/docs and records every file's SHA-256 in SHA256SUMS and
the packages in VERSIONS. Here: the files match those sums (no hand edit, no
truncated copy), each package has its licence, the wheel's package-data patterns
take every file, and the versions the docs state are the vendored ones.
"""

from __future__ import annotations

import glob
import hashlib
import tomllib

import pytest

from api import docs_pages
from api.docs_pages import ASSETS
from tests.support.paths import ROOT


def _sums() -> dict[str, str]:
    lines = (ASSETS / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    return {name: digest for digest, name in (line.split(None, 1) for line in lines if line)}


def _versions() -> list[tuple[str, str, str]]:
    rows = (ASSETS / "VERSIONS").read_text(encoding="utf-8").splitlines()
    return [tuple(row.split()) for row in rows if row]  # type: ignore[misc]


def test_every_vendored_file_matches_its_recorded_sha256() -> None:
    sums = _sums()
    on_disk = {
        p.relative_to(ASSETS).as_posix()
        for p in ASSETS.rglob("*")
        if p.is_file() and p.name not in ("SHA256SUMS", "README.md")
    }
    assert on_disk == set(sums), on_disk ^ set(sums)
    for name, digest in sums.items():
        assert hashlib.sha256((ASSETS / name).read_bytes()).hexdigest() == digest, name


def test_the_pages_use_vendored_files() -> None:
    for name in (docs_pages.SWAGGER_JS, docs_pages.SWAGGER_CSS, docs_pages.REDOC_JS):
        assert (ASSETS / name).stat().st_size > 100_000, name
    assert (ASSETS / docs_pages.FAVICON).read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("folder", ["swagger-ui", "redoc"])
def test_each_package_keeps_its_licence(folder: str) -> None:
    assert "License" in (ASSETS / folder / "LICENSE").read_text(encoding="utf-8")
    assert folder in {d for d, _, _ in _versions()}


def test_the_wheel_ships_every_vendored_file() -> None:
    """setuptools takes package data only by the glob patterns in pyproject.toml."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["api"]
    package = ASSETS.parent.parent
    taken = {n for pat in patterns for n in glob.glob(pat, root_dir=package, recursive=True)}
    files = {p.relative_to(package).as_posix() for p in ASSETS.rglob("*") if p.is_file()}
    assert files - taken == set(), sorted(files - taken)


def test_the_docs_state_the_vendored_versions() -> None:
    """docs/api.md and the folder's README name each package at its vendored version;
    the update script pins the same."""
    api_md = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    readme = (ASSETS / "README.md").read_text(encoding="utf-8")
    script = (ROOT / "tools" / "docs-assets" / "update.sh").read_text(encoding="utf-8")
    for _, spec, integrity in _versions():
        package, version = spec.rsplit("@", 1)
        for text in (api_md, readme):
            assert f"{package} {version}" in text, (package, version)
        assert f"{spec} {integrity}" in script, spec
