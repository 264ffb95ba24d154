"""Performance measurements: the harness behind every `textgen bench-<family>` (lstm, bpe, gpt,
translate, finetune), and the malloc comparison behind `textgen.allocator` (`textgen bench-allocator`).

Each family measures in its own package (`textgen.<family>.bench`); this module gives them one
denominator and one result shape. A `Bench` measures the machine's fp32 matmul peak in the same
process and thread count as the work (`matmul_gflops`, before and after it, best kept), watches
how much CPU other processes took meanwhile, and collects rows; timings are the best of a few
repeats (`best_rate`, `best_seconds`): on a shared machine the least disturbed run is the truest.
Every family writes one JSON file of this shape (`Bench.result`):

    {"family": "gpt",
     "command": "textgen bench-gpt --threads 2 --params '{...}' --out results/perf/gpt.json",
     "settings": {...},                 # the knobs it ran with, defaults filled in
     "threads": 2, "torch": "2.13.0", "cpu": "...", "cores": 2, "malloc": "glibc.malloc...",
     "matmul_peak_gflops": 465.2,       # the fastest of matmul_gflops: the denominator of % of peak
     "matmul_gflops": {"torch.mm": 213.0, "oneDNN": 465.2},  # best 2048 x 2048 fp32 product per library
     "load_average": 0.4,               # 1-minute load when it started
     "other_cores_busy": 0.05,          # cores other processes kept busy while it ran
     "contended": false,                # other_cores_busy > CONTENDED x cores: numbers mean little
     "flops_note": "how this family counts FLOPs",
     "rows": [{"name": "GPT", "config": "4 layers, ...", "tokens_per_s": 4941.0,
               "flops_per_token": 3.4e7, "gflops": 168.0, "peak_fraction": 0.36, "mm_fraction": 0.79, ...}],
     "timings": [{"name": "write, simple", "seconds": 0.021, ...}],
     "targets": [{"what": "GPT training, share of the matmul peak", "measured": 0.36, "op": ">=",
                  "required": 0.8, "unit": "fraction", "met": false}, ...]}

`rows` are training throughputs (FLOPs are matrix-multiply FLOPs, 2 per multiply-add, forward and
backward: each family's flops_note says what it counts); `timings` are wall times (decoding, evaluation, BPE);
`targets` are the issues' numbers, present only when the run used the configuration an issue names.

>>> t = target("write, simple", measured=0.05, op="<=", required=0.0685, unit="s")
>>> t["met"], t["op"]
(True, '<=')
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import resource
import shlex
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any, TypeVar

from textgen.allocator import OPT_OUT, tuned_environment
from textgen.errors import TextgenError
from textgen.training import use_threads

PEAK_N = 2048  # matrix size of the peak measurement: large enough for the best GEMM kernels
PEAK_REPEATS = 5  # products per peak measurement (one before the work, one after)
CONTENDED = 0.25  # share of the cores other processes may use before a run is flagged
UNITS = ("fraction", "s", "x")  # how a target is shown: a share (as %), seconds, a ratio


def matmul_gflops(n: int = PEAK_N, repeats: int = PEAK_REPEATS, threads: int | None = None) -> dict[str, float]:
    """Best fp32 GFLOP/s (2 n^3 FLOPs per product) of an n x n matrix product through each GEMM
    library torch ships: `torch.mm` (MKL or OpenBLAS, what nn.Linear and most layers call) and oneDNN
    (mkldnn tensors; what nn.LSTM runs on), where torch has it. They can differ by 2x: on AMD CPUs
    with AVX-512, MKL's sgemm takes its AVX2 path while oneDNN uses the full vector width, at
    fp32 accuracy either way.

    >>> "torch.mm" in matmul_gflops(n=64, repeats=2)
    True
    """
    import torch

    if threads:
        torch.set_num_threads(threads)
    g = torch.Generator().manual_seed(0)
    a, b, out = torch.randn(n, n, generator=g), torch.randn(n, n, generator=g), torch.empty(n, n)
    products = {"torch.mm": lambda: torch.mm(a, b, out=out)}
    if torch.backends.mkldnn.is_available():
        a_dnn, b_dnn = a.to_mkldnn(), b.to_mkldnn()
        products["oneDNN"] = lambda: torch.ops.aten.mkldnn_linear(a_dnn, b_dnn)  # a @ b.T
    rates = {}
    for library, product in products.items():
        product()  # warm up: thread pool, caches, kernel choice
        best = float("inf")
        for _ in range(repeats):
            start = time.perf_counter()
            product()
            best = min(best, time.perf_counter() - start)
        rates[library] = 2 * n**3 / best / 1e9
    return rates


def matmul_peak_gflops(n: int = PEAK_N, repeats: int = PEAK_REPEATS, threads: int | None = None) -> float:
    """The machine's fp32 matmul peak: the fastest library's rate (the denominator of every "% of peak").

    >>> matmul_peak_gflops(n=64, repeats=2) > 0
    True
    """
    return max(matmul_gflops(n, repeats, threads).values())


def best_rate(step: Callable[[], object], tokens_per_step: int, steps: int, repeats: int, warmup: int) -> float:
    """Tokens/s of the fastest of `repeats` timed runs of `steps` calls of `step`, after `warmup`
    untimed calls (first-touch memory and lazy initialisation are not per-step costs).

    >>> best_rate(lambda: None, tokens_per_step=10, steps=2, repeats=2, warmup=0) > 0
    True
    """
    if steps < 1 or repeats < 1 or warmup < 0:
        raise TextgenError(f"steps and repeats must be >= 1 and warmup >= 0, got {steps}, {repeats}, {warmup}")
    for _ in range(warmup):
        step()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(steps):
            step()
        best = min(best, time.perf_counter() - start)
    return steps * tokens_per_step / best


# The operators that compute matrix products (forward and backward) on CPU: torch.mm's family,
# oneDNN's linear (textgen.linear) and RNN layers (nn.LSTM), and fused attention.
PRODUCT_OPS = ("aten::mm", "aten::addmm", "aten::bmm", "aten::baddbmm", "aten::_addmm_activation",
               "mkldnn::_linear_pointwise", "aten::mkldnn_rnn_layer", "aten::mkldnn_rnn_layer_backward",
               "aten::_scaled_dot_product_flash_attention_for_cpu",
               "aten::_scaled_dot_product_flash_attention_for_cpu_backward")


def product_time_share(step: Callable[[], object], steps: int = 1) -> float:
    """The share of `steps` calls of `step`'s CPU time spent inside matrix-product operators
    (PRODUCT_OPS, their own time), by torch's profiler, after one unprofiled call. A training
    step's share of the peak is this share times the products' own rate while they run: what
    the rest of the step (elementwise work, softmax, the optimizer) costs is what keeps it
    below the products' rate. The profiler's own cost per operator counts against the rest, so
    the share is a lower bound."""
    from torch.profiler import ProfilerActivity, profile

    step()
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        for _ in range(steps):
            step()
    events = prof.key_averages()
    total = sum(e.self_cpu_time_total for e in events)
    products = sum(e.self_cpu_time_total for e in events if e.key in PRODUCT_OPS)
    return products / total if total else 0.0


def best_seconds(run: Callable[[], object], repeats: int) -> float:
    """Wall time of the fastest of `repeats` calls of `run`, after one untimed call."""
    if repeats < 1:
        raise TextgenError(f"repeats must be >= 1, got {repeats}")
    run()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


STOCK_TARGET = 1.4  # issue 12: each model's training step >= 1.4x the same model on stock layers and malloc
STOCK_DECODING_TARGET = 2.0  # issue 12: write / write_better >= 2x the listing's way of decoding


def stock_layers(model):
    """A copy of `model` built from stock torch layers: every `textgen.linear.Linear` an nn.Linear
    and every `textgen.lstm.cell.LSTM` an nn.LSTM, with the same weights (they are drop-in
    subclasses, so the copy's modules only change class). This is the model as the listings'
    code would build it.

    >>> import torch
    >>> from textgen.linear import Linear
    >>> model = torch.nn.Sequential(Linear(3, 2), torch.nn.ReLU())
    >>> stock = stock_layers(model)
    >>> type(stock[0]) is torch.nn.Linear, type(model[0]) is Linear
    (True, True)
    >>> torch.equal(stock[0].weight, model[0].weight)
    True
    """
    import copy

    from torch import nn

    from textgen.linear import Linear
    from textgen.lstm.cell import LSTM

    stock = copy.deepcopy(model)
    for module in stock.modules():
        if isinstance(module, Linear):
            module.__class__ = nn.Linear
        elif isinstance(module, LSTM):
            module.__class__ = nn.LSTM
    return stock


def stock_run(probe: str, arguments: dict[str, Any], threads: int) -> dict[str, Any]:
    """What `probe` ("module:function", called with `arguments` and `threads`; it builds each model
    with `stock_layers` and times it as the benchmark timed textgen's) returns, run in a child
    process on glibc's default malloc. glibc reads its malloc tunables once, when a process
    starts, so the stock run cannot share the benchmark's process; it runs in the same benchmark
    run, right after textgen's, on the same threads."""
    module, function = probe.split(":")
    env = {**os.environ, OPT_OUT: "default"}
    env.pop("GLIBC_TUNABLES", None)
    code = (f"import json, sys; from {module} import {function}; "
            f"print(json.dumps({function}(json.loads(sys.argv[1]), {int(threads)})))")
    done = subprocess.run([sys.executable, "-c", code, json.dumps(arguments)], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise TextgenError(f"the stock-layer probe {probe} failed (exit {done.returncode}): {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def stock_targets(rows: list[dict[str, Any]], required: float = STOCK_TARGET) -> list[dict[str, Any]]:
    """Issue 12's side-by-side target for every training row with a stock-layer rate.

    >>> [t["met"] for t in stock_targets([{"name": "GPT", "tokens_per_s": 3.0, "stock_tokens_per_s": 2.0}])]
    [True]
    """
    return [target(f"{row['name']}: training, vs the same model on stock torch layers and glibc's default malloc",
                   row["tokens_per_s"] / row["stock_tokens_per_s"], ">=", required, "x")
            for row in rows if row.get("stock_tokens_per_s")]


def target(what: str, measured: float, op: str, required: float, unit: str) -> dict[str, Any]:
    """One of an issue's numbers next to what was measured; `op` is ">=" or "<=" (measured op required)."""
    if op not in (">=", "<="):
        raise TextgenError(f"target {what!r}: op must be '>=' or '<=', got {op!r}")
    if unit not in UNITS:
        raise TextgenError(f"target {what!r}: unit must be one of {UNITS}, got {unit!r}")
    met = measured >= required if op == ">=" else measured <= required
    return {"what": what, "measured": measured, "op": op, "required": required, "unit": unit, "met": met}


def peak_targets(what: str, row: dict[str, Any], required: float) -> list[dict[str, Any]]:
    """An issue's share-of-peak target for a training row, checked against two denominators: the
    machine's peak (the fastest library's rate: oneDNN here), and torch.mm's rate, which is the
    peak the issues measured their numbers against (DESIGN.md's "about 195 GFLOP/s"; the listing
    code's "44-58% of peak" are shares of it).

    >>> [t["met"] for t in peak_targets("GPT training", {"peak_fraction": 0.6, "mm_fraction": 1.3}, 0.8)]
    [False, True]
    """
    return [target(f"{what}, share of the matmul peak", row["peak_fraction"], ">=", required, "fraction"),
            target(f"{what}, share of torch.mm's rate (the issue's peak)", row["mm_fraction"], ">=", required,
                   "fraction")]


Settings = TypeVar("Settings")


def read_settings(cls: type[Settings], text: str | None, flag: str = "--params") -> Settings:
    """A family's settings dataclass from its params.yaml block (JSON); missing keys keep their
    defaults, an unknown key or a wrong type is an error naming it.

    >>> @dataclasses.dataclass
    ... class S:
    ...     steps: int = 2
    >>> read_settings(S, '{"steps": 3}').steps
    3
    >>> read_settings(S, '{"step": 3}')
    Traceback (most recent call last):
    ...
    textgen.errors.TextgenError: --params: unknown key 'step' (known: steps)
    """
    try:
        values = json.loads(text) if text else {}
    except json.JSONDecodeError as err:
        raise TextgenError(f"{flag}: not JSON ({err})") from None
    if not isinstance(values, dict):
        raise TextgenError(f"{flag}: expected a JSON object, got {type(values).__name__}")
    fields = {f.name: f for f in dataclasses.fields(cls)}
    for key, value in values.items():
        if key not in fields:
            raise TextgenError(f"{flag}: unknown key {key!r} (known: {', '.join(fields)})")
        default = getattr(cls(), key)
        if not _same_kind(value, default):
            raise TextgenError(f"{flag}: {key} must be like {default!r}, got {value!r}")
    return cls(**values)


def _same_kind(value: Any, default: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float))
    return isinstance(value, type(default))


def bench_parser(family: str, description: str) -> argparse.ArgumentParser:
    """The arguments every `textgen bench-<family>` takes: --threads, --params JSON, --out JSON."""
    parser = argparse.ArgumentParser(prog=f"textgen bench-{family}", description=description)
    parser.add_argument("--threads", type=int, default=2, help="torch threads (the pipeline: all cores)")
    parser.add_argument("--params", help=f"perf.{family} as a JSON object (sizes, steps, repeats)")
    parser.add_argument("--out", required=True, help="result file (JSON)")
    return parser


class Bench:
    """One benchmark run: the peak, the rows and timings it collects, and the machine around it.

    >>> bench = Bench("demo", ["--threads", "1"], settings={}, threads=1, peak_n=64)
    >>> row = bench.throughput("tiny", tokens_per_s=100.0, flops_per_token=1e6)
    demo: tiny: 100 tokens/s, 0.1 GFLOP/s
    >>> result = bench.result(flops_note="made up")
    >>> result["rows"][0]["gflops"], result["rows"][0]["peak_fraction"] > 0
    (0.1, True)
    """

    def __init__(self, family: str, argv: list[str], settings: Any, threads: int, peak_n: int | None = None) -> None:
        use_threads(threads)
        self.family, self.threads, self.peak_n = family, threads, peak_n or PEAK_N
        self.command = shlex.join(["textgen", f"bench-{family}", *argv])
        self.settings = dataclasses.asdict(settings) if dataclasses.is_dataclass(settings) else settings
        self.load_average = os.getloadavg()[0]
        self.rows: list[dict[str, Any]] = []
        self.timings: list[dict[str, Any]] = []
        self._busy_start, self._own_start, self._wall_start = _machine_busy(), _own_cpu(), time.perf_counter()
        self._rates = [matmul_gflops(self.peak_n, threads=threads)]

    def throughput(self, name: str, tokens_per_s: float, flops_per_token: float, **extra: Any) -> dict[str, Any]:
        """Add a training row; its share of the peak is filled in by `result`."""
        row = {"name": name, "tokens_per_s": tokens_per_s, "flops_per_token": flops_per_token,
               "gflops": tokens_per_s * flops_per_token / 1e9, **extra}
        self.rows.append(row)
        print(f"{self.family}: {name}: {tokens_per_s:,.0f} tokens/s, {row['gflops']:.1f} GFLOP/s", flush=True)
        return row

    def timing(self, name: str, seconds: float, **extra: Any) -> dict[str, Any]:
        """Add a wall time (the best of its repeats)."""
        row = {"name": name, "seconds": seconds, **extra}
        self.timings.append(row)
        print(f"{self.family}: {name}: {seconds:.4f} s", flush=True)
        return row

    @property
    def peak_before(self) -> float:
        """The peak measured before the work, GFLOP/s: what the work can plan with (`textgen estimate`)."""
        return max(self._rates[0].values())

    def matmul_rates(self) -> dict[str, float]:
        """Each library's best rate, before and after the work (the first call after it measures again)."""
        if len(self._rates) == 1:
            self._rates.append(matmul_gflops(self.peak_n, threads=self.threads))
        return {library: max(r[library] for r in self._rates) for library in self._rates[0]}

    def result(self, flops_note: str) -> dict[str, Any]:
        """The JSON of the module docstring, targets empty for the family to fill (call it after the
        work: the second peak measurement follows it)."""
        import torch

        rates = self.matmul_rates()
        peak = max(rates.values())
        for row in self.rows:
            row["peak_fraction"] = row["gflops"] / peak
            row["mm_fraction"] = row["gflops"] / rates["torch.mm"]
        wall = time.perf_counter() - self._wall_start
        busy = _machine_busy()
        other = None
        if busy is not None and self._busy_start is not None:
            other = max(0.0, (busy - self._busy_start - (_own_cpu() - self._own_start)) / wall)
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
        return {
            "family": self.family, "command": self.command, "settings": self.settings,
            "threads": self.threads, "torch": torch.__version__, "python": platform.python_version(),
            "cpu": cpu_name(), "cores": cores, "malloc": os.environ.get("GLIBC_TUNABLES", "glibc default"),
            "matmul_peak_gflops": peak, "matmul_gflops": rates, "load_average": self.load_average,
            "other_cores_busy": other, "contended": other is not None and other > CONTENDED * cores,
            "wall_seconds": wall, "flops_note": flops_note, "rows": self.rows, "timings": self.timings,
            "targets": [],
        }


def cpu_name() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def cpu_kind() -> str:
    """The CPU's widest x86 vector extension, which decides which matrix library is faster here:
    'avx512f', 'avx2', or 'no avx2' (another architecture, or an older x86)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            flags = next((line.split(":", 1)[1].split() for line in f if line.startswith("flags")), [])
    except OSError:
        flags = []
    return next((kind for kind in ("avx512f", "avx2") if kind in flags), "no avx2")


def _machine_busy() -> float | None:
    """CPU seconds the whole machine has spent busy since boot (Linux /proc/stat), else None."""
    try:
        with open("/proc/stat", encoding="utf-8") as f:
            fields = [int(v) for v in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    guest = sum(fields[8:10]) if len(fields) > 9 else 0  # already counted in user and nice
    return (sum(fields) - idle - guest) / os.sysconf("SC_CLK_TCK")


def _own_cpu() -> float:
    """CPU seconds of this process and of the children it waited for (the stock-layer probe)."""
    return sum(u.ru_utime + u.ru_stime for u in (resource.getrusage(resource.RUSAGE_SELF),
                                                  resource.getrusage(resource.RUSAGE_CHILDREN)))


def write_result(path: str, result: dict[str, Any]) -> None:
    from textgen.io import write_json

    write_json(path, result)
    print(f"{result['family']}: peak {result['matmul_peak_gflops']:.0f} GFLOP/s on {result['threads']} threads; "
          f"other processes kept {result['other_cores_busy'] or 0:.2f} cores busy -> {path}")


def _training_probe(steps: int, threads: int) -> dict:
    """Train a small word LSTM (the shape of seed 000's Figure 13 model) and count page faults."""
    import torch

    torch.manual_seed(0)
    torch.set_num_threads(threads)
    vocab, batch, seq = 6916, 64, 20
    embed = torch.nn.Embedding(vocab, 128)
    lstm = torch.nn.LSTM(128, 256, num_layers=2, batch_first=True)
    head = torch.nn.Linear(256, vocab)
    params = [*embed.parameters(), *lstm.parameters(), *head.parameters()]
    optimizer = torch.optim.AdamW(params, lr=3e-3)
    data = torch.randint(0, vocab, (steps + 2, batch, seq + 1))

    def step(i: int) -> None:
        x, y = data[i, :, :-1], data[i, :, 1:]
        logits = head(lstm(embed(x))[0])
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, vocab), y.reshape(-1))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()

    step(0)  # warm up: first-touch faults and lazy initialisation are not per-step costs
    faults_before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    start = time.perf_counter()
    for i in range(1, steps + 1):
        step(i)
    seconds = time.perf_counter() - start
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults_before
    return {"tokens_per_s": steps * batch * seq / seconds, "page_faults_per_step": faults / steps}


def allocator_comparison(steps: int = 30, threads: int = 2) -> dict:
    """Run the same training probe in two fresh processes: glibc defaults vs textgen's tunables."""
    results = {}
    for label, env in (("glibc default", {**os.environ, OPT_OUT: "default"}), ("textgen tunables", tuned_environment())):
        if label == "glibc default":
            env.pop("GLIBC_TUNABLES", None)
        code = f"import json; from textgen.perf import _training_probe; print(json.dumps(_training_probe({steps}, {threads})))"
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        results[label] = json.loads(out.stdout.strip().splitlines()[-1])
    results["speedup"] = results["textgen tunables"]["tokens_per_s"] / results["glibc default"]["tokens_per_s"]
    return results


def main_bench_allocator(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="textgen bench-allocator", description=allocator_comparison.__doc__)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", help="also write the result as JSON here")
    args = parser.parse_args(argv)
    results = allocator_comparison(args.steps, args.threads)
    for label in ("glibc default", "textgen tunables"):
        r = results[label]
        print(f"{label:>17}: {r['tokens_per_s']:8.0f} tokens/s, {r['page_faults_per_step']:9.0f} page faults/step")
    print(f"{'speedup':>17}: {results['speedup']:.2f}x")
    if args.out:
        from textgen.io import write_json

        write_json(args.out, results)
    return 0
