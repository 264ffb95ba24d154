"""Write text with a word-level model: greedy or sampled with a temperature (the seed's `write`).

Listing 1's write feeds `(hidden, cell)` before they exist; here the prompt goes through
`model.step` once and every new word is one more `step` on the carried state, which gives the
same logits as running the whole text through `forward` (and costs one token per word).

>>> import torch
>>> from textgen.lstm import LSTMConfig, WordLSTM
>>> _ = torch.manual_seed(0)
>>> model = WordLSTM(LSTMConfig(vocab_size=3, embedding_dim=4, hidden_size=4))
>>> words = ["<unk>", "Harry", "said"]
>>> out = write(model, {w: i for i, w in enumerate(words)}, words, ["Harry"], max_words=4, greedy=True)
>>> len(out), out[0]
(5, 'Harry')
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator, Mapping, Sequence

import torch
import torch.nn.functional as F
from torch import nn

from textgen.errors import TextgenError

IdToWord = Mapping[int, str] | Sequence[str]


def encode(words: Sequence[str], word2idx: Mapping[str, int]) -> list[int]:
    """Ids of a prompt; an unknown word is an error that names it."""
    if isinstance(words, str):
        raise TextgenError(f"prompt must be a list of words, got the string {words!r}")
    if not words:
        raise TextgenError("prompt must have at least one word")
    for word in words:
        if word not in word2idx:
            raise TextgenError(
                f"prompt word {word!r} is not in the vocabulary ({len(word2idx)} words); replace it by "
                f"the unknown token (e.g. '<unk>' if the vocabulary has it) or choose another prompt")
    return [word2idx[word] for word in words]


_AS_LISTED = contextvars.ContextVar("decode_as_listed", default=False)


@contextlib.contextmanager
def as_listed() -> Iterator[None]:
    """Decode inside this block as the listings' code does: eval mode only, autograd on and
    torch's default LSTM kernels (what `textgen bench-lstm` times as the listing's decoding)."""
    token = _AS_LISTED.set(True)
    try:
        yield
    finally:
        _AS_LISTED.reset(token)


@contextlib.contextmanager
def evaluating(model: nn.Module) -> Iterator[None]:
    """Eval mode, no gradients and PyTorch's native LSTM kernels for the block; then as before.

    PyTorch runs CPU LSTMs with oneDNN by default: faster on training batches, but its per-call
    setup makes one-word steps of Figure 13 models 2-5x slower than the native kernel. Inside
    `as_listed()`, eval mode only.
    """
    was_training, onednn = model.training, torch.backends.mkldnn.enabled
    model.eval()
    if _AS_LISTED.get():
        try:
            yield
        finally:
            model.train(was_training)
        return
    torch.backends.mkldnn.enabled = False
    try:
        with torch.no_grad():
            yield
    finally:
        model.train(was_training)
        torch.backends.mkldnn.enabled = onednn


def write(model: nn.Module, word2idx: Mapping[str, int], idx2word: IdToWord, prompt_words: Sequence[str],
          max_words: int, greedy: bool = False, temperature: float = 1.0,
          generator: torch.Generator | None = None, decode=None) -> list[str]:
    """The prompt followed by `max_words` generated words.

    Greedy takes the most probable word; otherwise the next word is drawn from
    softmax(logits / temperature) using `generator` (seed it for reproducible samples). `decode`
    (ids, state) -> (logits, state) is the recurrence, `model.step` unless given (the listed
    attention models also have Listing 5's, `model.listing_step`).
    """
    ids = encode(prompt_words, word2idx)
    return [idx2word[i] for i in [*ids, *next_words(model, ids, max_words, greedy, temperature, generator, decode)]]


def next_words(model: nn.Module, ids: Sequence[int], max_words: int, greedy: bool = False, temperature: float = 1.0,
               generator: torch.Generator | None = None, decode=None) -> Iterator[int]:
    """`write`'s generated ids one at a time, as they are drawn (`textgen generate` streams them)."""
    decode = decode or model.step
    if not isinstance(max_words, int) or max_words < 0:
        raise TextgenError(f"max_words must be a non-negative integer, got {max_words!r}")
    if not greedy and not temperature > 0:
        raise TextgenError(f"temperature must be positive when sampling, got {temperature!r}")
    device = next(model.parameters()).device
    with evaluating(model):
        logits, state = decode(torch.tensor([list(ids)], device=device), None)
        for n in range(max_words):
            last = logits[0, -1]
            if greedy:
                next_id = int(last.argmax())
            else:
                next_id = int(torch.multinomial(F.softmax(last / temperature, dim=-1), 1, generator=generator))
            yield next_id
            if n + 1 < max_words:
                logits, state = decode(torch.tensor([[next_id]], device=device), state)
