"""Benchmark: the seed's BPE training loop in pure Python against `train_bpe` (Hugging Face).

`reference_train` is the seed's listing with its two bugs fixed (pairs are counted inside each
chunk, new ids start at 256) and with the tie rule of `tokenizers`, so both learn the same merges
(the tests check it). It recounts every pair for every merge, as the seed does: it is the
reference and the slow baseline, never used by the pipeline.

    python -m textgen.bpe.bench [--text FILE] [--mb 1] [--vocab-size 512] [--big-mb 5]

Without --text it reads docstrings of the installed Python (standard library first, then the
site-packages), deterministic for a given environment.
"""

from __future__ import annotations

import argparse
import ast
import sys
import sysconfig
import time
from pathlib import Path

import regex

from textgen.bpe.patterns import GPT4_SPLIT_PATTERN
from textgen.bpe.tokenizer import byte_to_char
from textgen.bpe.train import train_bpe
from textgen.errors import TextgenError


def merge(ids: list[int], pair: tuple[int, int], new_id: int) -> list[int]:
    """Replace each non-overlapping occurrence of `pair`, left to right, by `new_id`.

    >>> merge([97, 97, 97, 98], (97, 97), 256)
    [256, 97, 98]
    """
    out, i = [], 0
    while i < len(ids):
        if i + 1 < len(ids) and ids[i] == pair[0] and ids[i + 1] == pair[1]:
            out.append(new_id)
            i += 2
        else:
            out.append(ids[i])
            i += 1
    return out


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


def docstring_corpus(n_bytes: int) -> str:
    """About `n_bytes` of English prose: docstrings of the standard library, then site-packages."""
    roots = [Path(sysconfig.get_paths()["stdlib"]), Path(sysconfig.get_paths()["purelib"])]
    parts, size = [], 0
    for root in roots:
        for path in sorted(root.rglob("*.py")):
            if {"test", "tests", "site-packages"} & set(path.relative_to(root).parts[:-1]):
                continue
            try:
                tree = ast.parse(path.read_bytes())
            except (SyntaxError, ValueError, OSError):
                continue
            for node in ast.walk(tree):
                if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                    doc = ast.get_docstring(node)
                    if doc:
                        parts.append(doc)
                        size += len(doc.encode("utf-8")) + 2
                        if size >= n_bytes:
                            return "\n\n".join(parts)
    raise TextgenError(f"--mb: only {size} bytes of docstrings found, {n_bytes} asked for")


def cut(text: str, n_bytes: int) -> str:
    return text.encode("utf-8")[:n_bytes].decode("utf-8", errors="ignore")


def timed(fn, *args) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - start, result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--text", type=Path, help="UTF-8 text file (default: Python docstrings)")
    parser.add_argument("--mb", type=float, default=1.0, help="MB for the pure-Python comparison")
    parser.add_argument("--vocab-size", type=int, default=512)
    parser.add_argument("--big-mb", type=float, default=5.0, help="MB for the Hugging Face-only run")
    args = parser.parse_args(argv)
    small_n, big_n = int(args.mb * 1e6), int(args.big_mb * 1e6)
    source = args.text.read_text(encoding="utf-8") if args.text else docstring_corpus(max(small_n, big_n))
    small, big = cut(source, small_n), cut(source, big_n)

    t_hf, tok = timed(train_bpe, [small], args.vocab_size, ())
    t_py, ref = timed(reference_train, [small], args.vocab_size)
    t_big, _ = timed(train_bpe, [big], args.vocab_size, ())
    same = ref == tok.merges
    print(f"text: {args.text or 'Python docstrings'}; vocab_size {args.vocab_size}; python {sys.version.split()[0]}")
    print("| trainer | text MB | seconds |")
    print("|---|---|---|")
    print(f"| pure Python (seed loop) | {len(small.encode()) / 1e6:.2f} | {t_py:.2f} |")
    print(f"| tokenizers (train_bpe) | {len(small.encode()) / 1e6:.2f} | {t_hf:.3f} |")
    print(f"| tokenizers (train_bpe) | {len(big.encode()) / 1e6:.2f} | {t_big:.3f} |")
    print(f"speed ratio {t_py / t_hf:.0f}x; identical merges: {same}")
    if not same:
        raise SystemExit("the two trainers disagree")


if __name__ == "__main__":
    main()
