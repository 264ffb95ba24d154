"""Word-level tokenizer for Report A: words and punctuation become separate tokens.

The seed's generated texts show the tokens it trained on, re-joined with single spaces
("Spells , said Harry , looking at Uncle Vernon ...", "Harry Potter ?", "Mr. Durely",
"frog-marched", "didn't", "ter o' don"). These rules reproduce that, for any English prose:

1. Words are runs of letters and digits. Case is kept ("LIVES", "Spells").
2. An apostrophe or a hyphen between two word characters stays inside the word ("didn't",
   "We're", "ma'am", "frog-marched", "twenty-four"); so does "," or "." between two digits
   ("20,000", "3.5"). The curly apostrophe (U+2019) is written as "'" so both spellings share a
   token.
3. An apostrophe right after a word stays on it where it marks a plural possessive or an elision:
   after a final "s" ("sisters'", "Genlis'"), after "in" ("nothin'"), and in "o'", "an'", "th'"
   (Hagrid's "ter o' don" in the seed). After any other word it is a closing single quotation
   mark and is dropped ("'Good day, Emma'" -> "Good", "day", ",", "Emma"); a quotation closing
   right after a final "s" is thus kept on its word (rare: Austen nests single quotes in double
   ones, a few times per book).
4. An apostrophe before a word is an opening quotation mark and is dropped, except in the
   elisions 'tis, 'twas, 'twere, 'twill, 'twould, 'em (kept as one token).
5. Abbreviations keep their period: Mr. Mrs. Ms. Messrs. Dr. St. Esq. Rev. Col. Capt. Prof. Jr.
   Sr. Mt. &c. and single capital initials other than "I" ("M. Ronald Weasley").
6. A run of ".", "!", "?", "…" is one token ("...", "?!", ".."); so is a run of dashes ("--",
   "—", "-"). Every other symbol is a token of its own (",", ";", "(", "£").
7. Dropped: whitespace, double quotation marks (the seed's texts have none), single quotation
   marks (rule 4, "‘", "`"), and "_" (Project Gutenberg's italics markup, "_her_" -> "her").

>>> tokenize_words('"Spells," said Harry, looking at Uncle Vernon.')
['Spells', ',', 'said', 'Harry', ',', 'looking', 'at', 'Uncle', 'Vernon', '.']
>>> tokenize_words("Mr. Dursley didn't look -- frog-marched, 'tis o' course!")
['Mr.', 'Dursley', "didn't", 'look', '--', 'frog-marched', ',', "'tis", "o'", 'course', '!']
>>> tokenize_words("'I am sure,' said she... _her_ sisters' £20,000?! 'Good day, Emma'")
['I', 'am', 'sure', ',', 'said', 'she', '...', 'her', "sisters'", '£', '20,000', '?!', 'Good', 'day', ',', 'Emma']
"""

from __future__ import annotations

import re
from typing import Iterable

# Bump when a rule changes: vocabularies and memmaps built with other rules do not match.
TOKENIZER_VERSION = 1

_WORD_CHAR = r"[^\W_]"  # a letter or digit: \w without the underscore
_ABBREVIATION = r"(?:Mrs|Mr|Ms|Messrs|Dr|St|Esq|Rev|Col|Capt|Prof|Jr|Sr|Mt|&c|[A-HJ-Z])\."
_ELISION = r"'(?i:tis|twas|twere|twill|twould|em)(?![^\W_])"
_KEEPS_APOSTROPHE = r"(?:(?<=[sS])|(?<=in)|(?<=\b[oO])|(?<=\b[aA]n)|(?<=\b[tT]h))'"  # rule 3
# Joiners (rule 2): apostrophe or hyphen between word characters; "," or "." between digits.
_WORD = rf"{_WORD_CHAR}+(?:(?:['\-\u2010\u2011]|(?<=\d)[.,](?=\d)){_WORD_CHAR}+)*(?:{_KEEPS_APOSTROPHE})?"
_STOPS = r"[.!?\u2026]+"
_DASHES = r"[\-\u2010-\u2015]+"
# Anything else that is not whitespace, a word character or a dropped mark (rule 7).
_SYMBOL = r"[^\s\w\"'\u2018\u201c-\u201f`\u00ab\u00bb]"

# Order matters: abbreviations and elisions before plain words, so "Mr." is not "Mr" + ".".
_TOKEN = re.compile("|".join([_ABBREVIATION, _ELISION, _WORD, _STOPS, _DASHES, _SYMBOL]))


def tokenize_words(text: str) -> list[str]:
    """Split `text` into word and punctuation tokens by the rules in the module docstring.

    >>> tokenize_words("Harry Potter? We\u2019re eleven inches long.")
    ['Harry', 'Potter', '?', "We're", 'eleven', 'inches', 'long', '.']
    """
    # Characters no pattern matches (whitespace, quotation marks, "_") are skipped by findall.
    return _TOKEN.findall(text.replace("\u2019", "'"))


def token_bytes(text: str) -> list[int]:
    """UTF-8 bytes of `text` that each token of `tokenize_words(text)` accounts for: from the end of
    the token before it (the start of the text for the first) to its own end, so the spaces and
    dropped marks before a word count with it and the counts add up to the text up to its last
    token. A word model's loss divided by these bytes is a loss per byte of the original text.

    >>> tokenize_words('"Ah," she said.'), token_bytes('"Ah," she said.')
    (['Ah', ',', 'she', 'said', '.'], [3, 1, 5, 5, 1])
    >>> token_bytes("caf\u00e9 \u2019tis")  # é is two bytes, the curly apostrophe three
    [5, 7]
    """
    ends = [m.end() for m in _TOKEN.finditer(text.replace("\u2019", "'"))]  # same length: offsets hold
    return [len(text[start:end].encode("utf-8")) for start, end in zip([0, *ends[:-1]], ends)]


_NO_SPACE_BEFORE = frozenset(",;:)]}%")
_NO_SPACE_AFTER = frozenset("([{£$#")
_STOPS_RE = re.compile(_STOPS)
_DASHES_RE = re.compile(_DASHES)


def detokenize(tokens: Iterable[str]) -> str:
    """Join tokens into readable text for report tables: punctuation attaches to its word.

    The inverse of `tokenize_words` up to the dropped quotation marks and spacing. A long dash
    ("--", "—") attaches on both sides, as Austen prints it; a lone "-" keeps its spaces.

    >>> detokenize(['Spells', ',', 'said', 'Harry', '--', 'and', 'Ron', '...', '(', 'twice', ')', '.'])
    'Spells, said Harry--and Ron... (twice).'
    """
    text = ""
    attach_next = True  # nothing before the first token
    for token in tokens:
        long_dash = token != "-" and _DASHES_RE.fullmatch(token) is not None
        attach = (attach_next or long_dash or token[0] in _NO_SPACE_BEFORE
                  or _STOPS_RE.fullmatch(token) is not None)
        text += token if attach else " " + token
        attach_next = long_dash or token in _NO_SPACE_AFTER
    return text
