"""A fetched source folder (what `textgen fetch` wrote), checked before anything reads it.

>>> import tempfile
>>> from textgen.data.fetch import fetch_source
>>> tmp = Path(tempfile.mkdtemp()); _ = (tmp / "book.txt").write_text("Text")
>>> _ = fetch_source("demo", {"kind": "file", "path": str(tmp / "book.txt")}, tmp / "raw")
>>> raw = RawSource.load("demo", tmp / "raw")
>>> raw.single(".txt").name, raw.where("book.txt")
('book.txt', "corpus 'demo': file book.txt")
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from textgen.data.archive import read_members
from textgen.data.fetch import FETCH_JSON
from textgen.errors import TextgenError
from textgen.io import read_json, sha256_file


@dataclass(frozen=True)
class RawSource:
    corpus: str
    folder: Path
    info: dict  # the folder's fetch.json

    @classmethod
    def load(cls, corpus: str, folder: Path) -> RawSource:
        """Read fetch.json and check every fetched file is there with the recorded sha256."""
        folder = Path(folder)
        if not (folder / FETCH_JSON).is_file():
            raise TextgenError(f"corpus '{corpus}': {folder / FETCH_JSON} is missing (run textgen fetch first)")
        raw = cls(corpus, folder, read_json(folder / FETCH_JSON))
        for file in raw.file_records():
            path = folder / file["name"]
            if not path.is_file():
                raise TextgenError(f"{raw.where(file['name'])}: listed in {FETCH_JSON} but missing")
            if sha256_file(path) != file["sha256"]:
                raise TextgenError(f"{raw.where(file['name'])}: sha256 differs from {FETCH_JSON} (changed since fetch)")
        return raw

    def file_records(self) -> list[dict]:
        return [file for source in self.info["sources"] for file in source["files"]]

    def files(self, *suffixes: str) -> list[Path]:
        """Fetched files, optionally only those whose name ends with one of `suffixes`."""
        names = [f["name"] for f in self.file_records()]
        return [self.folder / n for n in sorted(names) if not suffixes or n.lower().endswith(suffixes)]

    def single(self, *suffixes: str) -> Path:
        """The one fetched file with one of `suffixes`; an error if there are none or several."""
        found = self.files(*suffixes)
        if len(found) != 1:
            raise TextgenError(f"{self.where()}: expected one fetched {' or '.join(suffixes)} file in "
                               f"{self.folder}, found {len(found)}")
        return found[0]

    def members(self, archive: Path, wanted: Callable[[str], bool]) -> dict[str, bytes]:
        return read_members(archive, wanted, self.where(archive.name))

    def where(self, path: str | None = None) -> str:
        """The prefix of every message about this source: corpus, then file."""
        return f"corpus '{self.corpus}'" + (f": file {path}" if path else "")
