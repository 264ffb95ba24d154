"""Shared pieces for the translation tests: a character-level id mapping and tiny models.

The real tokenizer (textgen.bpe) is not needed: the model only sees ids. Here ids 0-2 are the
specials and every letter of ALPHABET gets its own id after them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import torch

from textgen.translate import Seq2SeqTransformer, TranslationConfig


@dataclass(frozen=True)
class Chars:
    pad: int = 0
    bos: int = 1
    eos: int = 2
    alphabet: str = "abcdefghij"

    @property
    def vocab_size(self) -> int:
        return 3 + len(self.alphabet)

    def encode(self, text: str) -> list[int]:
        return [3 + self.alphabet.index(c) for c in text]

    def decode(self, ids: list[int]) -> str:
        return "".join(self.alphabet[i - 3] for i in ids)


@pytest.fixture
def chars() -> Chars:
    return Chars()


@pytest.fixture
def tiny_model(chars):
    """Factory: a small random model over the character vocabulary, seeded, in eval mode."""

    def make(seed: int = 0, **overrides) -> Seq2SeqTransformer:
        torch.manual_seed(seed)
        fields = dict(vocab_size=chars.vocab_size, n_embd=16, n_head=2, n_feedforward=32,
                      n_encoder_layer=1, n_decoder_layer=1, pad_id=chars.pad)
        return Seq2SeqTransformer(TranslationConfig(**{**fields, **overrides})).eval()

    return make
