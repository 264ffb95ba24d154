"""The texts written at every evaluation: the seed's `write` (sampled), its `write_better` (the
listed beam search, defects kept) and a correct beam search, each beam with what the seed reports
as its probability and with the true log-probability the model gives it.

The seed prompted its Harry Potter models with "Spells", a word of the books' own world that
opens sentences. Our stand-in corpus is Pride and Prejudice, so the default prompt is
"Elizabeth": its heroine's name, the book's most frequent capitalised word after "I" and "Mr."
(513 times in the training split), which opens many of its sentences.

>>> import torch
>>> from textgen.lstm import LSTMConfig, build_model
>>> from textgen.words import build_vocab
>>> _ = torch.manual_seed(0)
>>> vocab = build_vocab({"Elizabeth": 3, "said": 2, ".": 2}, min_count=1)
>>> model = build_model("simple", LSTMConfig(vocab_size=len(vocab), embedding_dim=4, hidden_size=4))
>>> out = write_texts(model, vocab, ["Elizabeth"], max_words=3, beam_k=2, beam_max_words=2, seed=0)
>>> out["text"].startswith("Elizabeth"), [(b["method"], b["rank"]) for b in out["beams"]]
(True, [('write_better_seed', 1), ('write_better_seed', 2), ('beam_search', 1), ('beam_search', 2)])
"""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import nn

from textgen.lstm.beam import beam_search, write_better_seed
from textgen.lstm.generate import write
from textgen.lstm.scoring import sequence_log_prob
from textgen.words import Vocab, detokenize


def write_texts(model: nn.Module, vocab: Vocab, prompt: list[str], max_words: int, beam_k: int,
                beam_max_words: int, seed: int) -> dict[str, Any]:
    """{"text": sampled text, "beams": [{method, rank, probability, log10_score, log_prob, text}]}.

    `probability` is what the seed prints, exp(sum of log10 p) (for beam_search: exp(log p), the
    real probability); `log_prob` is the natural-log probability of the continuation as the
    model's decoding recurrence computes it for that one sequence. The sample is drawn with a
    generator seeded by `seed`, so it does not depend on what ran before.
    """
    words = write(model, vocab.word2idx, vocab.idx2word, prompt, max_words,
                  generator=torch.Generator().manual_seed(seed))
    beams = []
    seed_rows, reported = write_better_seed(model, vocab.word2idx, vocab.idx2word, prompt, beam_max_words, beam_k)
    listing = getattr(model, "listing_step", None)  # the recurrence the listed write_better decodes with
    for rank, (row, probability) in enumerate(zip(seed_rows, reported.tolist()), start=1):
        ids = vocab.encode(row)
        beams.append({"method": "write_better_seed", "rank": rank, "probability": probability,
                      "log10_score": math.log(probability) if probability > 0 else -math.inf,
                      "log_prob": sequence_log_prob(model, ids, len(prompt), listing), "text": detokenize(row)})
    for rank, (ids, log_prob) in enumerate(beam_search(model, vocab.encode(prompt), beam_max_words, beam_k), start=1):
        beams.append({"method": "beam_search", "rank": rank, "probability": math.exp(log_prob),
                      "log10_score": log_prob / math.log(10), "log_prob": log_prob,
                      "text": detokenize(vocab.decode(ids))})
    return {"text": detokenize(words), "beams": beams}
