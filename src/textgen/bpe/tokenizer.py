"""A byte-level BPE tokenizer: token bytes per id, merges in priority order, a split pattern.

Ids 0-255 are the single bytes (id b is byte b) in a trained tokenizer; merged tokens follow in
the order they were learned; special tokens come last. Encoding runs in Hugging Face `tokenizers`
(Rust); decoding is a table lookup here. The saved file is JSON with a format version.
"""

from __future__ import annotations

import base64
import json
import os
import re
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

from tokenizers import Regex, models, pre_tokenizers
from tokenizers import Tokenizer as HFTokenizer

from textgen.errors import TextgenError
from textgen.io import atomic_path

FORMAT = "textgen-bpe"
FORMAT_VERSION = 1

# The seed's special symbols: [PAD] pads batches (the loss ignores it), [CLS] begins and [SEP]
# ends a sequence (the seed's generation stops at [SEP]).
SPECIAL_TOKENS = ("[PAD]", "[CLS]", "[SEP]")


@cache
def byte_to_char() -> tuple[str, ...]:
    """The byte-level alphabet: one printable character per byte, as GPT-2 and `tokenizers` use.

    Printable Latin-1 bytes stand for themselves; the other 68 bytes (controls, space, NBSP, soft
    hyphen) take the code points from 256 upwards, in byte order.

    >>> byte_to_char()[ord("a")], byte_to_char()[ord(" ")], byte_to_char()[ord("\\n")]
    ('a', 'Ġ', 'Ċ')
    """
    printable = set(range(ord("!"), ord("~") + 1)) | set(range(0xA1, 0xAC + 1)) | set(range(0xAE, 0xFF + 1))
    chars, shifted = [], 256
    for b in range(256):
        if b in printable:
            chars.append(chr(b))
        else:
            chars.append(chr(shifted))
            shifted += 1
    return tuple(chars)


@cache
def char_to_byte() -> dict[str, int]:
    return {c: b for b, c in enumerate(byte_to_char())}


def to_byte_level(token: bytes) -> str:
    """Spell `token` in the byte-level alphabet, as `tokenizers` keys its vocabulary.

    >>> to_byte_level(" hé".encode())
    'ĠhÃ©'
    """
    table = byte_to_char()
    return "".join(table[b] for b in token)


def from_byte_level(text: str) -> bytes:
    """The bytes a byte-level spelling stands for.

    >>> from_byte_level('ĠhÃ©').decode()
    ' hé'
    """
    table = char_to_byte()
    return bytes(table[c] for c in text)


def byte_level_pipeline(pattern: str) -> pre_tokenizers.PreTokenizer:
    """Split on `pattern`, then spell each chunk's UTF-8 bytes in the byte-level alphabet."""
    return pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(pattern), behavior="isolated"),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
    ])


class Tokenizer:
    """Byte-level BPE with special tokens.

    tokens[i] are the bytes of id i (all 256 single bytes must be present); merges[k] = (a, b)
    says that ids a and b fuse into the token with bytes tokens[a] + tokens[b], with priority k
    (lower first); special_tokens maps each special string to an id beyond the ordinary tokens.
    ignore_merges: a chunk that is itself a token is taken whole before any merging (tiktoken does
    this; the seed's training algorithm does not).
    """

    def __init__(self, tokens: Sequence[bytes], merges: Sequence[tuple[int, int]],
                 special_tokens: dict[str, int], pattern: str, ignore_merges: bool = False):
        self.tokens = list(tokens)
        self.merges = [(int(a), int(b)) for a, b in merges]
        self.special_tokens = dict(special_tokens)
        self.pattern = pattern
        self.ignore_merges = ignore_merges
        self._check()
        self._special_bytes = {i: s.encode("utf-8") for s, i in self.special_tokens.items()}
        self._special_split = re.compile(
            "(" + "|".join(re.escape(s) for s in sorted(self.special_tokens, key=len, reverse=True)) + ")"
        ) if self.special_tokens else None
        self._hf = HFTokenizer(models.BPE(
            vocab={to_byte_level(t): i for i, t in enumerate(self.tokens)},
            merges=[(to_byte_level(self.tokens[a]), to_byte_level(self.tokens[b])) for a, b in self.merges],
            ignore_merges=ignore_merges,
        ))
        self._hf.pre_tokenizer = byte_level_pipeline(pattern)

    def _check(self) -> None:
        index = {t: i for i, t in enumerate(self.tokens)}
        if len(index) != len(self.tokens):
            raise TextgenError("tokens: the same bytes appear under two ids")
        missing = [b for b in range(256) if bytes([b]) not in index]
        if missing:
            raise TextgenError(f"tokens: single bytes {missing[:5]} have no id; byte-level BPE needs all 256")
        for k, (a, b) in enumerate(self.merges):
            if not (0 <= a < len(self.tokens) and 0 <= b < len(self.tokens)):
                raise TextgenError(f"merges[{k}]: ids ({a}, {b}) are outside 0..{len(self.tokens) - 1}")
            if self.tokens[a] + self.tokens[b] not in index:
                raise TextgenError(f"merges[{k}]: ({a}, {b}) makes bytes that are no token")
        ids = list(self.special_tokens.values())
        if len(set(ids)) != len(ids) or any(i < len(self.tokens) for i in ids) or "" in self.special_tokens:
            raise TextgenError("special_tokens: need distinct non-empty strings with distinct ids "
                               f"from {len(self.tokens)} up, got {self.special_tokens}")

    @property
    def vocab_size(self) -> int:
        """Number of ids a model's embedding needs: every ordinary and special id is below it."""
        return max([len(self.tokens) - 1, *self.special_tokens.values()]) + 1

    @property
    def pad_id(self) -> int | None:
        return self.special_tokens.get("[PAD]")

    @property
    def cls_id(self) -> int | None:
        return self.special_tokens.get("[CLS]")

    @property
    def sep_id(self) -> int | None:
        return self.special_tokens.get("[SEP]")

    def encode(self, text: str, allowed_special: bool = False) -> list[int]:
        """Token ids of `text`. Special-token strings in the text are ordinary text unless
        `allowed_special`, which maps them to their ids."""
        if not (allowed_special and self._special_split):
            return self._hf.encode(text, add_special_tokens=False).ids
        ids: list[int] = []
        for k, piece in enumerate(self._special_split.split(text)):
            if k % 2:
                ids.append(self.special_tokens[piece])
            elif piece:
                ids.extend(self._hf.encode(piece, add_special_tokens=False).ids)
        return ids

    def encode_batch(self, texts: Sequence[str]) -> list[list[int]]:
        """`encode` of each text (special strings as ordinary text), run in parallel in Rust."""
        return [e.ids for e in self._hf.encode_batch(list(texts), add_special_tokens=False)]

    def token_bytes(self, i: int) -> bytes:
        if 0 <= i < len(self.tokens):
            return self.tokens[i]
        if i in self._special_bytes:
            return self._special_bytes[i]
        raise TextgenError(f"ids: {i} is no token id of this tokenizer (vocab_size {self.vocab_size})")

    def decode(self, ids: Iterable[int]) -> str:
        """Text of `ids`; special ids become their strings; bytes that are not valid UTF-8 (a
        cut-off character) become U+FFFD."""
        return b"".join(self.token_bytes(int(i)) for i in ids).decode("utf-8", errors="replace")

    def save(self, path: str | os.PathLike) -> None:
        doc = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "pattern": self.pattern,
            "ignore_merges": self.ignore_merges,
            "special_tokens": self.special_tokens,
            "merges": self.merges,
            "tokens": [base64.b64encode(t).decode("ascii") for t in self.tokens],
        }
        with atomic_path(path) as tmp:
            tmp.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: str | os.PathLike) -> Tokenizer:
        path = Path(path)
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise TextgenError(f"{path}: not a readable tokenizer file ({exc})") from exc
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise TextgenError(f"{path}: not a {FORMAT} file")
        if doc.get("version") != FORMAT_VERSION:
            raise TextgenError(f"{path}: format version {doc.get('version')!r}, this code reads {FORMAT_VERSION}")
        try:
            return cls(
                tokens=[base64.b64decode(t, validate=True) for t in doc["tokens"]],
                merges=[tuple(m) for m in doc["merges"]],
                special_tokens=doc["special_tokens"],
                pattern=doc["pattern"],
                ignore_merges=bool(doc["ignore_merges"]),
            )
        except TextgenError as exc:
            raise TextgenError(f"{path}: {exc}") from exc
        except Exception as exc:  # any malformed field: KeyError, TypeError, binascii.Error, a Rust error
            raise TextgenError(f"{path}: corrupt tokenizer file ({type(exc).__name__}: {exc})") from exc


def bytes_per_token(tokenizer: Tokenizer, text: str) -> float:
    """UTF-8 bytes per token of `text`: the compression a vocabulary buys (higher = shorter ids).

    >>> from textgen.bpe.train import train_bpe
    >>> bytes_per_token(train_bpe(["ab ab ab"], vocab_size=256 + 1 + 3), "ab")
    2.0
    """
    ids = tokenizer.encode(text)
    if not ids:
        raise TextgenError("text: empty, bytes per token is undefined")
    return len(text.encode("utf-8")) / len(ids)
