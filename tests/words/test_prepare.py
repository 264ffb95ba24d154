import csv
import json
import re

import numpy as np
import pytest

from textgen.errors import TextgenError
from textgen.io import sha256_file
from textgen.words import prepare
from textgen.words.prepare import OUTPUT_FILES, prepare_word_corpus
from textgen.words.tokenizer import tokenize_words
from textgen.words.vocab import Vocab

SPLIT = {"val": 0.1, "test": 0.2}


def run(corpus, out, works="all", min_count=1, split=SPLIT, seed=0):
    return prepare_word_corpus(corpus, out, works, min_count, split, seed)


def read_split(out, split):
    return np.memmap(out / f"tokens_{split}.int32", dtype=np.int32, mode="r")


def test_split_files_hold_each_book_cut_into_contiguous_chunks(corpus, books, tmp_path):
    out = tmp_path / "out"
    meta = run(corpus, out, works=["chamber", "stone"])
    vocab = Vocab.load(out / "vocab.json")
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUT_FILES)
    for split in ("train", "val", "test"):
        expected = []
        for work_id in ("chamber", "stone"):  # selection order
            tokens = tokenize_words(books[work_id][1])
            expected += [t for start, end in meta["split"]["ranges"][work_id][split] for t in tokens[start:end]]
        assert vocab.decode(read_split(out, split)) == expected  # min_count 1: train words all known...
        assert meta["tokens"][split] == len(expected)


def test_each_book_is_partitioned_with_one_val_and_one_test_chunk_of_the_right_size(corpus, tmp_path):
    meta = run(corpus, tmp_path / "out")
    for work in meta["works"]:
        ranges = meta["split"]["ranges"][work["id"]]
        n = work["tokens"]
        assert len(ranges["val"]) == len(ranges["test"]) == 1 and 1 <= len(ranges["train"]) <= 3
        pieces = sorted(tuple(r) for split in ranges.values() for r in split)
        assert pieces[0][0] == 0 and pieces[-1][1] == n
        assert all(a[1] == b[0] for a, b in zip(pieces, pieces[1:]))  # no gap, no overlap
        assert ranges["val"][0][1] - ranges["val"][0][0] == max(1, round(0.1 * n))
        assert ranges["test"][0][1] - ranges["test"][0][0] == max(1, round(0.2 * n))


def test_outputs_are_byte_identical_across_runs_and_the_seed_moves_the_chunks(corpus, tmp_path):
    run(corpus, tmp_path / "a")
    run(corpus, tmp_path / "b")
    for name in OUTPUT_FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    moved = run(corpus, tmp_path / "c", seed=1)["split"]["ranges"]
    assert moved != json.loads((tmp_path / "a" / "meta.json").read_text())["split"]["ranges"]


def test_a_books_split_does_not_depend_on_the_other_books_selected(corpus, tmp_path):
    everything = run(corpus, tmp_path / "all")["split"]["ranges"]
    alone = run(corpus, tmp_path / "one", works=["azkaban"])["split"]["ranges"]
    assert alone == {"azkaban": everything["azkaban"]}


def test_vocabulary_comes_from_train_tokens_only(make_corpus, tmp_path):
    # Every word is distinct, so exactly the val and test words are unseen in training.
    corpus = make_corpus(tmp_path / "c", {"list": ("List", " ".join(f"w{i}" for i in range(200)))})
    meta = run(corpus, tmp_path / "out")
    unk = meta["unk_id"]
    assert meta["vocab_size"] == 1 + 140 and meta["tokens"] == {"train": 140, "val": 20, "test": 40}
    assert (read_split(tmp_path / "out", "val") == unk).all() and (read_split(tmp_path / "out", "test") == unk).all()
    assert not (read_split(tmp_path / "out", "train") == unk).any()
    assert meta["unk_share"] == 0.3


def test_stats_rows_per_book_and_total(corpus, books, tmp_path):
    meta = run(corpus, tmp_path / "out", min_count=3)
    with open(tmp_path / "out" / "stats.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["work_id"] for r in rows] == ["stone", "chamber", "azkaban", "TOTAL"]
    stone = tokenize_words(books["stone"][1])
    assert rows[0]["title"] == "The Stone" and int(rows[0]["tokens"]) == len(stone)
    assert int(rows[0]["unique_tokens"]) == len(set(stone)) and rows[0]["vocab_size"] == ""
    for row in rows:
        assert int(row["train_tokens"]) + int(row["val_tokens"]) + int(row["test_tokens"]) == int(row["tokens"])
        assert float(row["unk_share"]) == round(int(row["unk_tokens"]) / int(row["tokens"]), 6)
    all_tokens = [t for _, text in books.values() for t in tokenize_words(text)]
    total = rows[-1]
    assert int(total["tokens"]) == len(all_tokens) and int(total["unique_tokens"]) == len(set(all_tokens))
    assert int(total["vocab_size"]) == meta["vocab_size"]
    ids = np.concatenate([read_split(tmp_path / "out", s) for s in ("train", "val", "test")])
    assert int(total["unk_tokens"]) == int((ids == meta["unk_id"]).sum()) > 0  # min_count 3 drops some


def test_meta_records_counts_works_rule_and_file_hashes(corpus, tmp_path):
    out = tmp_path / "out"
    meta = run(corpus, out, works=["azkaban"], min_count=2, seed=5)
    assert json.loads((out / "meta.json").read_text()) == meta
    assert meta["version"] == 2 and meta["dtype"] == "int32" and meta["byteorder"] == "little"
    assert meta["files"] == {name: sha256_file(out / name) for name in OUTPUT_FILES if name != "meta.json"}
    assert [w["id"] for w in meta["works"]] == ["azkaban"] and meta["works"][0]["title"] == "The Prisoner"
    assert meta["works"][0]["text_sha256"] == sha256_file(corpus / "texts" / "azkaban.txt")
    assert meta["split"]["seed"] == 5 and meta["split"]["val"] == 0.1 and "contiguous" in meta["split"]["rule"]
    vocab = Vocab.load(out / "vocab.json")
    assert meta["vocab_size"] == len(vocab) and meta["unk_id"] == vocab.unk_id == 0 and vocab.min_count == 2


@pytest.mark.parametrize("works, message", [
    (["stone", "goblet"], r"unknown work ids \['goblet'\]; .*manifest.json lists \['azkaban', 'chamber', 'stone'\]"),
    ([], "works: empty selection"),
    (["stone", "stone"], "listed twice"),
    ("some", "expected \"all\" or a list"),
])
def test_bad_selections_are_refused(corpus, tmp_path, works, message):
    with pytest.raises(TextgenError, match=message):
        run(corpus, tmp_path / "out", works=works)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("split, seed, message", [
    ({"val": 0.0, "test": 0.1}, 0, "val: expected a fraction"),
    ({"val": 0.1, "test": True}, 0, "test: expected a fraction"),
    ({"val": 0.5, "test": 0.5}, 0, "leaves nothing to train on"),
    ({"val": 0.1}, 0, "split: expected exactly the keys"),
    (SPLIT, -1, "seed: expected an integer >= 0"),
])
def test_bad_split_parameters_are_refused(corpus, tmp_path, split, seed, message):
    with pytest.raises(TextgenError, match=message):
        run(corpus, tmp_path / "out", split=split, seed=seed)


def test_books_without_tokens_or_too_short_to_split_name_their_file(make_corpus, tmp_path):
    corpus = make_corpus(tmp_path / "c", {"ok": ("Ok", "a b c d e f"), "blank": ("Blank", ' "" \n _ '),
                                          "short": ("Short", "Hi there")})
    with pytest.raises(TextgenError, match=re.escape(str(corpus / "texts" / "blank.txt")) + ": work 'blank' has no word"):
        run(corpus, tmp_path / "out", works=["ok", "blank"])
    with pytest.raises(TextgenError, match=re.escape(str(corpus / "texts" / "short.txt")) + ": 2 tokens are too few"):
        run(corpus, tmp_path / "out", works=["short"])


def test_broken_corpus_folders_are_refused(corpus, tmp_path):
    (corpus / "texts" / "chamber.txt").unlink()
    with pytest.raises(TextgenError, match="chamber.txt: text of work 'chamber' not found"):
        run(corpus, tmp_path / "out")
    (corpus / "texts" / "stone.txt").write_bytes(b"caf\xe9")
    with pytest.raises(TextgenError, match="stone.txt: not UTF-8"):
        run(corpus, tmp_path / "out", works=["stone"])
    (corpus / "manifest.json").write_text('{"works": [{"id": "a"}]}')
    with pytest.raises(TextgenError, match="manifest.json: 'works' must be a list of objects"):
        run(corpus, tmp_path / "out")
    (corpus / "manifest.json").unlink()
    with pytest.raises(TextgenError, match="manifest.json: corpus manifest not found"):
        run(corpus, tmp_path / "out")


def test_output_folder_is_replaced_whole_but_never_one_with_foreign_files(corpus, tmp_path):
    out = tmp_path / "out"
    run(corpus, out, works=["stone"])
    run(corpus, out, works=["azkaban"])  # a rerun replaces its own outputs
    assert [w["id"] for w in json.loads((out / "meta.json").read_text())["works"]] == ["azkaban"]
    (out / "notes.txt").write_text("mine")
    with pytest.raises(TextgenError, match=r"output folder holds files this step did not write: \['notes.txt'\]"):
        run(corpus, out)
    assert (out / "notes.txt").read_text() == "mine"


def test_a_failure_while_writing_keeps_the_previous_outputs_and_leaves_no_temporaries(corpus, tmp_path, monkeypatch):
    out = tmp_path / "out"
    run(corpus, out, works=["stone"])
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def fail(path, ids):
        raise OSError("disk full")

    monkeypatch.setattr(prepare, "write_tokens", fail)
    with pytest.raises(OSError, match="disk full"):
        run(corpus, out, works=["azkaban"])
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "out"]


def test_books_of_equal_length_get_their_own_chunk_offsets():
    ranges = {(seed, work_id): prepare.split_ranges(1000, 0.1, 0.1, prepare.work_rng(seed, work_id))
              for seed in (0, 1) for work_id in ("emma", "persuasion")}
    assert len({json.dumps(r) for r in ranges.values()}) == 4
    assert prepare.split_ranges(1000, 0.1, 0.1, prepare.work_rng(0, "emma")) == ranges[0, "emma"]


def test_byte_files_give_each_token_its_share_of_the_book_text(corpus, books, tmp_path):
    """bytes_<split> runs parallel to tokens_<split>; put back in book order, the counts cut the
    book's UTF-8 text into one piece per token, each ending with its token."""
    out = tmp_path / "out"
    meta = run(corpus, out, works=["stone"])
    counts = {s: np.fromfile(out / f"bytes_{s}.int32", dtype="<i4") for s in ("train", "val", "test")}
    for split, values in counts.items():
        assert values.size == read_split(out, split).size == meta["tokens"][split]
        assert meta["bytes"][split] == int(values.sum()) and (values > 0).all()
    in_book_order = np.zeros(sum(v.size for v in counts.values()), dtype=np.int64)
    for split, values in counts.items():
        at = 0
        for start, end in meta["split"]["ranges"]["stone"][split]:
            in_book_order[start:end] = values[at:at + end - start]
            at += end - start
    raw = books["stone"][1].encode("utf-8")
    edges = np.concatenate([[0], np.cumsum(in_book_order)])
    pieces = [raw[a:b].decode("utf-8").replace("\u2019", "'") for a, b in zip(edges[:-1], edges[1:])]
    tokens = tokenize_words(books["stone"][1])
    assert len(pieces) == len(tokens) and all(p.endswith(t) for p, t in zip(pieces, tokens))
    assert raw[edges[-1]:].decode("utf-8").strip(" \n\"'_\u201d") == ""  # only marks after the last token
