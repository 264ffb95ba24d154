"""The causal LM's training data, as the seed made it: the corpus as one string cut into fixed
1024-character chunks, each tokenized on its own (truncated to the model's context).

    >>> chunk_text("abcdefg", 3)
    ['abc', 'def', 'g']
    >>> train, val = split_chunks(["a", "b", "c", "d", "e"], max_chunks=2, val_chunks=1, seed=0)
    >>> len(train), len(val), set(train + val) <= {"a", "b", "c", "d", "e"}
    (2, 1, True)
"""

from __future__ import annotations

import random
from pathlib import Path

from textgen.errors import TextgenError


def read_corpus(folder: Path) -> str:
    """Every texts/*.txt of a prepared corpus, in name order, joined by blank lines."""
    files = sorted((Path(folder) / "texts").glob("*.txt"))
    if not files:
        raise TextgenError(f"{folder}: no texts/*.txt (expected a corpus made by `textgen prepare-corpus`)")
    return "\n\n".join(f.read_text(encoding="utf-8") for f in files)


def chunk_text(text: str, size: int) -> list[str]:
    return [text[i:i + size] for i in range(0, len(text), size)]


def split_chunks(chunks: list[str], max_chunks: int, val_chunks: int, seed: int) -> tuple[list[str], list[str]]:
    """Hold out `val_chunks` chunks and keep `max_chunks` (0: all the rest) for training, drawn at
    random over the whole corpus so a small budget still sees every work; both in corpus order."""
    if val_chunks >= len(chunks):
        raise TextgenError(f"val_chunks: {val_chunks} leaves no training chunk (the corpus has {len(chunks)})")
    order = random.Random(seed).sample(range(len(chunks)), len(chunks))
    val = sorted(order[:val_chunks])
    rest = order[val_chunks:]
    train = sorted(rest[:max_chunks] if max_chunks else rest)
    return [chunks[i] for i in train], [chunks[i] for i in val]


def tokenize_chunks(chunks: list[str], tokenizer) -> list[dict[str, list[int]]]:
    """One example per chunk (the seed's `truncation=True`); the collator pads and makes labels."""
    encoded = tokenizer(chunks, truncation=True)
    return [{"input_ids": ids, "attention_mask": mask}
            for ids, mask in zip(encoded["input_ids"], encoded["attention_mask"]) if ids]
