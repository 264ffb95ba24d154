"""`textgen prepare-words`: Report A's word-level corpus, from clean book texts to int32 memmaps.

Input: a corpus folder `texts/<work_id>.txt` + `manifest.json` (`works`: [{id, title}, ...]).
Output folder (replaced as a whole, atomically):

    vocab.json           the vocabulary (see `vocab.py`), built from the train split only
    tokens_train.int32   raw little-endian int32 token ids, books concatenated in selection order
    tokens_val.int32
    tokens_test.int32
    bytes_<split>.int32  per token, the UTF-8 bytes of the book's text it accounts for (the token and
                         the spaces and dropped marks before it: `token_bytes`), for losses per byte
    stats.csv            one row per book, then a TOTAL row
    meta.json            counts, vocabulary size, unknown id, works, split rule, sha256 of each file

Split, per book, so no window mixes splits: one contiguous chunk of round(val * n) tokens goes
to val and one of round(test * n) tokens to test (each at least 1), at offsets drawn with
`numpy.random.default_rng([seed, <64 bits of sha256(work id)>])`; the tokens around them go to
train. A book's split depends only on its tokens, the fractions, the seed and its own id, not on
which other books are selected. A train window may span one of the (at most two) cuts in a book,
as it may span two books: a few windows per cut, negligible against a book. The vocabulary comes
from train tokens only, so val and test words never seen in training count as unknown, as they
would for a deployed model.

    textgen prepare-words --corpus data/interim/corpora/austen --out data/processed/words/austen \\
        --params '{"works": "all", "min_count": 2, "val": 0.05, "test": 0.05}' --seed 1
"""

from __future__ import annotations

import argparse
import collections
import csv
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np

from textgen.errors import TextgenError
from textgen.io import atomic_path, sha256_file, write_json
from textgen.words.memmap import write_tokens
from textgen.words.tokenizer import TOKENIZER_VERSION, token_bytes, tokenize_words
from textgen.words.vocab import Vocab, build_vocab

META_FORMAT = "textgen-word-corpus"
META_VERSION = 2  # 2: bytes_<split>.int32
SPLITS = ("train", "val", "test")
OUTPUT_FILES = ("vocab.json", *(f"tokens_{s}.int32" for s in SPLITS), *(f"bytes_{s}.int32" for s in SPLITS),
                "stats.csv", "meta.json")
PARAM_KEYS = ("works", "min_count", "val", "test")  # params.yaml `words` (its `corpus` picks --corpus)
SPLIT_RULE = ("per book: one contiguous chunk of round(val*n) tokens (at least 1) to val and one of "
              "round(test*n) (at least 1) to test, at offsets drawn by numpy default_rng([seed, "
              "first 8 bytes of sha256(work id) as little-endian int]); the rest to train; "
              "books concatenated in selection order; vocabulary from train only")

Ranges = dict[str, list[tuple[int, int]]]  # split -> [(start, end), ...] token offsets in one book


@dataclass(frozen=True)
class Work:
    """One book of the corpus."""

    id: str
    title: str
    path: Path  # texts/<id>.txt


def read_manifest(corpus_dir: Path) -> list[Work]:
    """The works listed in `corpus_dir/manifest.json`, in manifest order."""
    manifest = corpus_dir / "manifest.json"
    try:
        entries = json.loads(manifest.read_text(encoding="utf-8"))["works"]
    except FileNotFoundError:
        raise TextgenError(f"{manifest}: corpus manifest not found") from None
    except (ValueError, KeyError, TypeError) as err:
        raise TextgenError(f"{manifest}: not a corpus manifest with a 'works' list ({err})") from None
    if not isinstance(entries, list) or not all(
            isinstance(e, dict) and isinstance(e.get("id"), str) and isinstance(e.get("title"), str)
            for e in entries):
        raise TextgenError(f"{manifest}: 'works' must be a list of objects with string 'id' and 'title'")
    ids = [e["id"] for e in entries]
    if duplicates := sorted({i for i in ids if ids.count(i) > 1}):
        raise TextgenError(f"{manifest}: duplicate work ids {duplicates}")
    return [Work(e["id"], e["title"], corpus_dir / "texts" / f"{e['id']}.txt") for e in entries]


def select_works(available: Sequence[Work], works: str | Sequence[str], manifest: Path) -> list[Work]:
    """`works` is "all" (manifest order) or a list of ids (that order)."""
    if works == "all":
        selected = list(available)
    elif isinstance(works, (list, tuple)) and all(isinstance(w, str) for w in works):
        by_id = {work.id: work for work in available}
        if unknown := [w for w in works if w not in by_id]:
            raise TextgenError(f"works: unknown work ids {unknown}; {manifest} lists {sorted(by_id)}")
        if len(set(works)) != len(works):
            raise TextgenError(f"works: a work is listed twice in {list(works)}")
        selected = [by_id[w] for w in works]
    else:
        raise TextgenError(f"works: expected \"all\" or a list of work ids, got {works!r}")
    if not selected:
        raise TextgenError(f"works: empty selection from {manifest}")
    return selected


def split_ranges(n_tokens: int, val: float, test: float, rng: np.random.Generator) -> Ranges:
    """Token ranges of one book for each split: a val chunk and a test chunk at random offsets.

    >>> split_ranges(100, 0.1, 0.2, np.random.default_rng(0))
    {'train': [(0, 45), (65, 80), (90, 100)], 'val': [(80, 90)], 'test': [(45, 65)]}
    """
    sizes = {"val": max(1, round(val * n_tokens)), "test": max(1, round(test * n_tokens))}
    n_train = n_tokens - sizes["val"] - sizes["test"]
    if n_train < 1:
        raise ValueError(f"{n_tokens} tokens are too few for a val, a test and a train part")
    # Two cut points split the train tokens into the parts before, between and after the chunks.
    low, high = sorted(int(c) for c in rng.integers(0, n_train + 1, size=2))
    first, second = ("val", "test") if rng.integers(2) == 0 else ("test", "val")
    ranges: Ranges = {split: [] for split in SPLITS}
    start = 0
    for split, size in (("train", low), (first, sizes[first]), ("train", high - low),
                        (second, sizes[second]), ("train", n_train - high)):
        if size:
            ranges[split].append((start, start + size))
        start += size
    return ranges


def work_rng(seed: int, work_id: str) -> np.random.Generator:
    """A generator for one book's split, independent of which other books are selected."""
    return np.random.default_rng([seed, int.from_bytes(hashlib.sha256(work_id.encode()).digest()[:8], "little")])


def prepare_word_corpus(corpus_dir: Path, out_dir: Path, works: str | Sequence[str], min_count: int,
                        split: Mapping[str, float], seed: int) -> dict:
    """Tokenize, split and encode the selected books into `out_dir`; return meta.json's content."""
    corpus_dir, out_dir = Path(corpus_dir), Path(out_dir)
    val, test = _check_split(split)
    if type(seed) is not int or seed < 0:
        raise TextgenError(f"seed: expected an integer >= 0, got {seed!r}")
    _check_out_dir(out_dir)
    selected = select_works(read_manifest(corpus_dir), works, corpus_dir / "manifest.json")

    book_tokens, book_bytes = {}, {}
    for work in selected:
        book_tokens[work.id], book_bytes[work.id] = _read_tokens(work)
    book_ranges: dict[str, Ranges] = {}
    for work in selected:
        try:
            book_ranges[work.id] = split_ranges(len(book_tokens[work.id]), val, test, work_rng(seed, work.id))
        except ValueError as err:
            raise TextgenError(f"{work.path}: {err} (val {val}, test {test})") from None

    train_counts: collections.Counter[str] = collections.Counter()
    for work in selected:
        for start, end in book_ranges[work.id]["train"]:
            train_counts.update(book_tokens[work.id][start:end])
    vocab = build_vocab(train_counts, min_count)

    book_ids = {work.id: np.asarray(vocab.encode(book_tokens[work.id]), dtype=np.int32) for work in selected}
    def by_split(per_book: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
        return {split: np.concatenate([per_book[work.id][start:end] for work in selected
                                       for start, end in book_ranges[work.id][split]])
                for split in SPLITS}

    split_ids = by_split(book_ids)
    split_bytes = by_split({work_id: np.asarray(counts, dtype=np.int32) for work_id, counts in book_bytes.items()})

    with atomic_path(out_dir) as tmp:
        tmp.mkdir()
        vocab.save(tmp / "vocab.json")
        for split in SPLITS:
            write_tokens(tmp / f"tokens_{split}.int32", split_ids[split])
            write_tokens(tmp / f"bytes_{split}.int32", split_bytes[split])
        stats = _write_stats(tmp / "stats.csv", selected, book_tokens, book_ids, book_ranges, vocab)
        meta = {
            "format": META_FORMAT,
            "version": META_VERSION,
            "tokenizer_version": TOKENIZER_VERSION,
            "dtype": "int32",
            "byteorder": "little",
            "tokens": {split: int(ids.size) for split, ids in split_ids.items()},
            "bytes": {split: int(counts.sum()) for split, counts in split_bytes.items()},
            "vocab_size": len(vocab),
            "unk_id": vocab.unk_id,
            "unk_token": vocab.unk_token,
            "min_count": min_count,
            "unk_share": stats["unk_share"],
            "unique_tokens": stats["unique_tokens"],
            "works": [{"id": w.id, "title": w.title, "tokens": len(book_tokens[w.id]),
                       "text_sha256": sha256_file(w.path)} for w in selected],
            "split": {"rule": SPLIT_RULE, "val": val, "test": test, "seed": seed,
                      "ranges": {w.id: {s: [list(r) for r in book_ranges[w.id][s]] for s in SPLITS}
                                 for w in selected}},
            "files": {name: sha256_file(tmp / name) for name in OUTPUT_FILES if name != "meta.json"},
        }
        write_json(tmp / "meta.json", meta)
    return meta


def _check_split(split: Mapping[str, float]) -> tuple[float, float]:
    if not isinstance(split, Mapping) or set(split) != {"val", "test"}:
        raise TextgenError(f"split: expected exactly the keys val and test, got {split!r}")
    for key in ("val", "test"):
        value = split[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 1:
            raise TextgenError(f"{key}: expected a fraction strictly between 0 and 1, got {value!r}")
    if split["val"] + split["test"] >= 1:
        raise TextgenError(f"val + test: {split['val']} + {split['test']} leaves nothing to train on")
    return float(split["val"]), float(split["test"])


def _check_out_dir(out_dir: Path) -> None:
    # The folder is replaced as a whole: refuse to delete anything this step did not write.
    if out_dir.is_dir():
        if foreign := sorted(p.name for p in out_dir.iterdir() if p.name not in OUTPUT_FILES):
            raise TextgenError(f"{out_dir}: output folder holds files this step did not write: {foreign[:5]}")
    elif out_dir.exists():
        raise TextgenError(f"{out_dir}: output must be a folder, found a file")


def _read_tokens(work: Work) -> tuple[list[str], list[int]]:
    """The book's word tokens and the bytes of its text each accounts for."""
    try:
        text = work.path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TextgenError(f"{work.path}: text of work {work.id!r} not found") from None
    except UnicodeDecodeError as err:
        raise TextgenError(f"{work.path}: not UTF-8 ({err})") from None
    tokens = tokenize_words(text)
    if not tokens:
        raise TextgenError(f"{work.path}: work {work.id!r} has no word tokens")
    return tokens, token_bytes(text)


def _write_stats(path: Path, works: Sequence[Work], book_tokens: Mapping[str, list[str]],
                 book_ids: Mapping[str, np.ndarray], book_ranges: Mapping[str, Ranges], vocab: Vocab) -> dict:
    """stats.csv: a row per book and a TOTAL row; return the TOTAL row's values."""
    columns = ["work_id", "title", "tokens", "unique_tokens", *(f"{s}_tokens" for s in SPLITS),
               "unk_tokens", "unk_share", "vocab_size"]
    rows = []
    for work in works:
        ids = book_ids[work.id]
        rows.append({"work_id": work.id, "title": work.title, "tokens": ids.size,
                     "unique_tokens": len(set(book_tokens[work.id])),
                     **{f"{s}_tokens": sum(e - b for b, e in book_ranges[work.id][s]) for s in SPLITS},
                     "unk_tokens": int((ids == vocab.unk_id).sum()), "vocab_size": ""})
    total = {"work_id": "TOTAL", "title": "all selected works",
             **{key: sum(row[key] for row in rows) for key in ("tokens", "unk_tokens", *(f"{s}_tokens" for s in SPLITS))},
             "unique_tokens": len(set().union(*(book_tokens[w.id] for w in works))), "vocab_size": len(vocab)}
    rows.append(total)
    for row in rows:
        row["unk_share"] = round(row["unk_tokens"] / row["tokens"], 6)
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return total


def main(argv: list[str] | None = None) -> int:
    """textgen prepare-words --corpus DIR --out DIR --params JSON"""
    parser = argparse.ArgumentParser(prog="textgen prepare-words", description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, required=True, help="corpus folder: manifest.json + texts/")
    parser.add_argument("--out", type=Path, required=True, help="output folder (replaced as a whole)")
    parser.add_argument("--params", required=True, help="JSON object (or a file holding one) with "
                        "works (\"all\" or [ids]), min_count, val, test (and optionally corpus)")
    parser.add_argument("--seed", type=int, required=True, help="seed of the val/test chunk positions")
    args = parser.parse_args(argv)
    params = _parse_params(args.params)
    meta = prepare_word_corpus(args.corpus, args.out, params["works"], params["min_count"],
                               {"val": params["val"], "test": params["test"]}, args.seed)
    n = meta["tokens"]
    print(f"prepare-words: {len(meta['works'])} works, {sum(n.values()):,} tokens (train {n['train']:,}, "
          f"val {n['val']:,}, test {n['test']:,}), {meta['unique_tokens']:,} unique, vocab {meta['vocab_size']:,} "
          f"(min_count {meta['min_count']}), unk {meta['unk_share']:.2%} -> {args.out}")
    return 0


def _parse_params(text: str) -> dict:
    source = "--params"
    if not text.lstrip().startswith("{"):
        source, path = text, Path(text)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as err:
            raise TextgenError(f"--params: not a JSON object nor a readable file ({err})") from None
    try:
        params = json.loads(text)
    except json.JSONDecodeError as err:
        raise TextgenError(f"{source}: not valid JSON ({err})") from None
    if not isinstance(params, dict) or set(params) - {"corpus"} != set(PARAM_KEYS):
        got = sorted(params) if isinstance(params, dict) else type(params).__name__
        raise TextgenError(f"{source}: expected exactly the keys {list(PARAM_KEYS)}, got {got}")
    return params

