"""finetune-causal end to end on a tiny random Llama: outputs, determinism, resume, errors."""

import csv
import json
import shutil

import pytest

from textgen.errors import TextgenError
from textgen.finetune import delta, resume
from textgen.finetune.causal import main
from textgen.io import read_json

# The GPTs' split of the corpus (gpt.split): chunks come from train and val, the test part is scored.
SPLIT = json.dumps({"val": 0.1, "test": 0.1})

PROMPTS = ["I will kill you!", "Here is the apple"]
PARAMS = {"chunk_chars": 128, "max_chunks": 8, "val_chunks": 2, "epochs": 2, "batch_size": 4,
          "pad_to_multiple_of": None, "logging_steps": 1, "max_length": 32, "learning_rate": 1e-3}


def finetune(base, corpus, checkpoints, out, **overrides):
    return main(["--base", str(base), "--corpus", str(corpus), "--split", SPLIT, "--prompts", json.dumps(PROMPTS),
                 "--params", json.dumps(PARAMS | overrides), "--seed", "3", "--threads", "1",
                 "--checkpoints", str(checkpoints), "--out", str(out)])


@pytest.fixture
def unfinished(monkeypatch):
    """Runs whose checkpoints stay as a kill before the end leaves them (finish() is not called)."""
    monkeypatch.setattr(resume, "finish", lambda folder, base=None: 0)


def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_outputs(tiny_base, corpus, tmp_path):
    assert finetune(tiny_base, corpus, tmp_path / "ck", tmp_path / "out") == 0
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == ["curves.png", "heldout.json", "history.csv", "metrics.json",
                                                     "run.json", "samples.csv"]
    history = rows(out / "history.csv")
    train = [r for r in history if r["loss"]]
    assert [int(r["step"]) for r in train] == [1, 2, 3, 4]  # 8 chunks / batch 4 = 2 steps x 2 epochs
    assert all(float(r["grad_norm"]) > 0 for r in train)
    assert len([r for r in history if r["eval_loss"]]) == 2  # one eval per epoch
    samples = rows(out / "samples.csv")
    assert [(r["epoch"], r["decoding"], r["prompt"]) for r in samples] == [
        (e, d, p) for e in ("1", "2") for d in ("beam", "sample") for p in PROMPTS]
    assert all(r["text"].startswith(r["prompt"]) for r in samples)  # causal: prompt + continuation
    metrics = read_json(out / "metrics.json")
    assert metrics["train_examples"] == 8 and metrics["val_examples"] == 2 and metrics["steps"] == 4
    assert metrics["final_loss"] < metrics["first_loss"]  # lr 1e-3 on a 38k-parameter model learns
    assert (out / "curves.png").read_bytes()[:4] == b"\x89PNG"
    # Only the newest checkpoint is kept, beside the fingerprint and the per-epoch samples, and
    # without what only further steps need: the run is finished.
    assert sorted(p.name for p in (tmp_path / "ck").iterdir()) == ["checkpoint-4", "fingerprint.json", "samples"]
    kept = {p.name for p in (tmp_path / "ck" / "checkpoint-4").iterdir()}
    # The weights are kept as their difference from the base model's, and rebuild exactly.
    assert delta.DELTA in kept and delta.WEIGHTS not in kept and "trainer_state.json" in kept
    assert not kept & set(resume.RESUME_ONLY), kept


def test_a_finished_run_keeps_weights_only_and_a_thinned_older_checkpoint_is_not_continued(tiny_base, corpus, tmp_path,
                                                                                          capsys):
    assert finetune(tiny_base, corpus, tmp_path / "ck", tmp_path / "a", keep_checkpoints=2) == 0
    assert "removed" in capsys.readouterr().out
    for step in (2, 4):  # every checkpoint of the finished run lost its optimizer; both keep their weights
        kept = {p.name for p in (tmp_path / "ck" / f"checkpoint-{step}").iterdir()}
        assert delta.DELTA in kept and not kept & set(resume.RESUME_ONLY), (step, kept)
    # The last checkpoint damaged: the one before cannot continue the run without its optimizer, so
    # the rerun says so and starts over, to the same results.
    (tmp_path / "ck" / "checkpoint-4" / delta.DELTA).write_bytes(b"not weights")
    assert finetune(tiny_base, corpus, tmp_path / "ck", tmp_path / "b", keep_checkpoints=2) == 0
    log = capsys.readouterr().out
    assert "checkpoint-2 kept only its weights" in log and "starting over" in log, log
    assert read_json(tmp_path / "b" / "run.json")["resumed_from"] is None
    assert read_json(tmp_path / "b" / "metrics.json") == read_json(tmp_path / "a" / "metrics.json")
    # The same when the last checkpoint is gone altogether: checkpoint-2 is then the newest, but its
    # trainer_state.json says the run had steps left, which its dropped optimizer cannot take.
    assert finetune(tiny_base, corpus, tmp_path / "ck", tmp_path / "c", keep_checkpoints=2) == 0
    capsys.readouterr()
    __import__("shutil").rmtree(tmp_path / "ck" / "checkpoint-4")
    assert finetune(tiny_base, corpus, tmp_path / "ck", tmp_path / "d", keep_checkpoints=2) == 0
    assert "checkpoint-2 kept only its weights" in capsys.readouterr().out
    assert read_json(tmp_path / "d" / "metrics.json") == read_json(tmp_path / "a" / "metrics.json")


def test_resume_gives_the_same_results(tiny_base, corpus, tmp_path, unfinished):
    assert finetune(tiny_base, corpus, tmp_path / "once", tmp_path / "a", keep_checkpoints=2) == 0
    # A run killed after epoch 1: epoch 2's checkpoint and samples never written.
    shutil.copytree(tmp_path / "once", tmp_path / "killed")
    shutil.rmtree(tmp_path / "killed" / "checkpoint-4")
    (tmp_path / "killed" / "samples" / "epoch-2.json").unlink()
    assert finetune(tiny_base, corpus, tmp_path / "killed", tmp_path / "b", keep_checkpoints=2) == 0
    assert read_json(tmp_path / "b" / "run.json")["resumed_from"] == "checkpoint-2"
    assert read_json(tmp_path / "b" / "run.json")["epochs_run"] == 1
    for name in ("history.csv", "samples.csv", "metrics.json"):
        assert (tmp_path / "a" / name).read_text() == (tmp_path / "b" / name).read_text(), name


def test_finished_run_reruns_without_training(tiny_base, corpus, tmp_path, capsys):
    assert finetune(tiny_base, corpus, tmp_path / "ck", tmp_path / "a") == 0
    assert finetune(tiny_base, corpus, tmp_path / "ck", tmp_path / "b") == 0
    assert "weights rebuilt from model.delta.safetensors" in capsys.readouterr().out
    assert read_json(tmp_path / "b" / "run.json")["epochs_run"] == 0  # from a checkpoint without optimizer state
    # heldout.json scores the final weights: rebuilt from the delta, they score the same
    for name in ("history.csv", "samples.csv", "metrics.json", "heldout.json"):
        assert (tmp_path / "a" / name).read_text() == (tmp_path / "b" / name).read_text(), name
    kept = {p.name for p in (tmp_path / "ck" / "checkpoint-4").iterdir()}
    assert delta.DELTA in kept and delta.WEIGHTS not in kept, kept  # packed again


def test_other_settings_start_over(tiny_base, corpus, tmp_path, capsys):
    assert finetune(tiny_base, corpus, tmp_path / "ck", tmp_path / "a") == 0
    assert finetune(tiny_base, corpus, tmp_path / "ck", tmp_path / "b", learning_rate=5e-4) == 0
    log = capsys.readouterr().out
    assert "starting over" in log and "learning_rate: checkpoint 0.001, now 0.0005" in log, log
    assert read_json(tmp_path / "b" / "run.json")["resumed_from"] is None


def test_corrupt_checkpoint_is_named_and_the_one_before_used(tiny_base, corpus, tmp_path, capsys, unfinished):
    assert finetune(tiny_base, corpus, tmp_path / "ck", tmp_path / "a", keep_checkpoints=2) == 0
    (tmp_path / "ck" / "checkpoint-4" / "optimizer.pt").write_bytes(b"not a checkpoint")
    assert finetune(tiny_base, corpus, tmp_path / "ck", tmp_path / "b", keep_checkpoints=2) == 0
    assert "warning: " in capsys.readouterr().out
    assert read_json(tmp_path / "b" / "run.json")["resumed_from"] == "checkpoint-2"
    assert read_json(tmp_path / "b" / "metrics.json") == read_json(tmp_path / "a" / "metrics.json")


def test_checkpoint_cut_off_while_saving_is_skipped(tiny_base, corpus, tmp_path, capsys, unfinished):
    assert finetune(tiny_base, corpus, tmp_path / "ck", tmp_path / "a", keep_checkpoints=2) == 0
    (tmp_path / "ck" / "checkpoint-4" / "trainer_state.json").unlink()
    assert finetune(tiny_base, corpus, tmp_path / "ck", tmp_path / "b", keep_checkpoints=2) == 0
    assert "checkpoint-4 is incomplete" in capsys.readouterr().out
    assert read_json(tmp_path / "b" / "run.json")["resumed_from"] == "checkpoint-2"


def test_missing_base_model_names_the_parameter(corpus, tmp_path):
    with pytest.raises(TextgenError, match=r"finetune.base_model.*does not exist.*fetch-base-model"):
        finetune(tmp_path / "no_such_model", corpus, tmp_path / "ck", tmp_path / "out")
    assert not (tmp_path / "out").exists()


class _RunsCode:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        import os
        return (os.system, (f"touch {self.marker}",))


@pytest.mark.parametrize("forgery", ["truncated", "random bytes", "pickle that runs code"])
def test_a_forged_base_model_file_is_named_and_nothing_runs(tiny_base, corpus, tmp_path, forgery):
    import torch

    base = tmp_path / "base"
    shutil.copytree(tiny_base, base)
    weights = base / "model.safetensors"
    if forgery == "truncated":
        weights.write_bytes(weights.read_bytes()[:1000])
    elif forgery == "random bytes":
        weights.write_bytes(bytes(range(256)) * 4)
    else:
        weights.unlink()
        weights = base / "pytorch_model.bin"
        torch.save({"w": _RunsCode(tmp_path / "ran")}, weights)
    with pytest.raises(TextgenError, match=rf"finetune.base_model.*cannot load {weights}") as err:
        finetune(base, corpus, tmp_path / "ck", tmp_path / "out")
    assert "weights_only=False" not in str(err.value)  # never the advice to load it unsafely
    assert not (tmp_path / "ran").exists() and not (tmp_path / "out").exists()


def test_prompt_longer_than_max_length_is_named(tiny_base, corpus, tmp_path):
    with pytest.raises(TextgenError, match=r"max_length: 4 tokens leave nothing to generate after the prompt"):
        finetune(tiny_base, corpus, tmp_path / "ck", tmp_path / "out", max_length=4, epochs=1)
    assert not (tmp_path / "out").exists()


def test_bad_params_name_the_key(tiny_base, corpus, tmp_path):
    with pytest.raises(TextgenError, match=r"--params: chunk_chars: must be a positive integer"):
        finetune(tiny_base, corpus, tmp_path / "ck", tmp_path / "out", chunk_chars=0)
    with pytest.raises(TextgenError, match=r"unknown decoding 'greedy'"):
        finetune(tiny_base, corpus, tmp_path / "ck", tmp_path / "out", decodings=["greedy"])


def test_samples_csv_keeps_any_generated_text(tmp_path):
    # A model with random weights emits control bytes; a bare "\r" once split a row in two.
    from textgen.finetune.run import SAMPLE_COLUMNS, _write_csv

    text = 'one\rtwo\x00three\x1e'  # nothing else here makes minimal quoting quote it
    _write_csv(tmp_path / "samples.csv", SAMPLE_COLUMNS, [{"epoch": 1, "decoding": "beam", "prompt": "p", "text": text}])
    assert rows(tmp_path / "samples.csv") == [{"epoch": "1", "decoding": "beam", "prompt": "p", "text": text}]


def test_the_compute_settings_reach_the_trainer(tiny_base, corpus, tmp_path):
    """compute.precision bf16-mixed on the CPU: the Trainer (accelerate) autocasts, run.json says so."""
    assert main(["--base", str(tiny_base), "--corpus", str(corpus), "--split", SPLIT, "--prompts", json.dumps(PROMPTS),
                 "--params", json.dumps(PARAMS), "--seed", "3", "--threads", "1", "--checkpoints",
                 str(tmp_path / "ck"), "--out", str(tmp_path / "out"),
                 "--compute", json.dumps({"accelerator": "cpu", "precision": "bf16-mixed"})]) == 0
    assert read_json(tmp_path / "out" / "run.json")["compute"] == {
        "accelerator": "cpu", "devices": 1, "precision": "bf16-mixed", "strategy": "NOT_PARALLEL"}
    metrics = read_json(tmp_path / "out" / "metrics.json")
    assert metrics["final_loss"] < metrics["first_loss"]


def test_a_corpus_of_its_own_generation_length(tiny_base, corpus, tmp_path):
    """max_length_by_corpus gives one corpus (here "tiny") its own length, as the seed's Bible had 200 tokens."""
    assert finetune(tiny_base, corpus, tmp_path / "ck", tmp_path / "out", epochs=1, max_length=12,
                    max_length_by_corpus={"tiny": 40, "other": 5}) == 0
    metrics = read_json(tmp_path / "out" / "metrics.json")
    assert metrics["settings"]["max_length"] == 40
    beams = [r["text"] for r in rows(tmp_path / "out" / "samples.csv") if r["decoding"] == "beam"]
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(tiny_base)
    assert max(len(tokenizer(t)["input_ids"]) for t in beams) > 12  # longer than max_length alone allows
    with pytest.raises(TextgenError, match=r"--params: max_length_by_corpus.tiny: must be a positive integer, got 0"):
        finetune(tiny_base, corpus, tmp_path / "ck2", tmp_path / "out2", max_length_by_corpus={"tiny": 0})


def test_the_test_split_is_never_trained_on_and_is_scored_on_the_gpts_bytes(tiny_base, corpus, tmp_path, monkeypatch):
    """Chunks come from the train and val splits only; heldout.json scores the final model on the
    test split: the same byte count as a GPT's heldout.json on that corpus in the stream format,
    and the same loss as transformers' own labels= loss when one window holds the whole text."""
    from textgen.bpe.corpus import joined, split_corpus
    from textgen.finetune import chunks, heldout

    seen = {}
    real = chunks.causal_texts

    def spy(*args, **kwargs):
        seen["train"], seen["val"], seen["test"] = out = real(*args, **kwargs)
        return out

    monkeypatch.setattr("textgen.finetune.causal.causal_texts", spy)
    assert finetune(tiny_base, corpus, tmp_path / "ck", tmp_path / "out", epochs=1) == 0
    test_texts = joined(split_corpus(corpus, "stream", 0.1, 0.1)["test"], "stream")
    assert seen["test"] == test_texts
    for text in test_texts:  # the test part's lines appear in no chunk
        for line in filter(None, text.split("\n")):
            assert not any(line in chunk for chunk in seen["train"] + seen["val"]), line
    held = read_json(tmp_path / "out" / "heldout.json")
    assert held["bytes"] == sum(len(t.encode("utf-8")) + 1 for t in test_texts)  # a GPT's [SEP] = this newline

    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    model = AutoModelForCausalLM.from_pretrained(tiny_base).eval()
    tokenizer = AutoTokenizer.from_pretrained(tiny_base)
    ids = [tokenizer.bos_token_id] + tokenizer(heldout.heldout_text(test_texts), add_special_tokens=False)["input_ids"]
    assert len(ids) <= model.config.max_position_embeddings
    with torch.no_grad():
        reference = model(input_ids=torch.tensor([ids]), labels=torch.tensor([ids])).loss.item() * (len(ids) - 1)
    ours = heldout.heldout_loss(model, tokenizer, test_texts, window=len(ids))
    assert ours["tokens"] == len(ids) - 1
    assert abs(ours["loss_per_token"] * ours["tokens"] - reference) < 1e-3 * reference
    windowed = heldout.heldout_loss(model, tokenizer, test_texts, window=16, batch_size=3)  # context cut every 16
    assert windowed["tokens"] == ours["tokens"] and windowed["bytes"] == ours["bytes"]
    assert windowed["loss_per_token"] != ours["loss_per_token"]
    # the base model as loaded, scored the same way: what heldout.json records from before the first step
    before = heldout.heldout_loss(model, tokenizer, test_texts)
    assert held["before_fine_tuning"] == pytest.approx(before)
    assert held["before_fine_tuning"]["loss_per_token"] != held["loss_per_token"]  # the final model is another


def test_test_bytes_scores_the_first_bytes_of_the_test_split(tiny_base, corpus, tmp_path):
    assert main(["--base", str(tiny_base), "--corpus", str(corpus), "--split", SPLIT, "--test-bytes", "100",
                 "--prompts", json.dumps(PROMPTS), "--params", json.dumps(PARAMS | {"epochs": 1}), "--seed", "3",
                 "--threads", "1", "--checkpoints", str(tmp_path / "ck"), "--out", str(tmp_path / "out")]) == 0
    assert read_json(tmp_path / "out" / "heldout.json")["bytes"] == 100  # ASCII text: no character cut short
    with pytest.raises(TextgenError, match=r"--test-bytes \(gpt.test_bytes\): must be >= 0, got -1"):
        main(["--base", str(tiny_base), "--corpus", str(corpus), "--split", SPLIT, "--test-bytes", "-1",
              "--prompts", json.dumps(PROMPTS), "--params", json.dumps(PARAMS), "--seed", "3",
              "--checkpoints", str(tmp_path / "ck2"), "--out", str(tmp_path / "out2")])
