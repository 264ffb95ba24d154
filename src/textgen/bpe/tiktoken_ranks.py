"""Read a tiktoken ranks file (one `base64-token rank` per line, as cl100k_base ships) into our
Tokenizer, so that GPT-4's own vocabulary checks our encoder.

tiktoken stores only ranks: inside a chunk it repeatedly fuses the adjacent pair whose
concatenation has the lowest rank. Our merges are pairs, so each token's pair is recovered by
running that same procedure on the token's bytes with only lower ranks allowed; the pair left at
the end is the one that built it. Listed by rank, these merges reproduce tiktoken exactly.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

from textgen.bpe.patterns import CL100K_PATTERN
from textgen.bpe.tokenizer import Tokenizer
from textgen.errors import TextgenError

CL100K_SPECIAL_TOKENS = {
    "<|endoftext|>": 100257,
    "<|fim_prefix|>": 100258,
    "<|fim_middle|>": 100259,
    "<|fim_suffix|>": 100260,
    "<|endofprompt|>": 100276,
}


def recover_pair(token: bytes, ranks: dict[bytes, int]) -> tuple[bytes, bytes]:
    """The two tokens BPE fuses last when it builds `token`, using only ranks below its own.

    >>> recover_pair(b"abc", {b"a": 0, b"b": 1, b"c": 2, b"bc": 3, b"ab": 4, b"abc": 5})
    (b'a', b'bc')
    """
    limit = ranks[token]
    parts = [token[i:i + 1] for i in range(len(token))]
    while len(parts) > 2:
        best_rank, best_at = limit, -1
        for i in range(len(parts) - 1):
            rank = ranks.get(parts[i] + parts[i + 1], limit)
            if rank < best_rank:
                best_rank, best_at = rank, i
        if best_at < 0:
            raise TextgenError(f"ranks: token {token!r} cannot be built from lower-ranked tokens")
        parts[best_at:best_at + 2] = [parts[best_at] + parts[best_at + 1]]
    return parts[0], parts[1]


def load_tiktoken(path: str | os.PathLike, pattern: str = CL100K_PATTERN,
                  special_tokens: dict[str, int] | None = None) -> Tokenizer:
    """Tokenizer from a `.tiktoken` ranks file; rank = id. Defaults fit cl100k_base (GPT-4)."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="ascii").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise TextgenError(f"{path}: not a tiktoken ranks file ({exc})") from exc
    ranks: dict[bytes, int] = {}
    for n, line in enumerate(lines, start=1):
        try:
            token, rank = line.split()
            ranks[base64.b64decode(token, validate=True)] = int(rank)
        except ValueError as exc:  # also binascii.Error, a ValueError
            raise TextgenError(f"{path}: line {n}: not a tiktoken ranks file ({exc})") from exc
    tokens = sorted(ranks, key=ranks.__getitem__)
    if [ranks[t] for t in tokens] != list(range(len(tokens))):
        raise TextgenError(f"{path}: ranks are not 0..{len(tokens) - 1} without gaps or repeats")
    try:
        merges = []
        for token in tokens:
            if len(token) > 1:
                left, right = recover_pair(token, ranks)
                merges.append((ranks[left], ranks[right]))
        specials = CL100K_SPECIAL_TOKENS if special_tokens is None else special_tokens
        return Tokenizer(tokens, merges, specials, pattern, ignore_merges=True)
    except TextgenError as exc:
        raise TextgenError(f"{path}: {exc}") from exc
