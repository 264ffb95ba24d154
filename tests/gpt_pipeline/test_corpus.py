"""Corpus formats and the contiguous train/val/test split."""

from __future__ import annotations

import json

import pytest

from textgen.bpe.corpus import documents, joined, sentences, split_corpus
from textgen.errors import TextgenError


def test_stream_documents_rebuild_the_texts(corpus):
    docs = documents(corpus, "stream")
    assert ["\n".join(d) for d in docs] == [(corpus / "texts" / f"{n}.txt").read_text() for n in ("one", "two")]


def test_split_is_contiguous_and_complete(corpus):
    parts = split_corpus(corpus, "stream", val=0.1, test=0.1)
    for k, doc in enumerate(documents(corpus, "stream")):
        assert parts["train"][k] + parts["val"][k] + parts["test"][k] == doc
    sizes = {name: sum(len("\n".join(d)) for d in docs) for name, docs in parts.items()}
    assert sizes["train"] > 6 * sizes["val"] and sizes["val"] > 0 and sizes["test"] > 0


def test_sentences_and_poems(corpus):
    sents = joined(split_corpus(corpus, "sentences", 0.1, 0.1)["train"], "sentences")
    assert all(s.endswith(".") and "\n" not in s for s in sents)
    poems = documents(corpus, "poems")
    assert [len(d) for d in poems] == [20, 20]
    assert poems[0][0].startswith("Song of the ") and "\n\n" in poems[0][0]


def test_sentence_breaks():
    text = "Who's there?\nNay, answer me.  Stand!\n\n[Exit.] Ah"
    assert sentences(text) == ["Who's there?", "Nay, answer me.", "Stand!", "[Exit.]", "Ah"]


def test_too_small_for_a_split(tmp_path):
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "a.txt").write_text("one line only")
    with pytest.raises(TextgenError, match="the val split is empty"):
        split_corpus(tmp_path, "stream", 0.05, 0.05)


def test_a_text_without_line_breaks_splits(tmp_path):
    (tmp_path / "texts").mkdir()
    words = [f"w{i}" for i in range(20_000)]
    (tmp_path / "texts" / "a.txt").write_text(" ".join(words) + "\n")
    parts = split_corpus(tmp_path, "stream", 0.05, 0.05)
    texts = {name: joined(docs, "stream")[0] for name, docs in parts.items()}
    assert all(len(line) <= 1000 for text in texts.values() for line in text.split("\n"))
    # Nothing lost or reordered: only the spaces at the wraps became newlines.
    assert " ".join(" ".join(texts[n].split()) for n in ("train", "val", "test")) == " ".join(words)
    assert 0.04 < len(texts["val"]) / sum(len(t) for t in texts.values()) < 0.06


def test_ten_million_words_on_one_line_split(tmp_path):
    (tmp_path / "texts").mkdir()
    words = ("alpha be gamma delta epsilon z " * 1_666_667).strip()  # 10 million words, 50 MB, no newline
    (tmp_path / "texts" / "a.txt").write_text(words + "\n")
    parts = split_corpus(tmp_path, "stream", 0.05, 0.05)
    sizes = {name: sum(len(piece) + 1 for doc in docs for piece in doc) for name, docs in parts.items()}
    assert all(0.04 < sizes[n] / len(words) < 0.06 for n in ("val", "test")), sizes


def test_bad_poems_line(tmp_path):
    (tmp_path / "poems.jsonl").write_text(json.dumps({"title": "t", "text": "x", "source": "s"}) + "\n{}\n")
    with pytest.raises(TextgenError, match=r"poems.jsonl:2: not a poem record"):
        documents(tmp_path, "poems")


def test_missing_texts(tmp_path):
    with pytest.raises(TextgenError, match="no .txt files"):
        documents(tmp_path, "stream")
