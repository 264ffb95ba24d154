"""A tiny model learns to reverse 4-letter strings: the whole train + decode path works end to end."""

from __future__ import annotations

import random

import torch

from textgen.translate import (
    Seq2SeqTransformer,
    TranslationConfig,
    collate,
    make_optimizer,
    train_step,
    translate,
)


def test_tiny_model_learns_to_reverse(chars):
    torch.manual_seed(0)
    rng = random.Random(1)

    def sample(n: int) -> list[str]:
        return ["".join(rng.choice(chars.alphabet) for _ in range(4)) for _ in range(n)]

    # lr 1e-3, not the seed's 1e-4: at 1e-4 this reaches 75% in 300 steps (100% by 1500).
    cfg = TranslationConfig(vocab_size=chars.vocab_size, n_embd=64, n_head=4, n_feedforward=128,
                            n_encoder_layer=2, n_decoder_layer=2, dropout=0.0, lr=1e-3, pad_id=chars.pad)
    model = Seq2SeqTransformer(cfg)
    opt = make_optimizer(model)
    for _ in range(300):
        words = sample(64)
        train_step(model, collate([(chars.encode(w), chars.encode(w[::-1])) for w in words],
                                  chars.bos, chars.eos, chars.pad), opt)
    held_out = sample(500)
    out = translate(model, [chars.encode(w) for w in held_out], chars.bos, chars.eos, max_len=10)
    exact = sum(chars.decode(ids) == w[::-1] for ids, w in zip(out, held_out, strict=True)) / len(held_out)
    assert exact > 0.9, f"exact match {exact:.3f}"
