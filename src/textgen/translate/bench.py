"""`textgen bench-translate`: training throughput of the translation Transformer against the fp32
matmul peak (issue 5), by default at the default profile's model (translate.models.nb_nn.config).

Adam training steps (`train_step`) on random full-length batches (no padding, so every position is
a real token) give target tokens per second; the matrix-multiply FLOPs below give the achieved FLOP
rate, over the peak measured in the same process (`textgen.perf`). Results: the JSON of textgen.perf.

    textgen bench-translate --threads 2 --params '{"src_len": 32, "tgt_len": 32}' --out translate.json

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

from dataclasses import dataclass, field

import torch

from textgen.perf import Bench, bench_parser, best_rate, read_settings, write_result
from textgen.translate.config import TranslationConfig
from textgen.translate.model import Seq2SeqTransformer
from textgen.translate.train import make_optimizer, train_step

# The default profile's models (params.yaml translate.models.nb_nn.config): what issue 5 measures.
# tests/perf/test_defaults.py keeps it equal to the profile.
DEFAULT_CONFIG = {"vocab_size": 4000, "n_embd": 128, "n_head": 4, "n_feedforward": 512, "n_encoder_layer": 2,
                  "n_decoder_layer": 2, "dropout": 0.0, "epochs": 4, "batch_size": 32, "lr": 0.001,
                  "tie_embeddings": True}
FLOPS_NOTE = ("Matrix-multiply FLOPs of the encoder, decoder (self- and cross-attention counted in full, masked "
              "entries included) and generator, 2 per multiply-add, x3 for forward + backward, per target token "
              "(textgen.translate.bench.train_flops); embeddings, softmax, LayerNorm and Adam are not counted.")


@dataclass
class TranslateBenchSettings:
    config: dict = field(default_factory=lambda: dict(DEFAULT_CONFIG))  # TranslationConfig fields; batch_size used
    src_len: int = 32  # source tokens per sentence (translate.models.*.max_tokens is 64)
    tgt_len: int = 32  # target tokens per sentence
    steps: int = 3  # Adam steps per timed run
    repeats: int = 2  # timed runs; the fastest counts
    warmup: int = 1  # untimed steps before them


def train_flops(cfg: TranslationConfig, batch: int, src_len: int, tgt_len: int) -> float:
    """Matmul FLOPs of one training step (forward + backward), as derived in the module docstring."""
    d, f, v, s, t = cfg.n_embd, cfg.n_feedforward, cfg.vocab_size, src_len, tgt_len
    encoder = s * (8 * d * d + 4 * d * f) + 4 * s * s * d
    decoder = t * (8 * d * d + 4 * d * f) + 4 * t * t * d + t * 4 * d * d + s * 4 * d * d + 4 * t * s * d
    forward = cfg.n_encoder_layer * encoder + cfg.n_decoder_layer * decoder + t * 2 * d * v
    return 3.0 * batch * forward


def training_step(model: Seq2SeqTransformer, src_len: int, tgt_len: int):
    """A function doing one Adam step on the next random batch of full-length sentence pairs."""
    cfg = model.config
    g = torch.Generator().manual_seed(0)
    optimizer = make_optimizer(model)
    low = cfg.pad_id + 1  # ids above [PAD], so nothing is padding

    def step() -> None:
        src = torch.randint(low, cfg.vocab_size, (src_len, cfg.batch_size), generator=g)
        tgt = torch.randint(low, cfg.vocab_size, (tgt_len + 1, cfg.batch_size), generator=g)  # +1: shifted by one
        train_step(model, (src, tgt), optimizer)

    return step


def describe(cfg: TranslationConfig, s: TranslateBenchSettings) -> str:
    return (f"{cfg.n_encoder_layer}+{cfg.n_decoder_layer} layers, {cfg.n_embd} wide, {cfg.n_head} heads, "
            f"MLP {cfg.n_feedforward}, vocab {cfg.vocab_size}; batch {cfg.batch_size} x {s.src_len} -> {s.tgt_len}")


def main(argv: list[str]) -> int:
    args = bench_parser("translate", __doc__.splitlines()[0]).parse_args(argv)
    s = read_settings(TranslateBenchSettings, args.params)
    cfg = TranslationConfig.from_params(s.config)
    bench = Bench("translate", argv, s, args.threads)
    torch.manual_seed(0)
    model = Seq2SeqTransformer(cfg)
    target_tokens = cfg.batch_size * s.tgt_len
    tokens_per_s = best_rate(training_step(model, s.src_len, s.tgt_len), target_tokens, s.steps, s.repeats, s.warmup)
    flops_per_token = train_flops(cfg, cfg.batch_size, s.src_len, s.tgt_len) / target_tokens
    bench.throughput("translation", tokens_per_s, flops_per_token,
                     config=describe(cfg, s), parameters=sum(p.numel() for p in model.parameters()),
                     source_and_target_tokens_per_s=tokens_per_s * (s.src_len + s.tgt_len) / s.tgt_len)
    write_result(args.out, bench.result(FLOPS_NOTE))  # issue 5 asks for the numbers, with no target
    return 0
