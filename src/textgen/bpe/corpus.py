"""The text a tokenizer and its language models learn from: a corpus folder read as documents of
segments, each document split into train/val/test by position (contiguous, no shuffling).

Three formats, one per kind of generator in seed 001:

- `stream`: every text file is a document and its lines are the segments; a split joins them
  back with newlines, so the model sees the text as it is (Don Quixote, Bible). A line longer than
  LONG_LINE characters is wrapped at a space (that space becomes a newline, the only change to the
  text), so that a text with few or no line breaks still splits.
- `sentences`: paragraphs are unwrapped and cut into sentences, one segment each; the model sees
  `sentence [SEP] sentence [SEP] ...` and learns to write the sentence after a [SEP] (the
  "next sentence" and Kafka models).
- `poems`: poems.jsonl, one document per source file, one `title\\n\\ntext` segment per poem, each
  ended by [SEP] (the lyrics model: a title prompts a poem).

>>> split_segments(["ab", "cd", "e", "f"], val=0.2, test=0.2)
{'train': ['ab', 'cd'], 'val': ['e'], 'test': ['f']}
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from textgen.errors import TextgenError

FORMATS = ("stream", "sentences", "poems")
SPLITS = ("train", "val", "test")

# A sentence ends at . ! or ? (closing quotes or brackets may follow) before whitespace.
# Abbreviations ("Mr. Smith") are cut too: a known, harmless simplification for these corpora.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|(?<=[.!?][\"')\]\u2019\u201d])\s+")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
# Longer than any line of the pinned corpora (the Bible's longest verse line is under 500), short
# enough that a one-line text of a few tens of thousands of characters still has val and test parts.
LONG_LINE = 1000


def wrap_long_line(line: str, width: int = LONG_LINE) -> list[str]:
    """`line` cut into pieces of at most `width` characters at the last space before each cut
    (the space is dropped), or at `width` itself where there is no space.

    >>> wrap_long_line("aa bb cc dddddd", width=5)
    ['aa bb', 'cc', 'ddddd', 'd']
    """
    pieces, start = [], 0
    while len(line) - start > width:  # positions, not slices: a 50 MB line is not copied per piece
        cut = max(line.rfind(" ", start, start + width + 1), line.rfind("\t", start, start + width + 1))
        if cut > start:
            pieces.append(line[start:cut])
            start = cut + 1
        else:
            pieces.append(line[start:start + width])
            start += width
    return pieces + [line[start:]]


def sentences(text: str) -> list[str]:
    """Sentences of `text`: paragraphs (blank-line separated) unwrapped, then cut after . ! ?

    >>> sentences('KING.\\nWhat say you?\\n"Nothing." Then\\ngo.\\n\\nExit')
    ['KING.', 'What say you?', '"Nothing."', 'Then go.', 'Exit']
    """
    out = []
    for paragraph in _PARAGRAPH_BREAK.split(text):
        flat = " ".join(paragraph.split())
        out += [s for s in _SENTENCE_BREAK.split(flat) if s]
    return out


def documents(corpus: Path, fmt: str) -> list[list[str]]:
    """The corpus as documents, each a list of segments, in a fixed order (sorted file names;
    poems in file order, grouped by source)."""
    if fmt not in FORMATS:
        raise TextgenError(f"format: {fmt!r} is not one of {FORMATS}")
    if fmt == "poems":
        return _poem_documents(corpus / "poems.jsonl")
    files = sorted((corpus / "texts").glob("*.txt"))
    if not files:
        raise TextgenError(f"{corpus / 'texts'}: no .txt files (was the corpus prepared?)")
    texts = [f.read_text(encoding="utf-8") for f in files]
    if fmt == "stream":
        return [[piece for line in t.split("\n") for piece in wrap_long_line(line)] for t in texts]
    return [sentences(t) for t in texts]


def _poem_documents(path: Path) -> list[list[str]]:
    if not path.is_file():
        raise TextgenError(f"{path}: missing (the poems format needs a titled-poems corpus: extractor titled_poems)")
    groups: dict[str, list[str]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        try:
            poem = json.loads(line)
            groups.setdefault(poem["source"], []).append(f"{poem['title']}\n\n{poem['text']}")
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise TextgenError(f"{path}:{number}: not a poem record ({type(exc).__name__}: {exc})") from None
    return list(groups.values())


def split_segments(segments: list[str], val: float, test: float) -> dict[str, list[str]]:
    """Cut one document into train, val, test at segment boundaries: the val part starts where
    (1 - val - test) of the characters lie before it, the test part where (1 - test) do."""
    total = sum(len(s) for s in segments)
    cuts = ((1 - val - test) * total, (1 - test) * total)
    parts: dict[str, list[str]] = {name: [] for name in SPLITS}
    seen = 0
    for segment in segments:
        name = "train" if seen < cuts[0] else "val" if seen < cuts[1] else "test"
        parts[name].append(segment)
        seen += len(segment)
    return parts


def split_arg(text: str, flag: str = "--split") -> dict:
    """The command-line split, a JSON object with exactly the keys val and test.

    >>> split_arg('{"val": 0.05, "test": 0.05}')
    {'val': 0.05, 'test': 0.05}
    """
    from textgen.data.args import json_arg

    split = json_arg(text, flag)
    if sorted(split) != ["test", "val"]:
        raise TextgenError(f"{flag}: expected the keys ['test', 'val'], got {sorted(split)}")
    return split


def split_corpus(corpus: Path, fmt: str, val: float, test: float) -> dict[str, list[list[str]]]:
    """split name -> one list of segments per document (documents with nothing in a split are
    left out of it). A split that would be empty overall is an error naming the corpus."""
    for name, value in (("val", val), ("test", test)):
        if not 0 < value < 0.5:
            raise TextgenError(f"split.{name}: must be in (0, 0.5), got {value}")
    out: dict[str, list[list[str]]] = {name: [] for name in SPLITS}
    for doc in documents(corpus, fmt):
        for name, part in split_segments(doc, val, test).items():
            if part:
                out[name].append(part)
    for name, docs in out.items():
        if not any("".join(d).strip() for d in docs):
            raise TextgenError(f"{corpus}: the {name} split is empty in format {fmt!r} "
                               f"(corpus too small for val={val}, test={test})")
    return out


def joined(docs: list[list[str]], fmt: str) -> list[str]:
    """The texts to encode for one split: a document per text in the stream format (its lines
    rejoined), a segment per text otherwise (the [SEP] after each is added by the encoder)."""
    if fmt == "stream":
        return ["\n".join(doc) for doc in docs]
    return [segment for doc in docs for segment in doc]


def first_bytes(texts: list[str], max_bytes: int) -> list[str]:
    """The texts up to `max_bytes` bytes in all, each counted with one separator byte after it (the
    [SEP] a model sees there), the last one cut to fit; 0 keeps them all. Held-out scoring reads this
    prefix of a test split, the same bytes for every model of the corpus.

    >>> first_bytes(["abc", "defg", "h"], 7), first_bytes(["abc"], 0)
    (['abc', 'de'], ['abc'])
    """
    if not max_bytes:
        return list(texts)
    out, left = [], max_bytes
    for text in texts:
        if left < 2:  # room for at least one byte and its separator
            break
        piece = cut(text, left - 1)
        out.append(piece)
        left -= len(piece.encode("utf-8")) + 1
    return out


def cut(text: str, n_bytes: int) -> str:
    """The first `n_bytes` of `text` in UTF-8 (a character cut in half is dropped).

    >>> cut("naïve", 3)
    'na'
    """
    return text.encode("utf-8")[:n_bytes].decode("utf-8", errors="ignore")
