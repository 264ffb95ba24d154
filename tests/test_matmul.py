"""textgen.matmul: the faster fp32 library is measured once per machine, cached, and can be forced."""

from __future__ import annotations

import json

import pytest

from textgen import matmul
from textgen.errors import TextgenError


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv(matmul.ENV, raising=False)
    matmul._measured_choice.cache_clear()
    yield tmp_path / "textgen" / "matmul.json"
    matmul._measured_choice.cache_clear()


def test_measured_once_then_read_from_the_cache(fresh_cache):
    first = matmul.choice()
    entry = json.loads(fresh_cache.read_text())
    (key, record), = entry.items()
    assert record["choice"] == first and set(record["gflops"]) == {"onednn", "torch"}
    assert record["gflops"][first] == max(record["gflops"].values())  # the faster one, as measured
    other = "torch" if first == "onednn" else "onednn"
    fresh_cache.write_text(json.dumps({key: {**record, "choice": other}}))  # as if measured so before
    matmul._measured_choice.cache_clear()
    assert matmul.choice() == other  # the cache, not a new measurement, decides


def test_forced_by_the_environment(fresh_cache, monkeypatch):
    monkeypatch.setenv(matmul.ENV, "torch")
    assert matmul.choice() == "torch" and not matmul.onednn()
    assert not fresh_cache.exists()  # nothing measured
    monkeypatch.setenv(matmul.ENV, "blas")
    with pytest.raises(TextgenError, match="TEXTGEN_MATMUL='blas': expected one of onednn, torch"):
        matmul.choice()
