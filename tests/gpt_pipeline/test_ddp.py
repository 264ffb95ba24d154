"""train-gpt through the one training core at other settings: two data-parallel processes on the CPU
(DDP over gloo, the code path of a multi-GPU node), a kill -9 of such a run, and bf16-mixed."""

from __future__ import annotations

import csv
import json
import time

import pytest

DDP = json.dumps({"accelerator": "cpu", "devices": 2, "strategy": "ddp"})
# Two processes sum their gradients in another order than one: the losses agree to float rounding.
TOLERANCE = 1e-4


def argv(train_args, corpus, tokenizer, ckpts, out, compute: str | None = None, threads: int = 1, **train):
    args = train_args(corpus, tokenizer, ckpts, out, **train)
    arch = json.loads(args[args.index("--arch") + 1])
    args[args.index("--arch") + 1] = json.dumps({**arch, "dropout": 0.0})  # the same masks on 1 and 2 processes
    args[args.index("--threads") + 1] = str(threads)
    return ["train-gpt", *args, *(["--compute", compute] if compute else [])]


def losses(out) -> list[float]:
    """train and val loss of every evaluation, in one list."""
    with open(out / "metrics.csv", encoding="utf-8") as f:
        return [float(r[k]) for r in csv.DictReader(f) for k in ("train_loss", "val_loss")]


def test_two_processes_give_the_one_device_losses(train_args, corpus, tokenizer, tmp_path, textgen_command):
    one = textgen_command(argv(train_args, corpus, tokenizer, tmp_path / "c1", tmp_path / "one"))
    one.wait()
    two = textgen_command(argv(train_args, corpus, tokenizer, tmp_path / "c2", tmp_path / "two", DDP, threads=2))
    log = two.wait()
    assert "'devices': 2" in log and "DDPStrategy" in log
    config = json.loads((tmp_path / "two" / "run.json").read_text())
    assert config["compute"] == {"accelerator": "cpu", "devices": 2, "precision": "32-true", "strategy": "DDPStrategy"}
    assert len(losses(tmp_path / "two")) == len(losses(tmp_path / "one")) == 10
    assert losses(tmp_path / "two") == pytest.approx(losses(tmp_path / "one"), abs=TOLERANCE)
    held = [json.loads((tmp_path / name / "heldout.json").read_text())["loss_per_token"] for name in ("one", "two")]
    assert held[1] == pytest.approx(held[0], abs=TOLERANCE)


def test_a_killed_ddp_run_resumes_to_the_uninterrupted_loss(train_args, corpus, tokenizer, tmp_path, textgen_command):
    steps = {"max_iters": 120, "lr_decay_iters": 120, "eval_interval": 40, "checkpoint_interval": 10,
             "save_at": [60]}
    whole = textgen_command(argv(train_args, corpus, tokenizer, tmp_path / "c1", tmp_path / "whole", DDP, 2, **steps))
    whole.wait()
    ckpts = tmp_path / "c2"
    run = textgen_command(argv(train_args, corpus, tokenizer, ckpts, tmp_path / "out", DDP, 2, **steps))
    deadline = time.time() + 120
    while time.time() < deadline and run.proc.poll() is None and not list(ckpts.glob("state-*.pt")):
        time.sleep(0.005)
    run.kill()  # SIGKILL to the whole process group: both ranks
    assert not (tmp_path / "out").exists(), "the run finished before it was killed"
    states = sorted(ckpts.glob("state-*.pt"))
    assert states, "killed before the first state was written"
    log = textgen_command(argv(train_args, corpus, tokenizer, ckpts, tmp_path / "out", DDP, 2, **steps)).wait()
    assert "resumed from" in log
    assert losses(tmp_path / "out") == pytest.approx(losses(tmp_path / "whole"), abs=TOLERANCE)


def test_bf16_mixed_trains_on_cpu_and_is_recorded(train_args, corpus, tokenizer, tmp_path, textgen_command):
    compute = json.dumps({"accelerator": "cpu", "precision": "bf16-mixed"})
    textgen_command(argv(train_args, corpus, tokenizer, tmp_path / "c", tmp_path / "out", compute)).wait()
    config = json.loads((tmp_path / "out" / "run.json").read_text())
    assert config["compute"]["precision"] == "bf16-mixed"
    rows = losses(tmp_path / "out")
    assert rows[-2] < rows[0] - 0.2  # the last train loss is well below the first: it learns
