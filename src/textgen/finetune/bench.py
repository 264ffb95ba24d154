"""`textgen bench-finetune`: fine-tuning throughput of the causal LM in a base-model folder (issue 5:
SmolLM2-135M in the default profile, the tiny profile's random Llama in CI).

A step does what `transformers.Trainer` does per batch by default, on the model as
`textgen finetune-causal` builds it (`textgen.linear.fast_layers`): forward with the inputs as labels,
backward, gradient clipping at norm 1.0, AdamW; on random token batches of full length (no padding),
without the Trainer's logging and checkpoints. FLOPs per token are the usual 6N estimate, with N the
weights of the model's Linear layers (the matrix products, lm_head included; an embedding lookup
multiplies nothing), plus the attention scores and weighted sums, 12 x layers x width x sequence, as
nanoGPT counts them (`train_flops_per_token`). Results: the JSON of `textgen.perf`.

    textgen bench-finetune --base data/raw/base_model --threads 2 --params '{"seq_len": 256}' --out finetune.json
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn
from transformers import AutoModelForCausalLM

from textgen.finetune.model_source import ModelSource
from textgen.io import read_json
from textgen.linear import fast_layers
from textgen.perf import Bench, bench_parser, best_rate, read_settings, write_result

FLOPS_NOTE = ("6 x the weights of the Linear layers (the matrix products, lm_head included) per token, plus "
              "12 x layers x width x sequence length for the attention scores and weighted sums (full, as "
              "nanoGPT counts them): the 6N estimate, not a count of the model's kernels.")


@dataclass
class FinetuneBenchSettings:
    batch_size: int = 1  # sequences per step (the seed's Trainer: 8 chunks padded to 1024 tokens)
    seq_len: int = 256  # tokens per sequence
    steps: int = 1  # training steps per timed run (SmolLM2-135M: about 1.5 s each on 2 cores)
    repeats: int = 2  # timed runs; the fastest counts
    warmup: int = 1  # untimed steps before them
    learning_rate: float = 5e-5  # Trainer's default, the seed's


def train_flops_per_token(model: nn.Module, seq_len: int) -> float:
    """6 x Linear weights + 12 x layers x attention width x seq_len (see the module docstring)."""
    linear = sum(m.weight.numel() for m in model.modules() if isinstance(m, nn.Linear))
    c = model.config
    head_dim = getattr(c, "head_dim", None) or c.hidden_size // c.num_attention_heads
    return 6.0 * linear + 12.0 * c.num_hidden_layers * c.num_attention_heads * head_dim * seq_len


def training_step(model: nn.Module, s: FinetuneBenchSettings):
    """A function doing one Trainer-like step on the next random batch."""
    g = torch.Generator().manual_seed(0)
    optimizer = torch.optim.AdamW(model.parameters(), lr=s.learning_rate)
    vocab = model.get_input_embeddings().num_embeddings
    model.train()

    def step() -> None:
        ids = torch.randint(0, vocab, (s.batch_size, s.seq_len), generator=g)
        loss = model(input_ids=ids, labels=ids).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)  # Trainer's max_grad_norm
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)

    return step


def model_name(base: Path) -> str:
    """The name fetch-base-model recorded (e.g. SmolLM2-135M-Instruct), else the folder's name."""
    record = base / "base_model.json"
    return read_json(record).get("name", base.name) if record.is_file() else base.name


def main(argv: list[str]) -> int:
    parser = bench_parser("finetune", __doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, required=True, help="base-model folder (textgen fetch-base-model)")
    args = parser.parse_args(argv)
    s = read_settings(FinetuneBenchSettings, args.params)
    source = ModelSource.of(str(args.base), "--base (data/raw/base_model)")
    model = fast_layers(source.load(AutoModelForCausalLM, dtype=torch.float32))  # as finetune-causal trains it
    bench = Bench("finetune", argv, s, args.threads)
    torch.manual_seed(0)
    tokens_per_s = best_rate(training_step(model, s), s.batch_size * s.seq_len, s.steps, s.repeats, s.warmup)
    c = model.config
    bench.throughput(model_name(args.base), tokens_per_s, train_flops_per_token(model, s.seq_len),
                     config=(f"{c.model_type}, {c.num_hidden_layers} layers, {c.hidden_size} wide, vocab "
                             f"{c.vocab_size}; batch {s.batch_size} x {s.seq_len}"),
                     parameters=sum(p.numel() for p in model.parameters()))
    write_result(args.out, bench.result(FLOPS_NOTE))  # issue 5 asks for the number, with no target
    return 0
