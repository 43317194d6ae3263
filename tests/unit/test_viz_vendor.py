"""The vendored WebGL renderer is whole, licensed, pinned, shipped and documented.

`make viz-assets` (tools/viz-vendor/update.sh) copies sigma.js and graphology's
browser builds from the npm packages pinned in tools/viz-vendor/package-lock.json
into viz/static/vendor and records every file's SHA-256 in SHA256SUMS and the
packages in VERSIONS. Here: the files match those sums (no hand edit, no truncated
copy), each package has its MIT licence, the versions are the pinned ones, the
wheel's package-data patterns take every file, and nothing in them loads remotely.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import tomllib

from tests.support.paths import ROOT
from viz.webgl import VENDOR_SCRIPTS

VENDOR = ROOT / "viz" / "static" / "vendor"
PINS = ROOT / "tools" / "viz-vendor"


def _sums() -> dict[str, str]:
    lines = (VENDOR / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    return {name: digest for digest, name in (line.split(None, 1) for line in lines if line)}


def test_every_vendored_file_matches_its_recorded_sha256() -> None:
    sums = _sums()
    on_disk = {
        p.name
        for p in VENDOR.iterdir()
        if p.is_file() and p.name not in ("SHA256SUMS", "README.md")
    }
    assert on_disk == set(sums), on_disk ^ set(sums)
    for name, digest in sums.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name


def test_versions_are_the_pinned_ones_with_the_lock_files_integrity() -> None:
    wanted = json.loads((PINS / "package.json").read_text(encoding="utf-8"))["dependencies"]
    lock = json.loads((PINS / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    rows = [r.split() for r in (VENDOR / "VERSIONS").read_text(encoding="utf-8").splitlines() if r]
    assert {spec.rsplit("@", 1)[0] for spec, _i, _f in rows} == set(wanted)
    for spec, integrity, file in rows:
        name, version = spec.rsplit("@", 1)
        assert wanted[name] == version == lock[f"node_modules/{name}"]["version"]
        assert integrity == lock[f"node_modules/{name}"]["integrity"]
        assert f"vendor/{file}" in VENDOR_SCRIPTS
        licence = (VENDOR / f"{name}.LICENSE.txt").read_text(encoding="utf-8")
        assert "MIT" in licence or "Permission is hereby granted, free of charge" in licence


def test_the_builds_are_browser_builds_safe_to_inline() -> None:
    for name, glob in (("sigma.min.js", "Sigma"), ("graphology.umd.min.js", "graphology")):
        code = (VENDOR / name).read_text(encoding="utf-8")
        assert len(code) > 50_000 and f".{glob}=" in code, name  # the UMD global
        assert "</script" not in code.lower() and "sourceMappingURL" not in code, name


def test_the_wheel_ships_every_vendored_file() -> None:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = meta["tool"]["setuptools"]["package-data"]["viz"]
    for p in VENDOR.iterdir():
        rel = p.relative_to(ROOT / "viz").as_posix()
        assert any(fnmatch.fnmatch(rel, pat) for pat in patterns), rel


def test_the_readme_names_the_vendored_versions() -> None:
    readme = (VENDOR / "README.md").read_text(encoding="utf-8")
    for row in (VENDOR / "VERSIONS").read_text(encoding="utf-8").splitlines():
        name, version = row.split()[0].rsplit("@", 1)
        assert f"{name} {version}" in readme
