"""Training windows over a token file, for the Lightning path and the custom loop.

A window starting at i is the input tokens[i : i+seq_len] and the target tokens[i+1 : i+seq_len+1]
(the next word at every position), so a file of n tokens has n - seq_len windows. The seed's
dataset cut windows of seq_len tokens and returned seq_len-1 of them as input; here the input
is seq_len long, so `seq_len` means what the model sees.

>>> import tempfile
>>> from textgen.words.memmap import write_tokens
>>> path = Path(tempfile.mkdtemp()) / "tokens_val.int32"
>>> write_tokens(path, [10, 11, 12, 13, 14])
>>> windows = WindowDataset(path, seq_len=3)
>>> len(windows), windows[1]
(2, (tensor([11, 12, 13]), tensor([12, 13, 14])))
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import torch
from torch.utils.data import Dataset

from textgen.errors import TextgenError
from textgen.words.memmap import open_tokens


class WindowDataset(Dataset):
    """Every window of a token file, as (input, target) int64 tensors of length `seq_len`."""

    def __init__(self, memmap_path: str | os.PathLike, seq_len: int):
        self.path = Path(memmap_path)
        self.seq_len = seq_len
        self.n_windows = _count_windows(len(open_tokens(self.path)), seq_len, self.path)
        self._tokens: np.memmap | None = None  # opened on first use, in each DataLoader worker

    def __len__(self) -> int:
        return self.n_windows

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        if not 0 <= index < self.n_windows:
            raise IndexError(f"window {index} out of range for {self.n_windows} windows")
        if self._tokens is None:
            self._tokens = open_tokens(self.path)
        chunk = torch.from_numpy(self._tokens[index:index + self.seq_len + 1].astype(np.int64))
        return chunk[:-1], chunk[1:]

    def __getstate__(self) -> dict:
        # Send workers the path, not the mapped array (pickling a memmap copies all of it).
        return {**self.__dict__, "_tokens": None}


def random_batch(tokens: np.ndarray, batch_size: int, seq_len: int,
                 generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """`batch_size` windows at uniformly random starts, as (input, target) int64 tensors of shape
    (batch_size, seq_len): the custom training loop's batches. The same generator state gives
    the same batch.

    >>> x, y = random_batch(np.arange(100), 4, 8, torch.Generator().manual_seed(0))
    >>> x.shape, bool((y == x + 1).all())
    (torch.Size([4, 8]), True)
    """
    n_windows = _count_windows(len(tokens), seq_len, "tokens")
    starts = torch.randint(0, n_windows, (batch_size,), generator=generator)
    positions = starts[:, None] + torch.arange(seq_len + 1)
    # Fancy indexing reads only the pages these windows touch, even on a memmap.
    chunk = torch.from_numpy(np.asarray(tokens)[positions.numpy()].astype(np.int64))
    return chunk[:, :-1], chunk[:, 1:]


def _count_windows(n_tokens: int, seq_len: int, source: object) -> int:
    if type(seq_len) is not int or seq_len < 1:
        raise TextgenError(f"seq_len: expected an integer >= 1, got {seq_len!r}")
    if n_tokens <= seq_len:
        raise TextgenError(f"{source}: {n_tokens} tokens give no window of seq_len {seq_len} "
                           f"(needs at least {seq_len + 1})")
    return n_tokens - seq_len
