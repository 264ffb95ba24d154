"""Training throughput of the translation Transformer on this machine, against its fp32 matmul peak.

    python -m textgen.translate.bench [--threads 2] [--steps 3] [--json out.json]

Run it with GLIBC_TUNABLES set as textgen.allocator sets it for every pipeline command (without,
glibc returns freed memory after each step and this benchmark runs 1.8-2x slower).

For each configuration: build the model, run Adam training steps on random full-length batches
(no padding, so every position is a real token) and report target tokens per second, plus the
achieved FLOP rate as a fraction of the best torch.mm rate measured in the same process.

FLOPs per training step (matrix multiplies only; 2 FLOPs per multiply-add; B batch, S source and
T target positions, d = n_embd, f = n_feedforward, V = vocab_size):

    encoder layer   B*S*(8d^2 + 4df) + 4*B*S^2*d         q,k,v,out projections; MLP; QK^T and AV
    decoder layer   B*T*(8d^2 + 4df) + 4*B*T^2*d         self-attention and MLP, as above
                  + B*T*4d^2 + B*S*4d^2 + 4*B*T*S*d      cross-attention: q,out on T; k,v on S; QK^T, AV
    generator       B*T*2dV
    training        3 x forward (the backward pass multiplies twice: gradients of inputs and weights)

Attention is counted in full (S^2, T^2): nn.MultiheadAttention computes the masked entries too.
Embedding lookups, softmax, layer norms and Adam are memory-bound and not counted, so the fraction
is the share of peak spent on useful matrix arithmetic. Dividing by B*T gives FLOPs per target token.

    >>> from textgen.translate.config import preset
    >>> round(train_flops(preset("en-no"), batch=1, src_len=32, tgt_len=32) / 32 / 1e6)  # per target token
    279
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import time

import torch

from textgen.io import write_json
from textgen.translate.config import TranslationConfig, preset
from textgen.translate.model import Seq2SeqTransformer
from textgen.translate.train import make_optimizer, train_step


def train_flops(cfg: TranslationConfig, batch: int, src_len: int, tgt_len: int) -> float:
    """Matmul FLOPs of one training step (forward + backward), as derived in the module docstring."""
    d, f, v, s, t = cfg.n_embd, cfg.n_feedforward, cfg.vocab_size, src_len, tgt_len
    encoder = s * (8 * d * d + 4 * d * f) + 4 * s * s * d
    decoder = t * (8 * d * d + 4 * d * f) + 4 * t * t * d + t * 4 * d * d + s * 4 * d * d + 4 * t * s * d
    forward = cfg.n_encoder_layer * encoder + cfg.n_decoder_layer * decoder + t * 2 * d * v
    return 3.0 * batch * forward


def matmul_peak_gflops(sizes: tuple[int, ...] = (1024, 2048, 4096), seconds: float = 1.0) -> float:
    """Best fp32 torch.mm rate (GFLOP/s) over square sizes, each timed repeatedly for ~`seconds`."""
    best = 0.0
    for n in sizes:
        a, b = torch.randn(n, n), torch.randn(n, n)
        out = torch.empty(n, n)
        torch.mm(a, b, out=out)  # warm-up: thread pool, caches
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            torch.mm(a, b, out=out)
            best = max(best, 2 * n**3 / (time.perf_counter() - start) / 1e9)
    return best


def measure_training(cfg: TranslationConfig, batch: int, src_len: int, tgt_len: int, steps: int,
                     warmup: int = 1, seed: int = 0) -> dict[str, float]:
    """Median step time and tokens/s of `steps` Adam steps after `warmup` untimed ones."""
    torch.manual_seed(seed)
    model = Seq2SeqTransformer(cfg)
    optimizer = make_optimizer(model)
    low = cfg.pad_id + 1  # random ids above [PAD], so nothing is padding
    src = torch.randint(low, cfg.vocab_size, (src_len, batch))
    tgt = torch.randint(low, cfg.vocab_size, (tgt_len + 1, batch))  # +1: train_step shifts it by one
    times = []
    for i in range(warmup + steps):
        start = time.perf_counter()
        train_step(model, (src, tgt), optimizer)
        if i >= warmup:
            times.append(time.perf_counter() - start)
    step_s = statistics.median(times)
    flops = train_flops(cfg, batch, src_len, tgt_len)
    return {
        "params_M": sum(p.numel() for p in model.parameters()) / 1e6,
        "step_s": step_s,
        "tgt_tokens_per_s": batch * tgt_len / step_s,
        "all_tokens_per_s": batch * (src_len + tgt_len) / step_s,
        "flops_per_tgt_token_M": flops / (batch * tgt_len) / 1e6,
        "gflops": flops / step_s / 1e9,
    }


# name -> (configuration, batch size)
CONFIGS: dict[str, tuple[TranslationConfig, int]] = {
    # the seed's English -> Norwegian block, its own batch size
    "en-no (seed)": (preset("en-no"), 96),
    # a CPU-sized model: 3 + 3 layers, 256 wide, MLP 4x, an 8k vocabulary
    "cpu-256": (TranslationConfig(vocab_size=8192, n_embd=256, n_head=8, n_feedforward=1024), 32),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m textgen.translate.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--steps", type=int, default=3, help="timed steps per configuration (median reported)")
    parser.add_argument("--src-len", type=int, default=32)
    parser.add_argument("--tgt-len", type=int, default=32)
    parser.add_argument("--configs", nargs="+", default=list(CONFIGS), choices=list(CONFIGS))
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)

    peak_before = matmul_peak_gflops()
    rows = []
    for name in args.configs:
        cfg, batch = CONFIGS[name]
        r = measure_training(cfg, batch, args.src_len, args.tgt_len, args.steps)
        rows.append({"name": name, "batch": batch, "src_len": args.src_len, "tgt_len": args.tgt_len, **r,
                     "config": dataclasses.asdict(cfg)})
    # Measured before and after, best kept: on a shared machine either one may be disturbed.
    peak = max(peak_before, matmul_peak_gflops())
    print(f"fp32 torch.mm peak: {peak:.0f} GFLOP/s on {args.threads} threads (torch {torch.__version__})")
    print("| config | params (M) | batch x S x T | step (s) | target tok/s | all tok/s "
          "| MFLOP/target tok | GFLOP/s | of peak |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        r["fraction_of_peak"] = r["gflops"] / peak
        print(f"| {r['name']} | {r['params_M']:.1f} | {r['batch']} x {r['src_len']} x {r['tgt_len']} "
              f"| {r['step_s']:.2f} | "
              f"{r['tgt_tokens_per_s']:.0f} | {r['all_tokens_per_s']:.0f} | {r['flops_per_tgt_token_M']:.0f} | "
              f"{r['gflops']:.0f} | {r['fraction_of_peak']:.0%} |")
    if args.json:
        write_json(args.json, {"threads": args.threads, "matmul_peak_gflops": peak, "torch": torch.__version__,
                               "glibc_tunables": os.environ.get("GLIBC_TUNABLES"), "results": rows})
    return 0


if __name__ == "__main__":
    sys.exit(main())
