"""Held-out loss of a language model on a whole token stream, per token and per byte.

Per-token losses of models with different tokenizers do not compare (a bigger vocabulary makes
fewer, harder predictions); the loss per byte of text does. Every token after the first is
predicted exactly once, from consecutive windows of up to block_size tokens of context.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from textgen.gpt.model import GPT


@torch.no_grad()
def heldout_loss(model: GPT, tokens: torch.Tensor, byte_lengths: torch.Tensor, batch_size: int = 16) -> dict:
    """Summed cross-entropy (nats) of `tokens[1:]` given what precedes them (at most block_size
    tokens back, restarting at each window), divided by the token count and by the bytes those
    tokens stand for (`byte_lengths[id]`).

    >>> from textgen.gpt.model import GPTConfig
    >>> model = GPT(GPTConfig(vocab_size=4, block_size=2, n_layer=1, n_head=1, n_embd=2))
    >>> _ = torch.nn.init.zeros_(model.lm_head.weight)  # uniform over 4 ids: ln 4 nats per token
    >>> r = heldout_loss(model, torch.tensor([0, 1, 2, 3, 0, 1]), torch.tensor([1, 2, 3, 4]))
    >>> r["tokens"], r["bytes"]  # targets 1 2 3 0 1: 2 + 3 + 4 + 1 + 2 bytes
    (5, 12)
    >>> round(r["loss_per_token"] / math.log(4), 6), round(r["loss_per_byte"] * 12 / 5 / math.log(4), 6)
    (1.0, 1.0)
    """
    block = model.config.block_size
    was_training = model.training
    model.eval()
    total = 0.0
    try:
        for rows in window_batches(tokens, block, batch_size):
            total += _summed_loss(model, rows)
    finally:
        model.train(was_training)
    return loss_summary(total, tokens.numel() - 1, int(byte_lengths[tokens[1:]].sum()))


def window_batches(tokens: torch.Tensor, window: int, batch_size: int):
    """Consecutive windows of `window` + 1 tokens, each starting on the last token of the one
    before (so every token after the first is a target once), stacked `batch_size` at a time; the
    last, shorter window comes alone.

    >>> [b.tolist() for b in window_batches(torch.arange(6), window=2, batch_size=2)]
    [[[0, 1, 2], [2, 3, 4]], [[4, 5]]]
    """
    starts = list(range(0, tokens.numel() - 1, window))
    full = [s for s in starts if s + window + 1 <= tokens.numel()]
    for k in range(0, len(full), batch_size):
        yield torch.stack([tokens[s:s + window + 1] for s in full[k:k + batch_size]])
    for s in starts[len(full):]:
        yield tokens[s:][None, :]


def loss_summary(total: float, tokens: int, n_bytes: int) -> dict:
    """A summed cross-entropy in nats over `tokens` predictions that stand for `n_bytes` bytes of
    text, as heldout.json records it (every language model of the report, in these units).

    >>> loss_summary(8 * math.log(2), tokens=4, n_bytes=8)["bits_per_byte"]
    1.0
    """
    per_token, per_byte = total / tokens, total / n_bytes
    return {
        "tokens": tokens,
        "bytes": n_bytes,
        "loss_per_token": per_token,
        "loss_per_byte": per_byte,
        "bits_per_byte": per_byte / math.log(2),
        "perplexity": math.exp(per_token),
    }


def _summed_loss(model: GPT, rows: torch.Tensor) -> float:
    logits, _ = model(rows[:, :-1])
    return float(F.cross_entropy(logits.flatten(0, 1), rows[:, 1:].flatten(), reduction="sum"))
