"""Bytes to clean text: strict decoding, no binary, no boilerplate, one normal form.

Every corpus goes through the same steps, so word counts and hashes are comparable across
sources and stable across reruns:

>>> clean_text("Caf\\u0065\\u0301  \\r\\n\\r\\n\\r\\n\\r\\nEnd")
'Café\\n\\nEnd\\n'
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from textgen.errors import TextgenError

# C0/C1 control characters other than tab, newline, carriage return and form feed. A text with
# more than this share of them is binary (or text in a wrong encoding), not prose.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
MAX_CONTROL_SHARE = 0.01

# Project Gutenberg wraps every e-text in a licence header and footer; both the modern
# ("*** START OF THE PROJECT GUTENBERG EBOOK X ***") and the 1990s ("*END*THE SMALL PRINT!")
# delimiters are in circulation.
_GUTENBERG_START = re.compile(
    r"^\s*(\*{3}\s*START OF (THE|THIS) PROJECT GUTENBERG.*|\*END\*\s*THE SMALL PRINT.*)$",
    re.IGNORECASE | re.MULTILINE,
)
_GUTENBERG_END = re.compile(
    r"^\s*(\*{3}\s*END OF (THE|THIS) PROJECT GUTENBERG.*|End of (the |this )?Project Gutenberg.*)$",
    re.IGNORECASE | re.MULTILINE,
)
# The transcriber credit that usually follows the start marker is not part of the work.
_PRODUCED_BY = re.compile(r"\A\s*(Produced by|This e-?text was prepared by|E-?text prepared by)\b.*?(\n\s*\n|\Z)",
                          re.IGNORECASE | re.DOTALL)
# Old e-texts went through mail software that escaped "From" at a line start as ">From".
_MBOX_FROM = re.compile(r"^>From\b", re.MULTILINE)
# Verse editions print line numbers in the right margin ("...the falling sun       30") and
# psalm verse numbers in the left one ("2   In Ephraims view"): apparatus, not text.
_RIGHT_MARGIN_NUMBER = re.compile(r"(?<=\S)[ \t]{4,}\d{1,4}[ \t]*$", re.MULTILINE)
_LEFT_MARGIN_NUMBER = re.compile(r"^\d{1,3}[ \t]{2,}(?=\S)", re.MULTILINE)


# Byte-order marks, longest first: UTF-32-LE's mark begins with UTF-16-LE's.
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def check_encoding(encoding: str, where: str) -> str:
    """The codec's canonical name; an unknown one is an error naming `where`.

    >>> check_encoding("Latin-1", "corpus 'x'")
    'iso8859-1'
    >>> check_encoding("latin-9x", "corpus 'x'")
    Traceback (most recent call last):
    ...
    textgen.errors.TextgenError: corpus 'x': source key 'encoding': unknown encoding 'latin-9x' (Python codec names: utf-8, latin-1, cp1252, utf-16, ...)
    """
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise TextgenError(f"{where}: source key 'encoding': unknown encoding {encoding!r} "
                           "(Python codec names: utf-8, latin-1, cp1252, utf-16, ...)") from None


def decode_text(data: bytes, where: str, encoding: str = "utf-8") -> str:
    """Bytes to text, `\\n` line ends; `where` names corpus and file in errors.

    A byte-order mark decides the encoding (UTF-8, UTF-16 or UTF-32, either byte order) and is
    dropped; without one the text is decoded strictly in `encoding` (the source's `encoding` key,
    UTF-8 unless declared). Binary content is refused in either case.

    >>> decode_text("\\ufeffhé\\r\\n".encode("utf-16"), "corpus 'x': file a.txt")
    'hé\\n'
    >>> decode_text(b"caf\\xe9\\n", "corpus 'x': file a.txt", encoding="latin-1")
    'café\\n'
    >>> decode_text(b"ok\\n\\xff", "corpus 'x': file a.txt")
    Traceback (most recent call last):
    ...
    textgen.errors.TextgenError: corpus 'x': file a.txt: not valid UTF-8 at byte offset 3 (line 2): invalid start byte; if the file is in another encoding, declare it in its source, e.g. encoding: latin-1
    """
    bom = next(((mark, name) for mark, name in BOMS if data.startswith(mark)), None)
    if bom:
        data, encoding = data[len(bom[0]):], bom[1]
    encoding = check_encoding(encoding, where)
    if encoding in ("utf-8", "ascii"):
        # NUL bytes in a UTF-16 or UTF-32 text are ordinary; in an 8-bit one they mean binary.
        nul = data.find(b"\x00")
        if nul >= 0:
            raise TextgenError(f"{where}: binary content (NUL byte at offset {nul})")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        offset = err.start + (len(bom[0]) if bom else 0)
        line = data[:err.start].decode(encoding, "replace").count("\n") + 1
        hint = "" if bom else (f"; if the file is in another encoding, declare it in its source, "
                               f"e.g. encoding: {'latin-1' if encoding == 'utf-8' else 'utf-8'}")
        label = {"utf-8": "UTF-8"}.get(encoding, encoding)
        raise TextgenError(f"{where}: not valid {label} at byte offset {offset} (line {line}): {err.reason}{hint}") from None
    text = text.removeprefix("\ufeff")
    check_not_binary(text, where)
    # Every later pattern anchors on "\n"; CRLF files (the Milton texts) would defeat them.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def check_not_binary(text: str, where: str) -> None:
    """Refuse text with NUL characters or more than MAX_CONTROL_SHARE control characters.

    >>> check_not_binary("a\\x01" * 10, "corpus 'x': file a.bin")
    Traceback (most recent call last):
    ...
    textgen.errors.TextgenError: corpus 'x': file a.bin: binary content (10 of 20 characters are control characters)
    """
    nul = text.find("\x00")
    if nul >= 0:
        raise TextgenError(f"{where}: binary content (NUL character at offset {nul})")
    controls = len(_CONTROL.findall(text))
    if text and controls / len(text) > MAX_CONTROL_SHARE:
        raise TextgenError(f"{where}: binary content ({controls} of {len(text)} characters are control characters)")


def strip_gutenberg(text: str) -> tuple[str, bool]:
    """Remove a Project Gutenberg header and footer; also say whether there was one.

    >>> strip_gutenberg("Licence\\n*** START OF THE PROJECT GUTENBERG EBOOK X ***\\nText\\n"
    ...                 "*** END OF THE PROJECT GUTENBERG EBOOK X ***\\nLicence")
    ('\\nText\\n', True)
    >>> strip_gutenberg("Plain text")
    ('Plain text', False)
    """
    start = _GUTENBERG_START.search(text)
    end = _GUTENBERG_END.search(text, start.end() if start else 0)
    if not (start or end):
        return text, False
    body = text[start.end() if start else 0: end.start() if end else len(text)]
    return _PRODUCED_BY.sub("", body, count=1) if start else body, True


def unescape_mbox_from(text: str) -> str:
    """Undo the ">From" escaping old e-texts picked up in transit.

    >>> unescape_mbox_from(">From the stony Maenalus")
    'From the stony Maenalus'
    """
    return _MBOX_FROM.sub("From", text)


def strip_margin_numbers(text: str) -> str:
    """Drop verse-edition line numbers printed in the margins.

    >>> strip_margin_numbers("To all baptized.              20\\n2   In Ephraims view")
    'To all baptized.\\nIn Ephraims view'
    """
    return _LEFT_MARGIN_NUMBER.sub("", _RIGHT_MARGIN_NUMBER.sub("", text))


def clean_text(text: str, max_blank_lines: int = 1) -> str:
    """NFC, `\\n` line ends, no control characters or trailing spaces, at most `max_blank_lines`
    blank lines in a row, no leading or trailing blank lines, one final newline ("" if empty).

    >>> clean_text("\\n\\n  Title \\n\\n\\n\\nBody\\x1a\\t\\n")
    '  Title\\n\\nBody\\n'
    """
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = _CONTROL.sub("", text)
    lines = [line.rstrip() for line in text.split("\n")]
    kept: list[str] = []
    blanks = 0
    for line in lines:
        blanks = blanks + 1 if not line else 0
        if blanks <= max_blank_lines and (line or kept):
            kept.append(line)
    while kept and not kept[-1]:
        kept.pop()
    return "\n".join(kept) + "\n" if kept else ""


def count_words(text: str) -> int:
    """Whitespace-separated words.

    >>> count_words("It is a truth\\nuniversally acknowledged.")
    6
    """
    return len(text.split())


def work_id(name: str) -> str:
    """A file-name-safe id: lower case, runs of other characters become one underscore.

    >>> work_id("paradise_lost_(no_introduction)")
    'paradise_lost_no_introduction'
    """
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
