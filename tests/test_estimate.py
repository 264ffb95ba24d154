"""`textgen estimate`: the token and FLOP arithmetic on hand-computed configurations, the command
on the tiny and paper profiles, its errors, and the paper profile's largest GPT warming up on CPU."""

from __future__ import annotations

import copy
import math
import json
import random
import subprocess
import sys

import pytest

from textgen.estimate import Moments, gpt_jobs, jobs_of, lstm_jobs, rule_constant
from textgen.profiles import render_profile


@pytest.fixture(scope="module")
def no_data(tmp_path_factory):
    """An empty data folder: data-dependent sizes come from estimate.REFERENCE, whatever data/ holds."""
    return tmp_path_factory.mktemp("no-data")


def run_estimate(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "textgen", "estimate", *args], capture_output=True, text=True,
                          timeout=timeout)


def test_gpt_tokens_and_flops_by_hand(no_data):
    params = copy.deepcopy(render_profile("tiny"))
    params["gpt"]["bpe"]["vocab_size"]["shakespeare"] = 50
    params["gpt"]["models"]["quixote_small"]["arch"] = {"n_layer": 2, "n_head": 2, "n_embd": 8, "block_size": 16,
                                                        "dropout": 0.0, "bias": False, "tie_weights": True}
    params["gpt"]["models"]["quixote_small"]["train"].update(max_iters=3, grad_accum=2, batch_size=4)
    job = next(j for j in gpt_jobs(params, no_data) if j.name == "gpt/quixote_small")
    # Parameters: per layer qkv 3C^2 + proj C^2 + MLP 8C^2 + two LayerNorm gains 2C; final LayerNorm C;
    # the head is the token embedding (tied): V C. C = 8, L = 2, V = 50.
    n = 2 * (12 * 8 * 8 + 2 * 8) + 8 + 50 * 8
    assert n == 1976 and job.params == n
    assert job.tokens == 3 * 2 * 4 * 16  # iterations x grad_accum x batch x block
    assert job.updates == 3
    per_token = 6 * n + 12 * 2 * 8 * 16  # 6N + 12 L C T
    assert job.flops == per_token * job.tokens == 5_732_352


def test_lstm_tokens_and_flops_by_hand(no_data):
    jobs = {j.name: j for j in lstm_jobs(render_profile("tiny"), no_data)}
    simple = jobs["lstm/simple"]  # tiny: 10 iterations of 4 x 20, embedding 8, hidden 16, 2 layers
    vocab = 6012  # the tiny profile's word corpus (Persuasion), from estimate.REFERENCE
    assert simple.sizes == "reference"
    assert simple.tokens == 10 * 4 * 20
    # Matrix products per token: layer 1 gates 4h(e + h), layer 2 gates 4h(h + h), head h V; x 2 x 3.
    macs = 4 * 16 * (8 + 16) + 4 * 16 * (16 + 16) + 16 * vocab
    assert simple.flops == 6 * macs * simple.tokens == 478_924_800
    assert simple.params == (4 * 16 * (8 + 16) + 2 * 4 * 16) + (4 * 16 * 32 + 2 * 4 * 16) + vocab * 8 + vocab * 17
    # Lightning: epochs x limit_train_batches x batch x max_len (the book has far more windows than 8 x 4)
    assert jobs["lstm/lightning"].tokens == 1 * 8 * 4 * 20
    # every optimizer-study run trains the same model on the same batches
    study = [j for name, j in jobs.items() if name.startswith("optimizers/")]
    assert len(study) == 7 and {(j.tokens, j.flops) for j in study} == {(8 * 4 * 20, study[0].flops)}


def test_moments_sum_the_translation_formula_exactly():
    from textgen.translate.bench import train_flops
    from textgen.translate.config import TranslationConfig

    cfg = TranslationConfig(vocab_size=300, n_embd=32, n_head=2, n_feedforward=64, n_encoder_layer=2,
                            n_decoder_layer=3)
    rng = random.Random(0)
    batches = [(rng.randint(1, 64), rng.randint(3, 60), rng.randint(2, 60)) for _ in range(50)]
    direct = sum(train_flops(cfg, b, s, t) for b, s, t in batches)
    moments = Moments.of(batches)
    assert moments.total(lambda s, t: train_flops(cfg, 1, s, t)) == pytest.approx(direct, rel=1e-12)
    assert moments.tokens == sum(b * (s + t) for b, s, t in batches)
    assert (moments * 3).total(lambda s, t: train_flops(cfg, 1, s, t)) == pytest.approx(3 * direct, rel=1e-12)


def test_other_settings_fall_back_to_approximate_sizes(no_data):
    params = copy.deepcopy(render_profile("tiny"))
    params["words"]["min_count"] = 3  # no reference entry: the nearest one of the same corpus
    assert {j.sizes for j in lstm_jobs(params, no_data)} == {"approx"}


def test_every_trained_model_has_a_row(no_data):
    params = render_profile("default")
    names = [j.name for j in jobs_of(params, no_data)]
    replicates = params["lstm"]["replicates"]
    expected = ([f"lstm/{m}" for m in rule_constant("lstm.smk", "LSTM_MODELS")]
                + [f"replicates/{m}" for m in replicates["models"]] + ["lstm/lightning"]
                + [name for r in params["lstm"]["optimizers"]["runs"]
                   for name in [f"optimizers/{r}", f"replicates/{r}"] if name.startswith("optimizers/")
                   or r in replicates["optimizer_runs"]]
                + [f"gpt/{m}" for m in rule_constant("gpt.smk", "GPT_MODELS")]
                + [f"translate/{m}" for m in rule_constant("translate.smk", "TRANSLATE_MODELS")]
                + [f"finetune/{c}" for c in rule_constant("finetune.smk", "FINETUNE_CORPORA")] + ["finetune/t5"])
    assert names == expected and len(names) == 26 + len(replicates["models"]) + len(replicates["optimizer_runs"])
    assert set(rule_constant("gpt.smk", "GPT_MODELS")) == set(params["gpt"]["models"])


def test_tiny_profile_command_with_a_tiny_warmup(no_data, tmp_path):
    out = tmp_path / "estimate.json"
    result = run_estimate("--profile", "tiny", "--data", str(no_data), "--warmup-seconds", "0.05", "--threads", "1",
                          "--peak-n", "256", "--json", str(out))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "estimate of profile tiny"
    assert lines[1].startswith("hardware: cpu: ") and "1 torch threads" in lines[1]
    assert any(line.split()[:3] == ["model", "family", "params"] for line in lines)
    replicates = render_profile("tiny")["lstm"]["replicates"]
    count = 26 + len(replicates["models"]) + len(replicates["optimizer_runs"])  # every seed of a replicated run: one row
    assert any(line.startswith(f"total ({count} models)") for line in lines)
    estimate = json.loads(out.read_text())
    rows = estimate["rows"]
    assert len(rows) == count and estimate["totals"]["unknown"] == 0
    for row in rows:
        assert row["model"] in result.stdout
        assert row["tokens"] > 0 and row["flops"] > 0 and row["params"] > 0
        assert row["seconds_per_token"] > 0 and row["hours_here"] > 0 and row["warmup"]["update_seconds"] >= 0
        assert row["hours_gpu"] == pytest.approx(row["flops"] / (989e12 * 0.4) / 3600)
    assert estimate["totals"]["flops"] == pytest.approx(sum(r["flops"] for r in rows))
    assert estimate["totals"]["hours_here"] == pytest.approx(sum(r["hours_here"] for r in rows))


@pytest.mark.parametrize("args, says", [
    (["--profile", "nosuch"], "unknown profile 'nosuch'"),
    (["--params", "/nonexistent/params.yaml"], "file not found"),
    (["--profile", "tiny", "--only", "nosuch", "--no-warmup"], "--only: no model named nosuch"),
    (["--profile", "tiny", "--mfu", "1.5", "--no-warmup"], "--mfu"),
])
def test_errors_are_one_line(args, says):
    result = run_estimate(*args)
    assert result.returncode == 1
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stderr.startswith("textgen estimate: error: ") and says in result.stderr


def test_paper_profile_without_warmup(no_data, tmp_path):
    out = tmp_path / "paper.json"
    result = run_estimate("--profile", "paper", "--data", str(no_data), "--no-warmup", "--threads", "1",
                          "--peak-n", "256", "--json", str(out), timeout=60)
    assert result.returncode == 0, result.stderr
    rows = {row["model"]: row for row in json.loads(out.read_text())["rows"]}
    large = rows["gpt/quixote_large"]  # 12 layers, 768 wide, block 1024, 1000 iterations of 16 x 32 x 1024 tokens
    assert large["tokens"] == 1000 * 16 * 32 * 1024 == 524_288_000
    assert large["flops"] == pytest.approx(3.7e17, rel=0.10)
    assert large["hours_gpu"] == pytest.approx(large["flops"] / (989e12 * 0.4) / 3600)
    assert large["measured"] == "peak x 0.3" and large["hours_here"] > large["hours_gpu"]
    assert "gpt/quixote_large" in result.stdout


def test_paper_profile_starts_on_cpu(no_data, tmp_path):
    """The paper profile's largest model is built at its real size and trained for a few steps on
    this CPU, then stopped: a positive, measured seconds per token."""
    out = tmp_path / "large.json"
    result = run_estimate("--profile", "paper", "--data", str(no_data), "--only", "quixote_large",
                          "--warmup-seconds", "8", "--threads", "1", "--peak-n", "256", "--json", str(out), timeout=90)
    assert result.returncode == 0, result.stderr
    estimate = json.loads(out.read_text())
    assert estimate["hardware"]["device"] == "cpu"
    (row,) = estimate["rows"]
    assert row["model"] == "gpt/quixote_large" and row["params"] > 100e6
    assert row["warmup"]["steps"] >= 1 and row["warmup"]["seconds"] > 0
    assert row["seconds_per_token"] > 0 and row["hours_here"] > 0
    if row["warmup"]["scaled"]:  # a shorter sequence than 1024 tokens: the output says so
        assert row["warmup"]["s"] < 1024 and "scaled" in result.stdout


def test_a_failed_warmup_falls_back_to_the_peak(no_data, monkeypatch):
    import textgen.estimate as estimate

    def out_of_memory(*args):
        raise RuntimeError("CUDA out of memory. Tried to allocate 20.00 GiB\nmore detail")

    monkeypatch.setattr(estimate, "warm_up", out_of_memory)
    result = estimate.estimate(render_profile("tiny"), no_data, warmup_seconds=1.0, threads=1, peak_n=64,
                               only=["quixote_small"])
    (row,) = result["rows"]
    assert row["notes"] == ["warm-up failed (CUDA out of memory. Tried to allocate 20.00 GiB); hours here from the "
                            "matmul peak x 0.3"]
    assert row["measured"] == "peak x 0.3"
    assert row["hours_here"] == pytest.approx(row["flops"] / (result["matmul_peak_gflops"] * 1e9 * 0.3) / 3600)


def test_the_paper_t5_trains_from_its_known_config(no_data):
    """t5-small's weights are not in the checkout: its known configuration makes the real model, which
    trains (forward with labels, backward; on the meta device: shapes only, no arithmetic)."""
    import torch

    from textgen.estimate import _hf_model, _known_config

    (job,) = jobs_of(render_profile("paper"), no_data, only=["finetune/t5"])
    assert job.params == 60_506_624 and job.sizes == "reference"
    # 203 poems x 10 epochs in batches of 2, padded to 1024 tokens on both sides
    assert (job.moments.examples, job.moments.steps, job.tokens) == (2030, 1020, 2030 * 2048)
    model = _hf_model(_known_config("t5-small"), causal=False, meta=True)
    ids = torch.randint(1, 32128, (2, 16), device="meta")
    model(input_ids=ids, labels=ids).loss.backward()


def test_base_models_without_a_known_config_are_unknown(no_data):
    """A hub model whose configuration is neither local nor known: a row without parameters or FLOPs,
    left out of the totals (and said so)."""
    from textgen.estimate import estimate, render

    params = copy.deepcopy(render_profile("paper"))
    params["finetune"]["base_model"] = {"kind": "hub", "hub": {"name": "someone/not-a-known-model"}}
    params["finetune"]["t5"]["base_model"] = "someone/not-a-known-t5"
    result = estimate(params, no_data, warmup_seconds=None, threads=1, peak_n=64, only=["finetune/milton", "t5"])
    rows = result["rows"]
    assert [r["model"] for r in rows] == ["finetune/milton", "finetune/t5"]
    assert all(r["params"] is None and r["flops"] is None and r["hours_here"] is None for r in rows)
    # The padding to 1024 needs no tokenizer: 5 epochs of every chunk of the train split (90% of the
    # characters, the GPTs' split), counted from the corpus's reference size.
    from textgen.estimate import REFERENCE

    chunks = math.ceil(0.9 * REFERENCE[("chars", "milton")]["chars"] / 1024)
    assert 1150 < chunks < 1250 and rows[0]["tokens"] == 5 * chunks * 1024
    assert result["totals"]["unknown"] == 2 and result["totals"]["flops"] == 0
    text = render(result, "test")
    assert "(2 model(s) with unknown FLOPs left out of the totals)" in text
    assert "configuration unknown" in text
