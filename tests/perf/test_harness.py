"""textgen.perf: the shared peak, timing and result shape of every benchmark (no timing is asserted)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from textgen import perf
from textgen.errors import TextgenError

SHAPE = {"family", "command", "settings", "threads", "torch", "python", "cpu", "cores", "malloc",
         "matmul_peak_gflops", "matmul_gflops", "load_average", "other_cores_busy", "contended",
         "wall_seconds", "flops_note", "rows", "timings", "targets"}


def test_matmul_peak_is_the_fastest_library():
    rates = perf.matmul_gflops(n=128, repeats=2, threads=1)
    assert "torch.mm" in rates and all(r > 0 for r in rates.values())
    assert perf.matmul_peak_gflops(n=128, repeats=2, threads=1) > 0


class FakeClock:
    """perf_counter that advances by each step's given duration, so the best run is known."""

    def __init__(self, durations):
        self.now, self.durations = 0.0, iter(durations)

    def __call__(self):
        return self.now

    def step(self):
        self.now += next(self.durations)


def test_best_rate_takes_the_fastest_run_after_the_warmup(monkeypatch):
    clock = FakeClock([100.0, 3.0, 3.0, 1.0, 2.0, 5.0, 5.0])  # warmup, then 3 runs of 2 steps: 6, 3, 10 s
    monkeypatch.setattr(perf.time, "perf_counter", clock)
    assert perf.best_rate(clock.step, tokens_per_step=30, steps=2, repeats=3, warmup=1) == 2 * 30 / 3.0


def test_best_seconds_skips_the_first_call(monkeypatch):
    clock = FakeClock([0.1, 0.5, 0.3, 0.4])
    monkeypatch.setattr(perf.time, "perf_counter", clock)
    assert perf.best_seconds(clock.step, repeats=3) == pytest.approx(0.3)


@pytest.mark.parametrize("steps, repeats, warmup", [(0, 1, 0), (1, 0, 0), (1, 1, -1)])
def test_best_rate_refuses_empty_runs(steps, repeats, warmup):
    with pytest.raises(TextgenError, match="steps and repeats"):
        perf.best_rate(lambda: None, 1, steps, repeats, warmup)


def test_targets_say_met_or_not():
    assert perf.target("peak", 0.79, ">=", 0.8, "fraction")["met"] is False
    assert perf.target("peak", 0.8, ">=", 0.8, "fraction")["met"] is True
    assert perf.target("write", 0.07, "<=", 0.0685, "s")["met"] is False
    with pytest.raises(TextgenError, match="op must be"):
        perf.target("peak", 1.0, ">", 0.8, "fraction")
    with pytest.raises(TextgenError, match="unit must be"):
        perf.target("peak", 1.0, ">=", 0.8, "percent")


@dataclasses.dataclass
class Knobs:
    steps: int = 2
    lr: float = 0.1
    kinds: list = dataclasses.field(default_factory=lambda: ["a"])


def test_read_settings_fills_defaults_and_names_bad_keys():
    assert perf.read_settings(Knobs, None) == Knobs()
    assert perf.read_settings(Knobs, '{"lr": 1, "kinds": ["b"]}') == Knobs(lr=1, kinds=["b"])
    with pytest.raises(TextgenError, match="unknown key 'step'"):
        perf.read_settings(Knobs, '{"step": 3}')
    with pytest.raises(TextgenError, match="steps must be like 2, got 2.5"):
        perf.read_settings(Knobs, '{"steps": 2.5}')
    with pytest.raises(TextgenError, match="steps must be like 2, got True"):
        perf.read_settings(Knobs, '{"steps": true}')
    with pytest.raises(TextgenError, match="not JSON"):
        perf.read_settings(Knobs, "{steps: 2}")


def test_result_has_the_shared_shape(monkeypatch):
    rates = iter([{"torch.mm": 100.0, "oneDNN": 110.0}, {"torch.mm": 90.0, "oneDNN": 125.0}])  # before, after
    monkeypatch.setattr(perf, "matmul_gflops", lambda *a, **k: next(rates))
    bench = perf.Bench("demo", ["--threads", "1", "--params", '{"steps": 2}', "--out", "x y.json"], Knobs(), threads=1)
    bench.throughput("m", tokens_per_s=1000.0, flops_per_token=5e7, config="tiny")
    bench.timing("write, m", 0.25, model="m")
    result = bench.result("2 per multiply-add")
    assert set(result) == SHAPE
    assert result["command"] == "textgen bench-demo --threads 1 --params '{\"steps\": 2}' --out 'x y.json'"
    assert result["settings"] == {"steps": 2, "lr": 0.1, "kinds": ["a"]}
    assert result["matmul_peak_gflops"] == 125.0 and result["matmul_gflops"] == {"torch.mm": 100.0, "oneDNN": 125.0}
    assert result["rows"] == [{"name": "m", "tokens_per_s": 1000.0, "flops_per_token": 5e7, "gflops": 50.0,
                               "config": "tiny", "peak_fraction": 0.4, "mm_fraction": 0.5}]
    assert result["timings"] == [{"name": "write, m", "seconds": 0.25, "model": "m"}]
    assert result["targets"] == [] and result["flops_note"] == "2 per multiply-add"
    assert result["other_cores_busy"] is None or result["other_cores_busy"] >= 0


def probe_environment(arguments: dict, threads: int) -> dict:
    """A stock-run probe that reports the process it ran in."""
    import os

    import torch

    torch.set_num_threads(threads)
    return {"malloc": os.environ.get("GLIBC_TUNABLES"), "threads": torch.get_num_threads(), "echo": arguments}


def test_the_stock_run_is_a_child_on_glibc_default_malloc(monkeypatch):
    from textgen import perf

    monkeypatch.setenv("GLIBC_TUNABLES", "glibc.malloc.mmap_max=0")  # as under textgen's own settings
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).parent))  # where the child finds this module
    got = perf.stock_run("test_harness:probe_environment", {"x": 1}, threads=1)
    assert got == {"malloc": None, "threads": 1, "echo": {"x": 1}}
    with pytest.raises(TextgenError, match="stock-layer probe test_harness:nothing failed"):
        perf.stock_run("test_harness:nothing", {}, threads=1)
