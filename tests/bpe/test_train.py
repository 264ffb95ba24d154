"""Training is the seed's algorithm: most frequent pair inside a chunk, merged, repeated."""

from __future__ import annotations

import pytest
import regex

from textgen.bpe import GPT4_SPLIT_PATTERN, Tokenizer, train_bpe
from textgen.bpe.bench import merge, reference_train
from textgen.errors import TextgenError

from .conftest import ENGLISH, random_strings


def test_wikipedia_example_merges():
    # aaabdaaabac: "aa" is most frequent (Z), then "ab" (Y) wins its tie with "Za", then "ZY" (X).
    tok = train_bpe(["aaabdaaabac"], vocab_size=256 + 3 + 3)
    a, b = ord("a"), ord("b")
    assert tok.merges == [(a, a), (a, b), (256, 257)]
    assert tok.tokens[256:] == [b"aa", b"ab", b"aaab"]
    assert tok.encode("aaabdaaabac") == [258, ord("d"), 258, a, ord("c")]  # X d X a c
    assert reference_train(["aaabdaaabac"], 256 + 3) == tok.merges


@pytest.mark.parametrize("texts, vocab_size", [
    ([ENGLISH], 420),
    (random_strings(200, seed=1), 500),
    ([ENGLISH, *random_strings(50, seed=2)], 460),
    (["aaaa aaa aa a bbbb ab ab ba " * 3, "abab baba aabb"], 262),  # overlapping runs and ties
])
def test_same_merges_as_the_pure_python_reference(texts, vocab_size):
    tok = train_bpe(texts, vocab_size=vocab_size, special_tokens=())
    assert len(tok.merges) > 0
    assert tok.merges == reference_train(texts, vocab_size)


def reference_encode(tok: Tokenizer, text: str) -> list[int]:
    """minbpe-style encoding: per chunk, fuse the adjacent pair of lowest merge rank until none."""
    rank = {pair: k for k, pair in enumerate(tok.merges)}
    index = {t: i for i, t in enumerate(tok.tokens)}
    out: list[int] = []
    for chunk in regex.findall(tok.pattern, text):
        ids = list(chunk.encode("utf-8"))
        while len(ids) > 1:
            pair = min(zip(ids, ids[1:], strict=False), key=lambda p: rank.get(p, len(rank)))
            if pair not in rank:
                break
            ids = merge(ids, pair, index[tok.tokens[pair[0]] + tok.tokens[pair[1]]])
        out.extend(ids)
    return out


def test_encode_matches_the_reference_encoder(trained):
    for text in [ENGLISH, *random_strings(400, seed=11)]:
        assert trained.encode(text) == reference_encode(trained, text), repr(text)


def test_chunks_follow_the_gpt4_pattern():
    chunks = regex.findall(GPT4_SPLIT_PATTERN, "Hello world's  \n\n  123456 you'LL!!?  x ")
    assert chunks == ["Hello", " world", "'s", "  \n\n", " ", " ", "123", "456", " you", "'LL", "!!?", " ", " x", " "]


def test_ids_layout_and_special_tokens(trained):
    assert trained.tokens[:256] == [bytes([b]) for b in range(256)]
    assert trained.vocab_size == 600
    assert (trained.pad_id, trained.cls_id, trained.sep_id) == (597, 598, 599)
    assert len(trained.tokens) == 597


def test_custom_special_tokens():
    tok = train_bpe([ENGLISH], vocab_size=300, special_tokens=("<s>",))
    assert tok.special_tokens == {"<s>": 299}
    assert tok.pad_id is None


def test_vocab_size_too_small_is_refused():
    with pytest.raises(TextgenError, match="vocab_size"):
        train_bpe([ENGLISH], vocab_size=258)


def test_vocab_size_beyond_the_text_is_refused():
    with pytest.raises(TextgenError, match="vocab_size: the training text yields only 262 tokens, 300 asked"):
        train_bpe(["abcd"], vocab_size=300)


def test_duplicate_special_tokens_are_refused():
    with pytest.raises(TextgenError, match="special_tokens"):
        train_bpe([ENGLISH], vocab_size=300, special_tokens=("[PAD]", "[PAD]"))


def test_training_is_deterministic():
    texts = [ENGLISH, *random_strings(100, seed=3)]
    a, b = train_bpe(texts, vocab_size=450), train_bpe(texts, vocab_size=450)
    assert a.merges == b.merges and a.tokens == b.tokens
