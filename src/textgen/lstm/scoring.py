"""What a word-level model says about held-out text: mean loss over windows, and the log-probability
of one sequence, the measure every beam result is checked against.

Windows are non-overlapping and start at 0, each scored from a fresh state as in training, so
every token but the first of a window is predicted exactly once:
loss = sum of -ln p(target) / number of targets, perplexity = exp(loss).

>>> import numpy as np, torch
>>> from textgen.lstm import LSTMConfig, build_model
>>> _ = torch.manual_seed(0)
>>> model = build_model("simple", LSTMConfig(vocab_size=7, embedding_dim=4, hidden_size=4))
>>> loss, n = mean_loss(model, np.arange(21) % 7, seq_len=5, batch_size=2)
>>> n, 1.5 < loss < 2.5  # about ln 7 = 1.95 untrained
(20, True)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn

from textgen.errors import TextgenError
from textgen.lstm.generate import evaluating


def window_starts(n_tokens: int, seq_len: int, limit: int | None = None) -> np.ndarray:
    """Starts of the non-overlapping windows (input seq_len tokens + 1 target), or `limit` of them
    evenly spread over the file.

    >>> window_starts(21, 5).tolist(), window_starts(21, 5, limit=2).tolist()
    ([0, 5, 10, 15], [0, 15])
    """
    n_windows = (n_tokens - 1) // seq_len
    if n_windows < 1:
        raise TextgenError(f"{n_tokens} tokens give no window of {seq_len} + 1")
    starts = np.arange(n_windows) * seq_len
    if limit is not None and limit < n_windows:
        starts = starts[np.linspace(0, n_windows - 1, limit).round().astype(int)]
    return starts


def mean_loss(model: nn.Module, tokens: np.ndarray, seq_len: int, batch_size: int,
              limit: int | None = None) -> tuple[float, int]:
    """(mean cross-entropy in nats, number of predicted tokens) over the windows of `tokens`.

    Batches are consecutive windows, so models whose batch rows interact (the listed attention
    models) see the same batches on every call; batch_size=1 scores each window on its own.
    """
    starts = window_starts(len(tokens), seq_len, limit)
    total, count = 0.0, 0
    was_training = model.training
    model.eval()
    device = next(model.parameters()).device
    with torch.no_grad():
        for i in range(0, len(starts), batch_size):
            positions = starts[i:i + batch_size, None] + np.arange(seq_len + 1)
            chunk = torch.from_numpy(np.asarray(tokens)[positions].astype(np.int64)).to(device)
            logits = model(chunk[:, :-1])
            total += float(F.cross_entropy(logits.flatten(0, 1).float(), chunk[:, 1:].flatten(), reduction="sum"))
            count += chunk[:, 1:].numel()
    model.train(was_training)
    return total / count, count


def target_bytes(byte_lengths: np.ndarray, seq_len: int, limit: int | None = None) -> int:
    """Bytes of text behind the tokens that `mean_loss` predicts over the same windows.

    >>> target_bytes(np.array([9, 1, 2, 3, 4, 5]), seq_len=2)  # windows 0-2 and 2-4 predict 1, 2, 3, 4
    10
    """
    starts = window_starts(len(byte_lengths), seq_len, limit)
    return int(np.asarray(byte_lengths)[starts[:, None] + np.arange(1, seq_len + 1)].sum())


def perplexity(loss: float) -> float:
    return math.exp(loss)


Decode = Callable[[Tensor, object], tuple[Tensor, object]]


def sequence_log_prob(model: nn.Module, ids: Sequence[int], n_prompt: int, decode: Decode | None = None) -> float:
    """Natural-log probability of ids[n_prompt:] given ids[:n_prompt], as decoding computes it:
    the prompt in one call of `decode` (default `model.step`), then one token per call, batch 1.

    >>> import torch
    >>> from textgen.lstm import LSTMConfig, build_model
    >>> from textgen.lstm.beam import beam_search
    >>> _ = torch.manual_seed(0)
    >>> model = build_model("simple", LSTMConfig(vocab_size=6, embedding_dim=4, hidden_size=4))
    >>> seq, score = beam_search(model, [1], max_new=3, k=2)[0]
    >>> abs(sequence_log_prob(model, seq, 1) - score) < 1e-5
    True
    """
    if not 1 <= n_prompt <= len(ids):
        raise TextgenError(f"n_prompt must lie in 1..{len(ids)}, got {n_prompt}")
    decode = decode or model.step
    device = next(model.parameters()).device
    total = 0.0
    with evaluating(model):
        logits, state = decode(torch.tensor([list(ids[:n_prompt])], device=device), None)
        for position in range(n_prompt, len(ids)):
            total += float(F.log_softmax(logits[0, -1].double(), dim=-1)[ids[position]])
            if position + 1 < len(ids):
                logits, state = decode(torch.tensor([[ids[position]]], device=device), state)
    return total
