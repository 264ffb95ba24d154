"""Benchmark: GPT training throughput on this CPU and its fraction of the fp32 matmul peak (MFU).

    python -m textgen.gpt.bench [--batch 8] [--rounds 6] [--steps 4] [--threads 2]

The peak is the best of repeated square `torch.mm` products in the same process and thread
count. A training step is forward, backward, AdamW step on random tokens; FLOPs per token are
nanoGPT's estimate (`estimate_flops_per_token`). glibc's allocator returns freed memory to the
system and takes it back through page faults each step; to stop that, start Python with
GLIBC_TUNABLES=glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=4294967296 (the page-fault
column shows the difference).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import time

import torch

from textgen.gpt.flops import estimate_flops_per_token
from textgen.gpt.model import GPT, GPTConfig

# nanoGPT-like and CPU-sized: 4 layers x 4 heads x 256 wide, block 256, an 8192-token vocabulary.
BENCH_CONFIG = GPTConfig(block_size=256, vocab_size=8192, n_layer=4, n_head=4, n_embd=256, dropout=0.0)


def matmul_peak_gflops(a: torch.Tensor, b: torch.Tensor, out: torch.Tensor, reps: int) -> float:
    """Best GFLOP/s of `torch.mm(a, b)` for square n x n matrices (2 n^3 FLOPs) over `reps` tries."""
    best = float("inf")
    for _ in range(reps):
        start = time.perf_counter()
        torch.mm(a, b, out=out)
        best = min(best, time.perf_counter() - start)
    return 2 * a.size(0) ** 3 / best / 1e9


def minor_faults() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=6, help="rounds of (matmul peak, training steps)")
    parser.add_argument("--steps", type=int, default=4, help="training steps per round")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--peak-n", type=int, default=2048)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    load_before = os.getloadavg()[0]

    g = torch.Generator().manual_seed(0)
    a, b = torch.randn(args.peak_n, args.peak_n, generator=g), torch.randn(args.peak_n, args.peak_n, generator=g)
    mm_out = torch.empty(args.peak_n, args.peak_n)
    config = BENCH_CONFIG
    torch.manual_seed(0)
    model = GPT(config)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.1)
    x = torch.randint(0, config.vocab_size, (args.batch, config.block_size), generator=g)
    y = torch.randint(0, config.vocab_size, (args.batch, config.block_size), generator=g)

    def train_step() -> float:
        start = time.perf_counter()
        _, loss = model(x, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return time.perf_counter() - start

    matmul_peak_gflops(a, b, mm_out, reps=2)  # warm-up both
    for _ in range(3):
        train_step()
    # Interleaved rounds: when other processes share the CPU, the best matmul and the best step
    # of the same run are the least disturbed measurements of each.
    peaks, steps, faults = [], [], minor_faults()
    for _ in range(args.rounds):
        peaks.append(matmul_peak_gflops(a, b, mm_out, reps=3))
        steps.extend(train_step() for _ in range(args.steps))
    faults_per_step = (minor_faults() - faults) / len(steps)

    flops = estimate_flops_per_token(config)
    tokens = args.batch * config.block_size

    def row(label: str, peak: float, step: float) -> str:
        achieved = tokens / step * flops / 1e9
        return f"| {label} | {peak:.0f} | {step:.3f} | {tokens / step:.0f} | {achieved:.0f} | {achieved / peak:.0%} |"

    c = config
    tunables = os.environ.get("GLIBC_TUNABLES", "(unset)")
    print(f"torch {torch.__version__}, {args.threads} threads, GLIBC_TUNABLES={tunables}, "
          f"load average {load_before:.2f} -> {os.getloadavg()[0]:.2f}")
    print(f"model: {c.n_layer} layers x {c.n_head} heads x {c.n_embd} wide, block {c.block_size}, "
          f"vocab {c.vocab_size}, batch {args.batch}; {flops / 1e6:.1f} MFLOP per token; "
          f"{faults_per_step:.0f} minor page faults per step")
    print("| statistic | matmul peak GFLOP/s | step s | tokens/s | GFLOP/s | MFU |")
    print("|---|---|---|---|---|---|")
    print(row("best", max(peaks), min(steps)))
    print(row("median", statistics.median(peaks), statistics.median(steps)))


if __name__ == "__main__":
    main()
