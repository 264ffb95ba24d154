"""Command-line helpers shared by `textgen fetch`, `prepare-corpus` and `prepare-pairs`."""

from __future__ import annotations

import json

from textgen.errors import TextgenError


def json_arg(text: str, flag: str) -> dict:
    """Parse a command-line JSON object, naming the flag when it is not one.

    >>> json_arg('{"val": 0.05}', "--options")
    {'val': 0.05}
    >>> json_arg('[1]', "--options")
    Traceback (most recent call last):
    ...
    textgen.errors.TextgenError: --options: expected a JSON object, got list
    """
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        raise TextgenError(f"{flag}: not valid JSON ({err})") from None
    if not isinstance(value, dict):
        raise TextgenError(f"{flag}: expected a JSON object, got {type(value).__name__}")
    return value
