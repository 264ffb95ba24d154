import json
import re

import pytest

from textgen.errors import TextgenError
from textgen.words.vocab import Vocab, build_vocab

COUNTS = {"the": 9, "Harry": 4, "said": 4, ",": 7, "wand": 1, "owl": 1}


def test_ids_are_specials_then_descending_count_then_alphabetical():
    vocab = build_vocab(COUNTS, min_count=1)
    assert vocab.idx2word == ("<unk>", "the", ",", "Harry", "said", "owl", "wand")
    assert vocab.word2idx["Harry"] == 3 and vocab.unk_id == 0
    assert build_vocab(dict(reversed(COUNTS.items())), min_count=1) == vocab  # input order is irrelevant


def test_rare_words_map_to_unk_and_unk_counts_them():
    vocab = build_vocab(COUNTS, min_count=2)
    assert "wand" not in vocab and len(vocab) == 5
    assert vocab.counts == (2, 9, 7, 4, 4)  # <unk> absorbed wand + owl
    assert vocab.encode(["the", "wand", "owl", "Harry"]) == [1, 0, 0, 3]


def test_specials_keep_their_order_and_unk_is_added_in_front_unless_listed():
    assert build_vocab(COUNTS, 5, specials=["<pad>", "<unk>"]).idx2word[:3] == ("<pad>", "<unk>", "the")
    vocab = build_vocab({**COUNTS, "<bos>": 3}, 5, specials=["<bos>"])
    assert vocab.idx2word[:3] == ("<unk>", "<bos>", "the") and vocab.counts[1] == 3


@pytest.mark.parametrize("bad", [0, -1, 1.5, True])
def test_min_count_must_be_a_positive_integer(bad):
    with pytest.raises(TextgenError, match="min_count"):
        build_vocab(COUNTS, bad)


def test_strict_encoding_names_unknown_words_and_suggests_the_case_variant():
    vocab = build_vocab({"Spells": 3, "harry": 2}, 1)
    assert vocab.encode(["Spells", "spells"]) == [1, 0]
    with pytest.raises(TextgenError, match=r"'spells' \(did you mean 'Spells'\?\), 'Harry' \(did you mean 'harry'\?\), 'Hogwarts'$"):
        vocab.encode(["spells", "Harry", "Spells", "Hogwarts"], strict=True)
    assert vocab.encode(["Spells", "harry"], strict=True) == [1, 2]


def test_decode_inverts_encode_and_refuses_bad_ids():
    vocab = build_vocab(COUNTS, 1)
    words = ["the", "owl", ",", "said"]
    assert vocab.decode(vocab.encode(words)) == words
    for bad in (len(vocab), -1):
        with pytest.raises(TextgenError, match=f"token id {bad} out of range"):
            vocab.decode([1, bad])


def test_save_load_round_trip_is_byte_stable(tmp_path):
    vocab = build_vocab(COUNTS, 2, specials=["<pad>"])
    vocab.save(tmp_path / "a.json")
    loaded = Vocab.load(tmp_path / "a.json")
    assert loaded == vocab and loaded.word2idx == vocab.word2idx and loaded.min_count == 2
    loaded.save(tmp_path / "b.json")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    assert json.loads((tmp_path / "a.json").read_text())["version"] == 1


def test_strict_error_names_the_file_a_vocab_came_from(tmp_path):
    build_vocab(COUNTS, 1).save(tmp_path / "vocab.json")
    with pytest.raises(TextgenError, match=re.escape(str(tmp_path / "vocab.json")) + ".*'Spells'"):
        Vocab.load(tmp_path / "vocab.json").encode(["Spells"], strict=True)


def _saved(tmp_path, **changes):
    build_vocab(COUNTS, 1).save(tmp_path / "vocab.json")
    data = json.loads((tmp_path / "vocab.json").read_text())
    data.update(changes)
    (tmp_path / "vocab.json").write_text(json.dumps(data))
    return tmp_path / "vocab.json"


@pytest.mark.parametrize("changes, message", [
    ({"version": 2}, "version 2, this code reads version 1"),
    ({"format": "something-else"}, "not a textgen-word-vocab file"),
    ({"counts": [1, 2]}, "7 tokens but 2 counts"),
    ({"counts": [1, 2, 3, 4, 5, 6, -7]}, "'counts'"),
    ({"tokens": ["<unk>", "a", "a", "b", "c", "d", "e"]}, "duplicate tokens"),
    ({"tokens": ["the", "<unk>", ",", "Harry", "said", "owl", "wand"]}, "must start with its special tokens"),
    ({"unk_token": "<oov>"}, "unknown token '<oov>'"),
])
def test_load_refuses_other_versions_and_damaged_content(tmp_path, changes, message):
    path = _saved(tmp_path, **changes)
    with pytest.raises(TextgenError, match="^" + re.escape(f"{path}: ") + ".*" + re.escape(message)):
        Vocab.load(path)


def test_load_refuses_missing_truncated_and_unrelated_files(tmp_path):
    with pytest.raises(TextgenError, match="vocab.json: vocabulary file not found"):
        Vocab.load(tmp_path / "vocab.json")
    path = _saved(tmp_path)
    path.write_text(path.read_text()[:50])
    with pytest.raises(TextgenError, match="not a valid vocabulary file"):
        Vocab.load(path)
    path.write_text("[1, 2]")
    with pytest.raises(TextgenError, match="not a textgen-word-vocab file"):
        Vocab.load(path)
    path = _saved(tmp_path)
    data = json.loads(path.read_text())
    del data["specials"]
    path.write_text(json.dumps(data))
    with pytest.raises(TextgenError, match="lacks field 'specials'"):
        Vocab.load(path)
