"""textgen.matmul: the faster fp32 library is measured once per machine, cached, and can be forced."""

from __future__ import annotations

import json

import pytest
import torch

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


def test_small_products_stay_on_torch_mm_below_the_measured_crossover(fresh_cache, monkeypatch):
    matmul.choice()  # measures and caches, crossover included
    (key, record), = json.loads(fresh_cache.read_text()).items()
    assert "onednn_from" in record
    if record["choice"] == "onednn":  # the crossover is one of the ladder's products, or None
        assert record["onednn_from"] in {r * i * o for r, i, o in matmul.LADDER} | {None}
    # As if measured so: oneDNN the faster library from 1M multiply-adds on.
    fresh_cache.write_text(json.dumps({key: {**record, "choice": "onednn", "onednn_from": 1 << 20}}))
    matmul._measured_choice.cache_clear()
    assert not matmul.use_onednn((1 << 20) - 1) and matmul.use_onednn(1 << 20)
    monkeypatch.setenv(matmul.ENV, "onednn")  # forced: every product, whatever its size
    assert matmul.use_onednn(1)
    monkeypatch.setenv(matmul.ENV, "torch")
    assert not matmul.use_onednn(1 << 30)


def test_an_entry_without_a_crossover_is_measured_again(fresh_cache):
    matmul.choice()
    (key, record), = json.loads(fresh_cache.read_text()).items()
    old = {k: v for k, v in record.items() if k != "onednn_from"}  # what an earlier version cached
    fresh_cache.write_text(json.dumps({key: old}))
    matmul._measured_choice.cache_clear()
    matmul.choice()
    assert "onednn_from" in json.loads(fresh_cache.read_text())[key]


def test_linear_takes_the_library_the_crossover_gives(fresh_cache, monkeypatch):
    from textgen import linear

    if not linear.AVAILABLE:
        pytest.skip("this torch has no oneDNN")
    matmul.choice()
    (key, record), = json.loads(fresh_cache.read_text()).items()
    fresh_cache.write_text(json.dumps({key: {**record, "choice": "onednn", "onednn_from": 1000}}))
    matmul._measured_choice.cache_clear()
    calls = []
    monkeypatch.setattr(linear.OneDNNLinear, "apply", lambda *a: calls.append(a) or torch.nn.functional.linear(*a))
    w = torch.randn(10, 10)
    linear.linear(torch.randn(5, 10), w)  # 500 multiply-adds: torch.mm
    assert not calls
    linear.linear(torch.randn(2, 10, 10), w)  # 2 x 10 rows x 10 x 10 = 2000: oneDNN
    assert len(calls) == 1
