"""Performance measurements shared by the benchmarks: the machine's fp32 matmul peak, and the
malloc comparison behind `textgen.allocator` (`textgen bench-allocator`).

Benchmarks report ratios measured within one run, never absolute times from another machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

from textgen.allocator import OPT_OUT, tuned_environment


def matmul_peak_gflops(n: int = 2048, repeats: int = 10, threads: int | None = None) -> float:
    """Best fp32 GFLOP/s of an n x n matmul on this machine (the denominator of every "% of peak")."""
    import torch

    if threads:
        torch.set_num_threads(threads)
    a, b = torch.randn(n, n), torch.randn(n, n)
    torch.mm(a, b)  # warm up
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        torch.mm(a, b)
        best = min(best, time.perf_counter() - start)
    return 2 * n**3 / best / 1e9


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
