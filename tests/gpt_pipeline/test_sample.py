"""sample-gpt: table shape, determinism, the seed's decoding edge cases, refusing other tokenizers."""

from __future__ import annotations

import csv
import json

import pytest

from textgen.bpe.cli import main_train_bpe
from textgen.errors import TextgenError
from textgen.gpt.sample import main as sample_main

# an unseen script and an emoji; greedy; top_k far above the vocabulary
PARAMS = {"prompts": ["The cat sat.", "Ψυχή 🙂 unseen"], "temperatures": [1.0, 0.5, 0.0],
          "max_new_tokens": 12, "top_k": 100000}


def sample(trained, tokenizer, out, seed=3, **changes) -> list[dict]:
    args = ["--model", str(trained["out"]), "--tokenizer", str(tokenizer), "--params", json.dumps({**PARAMS, **changes}),
            "--seed", str(seed), "--out", str(out)]
    assert sample_main(args) == 0
    with open(out, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_table_shape_and_determinism(trained, tokenizer, tmp_path):
    rows = sample(trained, tokenizer, tmp_path / "a.csv")
    assert len(rows) == 2 * 2 * 3  # checkpoints 10, 20 x prompts x temperatures
    assert [r["checkpoint"] for r in rows[:6]] == ["10"] * 6
    assert {r["stopped"] for r in rows} <= {"end marker", "length"}
    assert all(int(r["new_tokens"]) <= 12 for r in rows)
    sample(trained, tokenizer, tmp_path / "b.csv")
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_rows_do_not_depend_on_other_rows(trained, tokenizer, tmp_path):
    both = sample(trained, tokenizer, tmp_path / "a.csv")
    one = sample(trained, tokenizer, tmp_path / "b.csv", prompts=["Ψυχή 🙂 unseen"], temperatures=[0.5])
    assert one == [r for r in both if r["prompt"] == "Ψυχή 🙂 unseen" and r["temperature"] == "0.5"]


def test_greedy_ignores_the_seed(trained, tokenizer, tmp_path):
    greedy = [r for r in sample(trained, tokenizer, tmp_path / "a.csv") if r["temperature"] == "0.0"]
    other = [r for r in sample(trained, tokenizer, tmp_path / "b.csv", seed=99) if r["temperature"] == "0.0"]
    assert greedy == other


def test_other_tokenizer_is_refused(trained, corpus, split, tmp_path):
    other = tmp_path / "other.json"
    main_train_bpe(["--corpus", str(corpus), "--vocab-size", "290", "--split", split, "--out", str(other)])
    with pytest.raises(TextgenError, match=r"model-10\.pt: tokenizer_sha256 differs"):
        sample(trained, other, tmp_path / "a.csv")
    assert not (tmp_path / "a.csv").exists()


@pytest.mark.parametrize("changes, message", [
    ({"prompts": [""]}, "--params.prompts"),
    ({"top_k": 0}, "--params.top_k"),
    ({"max_new_tokens": 0}, "--params.max_new_tokens"),
    ({"extra": 1}, "--params: expected exactly the keys"),
])
def test_bad_params(trained, tokenizer, tmp_path, changes, message):
    with pytest.raises(TextgenError, match=message):
        sample(trained, tokenizer, tmp_path / "a.csv", **changes)


def test_not_a_model_folder(tokenizer, tmp_path):
    (tmp_path / "config.json").write_text('{"format": "stream"}')
    with pytest.raises(TextgenError, match="no model-<step>.pt checkpoints"):
        sample({"out": tmp_path}, tokenizer, tmp_path / "a.csv")
