"""train-lstm --loop lightning: the seed's callbacks and files, ReduceLROnPlateau acting, resuming."""

from __future__ import annotations

import csv
import json
import shutil

import pytest
from lightning.pytorch.callbacks import Callback

from textgen.lstm.data import load_model
from textgen.lstm.lightning import _segments, train_lightning
from textgen.profiles import render_profile


class SimulatedKill(Exception):
    pass


class KillAt(Callback):
    def __init__(self, step: int):
        self.step = step

    def on_train_batch_end(self, trainer, *args) -> None:
        if trainer.global_step == self.step:
            raise SimulatedKill


def read(path, delimiter=",") -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter=delimiter))


@pytest.fixture(scope="module")
def run(data, lightning_block, evaluation, tmp_path_factory):
    root = tmp_path_factory.mktemp("lightning")
    train_lightning("lightning", lightning_block(), evaluation, data, 5, root / "ckpt", root / "out")
    return root


def test_outputs(run):
    out = run / "out"
    assert sorted(p.name for p in out.iterdir()) == [
        "checkpoints.csv", "config_data.csv", "generated_text.csv", "generated_texts_write_better.csv",
        "metrics.csv", "metrics.json", "model.pt", "run.json"]
    texts = read(out / "generated_text.csv", "\t")
    assert [(r["epoch"], r["step"]) for r in texts] == [("0", "7"), ("1", "15")]  # every 8 steps, step - 1 as the seed
    assert all(r["generated_text"].startswith("Elizabeth") for r in texts)
    beams = read(out / "generated_texts_write_better.csv", "\t")
    assert len(beams) == 2 * (2 + 2) and {r["method"] for r in beams} == {"write_better_seed", "beam_search"}
    assert len(read(out / "checkpoints.csv")) == 2  # top 2 on val_loss
    assert load_model(out / "model.pt")[0] == "multihead"
    assert json.loads((out / "metrics.json").read_text())["steps"] == 16


def test_logs_and_plateau_scheduler(run):
    rows = read(run / "out" / "metrics.csv")
    assert {"train_loss", "val_loss", "lr-AdamW", "num_train_items", "num_val_items", "step", "epoch"} <= set(rows[0])
    assert [int(r["step"]) for r in rows if r["val_loss"]] == [3, 7, 11, 15]
    rates = [float(r["lr-AdamW"]) for r in rows if r["lr-AdamW"]]
    # threshold 0.4: a val loss must fall by 40% to count as better, so with patience 0 the rate halves
    assert rates[0] == 0.01 and min(rates) < 0.01 and rates == sorted(rates, reverse=True)


def test_killed_run_resumes_where_it_stopped(data, lightning_block, evaluation, run, tmp_path, capsys):
    """Killed at step 10 (last checkpoint after the validation at step 8): the rerun resumes at 8
    and ends with the uninterrupted run's logs and texts."""
    with pytest.raises(SimulatedKill):
        train_lightning("lightning", lightning_block(), evaluation, data, 5, tmp_path / "ckpt", tmp_path / "out",
                        [KillAt(10)])
    assert not (tmp_path / "out").exists()
    train_lightning("lightning", lightning_block(), evaluation, data, 5, tmp_path / "ckpt", tmp_path / "out")
    assert "(step 8)" in capsys.readouterr().out
    for name, delimiter in (("metrics.csv", ","), ("generated_text.csv", "\t"),
                            ("generated_texts_write_better.csv", "\t")):
        assert read(tmp_path / "out" / name, delimiter) == read(run / "out" / name, delimiter), name
    steps = [int(r["step"]) for r in read(tmp_path / "out" / "metrics.csv") if r["train_loss"]]
    assert steps == list(range(16))  # the curve continues: no step twice, none missing
    assert json.loads((tmp_path / "out" / "run.json").read_text())["segments"] == [0, 8]


def test_other_settings_start_over(run, tmp_path, capsys):
    """A checkpoint folder of another run is emptied, not resumed."""
    shutil.copytree(run / "ckpt", tmp_path / "ckpt")
    other = {**json.loads((tmp_path / "ckpt" / "segments.json").read_text())["run"], "seed": 6}
    assert _segments(tmp_path / "ckpt", other) == ([0], None)
    assert "not resumed, run.seed: checkpoint 5, now 6; starting over" in capsys.readouterr().out
    assert not (tmp_path / "ckpt" / "ckpt").exists() and not (tmp_path / "ckpt" / "csv").exists()


def test_rerun_after_outputs_deleted_trains_nothing(data, lightning_block, evaluation, run, tmp_path, capsys):
    """Snakemake and DVC delete --out before rerunning a job: the finished run is restored, not redone."""
    shutil.copytree(run / "ckpt", tmp_path / "ckpt")
    train_lightning("lightning", lightning_block(), evaluation, data, 5, tmp_path / "ckpt", tmp_path / "out")
    assert "(step 16)" in capsys.readouterr().out
    for name, delimiter in (("metrics.csv", ","), ("generated_text.csv", "\t")):
        assert read(tmp_path / "out" / name, delimiter) == read(run / "out" / name, delimiter), name


def test_a_truncated_last_checkpoint_falls_back_to_the_top_k_one_beside_it(data, lightning_block, evaluation, run,
                                                                          tmp_path, capsys):
    shutil.copytree(run / "ckpt", tmp_path / "ckpt")
    last = tmp_path / "ckpt" / "ckpt" / "last.ckpt"
    last.write_bytes(last.read_bytes()[:2000])
    train_lightning("lightning", lightning_block(), evaluation, data, 5, tmp_path / "ckpt", tmp_path / "out")
    log = capsys.readouterr().out
    assert f"warning: {last}: not a usable checkpoint" in log and "resumed from" in log and "chkp_" in log
    assert json.loads((tmp_path / "out" / "metrics.json").read_text())["steps"] == 16


def test_the_paper_profile_logs_in_the_shapes_of_the_seeds_figures_19_to_21(data, evaluation, tmp_path):
    """The paper profile's Lightning block is Listing 14's run: batches of 4 windows of 20 words,
    64 batches an epoch, a validation of 64 batches every 16 steps, texts every 64 steps. Trained here
    for 2 of its 10 epochs on the test words, its logs take the shapes of the seed's: Figure 19's train
    rows with 4.0 items and its first val_loss at step 15, Figure 20's epoch 1 from step 64 with the
    rate changed only at a validation, Figure 21's texts at steps 63 and 127 (the seed's "633e-10"
    and "1270.0" run the step into the next column)."""
    block = render_profile("paper")["lstm"]["lightning"]
    seed_shapes = {"batch_size": 4, "val_batch_size": 4, "max_len": 20, "max_epochs": 10, "limit_train_batches": 64,
                   "limit_val_batches": 64, "val_check_interval": 16, "generate_every_n_steps": 64, "lr": 0.003,
                   "embedding_dim": 128, "hidden_size": 256, "kind": "multihead"}
    assert {k: block[k] for k in seed_shapes} == seed_shapes
    # The log's shapes depend neither on the model's width nor on how many batches a validation
    # averages: a narrow model and 4-batch validations keep the test short (at the seed's 128/256 and
    # 64 batches, 2 epochs take about two and a half minutes on 2 cores, 85% of it validating).
    narrow = {**block, "embedding_dim": 16, "hidden_size": 32, "limit_val_batches": 4, "max_epochs": 2}
    train_lightning("lightning", narrow, evaluation, data, 42, tmp_path / "ckpt", tmp_path / "out")
    rows = read(tmp_path / "out" / "metrics.csv")
    train = [r for r in rows if r["train_loss"]]
    assert [int(r["step"]) for r in train] == list(range(128))
    assert {r["num_train_items"] for r in train} == {"4.0"}
    assert {int(r["step"]) for r in train if r["epoch"] == "1"} == set(range(64, 128))
    vals = [r for r in rows if r["val_loss"]]
    assert [int(r["step"]) for r in vals] == list(range(15, 128, 16))
    assert {r["num_val_items"] for r in vals} == {"4.0"}  # the batch size, as the seed logs it
    rates = [(int(r["step"]), float(r["lr-AdamW"])) for r in rows if r["lr-AdamW"]]
    assert rates[0] == (0, 0.003)
    changed = [step for (_, before), (step, now) in zip(rates, rates[1:]) if now != before]
    # as in Figure 20, the plateau scheduler lowers the rate, and only right after a validation
    assert changed and all(step % 16 == 0 for step in changed), changed
    texts = read(tmp_path / "out" / "generated_text.csv", "\t")
    assert [(r["epoch"], r["step"]) for r in texts] == [("0", "63"), ("1", "127")]
