"""`textgen bench-gpt`: GPT training throughput and its share of the fp32 matmul peak (issue 4).

A training step is forward, backward and an AdamW step on a random batch of full blocks; FLOPs per
token are nanoGPT's MFU estimate (`estimate_flops_per_token`: 6 x the matmul parameters plus the
attention scores of a full block). The default model is issue 4's nanoGPT-like configuration
(4 layers, 4 heads, 256 wide, block 256, vocabulary 8192). The same model then trains built from
stock torch layers on glibc's default malloc (`stock_probe`, in a child process). Results: the
JSON of `textgen.perf`.

    textgen bench-gpt --threads 2 --params '{"batch_size": 8, "repeats": 3}' --out gpt.json

>>> describe(GPTConfig(n_layer=4, n_head=4, n_embd=256, block_size=256, vocab_size=8192))
'4 layers, 4 heads, 256 wide, block 256, vocab 8192'
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from textgen.gpt.flops import estimate_flops_per_token
from textgen.gpt.model import GPT, GPTConfig
from textgen.perf import (
    Bench,
    bench_parser,
    best_rate,
    peak_targets,
    product_time_share,
    read_settings,
    stock_layers,
    stock_run,
    stock_targets,
    write_result,
)

PEAK_TARGET = 0.8  # issue 4: >= 80% of the machine's measured fp32 matmul peak
FLOPS_NOTE = ("nanoGPT's estimate: 6 x the parameters in matrix products (blocks, final LayerNorm, head) per "
              "token, plus 12 x layers x width x block for the attention scores and weighted sums of a full "
              "block (the causal half not discounted).")


@dataclass
class GPTBenchSettings:
    n_layer: int = 4  # issue 4's nanoGPT-like model: 4 layers, 4 heads, 256 wide, block 256, vocab 8192
    n_head: int = 4
    n_embd: int = 256
    block_size: int = 256
    vocab_size: int = 8192
    batch_size: int = 8  # blocks per step
    steps: int = 2  # AdamW steps per timed run
    repeats: int = 3  # timed runs; the fastest counts
    warmup: int = 2  # untimed steps before them
    stock: bool = True  # also train the model on stock torch layers and glibc's default malloc (issue 12)


ISSUE_CONFIG = GPTConfig(n_layer=4, n_head=4, n_embd=256, block_size=256, vocab_size=8192, dropout=0.0)


def model_config(s: GPTBenchSettings) -> GPTConfig:
    return GPTConfig(block_size=s.block_size, vocab_size=s.vocab_size, n_layer=s.n_layer, n_head=s.n_head,
                     n_embd=s.n_embd, dropout=0.0)


def describe(c: GPTConfig) -> str:
    return f"{c.n_layer} layers, {c.n_head} heads, {c.n_embd} wide, block {c.block_size}, vocab {c.vocab_size}"


def targets(config: GPTConfig, rows: list[dict]) -> list[dict]:
    """Issue 4's target, for a run at its configuration."""
    if config != ISSUE_CONFIG:
        return []
    return [t for row in rows for t in peak_targets("GPT training", row, PEAK_TARGET)] + stock_targets(rows)


def training_step(model: GPT, s: GPTBenchSettings):
    """A function doing one AdamW step (nanoGPT's weight decay 0.1) on the next random batch."""
    g = torch.Generator().manual_seed(0)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.1, fused=True)
    model.train()

    def step() -> None:
        ids = torch.randint(0, s.vocab_size, (s.batch_size, s.block_size + 1), generator=g)
        _, loss = model(ids[:, :-1], ids[:, 1:])
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()

    return step


def stock_probe(settings: dict, threads: int) -> dict[str, float]:
    """Tokens/s of the model built from stock torch layers, timed as `main` times textgen's (run by
    `textgen.perf.stock_run` in a process on glibc's default malloc)."""
    torch.set_num_threads(threads)
    s = GPTBenchSettings(**settings)
    torch.manual_seed(0)
    model = stock_layers(GPT(model_config(s)))
    return {"GPT": best_rate(training_step(model, s), s.batch_size * s.block_size, s.steps, s.repeats, s.warmup)}


def main(argv: list[str]) -> int:
    args = bench_parser("gpt", __doc__.splitlines()[0]).parse_args(argv)
    s = read_settings(GPTBenchSettings, args.params)
    config = model_config(s)
    bench = Bench("gpt", argv, s, args.threads)
    torch.manual_seed(0)
    model = GPT(config)
    tokens_per_s = best_rate(training_step(model, s), s.batch_size * s.block_size, s.steps, s.repeats, s.warmup)
    bench.throughput("GPT", tokens_per_s, estimate_flops_per_token(config), config=describe(config),
                     batch_size=s.batch_size, parameters=sum(p.numel() for p in model.parameters()),
                     product_time_share=product_time_share(training_step(model, s)))
    if s.stock:
        bench.rows[0]["stock_tokens_per_s"] = stock_run("textgen.gpt.bench:stock_probe", bench.settings,
                                                        args.threads)["GPT"]
    result = bench.result(FLOPS_NOTE)
    result["targets"] = targets(config, result["rows"])
    write_result(args.out, result)
    return 0
