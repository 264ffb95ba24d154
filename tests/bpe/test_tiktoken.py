"""GPT-4's own vocabulary (cl100k_base ranks) in our encoder gives tiktoken's ids exactly."""

from __future__ import annotations

import base64

import pytest

from textgen.bpe import CL100K_PATTERN, GPT4_SPLIT_PATTERN, Tokenizer, load_tiktoken
from textgen.bpe.tiktoken_ranks import recover_pair
from textgen.errors import TextgenError

from .conftest import ENGLISH, random_strings

MULTILINGUAL = [
    "hello world!!!? (안녕하세요!) lol123 😉",
    ENGLISH,
    "def fib(n: int) -> int:\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)  # O(2**n)\n",
    "x = [1, 22, 333, 4444, 55555, 666666]; y = 3.14159e-10; z = 0xDEADBEEF; 1,234,567.89\n",
    "tabs\tand  double  spaces   and\n\n\nthree newlines    \n  \n\t\n trailing spaces   ",
    "Die Größe der Straße überrascht Jürgen nicht; Äpfel, Öl und Übermut kosten 12,50 €.",
    "Blåbærsyltetøy på brødskiva er godt. Ærfugl og øyer i nord. Jeg liker å sitte på skolen.",
    "我喜欢在学校学习。日本語のテキストも混ざっています。한국어 문장도 있습니다!",
    "I'm sure you'll see they've said it's theirs -- we'd DONE it, HE'LL know. 'quoted' text",
    "emoji 👨‍👩‍👧 👍🏽 ❤️ and symbols ©®™ §¶ ← → ∑∫√ «guillemets» “curly” ‘quotes’",
    "\u00a0nbsp\u2009thin\u3000ideographic\u2028line-sep\u0085nel\u000bvt\u000cff",
    "",
]


def test_gpt4_reference_ids(cl100k):
    assert cl100k.encode(MULTILINGUAL[0]) == [15339, 1917, 12340, 30, 320, 31495, 230, 75265, 243, 92245,
                                              16715, 28509, 4513, 57037]


@pytest.mark.parametrize("text", MULTILINGUAL)
def test_same_ids_as_tiktoken(cl100k, tiktoken_cl100k, text):
    assert cl100k.encode(text) == tiktoken_cl100k.encode(text)


def test_same_ids_as_tiktoken_on_random_strings(cl100k, tiktoken_cl100k):
    for text in random_strings(3000, seed=17):
        assert cl100k.encode(text) == tiktoken_cl100k.encode(text), repr(text)


def test_the_seed_pattern_is_gpt4s(cl100k, tiktoken_cl100k):
    # The seed's Table 1 pattern lacks tiktoken's trailing-whitespace alternative; with GPT-4's
    # ranks it still gives tiktoken's ids, trailing whitespace included.
    seed = Tokenizer(cl100k.tokens, cl100k.merges, cl100k.special_tokens, GPT4_SPLIT_PATTERN, ignore_merges=True)
    for text in MULTILINGUAL + random_strings(500, seed=19) + ["x" + " \n\t" * k for k in range(1, 5)]:
        assert seed.encode(text) == tiktoken_cl100k.encode(text), repr(text)
    assert CL100K_PATTERN != GPT4_SPLIT_PATTERN


def test_special_tokens_match_tiktoken(cl100k, tiktoken_cl100k):
    text = "hi<|endoftext|>there<|fim_prefix|>"
    assert cl100k.encode(text, allowed_special=True) == tiktoken_cl100k.encode(text, allowed_special="all")
    assert cl100k.vocab_size == tiktoken_cl100k.n_vocab == 100277


def test_save_load_keeps_tiktoken_behaviour(cl100k, tiktoken_cl100k, tmp_path):
    cl100k.save(tmp_path / "cl100k.json")
    loaded = Tokenizer.load(tmp_path / "cl100k.json")
    assert loaded.ignore_merges and loaded.pattern == CL100K_PATTERN
    assert loaded.encode(MULTILINGUAL[1]) == tiktoken_cl100k.encode(MULTILINGUAL[1])


def test_recover_pair_follows_ranks():
    ranks = {b"a": 0, b"b": 1, b"c": 2, b"ab": 3, b"bc": 4, b"abc": 5}
    assert recover_pair(b"abc", ranks) == (b"ab", b"c")
    ranks[b"bc"], ranks[b"ab"] = 3, 4
    assert recover_pair(b"abc", ranks) == (b"a", b"bc")
    with pytest.raises(TextgenError, match="cannot be built"):
        recover_pair(b"abc", {b"a": 0, b"b": 1, b"c": 2, b"abc": 3})


def test_bad_ranks_files_are_refused(tmp_path):
    path = tmp_path / "bad.tiktoken"
    path.write_text("YQ== 0\nnot-base64!! 1\n")
    with pytest.raises(TextgenError, match=f"{path}: line 2: not a tiktoken ranks file"):
        load_tiktoken(path)
    path.write_text("YQ== 0\nYg== 2\n")
    with pytest.raises(TextgenError, match=f"{path}: ranks are not 0..1"):
        load_tiktoken(path)
    path.write_text("".join(f"{base64.b64encode(bytes([b])).decode()} {b}\n" for b in range(255)))
    with pytest.raises(TextgenError, match=f"{path}: tokens: single bytes"):
        load_tiktoken(path, special_tokens={})
