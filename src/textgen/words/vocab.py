"""Word vocabulary: token <-> id, built from counts, saved as versioned JSON.

Ids are deterministic so the same corpus and parameters give byte-identical files: special
tokens first (in the order given; the unknown token first unless listed), then words by
descending count, ties in code-point order. Words seen fewer than `min_count` times are left
out and map to the unknown token.

>>> vocab = build_vocab({"the": 5, "Harry": 3, "said": 3, "wand": 1}, min_count=2)
>>> vocab.idx2word
('<unk>', 'the', 'Harry', 'said')
>>> vocab.encode(["Harry", "said", "wand"])
[2, 3, 0]
>>> vocab.decode([2, 3, 0])
['Harry', 'said', '<unk>']
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from textgen.errors import TextgenError
from textgen.io import write_json

VOCAB_FORMAT = "textgen-word-vocab"
VOCAB_VERSION = 1


@dataclass(frozen=True)
class Vocab:
    """An immutable vocabulary. `counts[i]` is how often `idx2word[i]` occurred where it was built
    (for the unknown token: the occurrences of every word mapped to it)."""

    idx2word: tuple[str, ...]
    counts: tuple[int, ...]
    unk_token: str = "<unk>"
    specials: tuple[str, ...] = ("<unk>",)  # the first len(specials) ids
    min_count: int = 1
    source: str | None = field(default=None, compare=False)  # file it was loaded from, for messages
    word2idx: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        where = f"{self.source}: " if self.source else ""
        if len(self.counts) != len(self.idx2word):
            raise TextgenError(f"{where}{len(self.idx2word)} tokens but {len(self.counts)} counts")
        if len(set(self.idx2word)) != len(self.idx2word):
            raise TextgenError(f"{where}duplicate tokens in the vocabulary")
        if tuple(self.idx2word[: len(self.specials)]) != tuple(self.specials) or self.unk_token not in self.specials:
            raise TextgenError(f"{where}the vocabulary must start with its special tokens, "
                               f"the unknown token {self.unk_token!r} among them")
        object.__setattr__(self, "word2idx", {word: i for i, word in enumerate(self.idx2word)})

    def __len__(self) -> int:
        return len(self.idx2word)

    def __contains__(self, word: object) -> bool:
        return word in self.word2idx

    @property
    def unk_id(self) -> int:
        return self.word2idx[self.unk_token]

    def encode(self, words: Iterable[str], strict: bool = False) -> list[int]:
        """Ids of `words`; unknown words map to the unknown token, or with `strict=True` (for
        prompts, where a silent <unk> would be a surprise) raise a TextgenError naming them.

        >>> build_vocab({"Harry": 2}, min_count=1).encode(["Spells"], strict=True)
        Traceback (most recent call last):
        ...
        textgen.errors.TextgenError: not in the vocabulary (2 tokens): 'Spells'
        """
        words = list(words)
        if strict:
            unknown = [word for word in dict.fromkeys(words) if word not in self.word2idx]
            if unknown:
                where = f" {self.source}" if self.source else ""
                listed = ", ".join(self._describe_unknown(word) for word in unknown)
                raise TextgenError(f"not in the vocabulary{where} ({len(self)} tokens): {listed}")
        unk = self.unk_id
        get = self.word2idx.get
        return [get(word, unk) for word in words]

    def _describe_unknown(self, word: str) -> str:
        # Case is kept by the tokenizer, so "spells" vs "Spells" is the likeliest prompt mistake.
        for variant in (word.lower(), word.capitalize(), word.upper()):
            if variant != word and variant in self.word2idx:
                return f"{word!r} (did you mean {variant!r}?)"
        return repr(word)

    def decode(self, ids: Iterable[int]) -> list[str]:
        """Tokens of `ids`; an id outside the vocabulary raises a TextgenError naming it."""
        ids = [int(i) for i in ids]
        bad = [i for i in ids if not 0 <= i < len(self)]  # a negative id would index from the end
        if bad:
            raise TextgenError(f"token id {bad[0]} out of range for a vocabulary of {len(self)}")
        return [self.idx2word[i] for i in ids]

    def save(self, path: str | os.PathLike) -> None:
        """Write the vocabulary as versioned JSON (atomically)."""
        write_json(path, {
            "format": VOCAB_FORMAT,
            "version": VOCAB_VERSION,
            "unk_token": self.unk_token,
            "specials": list(self.specials),
            "min_count": self.min_count,
            "tokens": list(self.idx2word),
            "counts": list(self.counts),
        })

    @classmethod
    def load(cls, path: str | os.PathLike) -> Vocab:
        """Read a vocabulary written by `save`; another format, version or a damaged file raises a
        TextgenError naming the file."""
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise TextgenError(f"{path}: vocabulary file not found") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise TextgenError(f"{path}: not a valid vocabulary file ({err})") from None
        if not isinstance(data, dict) or data.get("format") != VOCAB_FORMAT:
            raise TextgenError(f"{path}: not a {VOCAB_FORMAT} file")
        if data.get("version") != VOCAB_VERSION:
            raise TextgenError(f"{path}: vocabulary version {data.get('version')!r}, "
                               f"this code reads version {VOCAB_VERSION}")
        try:
            tokens, counts = data["tokens"], data["counts"]
            fields = dict(unk_token=data["unk_token"], specials=tuple(data["specials"]),
                          min_count=data["min_count"])
        except (KeyError, TypeError) as err:
            raise TextgenError(f"{path}: vocabulary file lacks field {err}") from None
        if not (isinstance(tokens, list) and all(isinstance(t, str) for t in tokens)
                and isinstance(counts, list) and all(type(c) is int and c >= 0 for c in counts)):
            raise TextgenError(f"{path}: 'tokens' must be a list of strings and 'counts' of counts")
        return cls(tuple(tokens), tuple(counts), **fields, source=str(path))


def build_vocab(token_counts: Mapping[str, int], min_count: int, unk_token: str = "<unk>",
                specials: Sequence[str] = ()) -> Vocab:
    """Vocabulary of the words seen at least `min_count` times, after the special tokens.

    `specials` come first in the order given; `unk_token` is put in front of them unless listed.
    A special token that also occurs as a word keeps its special id and gains that count.

    >>> build_vocab({"b": 2, "a": 2, "c": 9}, min_count=1, specials=["<pad>", "<unk>"]).idx2word
    ('<pad>', '<unk>', 'c', 'a', 'b')
    """
    if type(min_count) is not int or min_count < 1:
        raise TextgenError(f"min_count: expected an integer >= 1, got {min_count!r}")
    specials = tuple(specials) if unk_token in specials else (unk_token, *specials)
    if len(set(specials)) != len(specials):
        raise TextgenError(f"specials: duplicate special tokens in {list(specials)}")
    words = [word for word, count in token_counts.items() if count >= min_count and word not in specials]
    words.sort(key=lambda word: (-token_counts[word], word))
    dropped = sum(count for word, count in token_counts.items() if count < min_count and word not in specials)
    special_counts = [token_counts.get(s, 0) + (dropped if s == unk_token else 0) for s in specials]
    return Vocab(idx2word=(*specials, *words), counts=(*special_counts, *(token_counts[w] for w in words)),
                 unk_token=unk_token, specials=specials, min_count=min_count)
