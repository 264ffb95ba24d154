"""Tiny models of every kind, seeded, with widths shaped like Figure 13 (hidden = n_layers * emb)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
import torch
from torch import nn

from textgen.lstm import LSTMConfig, build_model

KINDS = ["simple", "attention", "multihead", "attention_fixed", "multihead_fixed"]


def tiny_config(kind: str, vocab_size: int = 11) -> LSTMConfig:
    base = LSTMConfig(vocab_size, embedding_dim=4, hidden_size=8, n_layers=2)
    if kind == "simple":
        return base
    return replace(base, bidirectional=True, n_heads=2 if kind.startswith("multihead") else 1)


def _make(kind: str, vocab_size: int = 11, seed: int = 0) -> nn.Module:
    torch.manual_seed(seed)
    return build_model(kind, tiny_config(kind, vocab_size))


@pytest.fixture
def make_model() -> Callable[..., nn.Module]:
    """make_model(kind, vocab_size=11, seed=0): a freshly seeded tiny model."""
    return _make


@pytest.fixture(params=KINDS)
def kind(request: pytest.FixtureRequest) -> str:
    return request.param
