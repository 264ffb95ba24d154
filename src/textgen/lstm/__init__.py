"""Word-level LSTM generators of seed 000: the listed models, fixed variants, decoding.

Kinds, as the pipeline names them:

    simple            WordLSTM                 Listing 1 (correct as listed)
    attention         AttentionLSTM            Listings 3-4, quirks kept (attention.py)
    multihead         MultiHeadAttentionLSTM   Listings 7-8, quirks kept
    attention_fixed   CausalAttentionLSTM      n_heads = 1, causal attention (causal.py)
    multihead_fixed   CausalAttentionLSTM      n_heads > 1

>>> model = build_model("simple", LSTMConfig(vocab_size=10))
>>> type(model).__name__
'WordLSTM'
"""

from __future__ import annotations

from torch import nn

from textgen.errors import TextgenError
from textgen.lstm.attention import AttentionLSTM
from textgen.lstm.causal import CausalAttentionLSTM
from textgen.lstm.config import LSTMConfig, figure13, figure18
from textgen.lstm.multihead import MultiHeadAttentionLSTM
from textgen.lstm.simple import WordLSTM

MODELS: dict[str, type[nn.Module]] = {
    "simple": WordLSTM,
    "attention": AttentionLSTM,
    "multihead": MultiHeadAttentionLSTM,
    "attention_fixed": CausalAttentionLSTM,
    "multihead_fixed": CausalAttentionLSTM,
}


def build_model(kind: str, config: LSTMConfig) -> nn.Module:
    """A freshly initialised model of `kind` (seed torch first for reproducible weights)."""
    if kind not in MODELS:
        raise TextgenError(f"unknown LSTM model kind {kind!r}; expected one of {', '.join(MODELS)}")
    if kind == "attention_fixed" and config.n_heads != 1:
        raise TextgenError(f"attention_fixed has one head: set n_heads: 1, got {config.n_heads} (or use multihead_fixed)")
    return MODELS[kind](config)


__all__ = [
    "MODELS",
    "AttentionLSTM",
    "CausalAttentionLSTM",
    "LSTMConfig",
    "MultiHeadAttentionLSTM",
    "WordLSTM",
    "build_model",
    "figure13",
    "figure18",
]
