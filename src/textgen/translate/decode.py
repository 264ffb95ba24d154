"""Turning a trained translation Transformer into translations: greedy decoding and beam search.

Both wrap the source as in training ([BOS] ids [EOS]), encode it once, and grow the target from
[BOS] one token per step, re-running the decoder over the whole prefix (nn.Transformer keeps no
key/value cache). Decoding stops at [EOS] or after `max_len` generated tokens, [EOS] included;
returned ids hold neither [BOS] nor [EOS].

Beam search ranks finished hypotheses by length-normalised log-probability,

    score = log P(y_1 .. y_L | source) / L ** alpha,

where L counts the generated tokens including [EOS] (a hypothesis cut off at max_len has no
[EOS], and L = max_len). alpha = 0 is the raw log-probability, which favours short outputs because
every token adds a negative term; alpha = 1 (default) is the mean log-probability per token.
The beam shrinks as hypotheses finish: each step keeps the best (beam_size - finished) of all
one-token extensions, so beam_size=1 is exactly greedy decoding, and a beam at least as large as
the number of possible outputs is exhaustive search.

    >>> from textgen.translate.config import TranslationConfig
    >>> from textgen.translate.model import Seq2SeqTransformer
    >>> _ = torch.manual_seed(0)
    >>> model = Seq2SeqTransformer(TranslationConfig(vocab_size=8, n_embd=16, n_head=2, n_feedforward=32,
    ...                                              n_encoder_layer=1, n_decoder_layer=1))
    >>> out = translate(model, [[3, 4], [5]], bos_id=1, eos_id=2, max_len=6)  # a batch: one list each
    >>> len(out), all(len(ids) <= 6 and 2 not in ids for ids in out)
    (2, True)
    >>> translate(model, [3, 4], 1, 2, max_len=6, beam_size=1) == out[0]  # one sentence
    True
"""

from __future__ import annotations

import contextlib
import numbers
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import torch

from textgen.errors import TextgenError
from textgen.translate.batch import pad, wrap
from textgen.translate.masks import padding_mask
from textgen.translate.model import Seq2SeqTransformer


@dataclass
class Hypothesis:
    ids: list[int]  # generated tokens without [BOS] and [EOS]
    logprob: float  # sum of the log-probabilities of all generated tokens, [EOS] included
    length: int  # generated tokens, [EOS] included: len(ids) + 1 if it ended, else len(ids) = max_len

    def score(self, alpha: float) -> float:
        return self.logprob / self.length**alpha


@contextlib.contextmanager
def _evaluating(model: torch.nn.Module) -> Iterator[None]:
    """Eval mode (no dropout) and no autograd for the block; the previous mode is restored after."""
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            yield
    finally:
        model.train(was_training)


def _encode(model: Seq2SeqTransformer, sources: Sequence[Sequence[int]], bos_id: int, eos_id: int):
    device = next(model.parameters()).device
    src = pad([wrap(s, bos_id, eos_id) for s in sources], model.config.pad_id).to(device)
    src_pad = padding_mask(src, model.config.pad_id)
    return model.encode(src, src_pad=src_pad), src_pad


def greedy(model: Seq2SeqTransformer, sources: Sequence[Sequence[int]], bos_id: int, eos_id: int,
           max_len: int) -> list[list[int]]:
    """Most probable next token at every step, for a batch of sources at once."""
    with _evaluating(model):
        memory, src_pad = _encode(model, sources, bos_id, eos_id)
        ys = torch.full((1, len(sources)), bos_id, dtype=torch.long, device=memory.device)
        done = torch.zeros(len(sources), dtype=torch.bool, device=memory.device)
        for _ in range(max_len):
            # Rows that already ended keep going until all have; what follows their [EOS] is cut below.
            token = model.decode(ys, memory, src_pad, last_only=True).argmax(-1)
            ys = torch.cat([ys, token[None]])
            done |= token == eos_id
            if done.all():
                break
    return [ids[: ids.index(eos_id)] if eos_id in ids else ids for ids in ys[1:].T.tolist()]


def beam_search(model: Seq2SeqTransformer, source: Sequence[int], bos_id: int, eos_id: int, max_len: int,
                beam_size: int, alpha: float = 1.0) -> list[Hypothesis]:
    """All finished hypotheses of one source, best first by `Hypothesis.score(alpha)`."""
    with _evaluating(model):
        memory, src_pad = _encode(model, [source], bos_id, eos_id)
        prefixes = torch.full((1, 1), bos_id, dtype=torch.long, device=memory.device)  # (t, alive)
        logprobs = torch.zeros(1, device=memory.device)
        finished: list[Hypothesis] = []
        for step in range(1, max_len + 1):
            alive = prefixes.size(1)
            logp = model.decode(prefixes, memory.expand(-1, alive, -1), src_pad.expand(alive, -1),
                                last_only=True).log_softmax(-1)
            vocab = logp.size(-1)
            top = (logprobs[:, None] + logp).flatten().topk(min(beam_size - len(finished), alive * vocab))
            keep, tokens, kept_logprobs = [], [], []
            for value, index in zip(top.values.tolist(), top.indices.tolist(), strict=True):
                parent, token = divmod(index, vocab)
                if token == eos_id:
                    finished.append(Hypothesis(prefixes[1:, parent].tolist(), value, step))
                else:
                    keep.append(parent)
                    tokens.append(token)
                    kept_logprobs.append(value)
            if not keep:
                break
            prefixes = torch.cat([prefixes[:, keep], torch.tensor([tokens], device=prefixes.device)])
            logprobs = torch.tensor(kept_logprobs, device=prefixes.device)
        else:  # max_len reached: what is still open is cut off there
            finished += [Hypothesis(prefixes[1:, j].tolist(), lp, max_len) for j, lp in enumerate(logprobs.tolist())]
    return sorted(finished, key=lambda h: h.score(alpha), reverse=True)


def translate(model: Seq2SeqTransformer, src_ids: Sequence[int] | Sequence[Sequence[int]], bos_id: int,
              eos_id: int, max_len: int, beam_size: int = 1, alpha: float = 1.0) -> list[int] | list[list[int]]:
    """Translate one source (a list of ids) or a batch (a list of lists): same shape out.

    beam_size=1 is greedy (batched); beam_size > 1 runs beam search, one source at a time.
    """
    if max_len < 1:
        raise TextgenError(f"max_len: must be at least 1, got {max_len}")
    if beam_size < 1:
        raise TextgenError(f"beam_size: must be at least 1, got {beam_size}")
    single = len(src_ids) == 0 or isinstance(src_ids[0], numbers.Integral)
    sources = [src_ids] if single else src_ids
    if beam_size == 1:
        out = greedy(model, sources, bos_id, eos_id, max_len)
    else:
        out = [beam_search(model, s, bos_id, eos_id, max_len, beam_size, alpha)[0].ids for s in sources]
    return out[0] if single else out


def sequence_logprob(model: Seq2SeqTransformer, source: Sequence[int], output: Sequence[int], bos_id: int,
                     eos_id: int, max_len: int) -> float:
    """log P(output | source) in one teacher-forced pass, [EOS] included unless len(output) == max_len.

    The same quantity `Hypothesis.logprob` accumulates step by step, computed independently.
    """
    with _evaluating(model):
        device = next(model.parameters()).device
        src = pad([wrap(source, bos_id, eos_id)], model.config.pad_id).to(device)
        tgt = torch.tensor([bos_id, *output, *([eos_id] if len(output) < max_len else [])], device=device)[:, None]
        logp = model(src, tgt[:-1]).log_softmax(-1)[:, 0]  # (L, vocab)
        return logp.gather(1, tgt[1:]).sum().item()
