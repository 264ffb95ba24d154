"""`textgen bench-bpe`: BPE training speed (issue 4): `train_bpe` (Hugging Face `tokenizers`) on a
whole corpus, and against `reference_train`, a pure-Python trainer, on the same first megabyte.

`reference_train` is the seed's listing with its defects fixed (textgen.bpe.listing: pairs are
counted inside each chunk, new ids start at 256) and with the tie rule of `tokenizers`, so both learn the same merges
(the benchmark checks it, and so do the tests). It recounts every pair for every merge, as the seed
does: it is the reference and the slow baseline, kept here and never used by the pipeline.
Results: the JSON of `textgen.perf` (timings and targets; no matmul rows).

    textgen bench-bpe --corpus data/interim/corpora/shakespeare --threads 2 --params '{"repeats": 3}' --out bpe.json
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import regex

from textgen.bpe.corpus import cut, documents, joined
from textgen.bpe.listing import merge
from textgen.bpe.patterns import GPT4_SPLIT_PATTERN
from textgen.bpe.tokenizer import byte_to_char
from textgen.bpe.train import train_bpe
from textgen.errors import TextgenError
from textgen.perf import Bench, bench_parser, best_seconds, read_settings, target, write_result

SECONDS_TARGET = 2.0  # issue 4: train_bpe on the whole Shakespeare corpus in <= 2 s
SPEEDUP_TARGET = 100.0  # issue 4: >= 100x the pure-Python reference on the same 1 MB
REFERENCE_BYTES = 1_000_000  # issue 4's 1 MB


@dataclass
class BPEBenchSettings:
    vocab_size: int = 2048  # the whole-corpus run: the pipeline's Shakespeare tokenizer (gpt.bpe.vocab_size)
    repeats: int = 2  # timed train_bpe runs after an untimed one; the fastest counts
    reference_bytes: int = REFERENCE_BYTES  # the first bytes of the corpus, for both trainers
    reference_vocab_size: int = 384  # the comparison's vocabulary: 128 merges, each a full recount in Python


def reference_train(texts: list[str], vocab_size: int, pattern: str = GPT4_SPLIT_PATTERN) -> list[tuple[int, int]]:
    """Merges (a, b), in the order learned, numbered as `train_bpe` numbers them (no special
    tokens: `vocab_size` counts the 256 bytes and the merged tokens).

    Ties between equally frequent pairs go to the pair of lowest ids in the numbering of
    `tokenizers`: bytes ordered by their byte-level character, merged tokens by creation.

    >>> [bytes(p) for p in reference_train(["aaabdaaabac"], 256 + 2)]
    [b'aa', b'ab']
    """
    chunks = [list(chunk.encode("utf-8")) for text in texts for chunk in regex.findall(pattern, text)]
    byte_order = sorted(range(256), key=lambda b: byte_to_char()[b])
    tie_rank = {b: r for r, b in enumerate(byte_order)}
    tokens = [bytes([b]) for b in range(256)]
    index = {t: i for i, t in enumerate(tokens)}
    merges: list[tuple[int, int]] = []
    while len(tokens) < vocab_size:
        counts: dict[tuple[int, int], int] = {}
        for ids in chunks:
            for pair in zip(ids, ids[1:], strict=False):
                counts[pair] = counts.get(pair, 0) + 1
        if not counts:
            break
        a, b = max(counts, key=lambda p: (counts[p], -tie_rank.get(p[0], p[0]), -tie_rank.get(p[1], p[1])))
        merged = tokens[a] + tokens[b]
        if merged not in index:
            index[merged] = len(tokens)
            tokens.append(merged)
        chunks = [merge(ids, (a, b), index[merged]) for ids in chunks]
        merges.append((a, b))
    return merges


def main(argv: list[str]) -> int:
    parser = bench_parser("bpe", __doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True, help="data/interim/corpora/<name> (read whole)")
    args = parser.parse_args(argv)
    s = read_settings(BPEBenchSettings, args.params)
    texts = joined(documents(args.corpus, "stream"), "stream")
    whole_bytes = sum(len(t.encode("utf-8")) for t in texts)
    first = cut("\n".join(texts), s.reference_bytes)
    first_bytes = len(first.encode("utf-8"))
    bench = Bench("bpe", argv, s, args.threads)

    whole = bench.timing(f"train_bpe (tokenizers), whole {args.corpus.name}", best_seconds(
        lambda: train_bpe(texts, s.vocab_size), s.repeats), bytes=whole_bytes, vocab_size=s.vocab_size)
    fast = bench.timing(f"train_bpe (tokenizers), first {first_bytes / 1e6:.2f} MB", best_seconds(
        lambda: train_bpe([first], s.reference_vocab_size, ()), s.repeats), bytes=first_bytes,
        vocab_size=s.reference_vocab_size)
    start = time.perf_counter()  # once: minutes at the size, and nothing to warm up
    merges = reference_train([first], s.reference_vocab_size)
    slow = bench.timing(f"reference_train (pure Python), first {first_bytes / 1e6:.2f} MB",
                        time.perf_counter() - start, bytes=first_bytes, vocab_size=s.reference_vocab_size)
    if merges != train_bpe([first], s.reference_vocab_size, ()).merges:
        raise TextgenError("the pure-Python reference and train_bpe learned different merges: "
                           "the timings would not compare the same work")
    speedup = slow["seconds"] / fast["seconds"]
    slow.update(speedup=speedup, identical_merges=True)  # tokenizers' speedup over it, same merges
    result = bench.result("no matrix products: BPE training is counting and merging")
    if args.corpus.name == "shakespeare":
        result["targets"].append(target(f"train_bpe on the whole Shakespeare corpus ({whole_bytes / 1e6:.1f} MB, "
                                        f"vocab {s.vocab_size})", whole["seconds"], "<=", SECONDS_TARGET, "s"))
    if s.reference_bytes == REFERENCE_BYTES and whole_bytes >= REFERENCE_BYTES:
        result["targets"].append(target(f"train_bpe vs the pure-Python reference on the same "
                                        f"{first_bytes / 1e6:.2f} MB (vocab {s.reference_vocab_size})",
                                        speedup, ">=", SPEEDUP_TARGET, "x"))
    write_result(args.out, result)
    return 0
