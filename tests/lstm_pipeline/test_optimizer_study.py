"""optimizer-study end to end: one row per run, the same start for every run, the figures."""

from __future__ import annotations

import csv
import json

import pytest

from textgen.errors import TextgenError
from textgen.lstm.optimizers import main, oscillation

RUNS = {
    "adam": {"optimizer": "adam", "lr": 0.003, "weight_decay": 0.0, "momentum": 0.0, "schedule": "constant"},
    "adam_l2": {"optimizer": "adam", "lr": 0.003, "weight_decay": 0.01, "momentum": 0.0, "schedule": "constant"},
    "adamw_cosine": {"optimizer": "adamw", "lr": 0.002, "weight_decay": 0.01, "momentum": 0.0, "schedule": "cosine"},
    "sgd_plateau": {"optimizer": "sgd", "lr": 0.5, "weight_decay": 0.0, "momentum": 0.9, "schedule": "plateau"},
}
STUDY = {"model": {"kind": "simple", "embedding_dim": 8, "hidden_size": 16, "n_layers": 1, "bidirectional": False,
                   "n_heads": 1, "iterations": 12, "max_len": 8, "evaluate_interval": 4, "batch_size": 4},
         "val_windows": 8, "log_every": 6, "plateau": {"factor": 0.5, "patience": 0, "threshold": 0.01, "min_lr": 0.0},
         "runs": RUNS}


def read(path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def study(words, tmp_path_factory):
    root = tmp_path_factory.mktemp("study")
    assert main(["--words", str(words), "--params", json.dumps(STUDY), "--seed", "2", "--threads", "1",
                 "--checkpoints", str(root / "ckpt"), "--out", str(root / "out")]) == 0
    return root


def test_table(study):
    out = study / "out"
    assert sorted(p.name for p in out.iterdir()) == ["curves.csv", "evaluations.csv", "optimizer_loss.png", "optimizer_lr.png", "run.json", "table.csv"]
    table = read(out / "table.csv")
    assert [r["run"] for r in table] == list(RUNS)
    assert {"final_val_loss", "best_val_loss", "val_rises", "largest_val_rise", "late_train_std"} <= set(table[0])
    assert all(float(r["best_val_loss"]) <= float(r["final_val_loss"]) for r in table)
    timings = json.loads((out / "run.json").read_text())["runs"]
    assert list(timings) == list(RUNS) and all(t["seconds"] > 0 and t["resumed_from"] == 0 for t in timings.values())


def test_every_run_starts_from_the_same_weights_and_batch(study):
    first = {r["run"]: r["train_loss"] for r in read(study / "out" / "curves.csv") if r["iteration"] == "0"}
    assert len(set(first.values())) == 1


def test_schedules_change_the_rate(study):
    curves = read(study / "out" / "curves.csv")
    lr = {name: [float(r["lr"]) for r in curves if r["run"] == name] for name in RUNS}
    assert set(lr["adam"]) == {0.003}
    assert lr["adamw_cosine"][0] == 0.002 and lr["adamw_cosine"][-1] < 0.0002
    assert lr["sgd_plateau"] == sorted(lr["sgd_plateau"], reverse=True)


def test_oscillation_measures():
    assert oscillation([3.0, 2.0, 2.5, 2.4, 2.6], [1.0, 2.0, 1.0, 2.0]) == {
        "val_rises": 2, "largest_val_rise": 0.5, "late_train_std": 0.5}


def test_bad_run_names_its_key(words, tmp_path):
    bad = {**STUDY, "runs": {"adam": {**RUNS["adam"], "optimizer": "rmsprop"}}}
    with pytest.raises(TextgenError, match="--params.runs.adam.optimizer: expected one of adam, adamw, sgd"):
        main(["--words", str(words), "--params", json.dumps(bad), "--seed", "2", "--checkpoints", str(tmp_path / "c"),
              "--out", str(tmp_path / "o")])
