"""Cut poetry collections into (title, poem) pairs: the stand-in for titled song lyrics.

Two layouts occur in the sources:

- numbered sequences (Shakespeare's sonnets): a line holding only a Roman numeral starts each
  poem; as is customary, a sonnet's title is its first line;
- titled collections (Milton's Poetical Works): an ALL-CAPS title after two or more blank lines
  starts each poem; section headings without a body of their own ("MISCELLANEOUS POEMS."), prose
  (prefaces, letters) and editorial notes are dropped and counted.

>>> poems = split_numbered("THE SONNETS\\n\\nI\\n\\nFrom fairest creatures we desire increase,\\n"
...                        "That thereby beauty's rose might never die,\\n\\nII\\n\\nWhen forty winters")
>>> [p.title for p in poems]
['From fairest creatures we desire increase', 'When forty winters']
>>> poems[0].text
"From fairest creatures we desire increase,\\nThat thereby beauty's rose might never die,"
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from textgen.data.clean import clean_text

ROMAN = re.compile(r"[IVXLC]+\.?")
ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
# A heading that only groups the numbered poems below it.
SONNET_GROUP = re.compile(r"SONNETS?\.?")
NOTE = re.compile(r"Notes?:")
MIN_VERSE_SHARE = 0.5  # verse lines start with a capital; prose lines mostly do not
MIN_LINES = 4  # fewer is a caption ("APPENDIX. / Specimen of Milton's spelling"), not a poem


@dataclass(frozen=True)
class Poem:
    title: str
    text: str  # cleaned, no final newline


def roman_value(numeral: str) -> int:
    """The value of a Roman numeral (a trailing period allowed).

    >>> roman_value("CLIV")
    154
    """
    values = [ROMAN_VALUES[c] for c in numeral.rstrip(".")]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def split_numbered(text: str) -> list[Poem]:
    """Poems headed by a Roman numeral on a line of its own; what precedes the first is dropped."""
    poems: list[Poem] = []
    body: list[str] | None = None
    previous = ""
    for line in text.split("\n") + [""]:
        if not previous.strip() and ROMAN.fullmatch(line.strip()):
            _add_numbered(poems, body)
            body = []
        elif body is not None:
            body.append(line)
        previous = line
    _add_numbered(poems, body)
    return poems


def numerals(text: str) -> list[int]:
    """The Roman numerals heading each poem, as numbers (to check a sequence is complete).

    >>> numerals("I\\n\\nOne\\n\\nII\\n\\nTwo")
    [1, 2]
    """
    lines = text.split("\n")
    return [roman_value(line.strip()) for i, line in enumerate(lines)
            if ROMAN.fullmatch(line.strip()) and (i == 0 or not lines[i - 1].strip())]


def _add_numbered(poems: list[Poem], body: list[str] | None) -> None:
    if body is None:
        return
    paragraphs = _paragraphs("\n".join(body))
    title = ""
    # A numbered poem may carry its own title ("XV / ON THE LATE MASSACHER IN PIEMONT.").
    if paragraphs and len(paragraphs[0][1]) == 1 and not _has_lower(paragraphs[0][1][0]):
        title = _tidy_title(paragraphs.pop(0)[1][0])
    text = clean_text("\n\n".join("\n".join(lines) for _, lines in paragraphs)).rstrip("\n")
    if text:
        poems.append(Poem(title or _tidy_title(text.split("\n", 1)[0]), text))


def split_titled(text: str) -> tuple[list[Poem], Counter]:
    """Poems of a titled collection, and how many titled sections were dropped and why.

    >>> text = ("The Poetical Works\\n\\n\\nMISCELLANEOUS POEMS.\\n\\n\\nSONG ON MAY MORNING.\\n\\n"
    ...         "Now the bright morning Star,\\nComes dancing from the East,\\n"
    ...         "The Flowry May, who from her green lap throws\\nThe yellow Cowslip.\\n\\n"
    ...         "Note: 3 throws] throwes 1645.")
    >>> poems, dropped = split_titled(text)
    >>> [p.title for p in poems], poems[0].text.count("\\n"), dict(dropped)
    (['SONG ON MAY MORNING'], 3, {'heading': 1})
    """
    poems: list[Poem] = []
    dropped: Counter = Counter()
    section: tuple[str, list[list[str]]] | None = None
    for gap, lines in _paragraphs(text):
        if _is_title(gap, lines):
            _close(section, poems, dropped)
            keep = next((i for i, line in enumerate(lines) if i and _has_lower(line)), len(lines))
            section = (_tidy_title(" ".join(lines[:keep])), [lines[keep:]] if lines[keep:] else [])
        elif section is not None and gap >= 3 and section[1]:
            # A section break after a poem's body: what follows is untitled (a transcriber's
            # note, a title page) and belongs to no poem.
            _close(section, poems, dropped)
            section = None
        elif section is not None:
            section[1].append(lines)
    _close(section, poems, dropped)
    return poems, dropped


def _close(section: tuple[str, list[list[str]]] | None, poems: list[Poem], dropped: Counter) -> None:
    if section is None:
        return
    title, paragraphs = section
    paragraphs = [p for p in paragraphs if not NOTE.match(p[0].strip())]
    body = "\n\n".join("\n".join(p) for p in paragraphs)
    if not paragraphs:
        dropped["heading"] += 1
    elif SONNET_GROUP.fullmatch(title):
        poems.extend(split_numbered(body))
    elif not _is_verse(body):
        dropped["prose"] += 1
    elif sum(map(len, paragraphs)) < MIN_LINES:
        dropped["short"] += 1
    else:
        poems.append(Poem(title, clean_text(body).rstrip("\n")))


def _paragraphs(text: str) -> list[tuple[int, list[str]]]:
    """Blocks of non-blank lines, each with the number of blank lines before it."""
    found: list[tuple[int, list[str]]] = []
    gap, block = 0, []
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.strip():
            block.append(line.rstrip())
            continue
        if block:
            found.append((gap, block))
            gap, block = 0, []
        gap += 1
    if block:
        found.append((gap, block))
    return found


def _is_title(gap: int, lines: list[str]) -> bool:
    first = lines[0]
    if len(lines) > 3 or first[0].isspace() or first[0].isdigit() or ROMAN.fullmatch(first.strip()):
        return False
    if sum(c.isalpha() for c in first) < 2:
        return False
    if gap >= 2 and not _has_lower(first):
        return True
    # After a section break a title may go on in lower case: "PSAL. I.  Done into Verse, 1653."
    word = re.match(r"[A-Za-z']+", first)
    return gap >= 3 and word is not None and len(word.group()) >= 2 and word.group().isupper()


def _is_verse(text: str) -> bool:
    starts = [m.group() for m in re.finditer(r"^[^A-Za-z\n]*([A-Za-z])", text, re.MULTILINE)]
    return bool(starts) and sum(s[-1].isupper() for s in starts) / len(starts) >= MIN_VERSE_SHARE


def _has_lower(line: str) -> bool:
    return any(c.islower() for c in line)


def _tidy_title(line: str) -> str:
    """One line, single spaces, no trailing punctuation but ? and !."""
    return re.sub(r"[\s.,;:-]+$", "", " ".join(line.split()))
