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
is the faster library it loses on small products (an LSTM cell on a batch of 32 x 64 units: 14 us
through torch.mm, 25 us through oneDNN), while it wins on a batch-1 product with a large weight
(1 x 512 -> 6916: 307 vs 228 us). No single size threshold sorts these, so where oneDNN is the
faster library, each product shape of fewer than LARGE_ROWS rows a process meets is timed once
through both (rows rounded down to a power of two) and the winner is cached beside the choice;
`use_onednn(rows, in, out)` is what `textgen.linear` asks. The first decision written for a shape is the one every later
process uses (written under a file lock).

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
# From this many rows a product is large: oneDNN, where it is the faster library, wins on every
# such shape measured (1.05-1.5x at 256-2048 rows), and timing them would add their outputs (up to
# 67 MB) to a training step's peak memory. Smaller ones are timed.
LARGE_ROWS = 256
VERSION = 3  # of the cache entries: 1 had no per-shape decisions, 2 a size threshold


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


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


@cache
def _measured_choice(threads: int) -> dict:
    """This machine's cache entry for `threads`: {"choice", "gflops", "shapes": {shape: library}},
    measured and written on first use (the shapes as they are met)."""
    from textgen.linear import AVAILABLE

    if not AVAILABLE:
        return {"choice": "torch", "shapes": {}}
    path, key = cache_file(), machine_key(threads)
    known = _read(path).get(key)
    if isinstance(known, dict) and known.get("choice") in CHOICES:
        known.setdefault("shapes", {})
        return known
    rates = measure()
    winner = max(CHOICES, key=lambda name: rates[name])
    entry = {"choice": winner, "gflops": {k: round(v, 1) for k, v in rates.items()}, "shapes": {}}
    # the first entry written wins, so every process of this machine uses the same library
    return {"shapes": {}, **_store(threads, entry, lambda saved: saved or entry)}


def _store(threads: int, entry: dict, merge) -> dict:
    """Write this machine's entry for `threads` under a file lock: `merge(saved entry or None)` is
    what gets written, so what another process wrote meanwhile is kept; returns it."""
    path, key = cache_file(), machine_key(threads)
    result = merge(None)  # what this process uses if nothing can be written
    try:
        import fcntl

        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path.with_name(f".{path.name}.lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            known = _read(path)
            saved = known.get(key) if isinstance(known.get(key), dict) else None
            result = merge(saved)
            tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
            tmp.write_text(json.dumps({**known, key: result}, indent=2, sort_keys=True) + "\n", encoding="utf-8")
            os.replace(tmp, path)
    except OSError as err:  # a read-only home: measure again next time, say so once
        if not getattr(_store, "warned", False):
            print(f"note: could not cache the matmul choice in {path} ({err})", file=sys.stderr)
            _store.warned = True
    return result


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


def shape_key(rows: int, d_in: int, d_out: int) -> str:
    """The cache key of a product: its rows rounded down to a power of two, in and out.

    >>> shape_key(48, 256, 1024)
    '32x256x1024'
    """
    return f"{1 << (max(rows, 1).bit_length() - 1)}x{d_in}x{d_out}"


def use_onednn(rows: int, d_in: int, d_out: int) -> bool:
    """Whether a (rows x d_in) @ (d_in x d_out) product goes to oneDNN: only where oneDNN is the
    faster library here and was measured faster on this shape (timed on first use, cached;
    TEXTGEN_MATMUL forces every product to the library it names)."""
    if choice() != "onednn":
        return False
    if os.environ.get(ENV):
        return True
    if rows >= LARGE_ROWS:  # a large product: the libraries' own rates decide, as measured for the choice
        return True
    entry = _measured_choice(torch.get_num_threads())
    key = shape_key(rows, d_in, d_out)
    decided = entry["shapes"].get(key)
    if decided is None:
        r, i, o = (int(n) for n in key.split("x"))
        best = _best_seconds((r, i, o), rounds=5, calls=max(2, min(200, int(4e6 / (r * i * o)))))
        mine = min(CHOICES, key=lambda name: best[name])

        def add_shape(saved: dict | None) -> dict:  # the first decision written for a shape wins
            current = saved or entry
            return {**current, "shapes": {key: mine, **current.get("shapes", {})}}

        entry["shapes"] = _store(torch.get_num_threads(), entry, add_shape)["shapes"]
        decided = entry["shapes"][key]
    return decided == "onednn"


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
        shapes = _measured_choice(args.threads)["shapes"]
        print(f"  {len(shapes)} product shapes (rows x in x out) measured so far; on oneDNN: "
              + (", ".join(k for k, v in sorted(shapes.items()) if v == "onednn") or "none"))
    return 0
