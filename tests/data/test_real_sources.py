"""The real Jane Austen package, fetched from Debian: the numbers DATA_SOURCES.md promises.

Needs the Debian archive (apt-get download), so it runs only with `-m network` or
TEXTGEN_NETWORK_TESTS=1 (see conftest.py); about 3 seconds.
"""

import pytest

from textgen.data.extract import prepare_corpus
from textgen.data.fetch import fetch_source

AUSTEN_WORDS = 717_000  # DATA_SOURCES.md; measured 717,537 on 2026-11-22


@pytest.mark.network
def test_janeaustenr_from_debian(tmp_path):
    source = {"kind": "debian", "packages": {"r-cran-janeaustenr": "1.0.0-1"}}
    fetch_source("austen", source, tmp_path / "raw")
    manifest = prepare_corpus("austen", "janeaustenr", tmp_path / "raw", tmp_path / "out", {})
    assert [w["id"] for w in manifest["works"]] == ["emma", "mansfield_park", "northanger_abbey", "persuasion",
                                                    "pride_and_prejudice", "sense_and_sensibility"]
    assert abs(manifest["totals"]["words"] - AUSTEN_WORDS) <= 0.02 * AUSTEN_WORDS
    pride = (tmp_path / "out" / "texts" / "pride_and_prejudice.txt").read_text(encoding="utf-8")
    assert "It is a truth universally acknowledged" in pride
