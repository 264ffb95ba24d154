"""Seed 001's BPE training listing run step by step as it is written, then with its defects fixed
one at a time, beside the pipeline's trainer (`train_bpe`) on the same text.

The listing (its "Training algorithm" code, line numbers as printed) has four defects:

- line 10 adds to `counts`, a name it never defines (the count it builds is `stats`);
- line 9 pairs consecutive *chunks* (`zip(ids, ids[1:])` over the list of chunks), not consecutive
  ids inside each chunk, and a pair of lists cannot be counted;
- line 2 starts from an empty `vocabulary`, so line 17 finds no bytes to join;
- line 6 numbers the new tokens from 0 (`range(vocabulary_size)`), the ids of bytes 0, 1, 2...:
  every merge then shares its id with a byte, and `vocabulary_size` counts merges, not tokens.

`variants` runs the listing with the fixes applied cumulatively, in the order its run meets the
defects, and records what each run does: the error that stops it, or the merges it learns.

>>> rows = variants("aaabdaaabac aaab", merges=2)
>>> [(r["fixes"], r["stops_with"]) for r in rows][:3]
[('none (as listed)', 'NameError'), ('counter', 'TypeError'), ('counter, pairs', 'KeyError')]
>>> rows[-1]["merges_equal_to_train_bpe"], rows[-1]["decodes_to_the_text"]  # a tie: train_bpe takes b"ab"
(1, True)
"""

from __future__ import annotations

import regex

from textgen.bpe.patterns import GPT4_SPLIT_PATTERN
from textgen.bpe.train import train_bpe

SAMPLE_BYTES = 20_000  # the listing recounts every pair for every merge, in pure Python
MERGES = 64  # enough to reach ids 10 (newline) and 32 (space), which line 6's numbering reuses
FIXES = ("counter", "pairs", "vocabulary", "ids")  # the order in which a run of the listing meets them
COLUMNS = ["fixes", "stops_with", "error", "merges_learned", "ids_shared_with_a_byte", "decodes_to_the_text",
           "merges_equal_to_fixed", "merges_equal_to_train_bpe", "first_tie", "first_merges"]


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


def listed_train(text: str, vocabulary_size: int, fixes: frozenset[str] = frozenset(),
                 pattern: str = GPT4_SPLIT_PATTERN) -> tuple[list[bytes], dict[int, bytes], list[list[int]], int | None]:
    """The listing's loop with `fixes` (a subset of FIXES) applied: the merged tokens (as bytes, in
    the order learned), the final vocabulary, the text's chunks as ids, and the first merge (from 1)
    at which several pairs shared the highest count (None: no tie). Raises what the listing raises
    where a defect is left in.

    >>> merged, vocabulary, ids, first_tie = listed_train("aaabdaaabac aaab", 2, frozenset(FIXES))
    >>> merged, ids, first_tie
    ([b'aa', b'aaa'], [[257, 98, 100, 257, 98, 97, 99], [32, 257, 98]], 2)
    """
    vocabulary: dict[int, bytes] = {b: bytes([b]) for b in range(256)} if "vocabulary" in fixes else {}
    ids = [list(piece.encode("utf-8")) for piece in regex.findall(pattern, text)]
    merged: list[bytes] = []
    first_tie = None
    for i in range(vocabulary_size):
        stats: dict = {}
        for chunk_ids in ids:
            source = chunk_ids if "pairs" in fixes else ids  # line 9 zips the list of chunks
            for pair in zip(source, source[1:], strict=False):
                if "counter" not in fixes:  # line 10 reads `counts`, defined nowhere in the listing
                    raise NameError("name 'counts' is not defined")
                stats[pair] = stats.get(pair, 0) + 1  # a pair of chunks (lists) raises TypeError here
        if not stats:
            break
        pair = max(stats, key=stats.get)  # the first pair counted, of those with the highest count
        if first_tie is None and sum(1 for count in stats.values() if count == stats[pair]) > 1:
            first_tie = i + 1
        new_id = 256 + i if "ids" in fixes else i
        ids = [merge(chunk_ids, pair, new_id) for chunk_ids in ids]
        vocabulary[new_id] = vocabulary[pair[0]] + vocabulary[pair[1]]
        merged.append(vocabulary[new_id])
    return merged, vocabulary, ids, first_tie


def merged_tokens(merges: list[tuple[int, int]]) -> list[bytes]:
    """The tokens that id-pair `merges` (new ids from 256, as `train_bpe` and `reference_train`
    number them) create, as bytes, in order.

    >>> merged_tokens([(97, 97), (256, 98)])
    [b'aa', b'aab']
    """
    tokens = [bytes([b]) for b in range(256)]
    for a, b in merges:
        tokens.append(tokens[a] + tokens[b])
    return tokens[256:]


def _reference(text: str, merges: int) -> list[bytes]:
    """The merged tokens `train_bpe` learns on `text`, as bytes, in order."""
    return merged_tokens(train_bpe([text], 256 + merges, ()).merges)


def _agree(a: list[bytes], b: list[bytes]) -> int:
    """How many leading merges `a` and `b` share."""
    return next((k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))


def variants(text: str, merges: int = MERGES) -> list[dict]:
    """One row per cumulative set of fixes (none, then FIXES one by one): what the listing does."""
    rows, runs = [], []
    for n in range(len(FIXES) + 1):
        fixes = frozenset(FIXES[:n])
        row = dict.fromkeys(COLUMNS, "") | {"fixes": ", ".join(FIXES[:n]) or "none (as listed)", "merges_learned": 0}
        rows.append(row)
        try:
            merged, vocabulary, ids, first_tie = listed_train(text, merges, fixes)
        except (NameError, TypeError, KeyError) as err:
            row.update(stops_with=type(err).__name__, error=str(err)[:120])
            continue
        runs.append((row, merged))
        decoded = b"".join(vocabulary.get(t, b"") for chunk in ids for t in chunk)  # an id it cannot decode: lost
        new_ids = range(256, 256 + len(merged)) if "ids" in fixes else range(len(merged))
        row.update(merges_learned=len(merged), ids_shared_with_a_byte=sum(1 for i in new_ids if i < 256),
                   decodes_to_the_text=decoded == text.encode("utf-8"), first_tie=first_tie or "",
                   first_merges=" ".join(repr(m.decode("utf-8", errors="backslashreplace")) for m in merged[:6]))
    fixed = runs[-1][1]  # every fix applied: the last row
    reference = _reference(text, len(fixed))  # a short text runs out of pairs before `merges`
    for row, merged in runs:
        row.update(merges_equal_to_fixed=_agree(merged, fixed), merges_equal_to_train_bpe=_agree(merged, reference))
    return rows
