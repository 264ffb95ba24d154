"""Token streams for the decoder-only models: each split encoded once, [SEP] before every text and
after it (a document in the stream format, a sentence or a poem otherwise), and random windows
of block_size tokens drawn from the training stream.

>>> from textgen.bpe import train_bpe
>>> tok = train_bpe(["ab ab"], vocab_size=256 + 3)
>>> encode_texts(tok, ["ab", "b"]).tolist() == [tok.sep_id, 97, 98, tok.sep_id, 98, tok.sep_id]
True
"""

from __future__ import annotations

import torch

from textgen.bpe import Tokenizer
from textgen.bpe.corpus import first_bytes, joined
from textgen.errors import TextgenError


def encode_texts(tokenizer: Tokenizer, texts: list[str]) -> torch.Tensor:
    """[SEP] t1 [SEP] t2 [SEP] ... as one int64 tensor: every text starts after a [SEP], as a
    generation prompt does."""
    sep = tokenizer.sep_id
    if sep is None:
        raise TextgenError("tokenizer: has no [SEP] token, which separates the texts of a corpus")
    ids = [sep]
    for encoded in tokenizer.encode_batch(texts):
        ids += encoded
        ids.append(sep)
    return torch.tensor(ids, dtype=torch.long)


def encode_splits(tokenizer: Tokenizer, parts: dict[str, list[list[str]]], fmt: str,
                  test_bytes: int = 0) -> dict[str, torch.Tensor]:
    """split name -> token stream, from `textgen.bpe.corpus.split_corpus` output; the test stream
    holds the first `test_bytes` of the test split (`first_bytes`; 0: all of it)."""
    return {name: encode_texts(tokenizer, first_bytes(joined(docs, fmt), test_bytes if name == "test" else 0))
            for name, docs in parts.items()}


def byte_lengths(tokenizer: Tokenizer) -> torch.Tensor:
    """UTF-8 bytes each id stands for; a special token counts as one byte (it stands for one
    separator, as a newline would), so a per-byte loss does not depend on how it is spelled.

    >>> from textgen.bpe import train_bpe
    >>> lengths = byte_lengths(train_bpe(["ab ab"], vocab_size=256 + 1 + 3))
    >>> lengths[97].item(), lengths[256].item(), lengths[-1].item()
    (1, 2, 1)
    """
    special = set(tokenizer.special_tokens.values())
    return torch.tensor([1 if i in special else len(tokenizer.token_bytes(i)) for i in range(tokenizer.vocab_size)],
                        dtype=torch.long)


def random_windows(tokens: torch.Tensor, batch_size: int, block_size: int,
                   generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """`batch_size` windows at uniformly random offsets: inputs (B, T) and the targets one
    position later."""
    if tokens.numel() < block_size + 2:
        raise TextgenError(f"block_size: {block_size} needs at least {block_size + 2} tokens in a split, "
                           f"it has {tokens.numel()}")
    starts = torch.randint(0, tokens.numel() - block_size - 1, (batch_size,), generator=generator)
    rows = tokens[starts[:, None] + torch.arange(block_size + 1)]
    return rows[:, :-1], rows[:, 1:]
