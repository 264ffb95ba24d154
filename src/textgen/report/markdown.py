"""Markdown building blocks shared by the report's sections."""

from __future__ import annotations

import re
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


def literal(text: str) -> str:
    """Text a model or corpus produced, shown as it is in Markdown and HTML: no tags, emphasis or links;
    line breaks as ` / `; control characters (an untrained byte-level model emits them) as their
    Unicode pictures, so the report stays text.

    >>> literal("a <b> *c*\\n[d]\\x00")
    'a &lt;b&gt; \\\\*c\\\\* / \\\\[d\\\\]\u2400'
    """
    text = str(text).translate(_CONTROL_PICTURES)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(r"([\\`*_\[\]#])", r"\\\1", text)
    return " / ".join(line.strip() for line in text.strip().split("\n") if line.strip())
