"""finetune-t5 end to end with a tiny scratch T5 and a sentencepiece vocabulary trained in the run."""

import csv
import json

import pytest

from textgen.errors import TextgenError
from textgen.finetune import resume
from textgen.finetune.seq2seq import main
from textgen.io import read_json

PARAMS = {"base_model": "scratch", "epochs": 2, "batch_size": 4, "learning_rate": 3e-3, "val_poems": 2,
          "scratch": {"vocab_size": 120, "d_model": 32, "d_ff": 64, "d_kv": 8, "num_heads": 4, "num_layers": 2},
          "pad_to_multiple_of": None, "logging_steps": 1, "max_length": 12, "max_target_tokens": 48,
          "titles": ["The sun is shining by The Leos"]}


def finetune(poems, checkpoints, out, **overrides):
    return main(["--poems", str(poems), "--params", json.dumps(PARAMS | overrides), "--seed", "5",
                 "--threads", "1", "--checkpoints", str(checkpoints), "--out", str(out)])


def test_scratch_t5_outputs_and_resume(poems, tmp_path, monkeypatch):
    monkeypatch.setattr(resume, "finish", lambda folder, base=None: 0)  # checkpoints as a kill after epoch 2 leaves them
    assert finetune(poems, tmp_path / "ck", tmp_path / "a", keep_checkpoints=2) == 0
    out = tmp_path / "a"
    with open(out / "samples.csv", newline="", encoding="utf-8") as f:
        samples = list(csv.DictReader(f))
    assert [(r["epoch"], r["decoding"], r["prompt"]) for r in samples] == [
        (e, d, "Create the lyrics of The sun is shining by The Leos") for e in ("1", "2") for d in ("beam", "sample")]
    metrics = read_json(out / "metrics.json")
    assert metrics["base_model"].startswith("scratch T5")
    assert metrics["train_examples"] == 8 and metrics["val_examples"] == 2 and metrics["steps"] == 4
    assert metrics["vocab_size"] <= 120 and len(metrics["tokenizer_sha256"]) == 64
    assert metrics["final_loss"] < metrics["first_loss"]
    assert (out / "curves.png").stat().st_size > 1000
    # Resume after epoch 1: the sentencepiece model retrains to the same bytes, so it matches.
    (tmp_path / "ck" / "samples" / "epoch-2.json").unlink()
    __import__("shutil").rmtree(tmp_path / "ck" / "checkpoint-4")
    assert finetune(poems, tmp_path / "ck", tmp_path / "b", keep_checkpoints=2) == 0
    assert read_json(tmp_path / "b" / "run.json")["resumed_from"] == "checkpoint-2"
    for name in ("history.csv", "samples.csv", "metrics.json"):
        assert (tmp_path / "a" / name).read_text() == (tmp_path / "b" / name).read_text(), name


def test_missing_t5_base_names_the_parameter(poems, tmp_path):
    with pytest.raises(TextgenError, match=r"finetune.t5.base_model: .*does not exist"):
        finetune(poems, tmp_path / "ck", tmp_path / "out", base_model=str(tmp_path / "t5-folder"))


def test_bad_poems_line_is_named(tmp_path):
    folder = tmp_path / "poems"
    folder.mkdir()
    (folder / "poems.jsonl").write_text('{"title": "A", "text": "x"}\n{"title": "B"}\n', encoding="utf-8")
    with pytest.raises(TextgenError, match=r"poems.jsonl:2: expected a JSON object with title and text"):
        finetune(folder, tmp_path / "ck", tmp_path / "out")
