"""Training: the seed's algorithm (count adjacent pairs inside each chunk, merge the most frequent,
repeat until the vocabulary is full), run by Hugging Face `tokenizers`.

`tokenizers` breaks ties between equally frequent pairs by taking the pair of lowest ids in its
own numbering (bytes ordered by their byte-level character, merged tokens in creation order);
`textgen.bpe.bench.reference_train` spells the same rule out in Python and the tests check that
both learn identical merges.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from tokenizers import Tokenizer as HFTokenizer
from tokenizers import models, pre_tokenizers, trainers

from textgen.bpe.patterns import GPT4_SPLIT_PATTERN
from textgen.bpe.tokenizer import SPECIAL_TOKENS, Tokenizer, byte_level_pipeline, from_byte_level
from textgen.errors import TextgenError


def train_bpe(texts: Iterable[str], vocab_size: int, special_tokens: Sequence[str] = SPECIAL_TOKENS,
              pattern: str = GPT4_SPLIT_PATTERN) -> Tokenizer:
    """Learn `vocab_size - 256 - len(special_tokens)` merges from `texts` (each text is split on
    `pattern` on its own; no chunk spans two texts).

    Ids: 0-255 the bytes, then the merged tokens in the order learned, then the special tokens.

    >>> tok = train_bpe(["aaabdaaabac"], vocab_size=256 + 3 + 3)
    >>> [tok.decode(pair) for pair in tok.merges]
    ['aa', 'ab', 'aaab']
    >>> tok.pad_id, tok.cls_id, tok.sep_id
    (259, 260, 261)
    """
    n_ordinary = vocab_size - len(special_tokens)
    if n_ordinary < 256:
        raise TextgenError(f"vocab_size: {vocab_size} leaves no room for the 256 bytes and "
                           f"{len(special_tokens)} special tokens")
    if len(set(special_tokens)) != len(special_tokens):
        raise TextgenError(f"special_tokens: duplicates in {list(special_tokens)}")
    hf = HFTokenizer(models.BPE())
    hf.pre_tokenizer = byte_level_pipeline(pattern)
    hf.train_from_iterator(texts, trainers.BpeTrainer(
        vocab_size=n_ordinary, show_progress=False, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
    ))
    learned = json.loads(hf.to_str())["model"]["merges"]  # [[left, right], ...] in byte-level spelling

    tokens = [bytes([b]) for b in range(256)]
    index = {t: i for i, t in enumerate(tokens)}
    merges = []
    for left, right in learned:
        a, b = index[from_byte_level(left)], index[from_byte_level(right)]
        merged = tokens[a] + tokens[b]
        if merged not in index:  # two different pairs can spell the same bytes: one id for both
            index[merged] = len(tokens)
            tokens.append(merged)
        merges.append((a, b))
    if len(tokens) < n_ordinary:
        raise TextgenError(f"vocab_size: the training text yields only {len(tokens) + len(special_tokens)} "
                           f"tokens, {vocab_size} asked for")
    specials = {s: len(tokens) + k for k, s in enumerate(special_tokens)}
    return Tokenizer(tokens, merges, specials, pattern)
