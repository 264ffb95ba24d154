"""train-gpt end to end on the synthetic corpus: outputs, resuming, refusing other checkpoints."""

from __future__ import annotations

import csv
import json
import shutil

import pytest
import torch

from textgen.bpe.cli import main_train_bpe
from textgen.errors import TextgenError
from textgen.gpt.train import main as train_main


def metrics(out) -> list[dict]:
    with open(out / "metrics.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def losses(out) -> list[tuple]:
    return [(r["iter"], r["train_loss"], r["val_loss"], r["lr"], r["tokens_seen"]) for r in metrics(out)]


def test_outputs(trained):
    out = trained["out"]
    assert sorted(p.name for p in out.iterdir()) == [
        "architecture.txt", "config.json", "heldout.json", "loss.png", "metrics.csv", "model-10.pt", "model-20.pt",
        "run.json"]
    run = json.loads((out / "run.json").read_text())
    assert [e["iter"] for e in run["evaluations"]] == [0, 5, 10, 15, 20] and run["seconds"] > 0
    assert run["compute"]["devices"] == 1
    assert [r["iter"] for r in metrics(out)] == ["0", "5", "10", "15", "20"]
    rows = metrics(out)
    assert float(rows[-1]["train_loss"]) < float(rows[0]["train_loss"])
    assert rows[-1]["tokens_seen"] == str(20 * 4 * 16)
    config = json.loads((out / "config.json").read_text())
    assert config["checkpoints"] == [10, 20] and config["format"] == "stream" and not config["stopped_early"]
    assert (out / "architecture.txt").read_text().startswith("GPT(")
    held = json.loads((out / "heldout.json").read_text())
    assert held["loss_per_byte"] == pytest.approx(held["loss_per_token"] * held["tokens"] / held["bytes"])


def test_same_command_same_files_but_the_timings(train_args, corpus, tokenizer, trained, tmp_path):
    """Metric files hold no timings: a rerun gives them byte for byte; run.json holds the timings."""
    train_main(train_args(corpus, tokenizer, tmp_path / "ckpts", tmp_path / "out"))
    names = sorted(p.name for p in trained["out"].iterdir())
    assert names == sorted(p.name for p in (tmp_path / "out").iterdir())
    differ = [n for n in names if (tmp_path / "out" / n).read_bytes() != (trained["out"] / n).read_bytes()]
    assert differ in ([], ["run.json"])  # run.json's timings may differ (at ms resolution they can also agree)


def test_rerun_after_outputs_deleted_resumes(train_args, corpus, tokenizer, trained, tmp_path, capsys):
    ckpts, out = tmp_path / "ckpts", tmp_path / "out"
    shutil.copytree(trained["ckpts"], ckpts)
    # The finished run kept one state, its last, without the optimizer's moments.
    assert sorted(p.name for p in ckpts.glob("state-*.pt")) == ["state-0000020.pt"]
    assert "optimizer" not in torch.load(ckpts / "state-0000020.pt", weights_only=True)
    train_main(train_args(corpus, tokenizer, ckpts, out))
    assert "(step 20)" in capsys.readouterr().out
    assert metrics(out) == metrics(trained["out"])  # the history comes from the checkpoint
    # so do its elapsed times
    assert (json.loads((out / "run.json").read_text())["evaluations"]
            == json.loads((trained["out"] / "run.json").read_text())["evaluations"])


def test_resume_midway_equals_uninterrupted(train_args, corpus, tokenizer, trained, tmp_path, capsys, unthinned):
    """As if killed after the state at step 10 was saved: the resumed run ends where the
    uninterrupted one did."""
    ckpts, out = tmp_path / "ckpts", tmp_path / "out"
    with unthinned():
        train_main(train_args(corpus, tokenizer, ckpts, tmp_path / "first"))
    (ckpts / "state-0000020.pt").unlink()
    (ckpts / "model-20.pt").unlink()
    train_main(train_args(corpus, tokenizer, ckpts, out))
    assert "(step 10)" in capsys.readouterr().out
    assert losses(out) == losses(trained["out"])


def test_corrupt_state_is_skipped(train_args, corpus, tokenizer, trained, tmp_path, capsys, unthinned):
    ckpts, out = tmp_path / "ckpts", tmp_path / "out"
    with unthinned():  # states at steps 10 and 20, as a run killed before it finished leaves them
        train_main(train_args(corpus, tokenizer, ckpts, tmp_path / "first"))
    (ckpts / "state-0000020.pt").write_bytes(b"not a checkpoint")
    train_main(train_args(corpus, tokenizer, ckpts, out))
    log = capsys.readouterr().out
    assert "warning: " in log and "state-0000020.pt: unreadable" in log and "(step 10)" in log
    assert losses(out) == losses(trained["out"])


def test_other_tokenizer_starts_over(train_args, split, corpus, trained, tmp_path, capsys):
    other = tmp_path / "other.json"
    main_train_bpe(["--corpus", str(corpus), "--vocab-size", "290", "--split", split, "--out", str(other)])
    ckpts = tmp_path / "ckpts"
    shutil.copytree(trained["ckpts"], ckpts)
    train_main(train_args(corpus, other, ckpts, tmp_path / "out", max_iters=5, save_at=[5]))
    log = capsys.readouterr().out
    assert "not resumed: run.config.vocab_size: checkpoint" in log and "starting over" in log
    assert sorted(p.name for p in ckpts.iterdir()) == ["model-5.pt", "state-0000005.pt"]


def test_other_settings_start_over(train_args, corpus, tokenizer, trained, tmp_path, capsys):
    ckpts = tmp_path / "ckpts"
    shutil.copytree(trained["ckpts"], ckpts)
    train_main(train_args(corpus, tokenizer, ckpts, tmp_path / "out", learning_rate=1e-3))
    assert "not resumed: run.train.learning_rate: checkpoint 0.003, now 0.001; starting over" in capsys.readouterr().out


@pytest.mark.parametrize("fmt", ["sentences", "poems"])
def test_other_formats(train_args, corpus, tokenizer, tmp_path, fmt):
    assert train_main(train_args(corpus, tokenizer, tmp_path / "c", tmp_path / "out", fmt=fmt, max_iters=5,
                                 save_at=[5], eval_interval=5)) == 0
    assert json.loads((tmp_path / "out" / "config.json").read_text())["format"] == fmt


@pytest.mark.parametrize("change, message", [
    ({"save_at": [30]}, "--train.save_at: every step must be an integer in [1, max_iters=20]"),
    ({"min_lr": 1.0}, "--train.min_lr: must be in [0, learning_rate]"),
    ({"warmup_iters": 20}, "--train.warmup_iters: must be in [0, lr_decay_iters=20)"),
])
def test_bad_training_settings(train_args, corpus, tokenizer, tmp_path, change, message):
    with pytest.raises(TextgenError, match=message.replace("[", r"\[").replace("(", r"\(").replace(")", r"\)")):
        train_main(train_args(corpus, tokenizer, tmp_path / "c", tmp_path / "out", **change))
    assert not (tmp_path / "out").exists()


def test_bad_arch_names_key(train_args, corpus, tokenizer, tmp_path):
    args = train_args(corpus, tokenizer, tmp_path / "c", tmp_path / "out")
    args[args.index("--arch") + 1] = json.dumps({"n_layer": 1, "n_head": 3, "n_embd": 16, "block_size": 16})
    with pytest.raises(TextgenError, match="n_embd: 16 is not divisible by n_head 3"):
        train_main(args)
    args[args.index("--arch") + 1] = json.dumps({"layers": 1})
    with pytest.raises(TextgenError, match=r"--arch: unknown keys \['layers'\]"):
        train_main(args)


def test_block_longer_than_corpus(train_args, corpus, tokenizer, tmp_path):
    args = train_args(corpus, tokenizer, tmp_path / "c", tmp_path / "out")
    args[args.index("--arch") + 1] = json.dumps({"n_layer": 1, "n_head": 2, "n_embd": 16, "block_size": 100000})
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "state-5.pt").write_bytes(b"an earlier run's state")
    with pytest.raises(TextgenError, match=r"--arch.block_size: 100,000 needs 100,002 tokens in every split of .*; "
                                           r"train has [\d,]+, val has [\d,]+, test has [\d,]+$"):
        train_main(args)
    assert (tmp_path / "c" / "state-5.pt").read_bytes() == b"an earlier run's state"  # resumable state kept
    assert not (tmp_path / "out").exists()
