"""Token files: raw little-endian int32, one id after another, as the seed's memmaps.

Raw arrays have no header, so any tool opens them with `numpy.memmap(path, dtype=np.int32,
mode='r')`; meta.json next to them records the dtype and the count.

>>> import tempfile
>>> path = Path(tempfile.mkdtemp()) / "tokens_train.int32"
>>> write_tokens(path, [5, 1, 4])
>>> open_tokens(path).tolist()
[5, 1, 4]
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

import numpy as np

from textgen.errors import TextgenError
from textgen.io import atomic_path

TOKEN_DTYPE = np.dtype("<i4")  # little-endian int32 on every machine, so files are portable


def write_tokens(path: str | os.PathLike, ids: Sequence[int] | np.ndarray) -> None:
    """Write token ids as raw little-endian int32 (atomically)."""
    array = np.asarray(ids)
    if array.size and (array.min() < 0 or array.max() > np.iinfo(TOKEN_DTYPE).max):
        raise TextgenError(f"{path}: token ids must lie in [0, 2**31), got {array.min()}..{array.max()}")
    with atomic_path(path) as tmp:
        array.astype(TOKEN_DTYPE).tofile(tmp)


def open_tokens(path: str | os.PathLike) -> np.memmap:
    """Map a token file read-only; a missing, empty or truncated file raises a TextgenError."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise TextgenError(f"{path}: token file not found") from None
    if size == 0 or size % TOKEN_DTYPE.itemsize:
        raise TextgenError(f"{path}: {size} bytes is not a non-empty array of int32 tokens")
    return np.memmap(path, dtype=TOKEN_DTYPE, mode="r")
