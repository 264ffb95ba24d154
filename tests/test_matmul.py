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


def test_each_shape_is_timed_once_and_the_first_decision_is_kept(fresh_cache, monkeypatch):
    if matmul.choice() != "onednn":
        pytest.skip("torch.mm is the faster library here: every product goes to it, no shape is timed")
    (key, record), = json.loads(fresh_cache.read_text()).items()
    assert record["shapes"] == {}
    small = matmul.use_onednn(32, 64, 256)  # timed now, and written
    assert json.loads(fresh_cache.read_text())[key]["shapes"] == {"32x64x256": "onednn" if small else "torch"}
    # Another process decided otherwise for a shape first: that decision is the one used.
    other = "torch" if small else "onednn"
    fresh_cache.write_text(json.dumps({key: {**record, "shapes": {"32x64x256": other}}}))
    matmul._measured_choice.cache_clear()
    assert matmul.use_onednn(40, 64, 256) == (other == "onednn")  # 40 rows: the 32-row shape's decision
    # A large product is not timed (its output would add to a training step's peak memory): the
    # faster library takes it.
    assert matmul.use_onednn(matmul.LARGE_ROWS, 64, 256)
    assert set(json.loads(fresh_cache.read_text())[key]["shapes"]) == {"32x64x256"}
    monkeypatch.setenv(matmul.ENV, "onednn")  # forced: every product, whatever its shape
    assert matmul.use_onednn(1, 2, 3)
    monkeypatch.setenv(matmul.ENV, "torch")
    assert not matmul.use_onednn(2048, 1024, 1024)


def test_an_entry_of_an_earlier_version_is_not_read(fresh_cache, monkeypatch):
    threads = torch.get_num_threads()
    monkeypatch.setattr(matmul, "VERSION", 2)
    old_key = matmul.machine_key(threads)
    fresh_cache.parent.mkdir(parents=True)
    fresh_cache.write_text(json.dumps({old_key: {"choice": "torch", "gflops": {}, "onednn_from": None}}))
    monkeypatch.setattr(matmul, "VERSION", 3)
    matmul.choice()  # measures again: the version-2 entry has another key
    saved = json.loads(fresh_cache.read_text())
    assert set(saved) == {old_key, matmul.machine_key(threads)} and "shapes" in saved[matmul.machine_key(threads)]


def test_linear_takes_the_library_decided_for_its_shape(fresh_cache, monkeypatch):
    from textgen import linear

    if not linear.AVAILABLE:
        pytest.skip("this torch has no oneDNN")
    matmul.choice()
    (key, record), = json.loads(fresh_cache.read_text()).items()
    fresh_cache.write_text(json.dumps({key: {**record, "choice": "onednn",
                                             "shapes": {"4x10x10": "torch", "16x10x10": "onednn"}}}))
    matmul._measured_choice.cache_clear()
    calls = []
    monkeypatch.setattr(linear.OneDNNLinear, "apply", lambda *a: calls.append(a) or torch.nn.functional.linear(*a))
    w = torch.randn(10, 10)
    linear.linear(torch.randn(5, 10), w)  # 5 rows: the 4-row shape, torch.mm
    assert not calls
    linear.linear(torch.randn(2, 10, 10), w)  # 20 rows: the 16-row shape, oneDNN
    assert len(calls) == 1
