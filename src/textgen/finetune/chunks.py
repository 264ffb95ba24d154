"""The causal LM's training data, as the seed made it: text cut into fixed 1024-character chunks,
each tokenized on its own (truncated to the model's context). Unlike the seed, which cut the whole
corpus, the chunks come from the corpus's train and val splits only (`textgen.bpe.corpus`, stream
format, the split the GPTs use): its test split stays unseen, and the fine-tuned model is scored on
it (`textgen.finetune.heldout`), on the same bytes as the GPTs of that corpus.

    >>> chunk_text("abcdefg", 3)
    ['abc', 'def', 'g']
    >>> draw_chunks(["a", "b", "c", "d", "e"], 2, seed=0, what="max_chunks")
    ['d', 'e']
"""

from __future__ import annotations

import random
from pathlib import Path

from textgen.bpe.corpus import first_bytes, joined, split_corpus
from textgen.errors import TextgenError


def read_corpus(folder: Path) -> str:
    """Every texts/*.txt of a prepared corpus, in name order, joined by blank lines."""
    files = sorted((Path(folder) / "texts").glob("*.txt"))
    if not files:
        raise TextgenError(f"{folder}: no texts/*.txt (expected a corpus made by `textgen prepare-corpus`)")
    return "\n\n".join(f.read_text(encoding="utf-8") for f in files)


def chunk_text(text: str, size: int) -> list[str]:
    return [text[i:i + size] for i in range(0, len(text), size)]


def draw_chunks(chunks: list[str], n: int, seed: int, what: str) -> list[str]:
    """`n` chunks (0: all) drawn at random, so a small budget still sees every work; in corpus
    order. `what` names the parameter in the error when there are fewer than `n`."""
    if n > len(chunks):
        raise TextgenError(f"{what}: {n} chunks asked for, the text has {len(chunks)}")
    if not n:
        return list(chunks)
    return [chunks[i] for i in sorted(random.Random(seed).sample(range(len(chunks)), n))]


def causal_texts(corpus: Path, split: dict, chunk_chars: int, max_chunks: int, val_chunks: int,
                 seed: int, test_bytes: int = 0) -> tuple[list[str], list[str], list[str]]:
    """(train chunks, val chunks, test texts) of a corpus: chunks of its train and val splits
    (stream format, documents joined by blank lines as `read_corpus` joins files), and the first
    `test_bytes` of the test split's texts, one per document, which no chunk overlaps."""
    parts = split_corpus(Path(corpus), "stream", split["val"], split["test"])
    train_text, val_text = ("\n\n".join(joined(parts[name], "stream")) for name in ("train", "val"))
    train = draw_chunks(chunk_text(train_text, chunk_chars), max_chunks, seed, "max_chunks")
    val = draw_chunks(chunk_text(val_text, chunk_chars), val_chunks, seed, "val_chunks") if val_chunks else []
    return train, val, first_bytes(joined(parts["test"], "stream"), test_bytes)


def tokenize_chunks(chunks: list[str], tokenizer) -> list[dict[str, list[int]]]:
    """One example per chunk (the seed's `truncation=True`); the collator pads and makes labels."""
    encoded = tokenizer(chunks, truncation=True)
    return [{"input_ids": ids, "attention_mask": mask}
            for ids, mask in zip(encoded["input_ids"], encoded["attention_mask"]) if ids]
