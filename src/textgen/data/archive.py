"""Read files out of fetched package archives (.deb, sdist tarball, wheel) without unpacking them.

Members are read into memory: the archives here are a few MB, and nothing half-extracted is ever
left on disk. Paths are returned as stored in the archive, without a leading "./".

>>> import io, tarfile, tempfile
>>> path = Path(tempfile.mkdtemp()) / "pkg-1.0.tar.gz"
>>> with tarfile.open(path, "w:gz") as tar:
...     info = tarfile.TarInfo("pkg-1.0/data/a.txt"); info.size = 2
...     tar.addfile(info, io.BytesIO(b"hi"))
>>> read_members(path, lambda p: p.endswith(".txt"), "corpus 'x'")
{'pkg-1.0/data/a.txt': b'hi'}
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from textgen.errors import TextgenError

TAR_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz")
ZIP_SUFFIXES = (".whl", ".zip")


def read_members(archive: Path, wanted: Callable[[str], bool], where: str) -> dict[str, bytes]:
    """Regular files of `archive` whose path `wanted` accepts, as {path: bytes}, sorted by path."""
    name = archive.name.lower()
    if name.endswith(".deb"):
        found = _from_tar(io.BytesIO(_deb_data_tar(archive, where)), wanted)
    elif name.endswith(TAR_SUFFIXES):
        with open(archive, "rb") as f:
            found = _from_tar(f, wanted)
    elif name.endswith(ZIP_SUFFIXES):
        with zipfile.ZipFile(archive) as zf:
            found = {i.filename: zf.read(i) for i in zf.infolist() if not i.is_dir() and wanted(i.filename)}
    else:
        raise TextgenError(f"{where}: {archive.name}: unknown archive type "
                           f"(expected .deb, {', '.join(TAR_SUFFIXES + ZIP_SUFFIXES)})")
    return dict(sorted(found.items()))


def _from_tar(fileobj, wanted: Callable[[str], bool]) -> dict[str, bytes]:
    found = {}
    with tarfile.open(fileobj=fileobj, mode="r:*") as tar:
        for member in tar:
            path = member.name.removeprefix("./").lstrip("/")
            if member.isfile() and wanted(path):
                found[path] = tar.extractfile(member).read()
    return found


def _deb_data_tar(deb: Path, where: str) -> bytes:
    # dpkg-deb knows every data.tar compression Debian uses (xz, zstd, gzip), Python's tarfile
    # does not know zstd; --fsys-tarfile hands us the plain tar whatever the compression.
    try:
        done = subprocess.run(["dpkg-deb", "--fsys-tarfile", str(deb)], capture_output=True, check=False)
    except FileNotFoundError:
        raise TextgenError(f"{where}: dpkg-deb not found; it is needed to read {deb.name} (install dpkg)") from None
    if done.returncode != 0:
        reason = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["no message"]
        raise TextgenError(f"{where}: dpkg-deb --fsys-tarfile {deb.name} failed: {reason[0]}")
    return done.stdout
