"""train-bpe and bpe-table on the synthetic corpus."""

from __future__ import annotations

import csv

import pytest

from textgen.bpe import Tokenizer
from textgen.bpe.cli import main_bpe_table, main_train_bpe
from textgen.errors import TextgenError


def test_train_bpe_on_poems(corpus, split, tmp_path):
    out = tmp_path / "tok.json"
    assert main_train_bpe(["--corpus", str(corpus), "--format", "poems", "--vocab-size", "280", "--split", split,
                           "--out", str(out)]) == 0
    tok = Tokenizer.load(out)
    assert tok.vocab_size == 280 and tok.sep_id == 279
    assert tok.decode(tok.encode("Song of the unseen ψ")) == "Song of the unseen ψ"


def test_bpe_table(corpus, split, tmp_path, capsys):
    table, figure = tmp_path / "t.csv", tmp_path / "f.png"
    assert main_bpe_table(["--corpora", str(corpus), "--vocab-sizes", "[259, 300, 100000]", "--split", split,
                           "--out", str(table), "--figure", str(figure)]) == 0
    with open(table) as f:
        rows = list(csv.DictReader(f))
    assert [(r["corpus"], r["vocab_size"]) for r in rows] == [(corpus.name, "259"), (corpus.name, "300")]
    assert float(rows[0]["bytes_per_token"]) == 1.0 < float(rows[1]["bytes_per_token"])
    assert int(rows[0]["heldout_tokens"]) == int(rows[0]["heldout_bytes"])
    assert figure.stat().st_size > 0
    assert "vocab 100000 left out" in capsys.readouterr().out


@pytest.mark.parametrize("sizes", ["[]", "[100]", "not json"])
def test_bpe_table_bad_sizes(corpus, split, tmp_path, sizes):
    with pytest.raises(TextgenError, match="--vocab-sizes"):
        main_bpe_table(["--corpora", str(corpus), "--vocab-sizes", sizes, "--split", split,
                        "--out", str(tmp_path / "t.csv"), "--figure", str(tmp_path / "f.png")])


def test_bpe_table_writes_the_listing(corpus, split, tmp_path):
    out = tmp_path / "listing.csv"
    main_bpe_table(["--corpora", str(corpus), "--vocab-sizes", "[259]", "--split", split, "--out",
                    str(tmp_path / "t.csv"), "--figure", str(tmp_path / "t.png"), "--listing", str(out)])
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["stops_with"] for r in rows] == ["NameError", "TypeError", "KeyError", "", ""]
    assert rows[0]["corpus"] == corpus.name and int(rows[0]["sample_bytes"]) > 0
