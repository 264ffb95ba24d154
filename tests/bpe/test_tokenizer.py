from __future__ import annotations

import json

import pytest

from textgen.bpe import FORMAT_VERSION, Tokenizer, bytes_per_token, train_bpe
from textgen.errors import TextgenError

from .conftest import ENGLISH, random_strings


def test_decode_inverts_encode_on_arbitrary_unicode(trained, cl100k):
    texts = random_strings(1500, seed=5, max_len=60) + ["", " ", "\n" * 7, " " * 13, "\t \r\n \u3000", "😉" * 5]
    for tok in (trained, cl100k):
        for text in texts:
            assert tok.decode(tok.encode(text)) == text, repr(text)


def test_encode_batch_equals_encode(trained):
    texts = random_strings(50, seed=9)
    assert trained.encode_batch(texts) == [trained.encode(t) for t in texts]


def test_special_strings_are_text_unless_allowed(trained):
    text = "[CLS]Hello[SEP] [PAD]"
    plain = trained.encode(text)
    assert not {trained.pad_id, trained.cls_id, trained.sep_id} & set(plain)
    assert trained.decode(plain) == text
    allowed = trained.encode(text, allowed_special=True)
    assert allowed[0] == trained.cls_id and allowed[-1] == trained.pad_id
    assert allowed == [trained.cls_id, *trained.encode("Hello"), trained.sep_id, *trained.encode(" "), trained.pad_id]
    assert trained.decode(allowed) == text


def test_decode_of_a_cut_character_is_replacement_not_error(trained):
    ids = trained.encode("é")
    assert trained.decode(ids[:1]) in ("é", "\ufffd")
    assert trained.decode([0xC3]) == "\ufffd"


def test_unknown_id_is_refused(trained):
    with pytest.raises(TextgenError, match="ids: 600 is no token id"):
        trained.decode([600])


def test_save_load_round_trip(trained, tmp_path):
    path = tmp_path / "tok.json"
    trained.save(path)
    assert json.loads(path.read_text())["version"] == FORMAT_VERSION
    loaded = Tokenizer.load(path)
    assert (loaded.tokens, loaded.merges, loaded.special_tokens, loaded.pattern, loaded.ignore_merges) == (
        trained.tokens, trained.merges, trained.special_tokens, trained.pattern, trained.ignore_merges)
    for text in [ENGLISH, *random_strings(100, seed=13)]:
        assert loaded.encode(text) == trained.encode(text)


def test_saving_is_byte_identical_across_runs(trained, tmp_path):
    trained.save(tmp_path / "a.json")
    train_bpe([ENGLISH, *random_strings(300, seed=7)], vocab_size=600).save(tmp_path / "b.json")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()


def edited(trained, tmp_path, edit) -> str:
    path = tmp_path / "tok.json"
    trained.save(path)
    doc = json.loads(path.read_text())
    edit(doc)
    path.write_text(json.dumps(doc))
    return str(path)


@pytest.mark.parametrize("edit, message", [
    (lambda d: d.update(version=FORMAT_VERSION + 1), "format version 2, this code reads 1"),
    (lambda d: d.update(format="something-else"), "not a textgen-bpe file"),
    (lambda d: d.pop("merges"), "corrupt tokenizer file"),
    (lambda d: d["tokens"].__setitem__(300, "!!not base64"), "corrupt tokenizer file"),
    (lambda d: d["tokens"].pop(65), "single bytes"),
    (lambda d: d["merges"].append([65, 66]), r"merges\[\d+\]: \(65, 66\) makes bytes that are no token"),
    (lambda d: d["special_tokens"].update({"[PAD]": 3}), "special_tokens"),
])
def test_load_refuses_bad_files_naming_them(trained, tmp_path, edit, message):
    path = edited(trained, tmp_path, edit)
    with pytest.raises(TextgenError, match=message) as info:
        Tokenizer.load(path)
    assert str(info.value).startswith(path)


def test_load_refuses_truncated_and_missing_files(trained, tmp_path):
    path = tmp_path / "tok.json"
    trained.save(path)
    path.write_bytes(path.read_bytes()[:1000])
    with pytest.raises(TextgenError, match=f"{path}: not a readable tokenizer file"):
        Tokenizer.load(path)
    with pytest.raises(TextgenError, match="missing.json: not a readable tokenizer file"):
        Tokenizer.load(tmp_path / "missing.json")


def test_bytes_per_token():
    tok = train_bpe(["ab ab ab"], vocab_size=257, special_tokens=())  # one merge: a + b
    assert tok.merges == [(ord("a"), ord("b"))]
    assert bytes_per_token(tok, "ab ab") == 5 / 3  # "ab", " ", "ab"
    assert bytes_per_token(tok, "é") == 2 / 2
    with pytest.raises(TextgenError, match="text: empty"):
        bytes_per_token(tok, "")


def test_bigger_vocabulary_compresses_more():
    small, big = (train_bpe([ENGLISH], vocab_size=v) for v in (300, 500))
    assert bytes_per_token(big, ENGLISH) > bytes_per_token(small, ENGLISH) > 1.0
