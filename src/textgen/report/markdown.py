"""Markdown building blocks shared by the report's sections."""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable, Sequence


def table(header: Sequence[str], rows: Iterable[Sequence[object]], align: str | None = None) -> str:
    """A GitHub-flavoured Markdown table; `align` has one of l/r/c per column (default: text left,
    numbers right).

    >>> print(table(["name", "words"], [["austen", 717000]]))
    | name | words |
    |:--|--:|
    | austen | 717,000 |
    """
    rows = [list(row) for row in rows]
    if align is None:
        align = "".join("r" if rows and all(_is_number(r[i]) for r in rows) else "l" for i in range(len(header)))
    rule = {"l": ":--", "r": "--:", "c": ":-:"}
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(rule[a] for a in align) + "|"]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _cell(value: object) -> str:
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value).replace("|", "\\|").replace("\n", " ")


# C0 controls but tab and newline, and DEL -> U+2400..U+241F, U+2421
_CONTROL_PICTURES = {c: 0x2400 + c for c in range(32) if c not in (9, 10)} | {0x7F: 0x2421}


def _invisible(char: str) -> bool:
    """Characters with no glyph that still change what a reader sees: C1 controls, format characters
    (bidirectional overrides such as U+202E reverse the text after them; U+200B and U+FEFF are
    zero-width), line and paragraph separators, unassigned code points."""
    return unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Cn", "Co", "Cs") and ord(char) > 0x7F


def literal(text: str) -> str:
    """Text a model or corpus produced, shown as it is in Markdown and HTML: no tags, emphasis or links;
    line breaks as ` / `; control characters (an untrained byte-level model emits them) as their
    Unicode pictures, so the report stays text; other invisible characters (a right-to-left
    override, a zero-width space) as their code point between angle brackets, so they can neither
    reorder nor hide what follows.

    >>> literal("a <b> *c*\\n[d]\\x00")
    'a &lt;b&gt; \\\\*c\\\\* / \\\\[d\\\\]\u2400'
    >>> literal("ab\\u202ecd\\u200b")
    'ab\u27e8U+202E\u27e9cd\u27e8U+200B\u27e9'
    """
    text = str(text).translate(_CONTROL_PICTURES)
    text = "".join(f"\u27e8U+{ord(c):04X}\u27e9" if _invisible(c) else c for c in text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(r"([\\`*_\[\]#])", r"\\\1", text)
    return " / ".join(line.strip() for line in text.strip().split("\n") if line.strip())
