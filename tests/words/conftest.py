"""Shared fixtures: a small corpus folder laid out as the corpus step writes it.

Fixtures rather than importable helpers: the project runs pytest with --import-mode=importlib.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

BOOKS = {
    "stone": ("The Stone", "Mr. Dursley didn't like owls. \"Spells,\" said Harry, looking at Uncle Vernon. "
              "Harry said nothing; Ron said nothing. The owls flew -- and Harry frog-marched Ron away! " * 3),
    "chamber": ("The Chamber", "Harry heard a voice. \"Spells?\" said Ron. Ron didn't answer Harry; "
                "the voice said nothing, and Dobby's ears drooped. " * 4),
    "azkaban": ("The Prisoner", "Sirius ran. Harry ran after Sirius, said Hermione, and the owls watched. " * 2),
}


def _make_corpus(root: Path, books: dict[str, tuple[str, str]]) -> Path:
    """Write texts/<id>.txt and manifest.json for `books` ({id: (title, text)}) under root."""
    (root / "texts").mkdir(parents=True)
    for work_id, (_, text) in books.items():
        (root / "texts" / f"{work_id}.txt").write_text(text, encoding="utf-8")
    manifest = {"name": "tiny", "works": [{"id": i, "title": t} for i, (t, _) in books.items()]}
    (root / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return root


@pytest.fixture
def books() -> dict[str, tuple[str, str]]:
    """The tiny corpus's books: {id: (title, text)}, in manifest order."""
    return BOOKS


@pytest.fixture
def make_corpus():
    """make_corpus(root, {id: (title, text)}) -> root, written as a corpus folder."""
    return _make_corpus


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return _make_corpus(tmp_path / "corpus", BOOKS)
