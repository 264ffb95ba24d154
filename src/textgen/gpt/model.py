"""A decoder-only Transformer (seed 001, Architecture; the Block and MLP listings are nanoGPT's).

Token embedding + positional encoding -> n_layer pre-LayerNorm residual blocks (causal multi-head
self-attention, then a GELU MLP) -> final LayerNorm -> linear head over the vocabulary.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

from textgen.errors import TextgenError
from textgen.linear import Linear  # nn.Linear on oneDNN: twice the fp32 matmul speed here

POS_ENCODINGS = ("sinusoidal", "learned")


@dataclass(frozen=True)
class GPTConfig:
    # Defaults: the seed's quixote-small model (the notebook's 8 * 4 * 256 * 64 tokens per iteration
    # = 32 micro-steps x block 256 x batch 64; layer sizes from the author's repository config, the
    # same as nanoGPT's shakespeare_char).
    block_size: int = 256  # longest context (and the positional table's length)
    vocab_size: int = 24540  # the author's Don Quixote tokenizer; set it from the tokenizer
    n_layer: int = 6
    n_head: int = 6
    n_embd: int = 384
    dropout: float = 0.2  # the seed's translation models use 0.1
    bias: bool = False  # biases in Linear and LayerNorm; False in every seed config
    pos_encoding: str = "sinusoidal"  # the seed's PositionalEncoding listing; "learned" = nanoGPT
    scale_embedding: bool = True  # token embedding times sqrt(n_embd), Vaswani et al. 3.4
    tie_weights: bool = True  # head shares the token embedding matrix (nanoGPT, the author's GPT)

    def __post_init__(self) -> None:
        for name in ("block_size", "vocab_size", "n_layer", "n_head", "n_embd"):
            if getattr(self, name) < 1:
                raise TextgenError(f"{name}: must be >= 1, got {getattr(self, name)}")
        if self.n_embd % self.n_head:
            raise TextgenError(f"n_embd: {self.n_embd} is not divisible by n_head {self.n_head}")
        if self.pos_encoding not in POS_ENCODINGS:
            raise TextgenError(f"pos_encoding: {self.pos_encoding!r} is not one of {POS_ENCODINGS}")
        if self.pos_encoding == "sinusoidal" and self.n_embd % 2:
            raise TextgenError(f"n_embd: sinusoidal encoding needs an even width, got {self.n_embd}")
        if not 0.0 <= self.dropout < 1.0:
            raise TextgenError(f"dropout: must be in [0, 1), got {self.dropout}")


def sinusoidal_encoding(n_positions: int, n_embd: int) -> torch.Tensor:
    """(n_positions, n_embd) table: column 2i is sin(pos / 10000^(2i/n_embd)), column 2i+1 the cosine.

    >>> sinusoidal_encoding(2, 4)
    tensor([[0.0000, 1.0000, 0.0000, 1.0000],
            [0.8415, 0.5403, 0.0100, 0.9999]])
    """
    inv_wavelength = torch.exp(-torch.arange(0, n_embd, 2, dtype=torch.float64) * math.log(10000.0) / n_embd)
    angle = torch.arange(n_positions, dtype=torch.float64)[:, None] * inv_wavelength[None, :]
    table = torch.zeros(n_positions, n_embd, dtype=torch.float64)
    table[:, 0::2] = torch.sin(angle)
    table[:, 1::2] = torch.cos(angle)
    return table.float()


class CausalSelfAttention(nn.Module):
    """Multi-head scaled dot-product attention in which position t sees positions <= t only."""

    def __init__(self, config: GPTConfig):
        super().__init__()
        self.n_head = config.n_head
        self.dropout = config.dropout
        self.c_attn = Linear(config.n_embd, 3 * config.n_embd, bias=config.bias)  # q, k, v at once
        self.c_proj = Linear(config.n_embd, config.n_embd, bias=config.bias)
        self.resid_dropout = nn.Dropout(config.dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(C, dim=2)
        q, k, v = (t.view(B, T, self.n_head, C // self.n_head).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, dropout_p=self.dropout if self.training else 0.0, is_causal=True)
        y = y.transpose(1, 2).contiguous().view(B, T, C)
        return self.resid_dropout(self.c_proj(y))


class MLP(nn.Module):
    def __init__(self, config: GPTConfig):
        super().__init__()
        self.c_fc = Linear(config.n_embd, 4 * config.n_embd, bias=config.bias)
        self.gelu = nn.GELU()
        self.c_proj = Linear(4 * config.n_embd, config.n_embd, bias=config.bias)
        self.dropout = nn.Dropout(config.dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.dropout(self.c_proj(self.gelu(self.c_fc(x))))


class Block(nn.Module):
    """x + attention(LayerNorm(x)), then x + MLP(LayerNorm(x))."""

    def __init__(self, config: GPTConfig):
        super().__init__()
        self.ln_1 = nn.LayerNorm(config.n_embd, bias=config.bias)
        self.attn = CausalSelfAttention(config)
        self.ln_2 = nn.LayerNorm(config.n_embd, bias=config.bias)
        self.mlp = MLP(config)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    def __init__(self, config: GPTConfig):
        super().__init__()
        self.config = config
        self.wte = nn.Embedding(config.vocab_size, config.n_embd)
        if config.pos_encoding == "learned":
            self.wpe = nn.Embedding(config.block_size, config.n_embd)
        else:
            self.register_buffer("pos_table", sinusoidal_encoding(config.block_size, config.n_embd), persistent=False)
        self.drop = nn.Dropout(config.dropout)
        self.h = nn.ModuleList([Block(config) for _ in range(config.n_layer)])
        self.ln_f = nn.LayerNorm(config.n_embd, bias=config.bias)
        self.lm_head = Linear(config.n_embd, config.vocab_size, bias=False)
        if config.tie_weights:
            self.lm_head.weight = self.wte.weight
        self.apply(self._init_weights)
        for name, p in self.named_parameters():  # GPT-2: shrink the residual projections with depth
            if name.endswith("c_proj.weight"):
                nn.init.normal_(p, mean=0.0, std=0.02 / math.sqrt(2 * config.n_layer))

    @staticmethod
    def _init_weights(module: nn.Module) -> None:
        if isinstance(module, (nn.Linear, nn.Embedding)):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)
        if isinstance(module, nn.Linear) and module.bias is not None:
            nn.init.zeros_(module.bias)

    def num_params(self) -> int:
        """Distinct parameters (a tied head is counted once)."""
        return sum(p.numel() for p in self.parameters())

    def features(self, idx: torch.Tensor) -> torch.Tensor:
        """(B, T) token ids -> (B, T, n_embd) after the final LayerNorm."""
        T = idx.size(1)
        if T > self.config.block_size:
            raise TextgenError(f"idx: sequence of {T} tokens is longer than block_size {self.config.block_size}")
        x = self.wte(idx)
        if self.config.scale_embedding:
            x = x * math.sqrt(self.config.n_embd)
        if self.config.pos_encoding == "learned":
            x = x + self.wpe(torch.arange(T, device=idx.device))
        else:
            x = x + self.pos_table[:T]
        x = self.drop(x)
        for block in self.h:
            x = block(x)
        return self.ln_f(x)

    def forward(self, idx: torch.Tensor, targets: torch.Tensor | None = None,
                ignore_index: int = -100) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Logits (B, T, vocab_size) and, given targets (B, T), the mean cross-entropy over the
        positions whose target is not `ignore_index` (pass the tokenizer's pad id to skip padding)."""
        logits = self.lm_head(self.features(idx))
        if targets is None:
            return logits, None
        loss = F.cross_entropy(logits.view(-1, logits.size(-1)), targets.reshape(-1), ignore_index=ignore_index)
        return logits, loss

    @torch.no_grad()
    def generate(self, idx: torch.Tensor, max_new_tokens: int, temperature: float = 1.0, top_k: int | None = None,
                 generator: torch.Generator | None = None, stop_ids: Iterable[int] | None = None) -> torch.Tensor:
        """Append up to `max_new_tokens` tokens to each row of `idx` (B, T), one at a time.

        Each step sees the last block_size tokens. temperature > 0 divides the logits before
        sampling (below 1 sharper, above 1 flatter); temperature <= 0 means greedy decoding, the
        argmax, with no randomness. top_k keeps only the k most likely tokens (k larger than the
        vocabulary means all of them). `generator` makes sampling reproducible. With stop_ids,
        generation ends once every row has produced one of them; a row that has stopped repeats
        its stop id until then. Runs in eval mode (no dropout) and restores the mode after.
        """
        if top_k is not None and top_k < 1:
            raise TextgenError(f"top_k: must be None or >= 1, got {top_k}")
        if max_new_tokens < 0:
            raise TextgenError(f"max_new_tokens: must be >= 0, got {max_new_tokens}")
        stops = torch.tensor(sorted(set(stop_ids or ())), dtype=torch.long, device=idx.device)
        stopped_with = torch.full((idx.size(0),), -1, dtype=torch.long, device=idx.device)
        was_training = self.training
        self.eval()
        try:
            for _ in range(max_new_tokens):
                logits = self.lm_head(self.features(idx[:, -self.config.block_size:])[:, -1, :])
                if temperature <= 0:
                    next_id = logits.argmax(dim=-1)
                else:
                    logits = logits / temperature
                    if top_k is not None:
                        kth = torch.topk(logits, min(top_k, logits.size(-1)), dim=-1).values[:, -1:]
                        logits = logits.masked_fill(logits < kth, float("-inf"))
                    probs = F.softmax(logits, dim=-1)
                    next_id = torch.multinomial(probs, num_samples=1, generator=generator).squeeze(1)
                next_id = torch.where(stopped_with >= 0, stopped_with, next_id)
                idx = torch.cat((idx, next_id[:, None]), dim=1)
                if stops.numel():
                    stopped_with = torch.where((stopped_with < 0) & torch.isin(next_id, stops), next_id, stopped_with)
                    if bool((stopped_with >= 0).all()):
                        break
        finally:
            self.train(was_training)
        return idx
