"""Seed 001's BPE listing, run as printed and fixed one defect at a time (textgen.bpe.listing)."""

from __future__ import annotations

import random

from textgen.bpe.bench import reference_train
from textgen.bpe.listing import FIXES, _reference, listed_train, merged_tokens, variants

from .conftest import ENGLISH

TEXT = ENGLISH * 3


def test_each_defect_stops_the_listing_where_python_would():
    rows = variants(TEXT, merges=40)
    assert [(r["fixes"], r["stops_with"]) for r in rows] == [
        ("none (as listed)", "NameError"), ("counter", "TypeError"), ("counter, pairs", "KeyError"),
        ("counter, pairs, vocabulary", ""), ("counter, pairs, vocabulary, ids", "")]
    assert rows[0]["error"] == "name 'counts' is not defined"
    assert rows[1]["error"] == "unhashable type: 'list'"  # a pair of chunks
    first_merge = listed_train(TEXT, 1, frozenset(FIXES))[0][0]
    assert rows[2]["error"] == str(first_merge[0])  # the first byte it joins: the empty vocabulary holds none


def test_new_ids_from_0_reuse_the_bytes_and_lose_the_text():
    # 40 merges reach id 32 (space) and 10 (newline): the text no longer decodes
    from_zero, fixed = variants(TEXT, merges=40)[3:]
    assert from_zero["ids_shared_with_a_byte"] == 40 and fixed["ids_shared_with_a_byte"] == 0
    assert from_zero["decodes_to_the_text"] is False and fixed["decodes_to_the_text"] is True
    assert fixed["merges_equal_to_fixed"] == 40 and from_zero["merges_equal_to_fixed"] < 40


def test_the_fixed_listing_learns_the_reference_merges_up_to_its_first_tie():
    # 3,000 words drawn with Zipf weights: pair counts differ more than in a repeated text (first tie: merge 6)
    rng = random.Random(0)
    words = "the river mill daughter sang water and of to a wheel stone rain money geese boy".split()
    text = " ".join(rng.choices(words, [1 / (i + 1) for i in range(len(words))], k=3000))
    merged, _, _, first_tie = listed_train(text, 40, frozenset(FIXES))
    agree = (first_tie or 41) - 1  # equally frequent pairs: the listing takes the first counted
    assert agree >= 5
    assert merged[:agree] == _reference(text, 40)[:agree]  # Hugging Face tokenizers (the pipeline's trainer)
    assert merged[:agree] == merged_tokens(reference_train([text], 256 + 40))[:agree]  # the pure-Python reference

