import unicodedata

import pytest

from textgen.data.clean import (
    check_not_binary,
    clean_text,
    count_words,
    decode_text,
    strip_gutenberg,
    strip_margin_numbers,
    unescape_mbox_from,
    work_id,
)
from textgen.errors import TextgenError

WHERE = "corpus 'demo': file texts/a.txt"


def test_decode_drops_bom_and_normalises_line_ends():
    assert decode_text("\ufeffOne\r\nTwo\rThree\n".encode(), WHERE) == "One\nTwo\nThree\n"


def test_decode_names_corpus_file_offset_and_line_of_bad_utf8():
    with pytest.raises(TextgenError) as err:
        decode_text(b"first line\nsecond " + b"\xe9t\xe9\n", WHERE)
    message = str(err.value)
    assert message.startswith(WHERE) and "byte offset 18" in message and "line 2" in message


@pytest.mark.parametrize("data", [b"text\x00more", bytes(range(1, 32)) * 10 + b"abc"])
def test_decode_refuses_binary(data):
    with pytest.raises(TextgenError, match="corpus 'demo': file texts/a.txt: binary content"):
        decode_text(data, WHERE)


def test_a_few_control_characters_pass_and_are_cleaned():
    text = "x" * 500 + "\x1a"  # a DOS end-of-file marker in a long text
    check_not_binary(text, WHERE)
    assert clean_text(text) == "x" * 500 + "\n"


def test_clean_text_normal_form_blank_lines_trailing_space_final_newline():
    raw = "\n\n  Caf" + "e\u0301" + "  \t\r\n\r\n\r\n\r\nBody line   \n\n\n"
    cleaned = clean_text(raw)
    assert cleaned == "  Café\n\nBody line\n"
    assert unicodedata.is_normalized("NFC", cleaned)


def test_clean_text_can_keep_two_blank_lines_and_empty_text_is_empty():
    assert clean_text("a\n\n\n\n\nb", max_blank_lines=2) == "a\n\n\nb\n"
    assert clean_text(" \n\t\n") == ""


def test_strip_gutenberg_modern_markers_and_producer_credit():
    raw = ("The Project Gutenberg eBook of Emma\nLicence text\n"
           "*** START OF THE PROJECT GUTENBERG EBOOK EMMA ***\n\nProduced by Someone\n\n"
           "EMMA\n\nChapter 1\n*** END OF THE PROJECT GUTENBERG EBOOK EMMA ***\nMore licence\n")
    body, found = strip_gutenberg(raw)
    assert found and body.strip() == "EMMA\n\nChapter 1"


def test_strip_gutenberg_1990s_small_print_and_end_line():
    raw = ("**The Project Gutenberg Etext**\nlegal words\n"
           "*END*THE SMALL PRINT! FOR PUBLIC DOMAIN ETEXTS*Ver.04.29.93*END*\n\nHAMLET\n\n"
           "End of Project Gutenberg Etext of Hamlet\n")
    body, found = strip_gutenberg(raw)
    assert found and body.strip() == "HAMLET"


def test_strip_gutenberg_leaves_texts_without_markers_alone():
    raw = "A text that mentions Project Gutenberg in passing.\n"
    assert strip_gutenberg(raw) == (raw, False)


def test_margin_numbers_and_mbox_escapes():
    verse = "Repentance, and Heaven's kingdom nigh at hand               20\nLine 20 stays\n"
    assert strip_margin_numbers(verse) == "Repentance, and Heaven's kingdom nigh at hand\nLine 20 stays\n"
    assert strip_margin_numbers("12  In Ephraims view") == "In Ephraims view"
    assert unescape_mbox_from(">From eyes of mortals\n> From") == "From eyes of mortals\n> From"


def test_words_and_ids():
    assert count_words("  one\ttwo\nthree  ") == 3
    assert work_id("Paradise_Lost_(no_introduction)") == "paradise_lost_no_introduction"
