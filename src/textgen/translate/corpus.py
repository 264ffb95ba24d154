"""Sentence pairs for training and scoring: read a split, tokenize it, cut it into batches.

A split is a TSV file written by `textgen prepare-pairs`: a `source<TAB>target` header, then one
pair per line. Batches group pairs of similar length (less padding, which on a CPU is most of the
speed-up), in an order fixed by (seed, epoch) alone, so a resumed run replays the same batches.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "train.tsv").write_text("source\\ttarget\\nEn stol.\\tEin stol.\\n", encoding="utf-8")
    >>> read_split(folder, "train")
    [('En stol.', 'Ein stol.')]
    >>> epoch_batches([3, 1, 2, 5], batch_size=2, seed=0, epoch=0)
    [[1, 2], [0, 3]]
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import torch

from textgen.bpe import Tokenizer
from textgen.errors import TextgenError
from textgen.io import read_json

Pair = tuple[str, str]
HEADER = "source\ttarget"
# Batches are sorted by length within pools of this many batches: enough to make neighbours
# similar in length, few enough that every batch still mixes the corpus.
POOL_BATCHES = 50


def read_split(pairs_dir: str | Path, split: str) -> list[Pair]:
    """The (source, target) pairs of `pairs_dir/split.tsv`; a malformed line names file and line."""
    path = Path(pairs_dir) / f"{split}.tsv"
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise TextgenError(f"{path}: cannot read the {split} split ({exc})") from exc
    if lines[0] != HEADER:
        raise TextgenError(f"{path}:1: expected the header {HEADER!r}, got {lines[0][:60]!r}")
    pairs = []
    for number, line in enumerate(lines[1:], start=2):
        if not line:
            continue
        fields = line.split("\t")
        if len(fields) != 2 or not all(f.strip() for f in fields):
            raise TextgenError(f"{path}:{number}: expected two non-empty tab-separated fields")
        pairs.append((fields[0], fields[1]))
    if not pairs:
        raise TextgenError(f"{path}: no pairs in the {split} split")
    return pairs


def languages(pairs_dir: str | Path) -> tuple[str, str]:
    """(source, target) language codes from the pair set's manifest.json, e.g. ('nb', 'nn')."""
    path = Path(pairs_dir) / "manifest.json"
    try:
        langs = read_json(path)["languages"]
        return str(langs["source"]), str(langs["target"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise TextgenError(f"{path}: no languages.source/target ({type(exc).__name__}: {exc})") from exc


def encode_pairs(tokenizer: Tokenizer, pairs: Sequence[Pair]) -> list[tuple[list[int], list[int]]]:
    sources = tokenizer.encode_batch([s for s, _ in pairs])
    targets = tokenizer.encode_batch([t for _, t in pairs])
    return list(zip(sources, targets, strict=True))


def epoch_batches(lengths: Sequence[int], batch_size: int, seed: int, epoch: int) -> list[list[int]]:
    """Indices into the data, batched: shuffled, sorted by length within pools, batches shuffled.

    Depends only on its arguments (its own generator), never on the global random state.
    """
    generator = torch.Generator().manual_seed(seed * 100_003 + epoch)
    order = torch.randperm(len(lengths), generator=generator).tolist()
    pool = batch_size * POOL_BATCHES
    batches = []
    for start in range(0, len(order), pool):
        chunk = sorted(order[start:start + pool], key=lambda i: lengths[i])
        batches += [chunk[k:k + batch_size] for k in range(0, len(chunk), batch_size)]
    return [batches[i] for i in torch.randperm(len(batches), generator=generator).tolist()]


def length_batches(lengths: Sequence[int], batch_size: int) -> list[list[int]]:
    """Indices sorted by length and batched, for evaluation and decoding (no randomness).

    >>> length_batches([3, 1, 2], batch_size=2)
    [[1, 2], [0]]
    """
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    return [order[k:k + batch_size] for k in range(0, len(order), batch_size)]
