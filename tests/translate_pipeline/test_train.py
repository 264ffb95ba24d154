"""train-translation end to end on synthetic pairs: outputs, resuming, restarting, bad input."""

from __future__ import annotations

import csv
import json
import shutil

import pytest
import torch

from textgen.translate import pipeline
from textgen.translate.translator import Translator

TRAIN = "textgen.translate.pipeline"


def rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_outputs(trained):
    _, out = trained
    assert sorted(p.name for p in out.iterdir()) == [
        "architecture.txt", "config.json", "final.pt", "metrics.csv", "prompts.csv", "run.json", "samples.csv",
        "tokenizer.json"]
    metrics = rows(out / "metrics.csv")
    info = json.loads((out / "config.json").read_text())
    per_epoch = info["data"]["steps_per_epoch"]  # 48 pairs / batch 8 = 6
    # two evenly spaced rows per epoch, the second at its end
    assert [int(r["step"]) for r in metrics] == list(range(3, 2 * per_epoch + 1, 3))
    assert float(metrics[-1]["epoch"]) == 2.0
    assert float(metrics[-1]["train_loss"]) < float(metrics[0]["train_loss"])
    assert {r["epoch"] for r in rows(out / "prompts.csv")} == {"0", "2"}
    assert rows(out / "prompts.csv")[0]["prompt"] == "Universet"
    assert len(rows(out / "samples.csv")) == 3
    assert info["config"]["pad_id"] == info["tokenizer"]["vocab_size"] - 3  # [PAD] [CLS] [SEP] come last
    assert (out / "architecture.txt").read_text().startswith("Seq2SeqTransformer(")


def test_run_json_counts_every_trained_position(trained, pairs, tmp_path, helpers):
    """Tokens: per pair and epoch, the wrapped source ([BOS] ids [EOS]) and the predicted target
    (ids [EOS]); padding never counts."""
    run = pipeline.Run(pairs, pipeline.TrainSettings.from_params(helpers.TINY), 7, tmp_path / "ck")
    record = json.loads((trained[1] / "run.json").read_text())
    assert record["tokens"] == 2 * sum(len(s) + 2 + len(t) + 1 for s, t in run.train)  # 2 epochs
    assert record["seconds"] > 0 and record["tokens_per_second"] == pytest.approx(record["tokens"] / record["seconds"])
    assert record["compute"]["devices"] == 1


def test_same_command_twice_resumes_and_gives_the_same_outputs(trained, pairs, capsys, helpers):
    checkpoints, out = trained
    before = {name: (out / name).read_bytes() for name in ("metrics.csv", "prompts.csv", "samples.csv", "config.json",
                                                          "run.json")}  # timings too: the final state's
    weights = torch.load(out / "final.pt", weights_only=True)["model"]
    shutil.rmtree(out)  # as Snakemake and DVC do before rerunning a job
    assert helpers.command(TRAIN, helpers.train_args(pairs, checkpoints, out)) == 0
    assert "resumed from" in capsys.readouterr().out
    assert {name: (out / name).read_bytes() for name in before} == before
    again = torch.load(out / "final.pt", weights_only=True)["model"]
    assert all(torch.equal(weights[k], again[k]) for k in weights)


def test_killed_run_resumes_to_the_uninterrupted_result(trained, pairs, tmp_path, monkeypatch, helpers):
    evaluate = pipeline.evaluate_loss
    calls = []

    def killed_at_second_eval(*args):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt  # the kill: after the first checkpoint, before the second
        return evaluate(*args)

    monkeypatch.setattr(pipeline, "evaluate_loss", killed_at_second_eval)
    with pytest.raises(KeyboardInterrupt):
        helpers.command(TRAIN, helpers.train_args(pairs, tmp_path / "ck", tmp_path / "out"))
    assert not (tmp_path / "out").exists() and list((tmp_path / "ck").glob("state-*.pt"))
    monkeypatch.setattr(pipeline, "evaluate_loss", evaluate)
    assert helpers.command(TRAIN, helpers.train_args(pairs, tmp_path / "ck", tmp_path / "out")) == 0
    assert (tmp_path / "out" / "metrics.csv").read_bytes() == (trained[1] / "metrics.csv").read_bytes()
    assert (tmp_path / "out" / "prompts.csv").read_bytes() == (trained[1] / "prompts.csv").read_bytes()


def test_other_params_start_over(trained, pairs, tmp_path, capsys, helpers):
    checkpoints = tmp_path / "ck"
    shutil.copytree(trained[0], checkpoints)
    changed = {**helpers.TINY, "config": {**helpers.TINY["config"], "lr": 0.002}}
    assert helpers.command(TRAIN, helpers.train_args(pairs, checkpoints, tmp_path / "out", changed)) == 0
    assert "starting over" in capsys.readouterr().out


def test_corrupt_state_falls_back_to_the_one_before(trained, pairs, tmp_path, capsys, helpers, unthinned):
    checkpoints = tmp_path / "ck"
    with unthinned():  # the states a run killed before its end leaves
        assert helpers.command(TRAIN, helpers.train_args(pairs, checkpoints, tmp_path / "first")) == 0
    newest = max(checkpoints.glob("state-*.pt"))
    newest.write_bytes(newest.read_bytes()[:1000])  # truncated
    assert helpers.command(TRAIN, helpers.train_args(pairs, checkpoints, tmp_path / "out")) == 0
    log = capsys.readouterr().out
    assert f"warning: {newest}: unreadable" in log and "resumed from" in log
    assert (tmp_path / "out" / "metrics.csv").read_bytes() == (trained[1] / "metrics.csv").read_bytes()


def test_translator_calls_on_a_sentence(trained):
    translator = Translator.load(trained[1])
    greedy = translator("Jeg liker skolen.")
    assert isinstance(greedy, str)
    assert translator(["Jeg liker skolen.", "Hvem er jeg?"])[0] == greedy
    assert isinstance(translator("Jeg liker skolen.", beam_size=3), str)


@pytest.mark.parametrize("change, config_change, message", [
    ({"epochs": 3}, {}, "unknown key(s) epochs"),
    ({"table_epochs": [5]}, {}, "table_epochs must list epochs in 0..2"),
    ({}, {"pad_id": 0}, "without pad_id"),
    ({}, {"n_head": 3}, "n_embd: 16 is not divisible by n_head=3"),
    ({"evals_per_epoch": 0}, {}, "evals_per_epoch must be an integer >= 1"),
])
def test_bad_params_name_the_key(change, config_change, message, pairs, tmp_path, capsys, helpers):
    params = {**helpers.TINY, **change, "config": {**helpers.TINY["config"], **config_change}}
    assert helpers.command(TRAIN, helpers.train_args(pairs, tmp_path / "ck", tmp_path / "out", params)) == 1
    assert message in capsys.readouterr().err


def test_bad_tsv_line_names_file_and_line(tmp_path, capsys, helpers):
    pairs = helpers.write_pairs(tmp_path / "bad")
    with open(pairs / "train.tsv", "a", encoding="utf-8") as f:
        f.write("only one field\n")
    assert helpers.command(TRAIN, helpers.train_args(pairs, tmp_path / "ck", tmp_path / "out")) == 1
    assert "train.tsv:50: expected two non-empty tab-separated fields" in capsys.readouterr().err


def test_checkpoints_inside_out_are_refused(pairs, tmp_path, capsys, helpers):
    assert helpers.command(TRAIN, helpers.train_args(pairs, tmp_path / "out" / "ck", tmp_path / "out")) == 1
    assert "lies inside --out" in capsys.readouterr().err

