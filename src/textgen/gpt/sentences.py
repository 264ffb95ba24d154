"""The seed's "next sentence(s)" generation: continue a prompt until n sentences have ended,
instead of for a fixed number of tokens.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

import torch

from textgen.errors import TextgenError
from textgen.gpt.model import GPT

SENTENCE_END = ".!?"
CLOSERS = "\"')]}\u2019\u201d\u00bb"  # may follow the mark: `."` and `?)` still end a sentence


class TextTokenizer(Protocol):
    vocab_size: int

    def encode(self, text: str) -> list[int]: ...

    def decode(self, ids: Iterable[int]) -> str: ...


def ends_sentence(text: str) -> bool:
    """True if `text`, less trailing whitespace and closing quotes or brackets, ends in . ! or ?

    >>> [ends_sentence(t) for t in ["end.", '?"', "!)\\n", "Mr", ".x", ""]]
    [True, True, True, False, False, False]
    """
    return text.rstrip().rstrip(CLOSERS).endswith(tuple(SENTENCE_END))


def sentence_end_ids(tokenizer: TextTokenizer) -> set[int]:
    """Ids of every token whose text ends a sentence."""
    return {i for i in range(tokenizer.vocab_size) if ends_sentence(tokenizer.decode([i]))}


def next_sentences(model: GPT, tokenizer: TextTokenizer, prompt: str, n_sentences: int = 1,
                   max_new_tokens: int = 200, temperature: float = 1.0, top_k: int | None = None,
                   generator: torch.Generator | None = None, stop_ids: Iterable[int] = ()) -> str:
    """The text generated after `prompt`, up to and including the n-th sentence end, or up to a
    token of `stop_ids` (e.g. the [SEP] id; it is not part of the text), or `max_new_tokens`.

    Sampling as in `GPT.generate` (temperature <= 0: greedy)."""
    if n_sentences < 1:
        raise TextgenError(f"n_sentences: must be >= 1, got {n_sentences}")
    ids = tokenizer.encode(prompt)
    if not ids:
        raise TextgenError("prompt: empty; the model needs at least one token to continue")
    ends, hard_stops = sentence_end_ids(tokenizer), set(stop_ids)
    idx = torch.tensor([ids], dtype=torch.long, device=next(model.parameters()).device)
    new: list[int] = []
    sentences = 0
    while sentences < n_sentences and len(new) < max_new_tokens:
        out = model.generate(idx, max_new_tokens - len(new), temperature=temperature, top_k=top_k,
                             generator=generator, stop_ids=ends | hard_stops)
        step = out[0, idx.size(1):].tolist()
        idx = out
        new.extend(step)
        if step[-1] in hard_stops:
            new.pop()
            break
        if step[-1] in ends:
            sentences += 1
    return tokenizer.decode(new)
