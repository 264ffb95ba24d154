"""`textgen train-bpe` and `textgen bpe-table`: a corpus's tokenizer, and what vocabulary size buys.

    textgen train-bpe --corpus data/interim/corpora/bible --format stream --vocab-size 2048 \\
        --split '{"val": 0.05, "test": 0.05}' --out data/processed/bpe/bible.json
    textgen bpe-table --corpora data/interim/corpora/{shakespeare,milton} --vocab-sizes '[512, 1024]' \\
        --split '{"val": 0.05, "test": 0.05}' --out results/gpt/bpe_vocab.csv --figure results/gpt/bpe_vocab.png \\
        --listing results/gpt/bpe_listing.csv

Both learn merges from the training split only; the table measures bytes per token on the
held-out text (val and test), so a bigger vocabulary cannot look better by memorising it. The
table holds no timings (the log does), so the same inputs give the same bytes. `--listing` adds
seed 001's BPE listing run as written and with its defects fixed (textgen.bpe.listing) on the
start of the first corpus's training split.
"""

from __future__ import annotations

import argparse
import csv
import json
import time
from pathlib import Path

from textgen.bpe import listing
from textgen.bpe.corpus import FORMATS, cut, joined, split_arg, split_corpus
from textgen.bpe.tokenizer import Tokenizer, bytes_per_token
from textgen.bpe.train import train_bpe
from textgen.errors import TextgenError
from textgen.io import atomic_path
from textgen.training import use_threads

TABLE_COLUMNS = ("corpus", "vocab_size", "bytes_per_token", "heldout_bytes", "heldout_tokens")


def main_train_bpe(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="textgen train-bpe",
                                     description="train a byte-level BPE tokenizer on a corpus's training split")
    parser.add_argument("--corpus", type=Path, required=True, help="data/interim/corpora/<name>")
    parser.add_argument("--format", choices=FORMATS, default="stream",
                        help="how the corpus is read (poems: poems.jsonl)")
    parser.add_argument("--vocab-size", type=int, required=True, help="256 bytes + merges + 3 special tokens")
    parser.add_argument("--split", required=True, help='JSON: {"val": fraction, "test": fraction}')
    parser.add_argument("--out", type=Path, required=True, help="tokenizer file (JSON)")
    parser.add_argument("--threads", type=int, default=1, help="tokenizers' threads (the rule's)")
    args = parser.parse_args(argv)
    use_threads(args.threads, with_torch=False)
    split = split_arg(args.split)
    texts = joined(split_corpus(args.corpus, args.format, split["val"], split["test"])["train"], args.format)
    start = time.perf_counter()
    tokenizer = train_bpe(texts, args.vocab_size)
    tokenizer.save(args.out)
    print(f"train-bpe: {args.corpus.name}: vocab {tokenizer.vocab_size:,} from {sum(map(len, texts)):,} characters "
          f"in {time.perf_counter() - start:.1f} s -> {args.out}")
    return 0


def vocab_rows(corpus: Path, vocab_sizes: list[int], split: dict) -> list[dict]:
    """One row per vocabulary size: bytes per token of the held-out text. A size the corpus
    cannot reach (too few distinct pairs) is left out, with a message."""
    parts = split_corpus(corpus, "stream", split["val"], split["test"])
    train_texts = joined(parts["train"], "stream")
    heldout = "\n".join(joined(parts["val"] + parts["test"], "stream"))
    rows = []
    for size in vocab_sizes:
        start = time.perf_counter()
        try:
            tokenizer: Tokenizer = train_bpe(train_texts, size)
        except TextgenError as err:
            print(f"bpe-table: {corpus.name}: vocab {size} left out: {err}")
            continue
        seconds = time.perf_counter() - start
        ratio = bytes_per_token(tokenizer, heldout)
        n_bytes = len(heldout.encode("utf-8"))
        rows.append({"corpus": corpus.name, "vocab_size": size, "bytes_per_token": round(ratio, 4),
                     "heldout_bytes": n_bytes, "heldout_tokens": round(n_bytes / ratio)})
        print(f"bpe-table: {corpus.name}: vocab {size:,}: {ratio:.3f} bytes/token ({seconds:.1f} s)", flush=True)
    return rows


def plot_vocab(rows: list[dict], path: Path) -> None:
    from textgen.plots import plt, save_figure

    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    for corpus in dict.fromkeys(r["corpus"] for r in rows):
        mine = [r for r in rows if r["corpus"] == corpus]
        ax.plot([r["vocab_size"] for r in mine], [r["bytes_per_token"] for r in mine], marker="o", label=corpus)
    ax.set_xscale("log", base=2)
    ax.set_xlabel("vocabulary size (256 bytes + merges + 3 special tokens)")
    ax.set_ylabel("held-out bytes per token")
    ax.set_title("Byte-level BPE: vocabulary size vs compression")
    ax.legend()
    save_figure(fig, path)


def main_bpe_table(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="textgen bpe-table",
                                     description="BPE vocabulary size vs bytes per token, per corpus")
    parser.add_argument("--corpora", type=Path, nargs="+", required=True)
    parser.add_argument("--vocab-sizes", required=True, help="JSON list of vocabulary sizes")
    parser.add_argument("--split", required=True, help='JSON: {"val": fraction, "test": fraction}')
    parser.add_argument("--out", type=Path, required=True, help="table (CSV)")
    parser.add_argument("--figure", type=Path, required=True, help="figure (PNG)")
    parser.add_argument("--listing", type=Path, help="seed 001's BPE listing, as written and fixed (CSV)")
    parser.add_argument("--threads", type=int, default=1, help="tokenizers' threads (the rule's)")
    args = parser.parse_args(argv)
    use_threads(args.threads, with_torch=False)
    try:
        sizes = json.loads(args.vocab_sizes)
    except json.JSONDecodeError as err:
        raise TextgenError(f"--vocab-sizes: not valid JSON ({err})") from None
    if not isinstance(sizes, list) or not sizes or not all(isinstance(s, int) and s >= 259 for s in sizes):
        raise TextgenError(f"--vocab-sizes: expected a non-empty list of integers >= 259, got {sizes!r}")
    split = split_arg(args.split)
    rows = [row for corpus in args.corpora for row in vocab_rows(corpus, sorted(set(sizes)), split)]
    if not rows:
        raise TextgenError("--vocab-sizes: no corpus reaches any of the sizes")
    with atomic_path(args.out) as tmp, open(tmp, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=TABLE_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    plot_vocab(rows, args.figure)
    print(f"bpe-table: {len(rows)} rows -> {args.out}, {args.figure}")
    if args.listing:
        write_listing(args.corpora[0], split, args.listing)
    return 0


def write_listing(corpus: Path, split: dict, out: Path) -> None:
    """The listing's variants on the first `listing.SAMPLE_BYTES` of `corpus`'s training split."""
    text = cut("\n".join(joined(split_corpus(corpus, "stream", split["val"], split["test"])["train"], "stream")),
               listing.SAMPLE_BYTES)
    rows = [{"corpus": corpus.name, "sample_bytes": len(text.encode("utf-8")), **row}
            for row in listing.variants(text, listing.MERGES)]
    with atomic_path(out) as tmp, open(tmp, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=["corpus", "sample_bytes", *listing.COLUMNS], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    for row in rows:
        print(f"bpe-table: listing, fixes {row['fixes']}: " + (f"stops with {row['stops_with']}" if row["stops_with"]
              else f"{row['merges_learned']} merges, {row['merges_equal_to_train_bpe']} equal to train_bpe's"))
