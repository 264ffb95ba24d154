"""Markdown building blocks shared by the report's sections."""

from __future__ import annotations

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
