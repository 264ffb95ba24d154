"""What a fine-tuning run is told on the command line (`--params` JSON): dataclasses whose defaults
are the seed's settings, checked key by key so a typo or a wrong type names the parameter.

    >>> s = parse_settings(CausalSettings, '{"epochs": 2, "chunk_chars": 256}', "--params")
    >>> s.epochs, s.chunk_chars, s.batch_size
    (2, 256, 8)
    >>> parse_settings(CausalSettings, '{"epoch": 2}', "--params")
    Traceback (most recent call last):
    ...
    textgen.errors.TextgenError: --params: unknown key 'epoch' (known: batch_size, chunk_chars, ...)
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from dataclasses import dataclass, field
from typing import Any, TypeVar

from textgen.data.args import json_arg
from textgen.errors import TextgenError

DECODINGS = ("beam", "sample")


@dataclass
class CausalSettings:
    # --- data (the seed: every 1024-character chunk of the corpus) ---
    chunk_chars: int = 1024
    max_chunks: int = 0  # train on this many chunks drawn at random (0: all, as the seed)
    val_chunks: int = 0  # held-out chunks for an eval loss per epoch (the seed had none)
    # --- Trainer (the seed: batch 8, 5 epochs, a checkpoint per epoch, Trainer's other defaults) ---
    epochs: int = 5
    batch_size: int = 8
    learning_rate: float = 5e-5
    pad_to_multiple_of: int | None = 1024  # the seed's collator pads every batch to 1024 tokens
    logging_steps: int = 500
    keep_checkpoints: int = 1  # epoch checkpoints kept in --checkpoints (samples are made at epoch end)
    # --- generation (the seed: beam search, 5 beams, no repeated 2-grams, max_length 100) ---
    max_length: int = 100  # tokens, prompt included
    max_length_by_corpus: dict[str, int] = field(default_factory=dict)  # per corpus, instead (the seed: Bible 200)
    num_beams: int = 5
    no_repeat_ngram_size: int = 2
    temperature: float = 1.0  # for "sample"
    top_k: int = 0  # for "sample"; 0: no top-k cut
    decodings: list[str] = field(default_factory=lambda: list(DECODINGS))


@dataclass
class ScratchT5:
    """A small T5 trained from random weights, with a sentencepiece vocabulary (offline stand-in)."""
    vocab_size: int = 4000
    d_model: int = 256
    d_ff: int = 1024
    d_kv: int = 32
    num_heads: int = 8
    num_layers: int = 4  # encoder and decoder each
    dropout_rate: float = 0.1


@dataclass
class Seq2SeqSettings:
    base_model: str = "t5-small"  # a hub name, a local folder, or "scratch" (see `scratch`)
    scratch: dict[str, Any] = field(default_factory=dict)  # ScratchT5 fields
    # --- data: "<prefix> <title>" -> poem ---
    prefix: str = "Create the lyrics of"
    max_source_tokens: int = 64
    max_target_tokens: int = 512  # t5-small's limit, where the seed's truncation cut
    val_poems: int = 0  # held out for an eval loss per epoch
    # --- Seq2SeqTrainer (the seed: batch 2, 10 epochs, learning rate 1e-4) ---
    epochs: int = 10
    batch_size: int = 2
    learning_rate: float = 1e-4
    pad_to_multiple_of: int | None = 1024
    logging_steps: int = 500
    keep_checkpoints: int = 1
    # --- generation (the seed: beam search, max_length 250; its three song titles) ---
    titles: list[str] = field(default_factory=lambda: [
        "I'm the cowboy with the horse by Ulf G. Indahl",
        "Walking in the street by Kristian H. Liland",
        "The sun is shining by The Leos",
    ])
    max_length: int = 250  # tokens of the generated poem
    num_beams: int = 5
    no_repeat_ngram_size: int = 2
    temperature: float = 1.0
    top_k: int = 0
    decodings: list[str] = field(default_factory=lambda: list(DECODINGS))


S = TypeVar("S")

# Fields that may be 0 (or None); every other int must be >= 1.
_MAY_BE_ZERO = {"max_chunks", "val_chunks", "val_poems", "top_k", "no_repeat_ngram_size"}


def parse_settings(cls: type[S], text: str | dict, flag: str) -> S:
    """Build `cls` from a JSON object (or dict); unknown keys, wrong types and bad values raise
    TextgenError naming `flag` and the key."""
    values = json_arg(text, flag) if isinstance(text, str) else dict(text)
    hints = typing.get_type_hints(cls)
    known = sorted(f.name for f in dataclasses.fields(cls))
    for key, value in values.items():
        if key not in hints:
            raise TextgenError(f"{flag}: unknown key {key!r} (known: {', '.join(known[:2])}, ...)")
        _check(f"{flag}: {key}", value, hints[key], positive=key not in _MAY_BE_ZERO)
    settings = cls(**values)
    for corpus, length in getattr(settings, "max_length_by_corpus", {}).items():
        _check(f"{flag}: max_length_by_corpus.{corpus}", length, int, positive=True)
    for decoding in getattr(settings, "decodings", []):
        if decoding not in DECODINGS:
            raise TextgenError(f"{flag}: decodings: unknown decoding {decoding!r} (expected {', '.join(DECODINGS)})")
    if getattr(settings, "temperature", 1.0) <= 0:
        raise TextgenError(f"{flag}: temperature must be > 0, got {settings.temperature}")
    return settings


def for_corpus(settings: CausalSettings, corpus: str) -> CausalSettings:
    """The settings one corpus's run uses: its own max_length where max_length_by_corpus has one.

    >>> for_corpus(CausalSettings(max_length=40, max_length_by_corpus={"bible": 80}), "bible").max_length
    80
    >>> for_corpus(CausalSettings(max_length=40, max_length_by_corpus={"bible": 80}), "milton").max_length
    40
    """
    return dataclasses.replace(settings, max_length=settings.max_length_by_corpus.get(corpus, settings.max_length))


def parse_prompts(text: str, flag: str) -> list[str]:
    """A JSON list of prompt strings.

    >>> parse_prompts('["I will kill you!"]', "--prompts")
    ['I will kill you!']
    """
    try:
        prompts = json.loads(text)
    except json.JSONDecodeError as err:
        raise TextgenError(f"{flag}: not valid JSON ({err})") from None
    if not isinstance(prompts, list) or not prompts or not all(isinstance(p, str) and p for p in prompts):
        raise TextgenError(f"{flag}: expected a non-empty JSON list of non-empty strings, got {text!r}")
    return prompts


def _check(where: str, value: Any, hint: Any, positive: bool) -> None:
    """Type-check one value against its annotation (int, float, str, int | None, list[str], dict)."""
    options = typing.get_args(hint) if typing.get_origin(hint) in (typing.Union, types.UnionType) else (hint,)
    if value is None and type(None) in options:
        return
    base = next(o for o in options if o is not type(None))
    origin = typing.get_origin(base) or base
    if origin is int:
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= (0 if not positive else 1)
        need = "a positive integer" if positive else "an integer >= 0"
    elif origin is float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0
        need = "a number >= 0"
    elif origin is str:
        ok, need = isinstance(value, str) and bool(value), "a non-empty string"
    elif origin is list:
        ok = isinstance(value, list) and bool(value) and all(isinstance(v, str) and v for v in value)
        need = "a non-empty list of strings"
    else:
        ok, need = isinstance(value, dict), "an object"
    if not ok:
        raise TextgenError(f"{where}: must be {need}, got {value!r}")
