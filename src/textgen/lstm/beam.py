"""Beam search: the seed's `write_better` with its defects, and a correct batched beam search.

>>> import torch
>>> from textgen.lstm import LSTMConfig, WordLSTM
>>> _ = torch.manual_seed(0)
>>> model = WordLSTM(LSTMConfig(vocab_size=5, embedding_dim=4, hidden_size=4))
>>> best = beam_search(model, [0], max_new=3, k=2)
>>> len(best), len(best[0][0]), best[0][1] >= best[1][1]
(2, 4, True)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from textgen.errors import TextgenError
from textgen.lstm.generate import IdToWord, encode, evaluating


def write_better_seed(model: nn.Module, word2idx: Mapping[str, int], idx2word: IdToWord,
                      prompt_words: Sequence[str], max_words: int, k: int = 1) -> tuple[list[list[str]], Tensor]:
    """Listing 6 (`write_better`) as listed, DEFECTS INCLUDED; use `beam_search` for real results.

    Returns k word lists (prompt + max_words words) and what the seed reports as their
    probabilities. The listing runs k copies of the prompt as one batch and at every step keeps
    the k largest next-word probabilities over all rows, then:

    - appends the j-th chosen word to row j and adds its log10 probability to row j's score,
      while the chosen word came from row src[j] whose state it continues: hidden and cell
      states are reordered by src, token histories and scores are not, so a returned row
      mixes beams and its score belongs to no single path;
    - ranks by the next word's probability alone, not by the path's cumulative score;
    - reports exp(sum of log10 p), which is neither the probability nor its log;
    - starts from k identical rows, so on a model whose batch rows are independent all rows pick
      the same word every step (k copies of greedy decoding); the listed attention models only
      diverge because their state reshape mixes rows (attention.py).

    The listed attention models decode with `listing_step` (Listings 5-6's recurrence), other
    models with `step`. Deviation: the listing turns an n-word prompt into n*k one-word rows and
    then crashes; here it is k rows of the n-word prompt (the same for the seed's one-word prompts).
    """
    if not isinstance(k, int) or k < 1:
        raise TextgenError(f"k must be a positive integer, got {k!r}")
    if not isinstance(max_words, int) or max_words < 0:
        raise TextgenError(f"max_words must be a non-negative integer, got {max_words!r}")
    decode = getattr(model, "listing_step", model.step)
    device = next(model.parameters()).device
    rows = torch.tensor([encode(prompt_words, word2idx)] * k, device=device)
    scores = torch.zeros(k, device=device)
    with evaluating(model):
        logits, state = decode(rows, None)
        for n in range(max_words):
            if n > 0:
                logits, state = decode(rows[:, -1:], state)
            probs = F.softmax(logits[:, -1], dim=-1)  # (k, vocab)
            top, flat = torch.topk(probs.flatten(), k, sorted=False)
            src, word = flat // probs.size(1), flat % probs.size(1)
            rows = torch.cat([rows, word[:, None]], dim=1)  # defect: row j keeps its own history
            scores = scores + torch.log10(top)  # defect: ... and its own score
            state = model.reorder_state(state, src)  # only the state follows the chosen row
    return [[idx2word[int(i)] for i in row] for row in rows], torch.exp(scores)


def beam_search(model: nn.Module, prompt_ids: Sequence[int], max_new: int, k: int) -> list[tuple[list[int], float]]:
    """The k most probable continuations of `prompt_ids` found by beam search, best first.

    Each result is (prompt + max_new ids, natural-log probability of the continuation given the
    prompt). The beams are one batch; after every step their states, histories and scores are
    reordered together. It starts from the single prompt (not k copies of it), so with
    k >= vocab ** (max_new - 1) it keeps every prefix and returns the exact top k.
    Models whose batch rows interact (`batch_independent = False`) step their beams with
    `rows_alone=True`, so every score is the probability the model gives that sequence on its own.
    """
    if not isinstance(k, int) or k < 1:
        raise TextgenError(f"k must be a positive integer, got {k!r}")
    if not isinstance(max_new, int) or max_new < 0:
        raise TextgenError(f"max_new must be a non-negative integer, got {max_new!r}")
    if len(prompt_ids) == 0:
        raise TextgenError("beam_search needs a prompt of at least one token")
    device = next(model.parameters()).device
    seqs = torch.tensor([list(prompt_ids)], device=device)
    scores = torch.zeros(1, dtype=torch.float64, device=device)
    with evaluating(model):
        logits, state = _step(model, seqs, None)
        for n in range(max_new):
            logp = F.log_softmax(logits[:, -1].double(), dim=-1)  # (beams, vocab)
            total = (scores[:, None] + logp).flatten()
            scores, flat = total.topk(min(k, total.numel()))  # sorted, best first
            src, word = flat // logp.size(1), flat % logp.size(1)
            seqs = torch.cat([seqs[src], word[:, None]], dim=1)
            if n + 1 < max_new:
                logits, state = _step(model, word[:, None], model.reorder_state(state, src))
    return [(seq.tolist(), float(score)) for seq, score in zip(seqs, scores)]


def _step(model: nn.Module, ids: Tensor, state: Any) -> tuple[Tensor, Any]:
    """model.step on all beams, each as if alone."""
    return model.step(ids, state) if model.batch_independent else model.step(ids, state, rows_alone=True)
