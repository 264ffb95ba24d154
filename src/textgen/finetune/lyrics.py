"""The T5 task of seed 001: "Create the lyrics of <title>" -> the text. Poems with titles stand in
for the seed's song lyrics (data/interim/corpora/poems/poems.jsonl, one {"title", "text"} a line).

    >>> poems = [Poem("A", "x"), Poem("B", "y"), Poem("A", "z")]
    >>> [(p.title, p.text) for p in unique_titles(poems)]
    [('A', 'z'), ('B', 'y')]
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

from textgen.errors import TextgenError

POEMS_FILE = "poems.jsonl"


@dataclass(frozen=True)
class Poem:
    title: str
    text: str


def read_poems(folder: Path) -> list[Poem]:
    path = Path(folder) / POEMS_FILE
    if not path.is_file():
        raise TextgenError(f"{path}: not found (expected the poems corpus made by `textgen prepare-corpus`)")
    poems = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            poems.append(Poem(str(row["title"]), str(row["text"])))
        except (json.JSONDecodeError, KeyError, TypeError) as err:
            raise TextgenError(f"{path}:{number}: expected a JSON object with title and text ({err})") from None
    if not poems:
        raise TextgenError(f"{path}: no poems")
    return unique_titles(poems)


def unique_titles(poems: list[Poem]) -> list[Poem]:
    """One poem per title, the last one winning, as the seed's {title: lyrics} dict did."""
    return list({p.title: p for p in poems if p.text.strip()}.values())


def split_poems(poems: list[Poem], val_poems: int, seed: int) -> tuple[list[Poem], list[Poem]]:
    if val_poems >= len(poems):
        raise TextgenError(f"val_poems: {val_poems} leaves no training poem (there are {len(poems)})")
    order = random.Random(seed).sample(range(len(poems)), len(poems))
    val = set(order[:val_poems])
    return [p for i, p in enumerate(poems) if i not in val], [p for i, p in enumerate(poems) if i in val]


def prompt(prefix: str, title: str) -> str:
    return f"{prefix} {title}"


def tokenize_poems(poems: list[Poem], tokenizer, prefix: str, max_source: int, max_target: int) -> list[dict]:
    """Examples for DataCollatorForSeq2Seq: source ids, mask and target ids as labels (unpadded;
    the collator pads labels with -100 so padding is not learnt)."""
    sources = tokenizer([prompt(prefix, p.title) for p in poems], max_length=max_source, truncation=True)
    targets = tokenizer([p.text for p in poems], max_length=max_target, truncation=True)
    return [{"input_ids": s, "attention_mask": m, "labels": t}
            for s, m, t in zip(sources["input_ids"], sources["attention_mask"], targets["input_ids"])]
