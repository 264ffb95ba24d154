"""Texts as users bring them: other encodings, odd line ends, scripts, and the inputs that must be
refused. Each goes through `prepare_corpus` as a `file` source, the way `textgen prepare-corpus` sees it."""

from __future__ import annotations

import codecs

import pytest

from textgen.data.extract import prepare_corpus
from textgen.data.fetch import fetch_source
from textgen.errors import TextgenError

TEXT = "Café au lait, naïve façade.\nZweite Zeile: Grüße.\n"


def prepared(tmp_path, fetched, data: bytes, **source) -> str:
    (tmp_path / "book.txt").write_bytes(data)
    prepare_corpus("demo", "plain_text", fetched(tmp_path / "book.txt", **source), tmp_path / "out", {})
    return (tmp_path / "out/texts/demo.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("data", [
    codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
    codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
    codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le"),
    codecs.BOM_UTF32_BE + TEXT.encode("utf-32-be"),
    codecs.BOM_UTF8 + TEXT.encode("utf-8"),
], ids=["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "utf-8-bom"])
def test_a_byte_order_mark_decides_the_encoding(tmp_path, fetched, data):
    assert prepared(tmp_path, fetched, data) == TEXT


def test_a_declared_latin1_file_is_read(tmp_path, fetched):
    assert prepared(tmp_path, fetched, TEXT.encode("latin-1"), encoding="latin-1") == TEXT


def test_an_undeclared_latin1_file_is_refused_with_the_way_out(tmp_path, fetched):
    with pytest.raises(TextgenError) as err:
        prepared(tmp_path, fetched, TEXT.encode("latin-1"))
    assert str(err.value) == ("corpus 'demo': file book.txt: not valid UTF-8 at byte offset 3 (line 1): invalid "
                              "continuation byte; if the file is in another encoding, declare it in its source, "
                              "e.g. encoding: latin-1")
    assert not (tmp_path / "out").exists()


def test_an_unknown_encoding_is_refused_at_fetch(tmp_path):
    (tmp_path / "book.txt").write_text(TEXT)
    with pytest.raises(TextgenError, match="corpus 'demo': source key 'encoding': unknown encoding 'latin-one'"):
        fetch_source("demo", {"kind": "file", "path": str(tmp_path / "book.txt"), "encoding": "latin-one"},
                     tmp_path / "raw")
    assert not (tmp_path / "raw").exists()


@pytest.mark.parametrize("data, expected", [
    (b"one\r\ntwo\rthree\nfour\r\n", "one\ntwo\nthree\nfour\n"),  # CR/LF mixes
    ("Grüße 🙂 from 東京、こんにちは。\n".encode(), "Grüße 🙂 from 東京、こんにちは。\n"),  # emoji, CJK
    (b"... !!! ??? --- ;;;\n", "... !!! ??? --- ;;;\n"),  # punctuation only is text
    ("Cafe\u0301\n".encode(), "Caf\u00e9\n"),  # NFC
    (("word " * 200_000).encode(), ("word " * 200_000).rstrip() + "\n"),  # one long line
], ids=["crlf-mix", "emoji-cjk", "punctuation-only", "combining-accent", "one-line"])
def test_valid_odd_texts_pass(tmp_path, fetched, data, expected):
    assert prepared(tmp_path, fetched, data) == expected


@pytest.mark.parametrize("data, message", [
    (b"", "work 'demo' is empty after cleaning"),
    (b" \n\t\r\n   \n", "work 'demo' is empty after cleaning"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary content (NUL byte at offset 8)"),
    (b"text\x00more text", "binary content (NUL byte at offset 4)"),
    ("caf\u00e9".encode()[:-1], "not valid UTF-8 at byte offset 3 (line 1): unexpected end of data"),
    (bytes(range(1, 9)) * 20, "binary content (160 of 160 characters are control characters)"),
    (codecs.BOM_UTF16_LE + "ab".encode("utf-16-le") + b"\x00", "not valid utf-16-le at byte offset 6 (line 1)"),
], ids=["empty", "whitespace-only", "png", "nul-bytes", "truncated-utf8", "control-characters", "truncated-utf16"])
def test_bad_texts_are_refused_naming_corpus_and_file(tmp_path, fetched, data, message):
    with pytest.raises(TextgenError) as err:
        prepared(tmp_path, fetched, data)
    assert str(err.value).startswith("corpus 'demo': file book.txt: ") and message in str(err.value)
    assert not (tmp_path / "out").exists() and not list(tmp_path.glob(".out*"))
