"""Token-id lists -> padded, sequence-first LongTensors, the layout the model and masks expect.

Both sides of a pair are wrapped as [BOS] ids [EOS]. The target then serves twice, shifted by one:
tgt[:-1] ([BOS] ids) is what the decoder reads, tgt[1:] (ids [EOS]) what it must predict.
The seed does not show its collate step; wrapping both sides is the convention of the PyTorch
nn.Transformer translation tutorial, whose masks and positional encoding the seed's match.

    >>> src, tgt = collate([([5, 6], [7]), ([8], [9, 9, 9])], bos_id=1, eos_id=2, pad_id=0)
    >>> src.T.tolist()
    [[1, 5, 6, 2], [1, 8, 2, 0]]
    >>> tgt.T.tolist()
    [[1, 7, 2, 0, 0], [1, 9, 9, 9, 2]]
"""

from __future__ import annotations

from collections.abc import Sequence

import torch


def pad(seqs: Sequence[Sequence[int]], pad_id: int) -> torch.Tensor:
    """Right-pad id lists to the longest and stack them as columns: (T, B) int64."""
    out = torch.full((max(map(len, seqs)), len(seqs)), pad_id, dtype=torch.long)
    for j, seq in enumerate(seqs):
        out[: len(seq), j] = torch.as_tensor(seq, dtype=torch.long)
    return out


def wrap(ids: Sequence[int], bos_id: int, eos_id: int) -> list[int]:
    return [bos_id, *ids, eos_id]


def collate(pairs: Sequence[tuple[Sequence[int], Sequence[int]]], bos_id: int, eos_id: int,
            pad_id: int) -> tuple[torch.Tensor, torch.Tensor]:
    """(source ids, target ids) pairs -> (src (S, B), tgt (T, B)), both wrapped and padded."""
    return (pad([wrap(s, bos_id, eos_id) for s, _ in pairs], pad_id),
            pad([wrap(t, bos_id, eos_id) for _, t in pairs], pad_id))
