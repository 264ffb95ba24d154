"""Attention masks for the translation Transformer, built as the seed builds them.

Layout is sequence-first, as in the seed and nn.Transformer's default: token ids are (T, B).
nn.Transformer masks come in two kinds: an attention mask (T, T) shared by the whole batch,
either float (added to the scores) or bool (True = may not attend), and a key padding mask (B, T),
True where the key is padding.

    >>> square_mask(3)
    tensor([[0., -inf, -inf],
            [0., 0., -inf],
            [0., 0., 0.]])
    >>> padding_mask(torch.tensor([[5, 6], [7, 0]]), pad_id=0)  # two sequences: [5, 7] and [6, PAD]
    tensor([[False, False],
            [False,  True]])
"""

from __future__ import annotations

import torch


def square_mask(size: int, device: torch.device | str | None = None) -> torch.Tensor:
    """Causal mask (size, size): 0.0 where query i may see key j <= i, -inf above the diagonal.

    Float rather than bool because the seed's is: -inf added to a score makes its softmax weight 0.
    """
    allowed = torch.tril(torch.ones(size, size, device=device, dtype=torch.bool))
    return torch.zeros(size, size, device=device).masked_fill(~allowed, float("-inf"))


def padding_mask(ids: torch.Tensor, pad_id: int) -> torch.Tensor:
    """(T, B) ids -> (B, T) bool, True at padding: transposed because nn.Transformer wants batch first here."""
    return (ids == pad_id).transpose(0, 1)


def create_masks(src: torch.Tensor, tgt: torch.Tensor, pad_id: int) -> tuple[torch.Tensor, ...]:
    """The seed's four masks for a (S, B) source and (T, B) target batch.

    Returns (src_mask, tgt_mask, src_padding_mask, tgt_padding_mask):
    src_mask (S, S) all False (the encoder sees the whole source), tgt_mask the causal
    `square_mask(T)`, and the two (B, S) / (B, T) padding masks.
    """
    src_mask = torch.zeros(src.size(0), src.size(0), device=src.device, dtype=torch.bool)
    tgt_mask = square_mask(tgt.size(0), device=tgt.device)
    return src_mask, tgt_mask, padding_mask(src, pad_id), padding_mask(tgt, pad_id)


def additive(mask: torch.Tensor) -> torch.Tensor:
    """Bool mask (True = masked) -> float mask (-inf = masked) with the same meaning.

    The decoder's self-attention gets the float causal mask together with the target padding
    mask; torch deprecates mixing a float and a bool mask in one call, so the padding one is
    converted (nn.MultiheadAttention would convert it to exactly this itself).
    """
    return torch.zeros(mask.shape, device=mask.device).masked_fill(mask, float("-inf"))
