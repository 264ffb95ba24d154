"""Which library computes the models' fp32 products on this CPU: measured once per machine, cached.

torch.mm and nn.Linear call MKL's sgemm; oneDNN (under nn.LSTM, and `textgen.linear`) is the
other fp32 library torch ships. Which is faster depends on the CPU: on AVX-512 AMD EPYCs MKL takes
its AVX2 path and oneDNN runs about 2x faster; on AVX2-only EPYCs MKL is the faster one (measured
144 vs 130 GFLOP/s). So nothing is assumed from the vendor: the first process that needs to know
times both on the models' typical shapes (a GPT layer's and an LSTM cell's products) and writes
the answer to a cache file keyed by the CPU, its flags, torch's version and the thread count;
later processes read it. `TEXTGEN_MATMUL=onednn` or `=torch` overrides the measurement, and
`textgen bench-matmul` prints it.

oneDNN also costs a fixed 20-30 us a call (it checks and re-lays out its operands), so even where it
is the faster library it loses on small products: a batch-1 decoding step, an LSTM cell on a batch
of 32 x 64 units (measured here: 6 us through torch.mm, 32 us through oneDNN). So the measurement
also walks a LADDER of products of growing size and caches `onednn_from`, the smallest product
(rows x in x out multiply-adds) from which oneDNN wins at every larger rung; `use_onednn(work)`
is what `textgen.linear` asks for each product.

Results computed by the two libraries differ in rounding, so the cached choice, not a fresh
measurement, is what keeps a rerun on the same machine byte-identical.

>>> choice() in ("onednn", "torch")
True
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import sys
import time
from functools import cache
from pathlib import Path

import torch

ENV = "TEXTGEN_MATMUL"
CHOICES = ("onednn", "torch")
# (rows, in, out) of the products the models spend their time in: a GPT block's MLP on 2048
# tokens, and an LSTM cell's gates on a batch of 64.
SHAPES = ((2048, 256, 1024), (64, 384, 1024))
# (rows, in, out) of growing work, from a batch-1 decoding step to a GPT layer's product.
LADDER = ((1, 64, 256), (4, 128, 256), (16, 128, 512), (32, 256, 512), (64, 256, 1024), (256, 256, 1024),
          (2048, 256, 1024))
VERSION = 2  # of the cache entries: 1 had no onednn_from


def cache_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "textgen" / "matmul.json"


def machine_key(threads: int) -> str:
    """The CPU (model name and flags), torch's version and the thread count, as one short key."""
    cpu = platform.processor() or platform.machine()
    flags = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
            elif line.startswith("flags"):
                flags = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    digest = hashlib.sha256(f"{cpu}|{flags}|{torch.__version__}|{threads}|{VERSION}".encode()).hexdigest()[:16]
    return f"{cpu} / torch {torch.__version__} / {threads} threads / {digest}"


def _best_seconds(shape: tuple[int, int, int], rounds: int, calls: int) -> dict[str, float]:
    """Each library's best time for one (rows, in, out) fp32 product, of `rounds` timings of
    `calls` products. The two take turns within every round, so a busy machine slows both alike."""
    from textgen.linear import AVAILABLE, _onednn

    rows, d_in, d_out = shape
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(rows, d_in, generator=generator)
    w = torch.randn(d_out, d_in, generator=generator)
    products = {"torch": lambda: torch.nn.functional.linear(x, w)}
    if AVAILABLE:
        products["onednn"] = lambda: _onednn(x, w)
    best = dict.fromkeys(CHOICES, float("inf"))
    with torch.no_grad():
        for round_ in range(rounds + 1):  # round 0 warms up (oneDNN builds its kernel)
            for name, product in products.items():
                started = time.perf_counter()
                for _ in range(calls):
                    product()
                if round_:
                    best[name] = min(best[name], (time.perf_counter() - started) / calls)
    return best


def measure(rounds: int = 7, calls: int = 4) -> dict[str, float]:
    """GFLOP/s of each library on SHAPES (fp32), each product's best of `rounds` timings."""
    flops, seconds = 0.0, dict.fromkeys(CHOICES, 0.0)
    for shape in SHAPES:
        flops += 2.0 * shape[0] * shape[1] * shape[2]
        for name, best in _best_seconds(shape, rounds, calls).items():
            seconds[name] += best
    return {name: flops / s / 1e9 for name, s in seconds.items()}


def crossover(rounds: int = 5, work_per_round: float = 2e7) -> int | None:
    """The multiply-adds of the smallest LADDER product from which oneDNN is faster at every
    larger rung; None where it loses even the largest (each rung runs about `work_per_round`
    multiply-adds per timing, so small products are timed over many calls)."""
    wins = []
    for shape in LADDER:
        work = shape[0] * shape[1] * shape[2]
        best = _best_seconds(shape, rounds, calls=max(2, min(500, int(work_per_round / work))))
        wins.append((work, best["onednn"] < best["torch"]))
    start = None
    for work, onednn_wins in reversed(wins):
        if not onednn_wins:
            break
        start = work
    return start


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


@cache
def _measured_choice(threads: int) -> dict:
    """This machine's cache entry for `threads`: {"choice", "gflops", "onednn_from"}, measured
    and written on first use."""
    from textgen.linear import AVAILABLE

    if not AVAILABLE:
        return {"choice": "torch", "onednn_from": None}
    path, key = cache_file(), machine_key(threads)
    known = _read(path).get(key)
    if isinstance(known, dict) and known.get("choice") in CHOICES and "onednn_from" in known:
        return known
    rates = measure()
    winner = max(CHOICES, key=lambda name: rates[name])
    entry = {"choice": winner, "gflops": {k: round(v, 1) for k, v in rates.items()},
             "onednn_from": crossover() if winner == "onednn" else None}
    try:  # atomically, merged with what other machines sharing the home folder wrote
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        tmp.write_text(json.dumps({**_read(path), key: entry}, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    except OSError as err:  # a read-only home: measure again next time, say so once
        print(f"note: could not cache the matmul choice in {path} ({err})", file=sys.stderr)
    return entry


def choice() -> str:
    """'onednn' or 'torch': the faster fp32 library on this machine at this process's thread count
    (or what TEXTGEN_MATMUL says)."""
    forced = os.environ.get(ENV)
    if forced:
        if forced not in CHOICES:
            from textgen.errors import TextgenError

            raise TextgenError(f"{ENV}={forced!r}: expected one of {', '.join(CHOICES)}")
        return forced
    return _measured_choice(torch.get_num_threads())["choice"]


def onednn() -> bool:
    return choice() == "onednn"


def use_onednn(work: int) -> bool:
    """Whether a product of `work` multiply-adds (rows x in x out) runs faster on oneDNN here:
    oneDNN is the faster library and the product is at least `onednn_from` (forced by
    TEXTGEN_MATMUL: every product goes where it says)."""
    if choice() != "onednn":
        return False
    if os.environ.get(ENV):
        return True
    start = _measured_choice(torch.get_num_threads())["onednn_from"]
    return start is not None and work >= start


def main(argv: list[str]) -> int:
    """textgen bench-matmul: measure both libraries now and show the cached choice."""
    import argparse

    parser = argparse.ArgumentParser(prog="textgen bench-matmul", description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    parser.add_argument("--refresh", action="store_true", help="measure again and replace this machine's cached choice")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    if args.refresh:  # e.g. when the first measurement ran on a busy machine
        known = _read(cache_file())
        if known.pop(machine_key(args.threads), None) is not None:
            cache_file().write_text(json.dumps(known, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    rates = measure()
    print(f"{machine_key(args.threads)}")
    for name in CHOICES:
        print(f"  {name:7s} {rates[name]:7.1f} GFLOP/s on the models' shapes")
    print(f"choice used by textgen.linear: {choice()} (cache: {cache_file()}; override: {ENV}=onednn|torch)")
    if choice() == "onednn" and not os.environ.get(ENV):
        start = _measured_choice(args.threads)["onednn_from"]
        print(f"  oneDNN only for products of at least {start:,} multiply-adds (rows x in x out); "
              "smaller ones go to torch.mm" if start else "  no product size measured faster on oneDNN")
    return 0
