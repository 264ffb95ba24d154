"""Training and decoding speed of the word-level LSTMs (run by hand; not a test, not a pipeline step).

Trains each model on random token batches at Figure 13's configuration with AdamW and reports
tokens/s next to the matrix-multiply work per token, as a fraction of the machine's fp32 peak.
glibc reads its malloc tunables at process start, so compare allocators with two runs:

    python -m textgen.lstm.bench
    GLIBC_TUNABLES=glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=4294967296 python -m textgen.lstm.bench

>>> round(train_flops_per_token("simple", figure13("simple"), seq_len=20) / 1e6, 1)
16.1
"""

from __future__ import annotations

import argparse
import json
import os
import time

import torch
import torch.nn.functional as F

from textgen.lstm import LSTMConfig, build_model, figure13
from textgen.lstm.beam import beam_search, write_better_seed
from textgen.lstm.generate import write

KINDS = ["simple", "attention", "attention_fixed", "multihead", "multihead_fixed"]


def train_flops_per_token(kind: str, config: LSTMConfig, seq_len: int) -> float:
    """Matrix-multiply FLOPs of one training token: 2 per multiply-add, forward + 2x backward.

    Elementwise work (gates, softmax, the optimizer) is left out, as peak figures leave it out.
    """
    c = config
    width = c.n_directions * c.hidden_size  # what a first-LSTM layer outputs
    inputs = [c.embedding_dim] + [width] * (c.n_layers - 1)
    macs = sum(4 * c.hidden_size * (n_in + c.hidden_size) * c.n_directions for n_in in inputs)
    if kind == "simple":
        macs += c.hidden_size * c.vocab_size
    else:
        keys_per_query = 1 if kind in ("attention", "multihead") else (seq_len + 1) / 2  # causal: on average
        per_head = (width + 2 * c.embedding_dim) * c.head_width + 2 * keys_per_query * c.head_width
        macs += c.n_heads * per_head
        macs += 4 * c.state_width * (c.n_heads * c.head_width + c.state_width) + c.state_width * c.vocab_size
    return 6.0 * macs


def train_tokens_per_second(model: torch.nn.Module, vocab_size: int, batch: int, seq_len: int, steps: int,
                            warmup: int, lr: float, repeats: int) -> float:
    """Best tokens/s of `repeats` timed runs of `steps` AdamW steps on random batches, after
    `warmup` untimed steps (the best run is the one least disturbed by other processes)."""
    g = torch.Generator().manual_seed(0)
    data = torch.randint(0, vocab_size, (warmup + steps * repeats, batch, seq_len + 1), generator=g)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    model.train()
    best, start = 0.0, 0.0
    for i, batch_ids in enumerate(data):
        if i >= warmup and (i - warmup) % steps == 0:
            if i > warmup:
                best = max(best, steps * batch * seq_len / (time.perf_counter() - start))
            start = time.perf_counter()
        logits = model(batch_ids[:, :-1])
        loss = F.cross_entropy(logits.flatten(0, 1), batch_ids[:, 1:].flatten())
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
    return max(best, steps * batch * seq_len / (time.perf_counter() - start))


def decoding_seconds(model: torch.nn.Module, vocab_size: int, words: int, k: int, repeats: int) -> dict[str, float]:
    """Best wall time of write (sampled), beam_search and write_better_seed, `words` new words each."""
    idx2word = [f"w{i}" for i in range(vocab_size)]
    word2idx = {w: i for i, w in enumerate(idx2word)}
    runs = {
        "write": lambda: write(model, word2idx, idx2word, ["w1"], words, generator=torch.Generator().manual_seed(0)),
        "beam_search": lambda: beam_search(model, [1], words, k),
        "write_better_seed": lambda: write_better_seed(model, word2idx, idx2word, ["w1"], words, k),
    }
    seconds = {}
    for name, run in runs.items():
        run()  # warm-up
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            run()
            times.append(time.perf_counter() - start)
        seconds[name] = min(times)
    return seconds


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kinds", nargs="+", default=KINDS, choices=KINDS)
    parser.add_argument("--vocab-size", type=int, default=6916)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--seq-len", type=int, default=20)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=3, help="timed runs; the best counts")
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--peak-gflops", type=float, default=195.0, help="the machine's fp32 matmul peak")
    parser.add_argument("--decode-words", type=int, default=50)
    parser.add_argument("--beam", type=int, default=3)
    parser.add_argument("--json", help="also write the rows to this file")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    malloc = "tuned" if "GLIBC_TUNABLES" in os.environ else "default"
    rows = []
    print(f"malloc: {malloc}, threads: {args.threads}, batch {args.batch} x {args.seq_len}, vocab {args.vocab_size}, "
          f"load average {os.getloadavg()[0]:.1f}")
    print("| model | params (M) | train MFLOP/token | tokens/s | GFLOP/s | % of peak | write (s) | beam (s) | write_better_seed (s) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for kind in args.kinds:
        config = figure13(kind, args.vocab_size)
        torch.manual_seed(0)
        model = build_model(kind, config)
        flops = train_flops_per_token(kind, config, args.seq_len)
        tps = train_tokens_per_second(model, args.vocab_size, args.batch, args.seq_len, args.steps, args.warmup, args.lr,
                                      args.repeats)
        seconds = decoding_seconds(model, args.vocab_size, args.decode_words, args.beam, args.repeats)
        row = {"model": kind, "malloc": malloc, "params": sum(p.numel() for p in model.parameters()),
               "train_flops_per_token": flops, "tokens_per_s": tps, "gflops": tps * flops / 1e9,
               "fraction_of_peak": tps * flops / 1e9 / args.peak_gflops, **seconds}
        rows.append(row)
        print(f"| {kind} | {row['params'] / 1e6:.2f} | {flops / 1e6:.1f} | {tps:,.0f} | {row['gflops']:.0f} | "
              f"{100 * row['fraction_of_peak']:.0f}% | {seconds['write']:.3f} | {seconds['beam_search']:.3f} | "
              f"{seconds['write_better_seed']:.3f} |", flush=True)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(rows, f, indent=2)


if __name__ == "__main__":
    main()
