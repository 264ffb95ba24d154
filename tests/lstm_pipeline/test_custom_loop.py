"""train-lstm --loop custom end to end: outputs, determinism, resuming after an interruption."""

from __future__ import annotations

import csv
import json
import re
import shutil

import pytest
import torch

from textgen.errors import TextgenError
from textgen.lstm.data import load_model
from textgen.lstm.train import main, train_custom


def rows(path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def curve(out) -> list[tuple]:
    return [(r["iteration"], r["train_loss"], r["lr"]) for r in rows(out / "history.csv")]


@pytest.fixture(scope="module")
def simple(data, block, evaluation, tmp_path_factory):
    root = tmp_path_factory.mktemp("simple")
    train_custom("simple", block("simple"), evaluation, data, 3, root / "ckpt", root / "out")
    return root


def test_outputs(simple):
    out = simple / "out"
    assert sorted(p.name for p in out.iterdir()) == ["config_data.csv", "generated_texts.csv", "history.csv",
                                                     "metrics.json", "model.pt", "run.json", "training_data.csv"]
    evaluations = rows(out / "training_data.csv")
    assert [r["iteration"] for r in evaluations] == ["0", "5", "10", "15", "19"]
    assert all(r["generated text"].startswith("Elizabeth") and r["training data length"] == "8" for r in evaluations)
    assert float(evaluations[-1]["val_loss"]) < float(evaluations[0]["val_loss"])
    beams = rows(out / "generated_texts.csv")
    assert {(r["method"], r["rank"]) for r in beams} == {("write_better_seed", "1"), ("write_better_seed", "2"),
                                                         ("beam_search", "1"), ("beam_search", "2")}
    for r in beams:  # the correct beam search reports the true log-probability; the seed does not
        if r["method"] == "beam_search":
            assert float(r["probability"]) == pytest.approx(torch.tensor(float(r["log_prob"])).exp().item())
    config = {r["key"]: r["value"] for r in rows(out / "config_data.csv")}
    assert config["iterations"] == "20" and config["kind"] == "simple" and config["model"] == "simple"
    assert len(rows(out / "history.csv")) == 20
    kind, _model, info = load_model(out / "model.pt")
    assert kind == "simple" and info["max_len"] == 8
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["final_val_loss"] == float(evaluations[-1]["val_loss"])
    run = json.loads((out / "run.json").read_text())
    assert run["resumed_from"] == 0 and [e["iteration"] for e in run["evaluations"]] == [0, 5, 10, 15, 19]


def test_same_command_same_files_but_the_timings(data, block, evaluation, simple, tmp_path):
    """Metric files hold no timings: a rerun gives them byte for byte; run.json holds the timings."""
    train_custom("simple", block("simple"), evaluation, data, 3, tmp_path / "ckpt", tmp_path / "out")
    names = sorted(p.name for p in (simple / "out").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "out").iterdir())
    differ = [n for n in names if (tmp_path / "out" / n).read_bytes() != (simple / "out" / n).read_bytes()]
    assert differ == ["run.json"]


def test_interrupted_run_resumes_and_continues_the_curve(data, block, evaluation, simple, tmp_path, capsys):
    """Killed at iteration 12 (state saved after iteration 10): the rerun continues at 11 and ends
    with the uninterrupted run's curve."""
    def kill(iteration):
        if iteration == 12:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        train_custom("simple", block("simple"), evaluation, data, 3, tmp_path / "ckpt", tmp_path / "out", kill)
    assert not (tmp_path / "out").exists()  # nothing half-written
    train_custom("simple", block("simple"), evaluation, data, 3, tmp_path / "ckpt", tmp_path / "out")
    log = capsys.readouterr().out
    assert "(step 11)" in log
    # The progress reporter's last line (stdout is not a terminal here): losses, speed, time.
    assert re.search(r"^step 20/20 train \d+\.\d{3} val \d+\.\d{3} lr 0\.010 \| [\d,]+ tokens/s \| \d+s elapsed, "
                     r"ETA 0s$", log, re.MULTILINE), log
    assert curve(tmp_path / "out") == curve(simple / "out")
    assert json.loads((tmp_path / "out" / "run.json").read_text())["resumed_from"] == 11


def test_other_settings_start_over(data, block, evaluation, simple, tmp_path, capsys):
    shutil.copytree(simple / "ckpt", tmp_path / "ckpt")
    train_custom("simple", block("simple", lr=0.02), evaluation, data, 3, tmp_path / "ckpt", tmp_path / "out")
    log = capsys.readouterr().out
    assert "not resumed: run.params.lr: checkpoint 0.01, now 0.02; starting over" in log
    assert json.loads((tmp_path / "out" / "run.json").read_text())["resumed_from"] == 0


def test_corrupt_checkpoint_is_skipped(data, block, evaluation, simple, tmp_path, capsys, unthinned):
    with unthinned():  # the states a run killed before its end leaves (the last two)
        train_custom("simple", block("simple"), evaluation, data, 3, tmp_path / "ckpt", tmp_path / "first")
    newest = max((tmp_path / "ckpt").glob("state-*.pt"))
    newest.write_bytes(b"not a checkpoint")
    train_custom("simple", block("simple"), evaluation, data, 3, tmp_path / "ckpt", tmp_path / "out")
    log = capsys.readouterr().out
    assert f"warning: {newest}: unreadable" in log and "(step 16)" in log
    assert curve(tmp_path / "out") == curve(simple / "out")


@pytest.mark.parametrize("kind", ["attention", "multihead_fixed"])
def test_attention_models_train(data, block, evaluation, kind, tmp_path):
    train_custom(kind, block(kind, iterations=6), evaluation, data, 3, tmp_path / "ckpt", tmp_path / "out")
    assert len(rows(tmp_path / "out" / "history.csv")) == 6


def test_command_line(words, block, evaluation, tmp_path):
    argv = ["--loop", "custom", "--words", str(words), "--params", json.dumps(block("simple", iterations=3)),
            "--evaluation", json.dumps(evaluation), "--seed", "1", "--threads", "1",
            "--checkpoints", str(tmp_path / "ckpt"), "--out", str(tmp_path / "simple")]
    assert main(argv) == 0
    assert (tmp_path / "simple" / "model.pt").exists()


@pytest.mark.parametrize("change, message", [
    ({"lr": 0}, "--params.lr: expected a number > 0, got 0"),
    ({"kind": "gru"}, "--params.kind: expected one of simple"),
    ({"bidirectional": True}, "WordLSTM (Listing 1) has no bidirectional option"),
    ({"extra": 1}, "--params: unknown key(s) extra"),
])
def test_bad_params_name_the_key(words, block, evaluation, tmp_path, change, message):
    argv = ["--loop", "custom", "--words", str(words), "--params", json.dumps({**block("simple"), **change}),
            "--evaluation", json.dumps(evaluation), "--seed", "1", "--checkpoints", str(tmp_path / "c"),
            "--out", str(tmp_path / "o")]
    with pytest.raises(TextgenError, match=message.replace("(", r"\(").replace(")", r"\)")):
        main(argv)


def test_prompt_outside_the_vocabulary(words, block, evaluation, tmp_path):
    argv = ["--loop", "custom", "--words", str(words), "--params", json.dumps(block("simple")),
            "--evaluation", json.dumps({**evaluation, "prompt": ["Spells"]}), "--seed", "1",
            "--checkpoints", str(tmp_path / "c"), "--out", str(tmp_path / "o")]
    with pytest.raises(TextgenError, match="--evaluation.prompt: not in the vocabulary .* 'Spells'"):
        main(argv)


def test_rerun_after_outputs_deleted_trains_nothing(data, block, evaluation, simple, tmp_path, capsys):
    shutil.copytree(simple / "ckpt", tmp_path / "ckpt")
    # The finished run kept its last state only, without the optimizer's moments.
    assert [p.name for p in (tmp_path / "ckpt").glob("state-*.pt")] == ["state-0000020.pt"]
    assert "optimizer" not in torch.load(tmp_path / "ckpt" / "state-0000020.pt", weights_only=True)
    train_custom("simple", block("simple"), evaluation, data, 3, tmp_path / "ckpt", tmp_path / "out")
    assert "(step 20)" in capsys.readouterr().out
    assert curve(tmp_path / "out") == curve(simple / "out")
    assert (tmp_path / "out" / "training_data.csv").read_text() == (simple / "out" / "training_data.csv").read_text()
