"""Settings that are impossible together fail at `textgen check-params` (and so before any Snakemake
job), each naming its dotted key; the profiles pass."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from textgen.checks import check_params, cross_check, gpt_training_mb
from textgen.profiles import NAMES, render_profile

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def bare_root(tmp_path) -> Path:
    """A checkout with no data/: corpus sizes come from the pinned sources' recorded sizes."""
    shutil.copytree(ROOT / "params", tmp_path / "params")
    shutil.copytree(ROOT / "workflow", tmp_path / "workflow")
    (tmp_path / "Snakefile").write_text("")
    return tmp_path


def problems(mutate, root: Path) -> list[str]:
    params = render_profile("default")
    mutate(params)
    return cross_check(params, root)


@pytest.mark.parametrize("name", NAMES)
def test_every_profile_passes(name, bare_root):
    check_params(render_profile(name), root=bare_root)


def test_a_context_longer_than_the_held_out_text(bare_root):
    found = problems(lambda p: p["gpt"]["models"]["kafka"]["arch"].update(block_size=100_000), bare_root)
    assert found[0] == ("gpt.models.kafka.arch.block_size: 100,000 needs 100,002 tokens in the val and test splits of "
                     "corpus 'milton', which hold about 68,293 bytes (0.05 of 1,365,855, from the pinned source's "
                     "size), at most a token a byte")
    assert found[1].startswith("gpt.models.kafka.train.batch_size x gpt.models.kafka.arch.block_size: 16 x 100,000")


def test_sizes_come_from_prepared_data_when_it_is_current(bare_root):
    params = render_profile("default")
    corpus = params["corpora"]["milton"]
    raw, interim = bare_root / "data/raw/corpora/milton", bare_root / "data/interim/corpora/milton"
    (interim / "texts").mkdir(parents=True)
    raw.mkdir(parents=True)
    (interim / "texts" / "a.txt").write_text("word " * 200)  # 1,000 bytes: val holds 50
    (raw / "fetch.json").write_text(json.dumps({"source": corpus["source"]}))
    (interim / "manifest.json").write_text(json.dumps({"extractor": corpus["extractor"], "options": corpus["options"]}))
    found = [p for p in cross_check(params, bare_root) if "milton" in p]
    assert len(found) == 2 and "block_size: 128 needs 130 tokens" in found[0] and str(interim) in found[0]
    assert found[1].startswith("gpt.bpe.vocab_size.milton: 2,048 needs 1,789 merges, more than the about 900 training")
    # Data from another source is stale: the pinned source's size is used again.
    (raw / "fetch.json").write_text(json.dumps({"source": {"kind": "file", "path": "mine.txt"}}))
    assert not [p for p in cross_check(params, bare_root) if "milton" in p]


def test_a_user_source_not_yet_prepared_is_left_to_the_job(bare_root):
    def mutate(p):
        p["corpora"]["milton"]["source"] = {"kind": "file", "path": "/data/mine.txt"}
        p["corpora"]["milton"]["extractor"] = "plain_text"
        p["gpt"]["models"]["kafka"]["arch"]["block_size"] = 100_000
        p["resources"]["train_gpt"]["mem_mb"] = 200_000
    assert problems(mutate, bare_root) == []


def test_heads_vocabulary_and_memory(bare_root):
    def mutate(p):
        p["gpt"]["models"]["bible"]["arch"].update(n_embd=100, n_head=3)
        p["gpt"]["bpe"]["vocab_size"]["poems"] = 1_000_000
        p["gpt"]["models"]["quixote_small"]["train"]["batch_size"] = 4096
    found = problems(mutate, bare_root)
    assert found[0] == "gpt.models.bible.arch.n_embd: 100 is not divisible by gpt.models.bible.arch.n_head (3)"
    assert found[1].startswith("gpt.bpe.vocab_size.poems: 1,000,000 needs 999,741 merges, more than the about 169,")
    assert found[2].startswith("gpt.models.quixote_small.train.batch_size x gpt.models.quixote_small.arch.block_size: "
                               "4096 x 128 tokens need about 47,")
    assert found[2].endswith("more than resources.train_gpt.mem_mb (3,000); lower the batch or raise mem_mb")
    assert found[3].startswith("gpt.models.lyrics.train.batch_size")  # and a million logits a token
    assert len(found) == 4


def test_memory_on_a_gpu_is_not_bounded_by_the_hosts_mem_mb(bare_root):
    def mutate(p):
        p["gpt"]["models"]["quixote_small"]["train"]["batch_size"] = 4096
        p["resources"]["train_gpt"]["gpu"] = 1
    assert problems(mutate, bare_root) == []


def test_the_memory_estimate_holds_for_a_shape_it_was_not_fitted_on(tmp_path):
    """Measured as a job runs (textgen's malloc settings), as the peak of the probe's own memory:
    VmHWM, not ru_maxrss, which also counts the parent's pages a vfork-ed child shared before exec."""
    from textgen.allocator import tuned_environment

    arch = {"n_layer": 3, "n_head": 4, "n_embd": 192, "block_size": 384, "dropout": 0.0}
    probe = f"""
import re, torch
from textgen.gpt.model import GPT, GPTConfig
torch.set_num_threads(1)
model = GPT(GPTConfig(vocab_size=4096, **{arch!r}))
opt = torch.optim.AdamW(model.parameters())
x = torch.randint(0, 4096, (12, {arch['block_size']}))
for _ in range(2):
    model(x, x)[1].backward(); opt.step(); opt.zero_grad(set_to_none=True)
print(int(re.search(r"VmHWM:\\s+(\\d+) kB", open("/proc/self/status").read()).group(1)) / 1024)
"""
    measured = float(subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                                    env=tuned_environment()).stdout)
    assert 0.8 < gpt_training_mb(arch, 12, 4096) / measured < 1.25, measured


def test_check_params_command_rejects_a_typo_sized_context(tmp_path):
    params = render_profile("default")
    params["gpt"]["models"]["kafka"]["arch"]["block_size"] = 100_000_000
    params["gpt"]["models"]["bible"]["arch"]["n_head"] = 3
    path = tmp_path / "params.yaml"
    path.write_text(yaml.safe_dump(params))
    run = subprocess.run([sys.executable, "-m", "textgen", "check-params", str(path)], capture_output=True, text=True,
                         cwd=ROOT)
    assert run.returncode == 1
    assert "gpt.models.kafka.arch.block_size: 100000000 is greater than the maximum of 131072" in run.stderr
    # The schema speaks first; the cross-field checks run once every value is valid alone.
    params["gpt"]["models"]["kafka"]["arch"]["block_size"] = 128
    path.write_text(yaml.safe_dump(params))
    run = subprocess.run([sys.executable, "-m", "textgen", "check-params", str(path)], capture_output=True, text=True,
                         cwd=ROOT)
    assert run.returncode == 1 and "impossible settings:" in run.stderr
    assert "gpt.models.bible.arch.n_embd: 128 is not divisible by gpt.models.bible.arch.n_head (3)" in run.stderr


def test_a_plateau_scheduler_stepping_before_the_first_validation():
    from textgen.checks import cross_check

    block = {"val_check_interval": 10, "scheduler": {"frequency": 4}}
    assert cross_check({"lstm": {"lightning": block}}, only=["plateau"]) == [
        "lstm.lightning.scheduler.frequency: 4 steps is shorter than lstm.lightning.val_check_interval (10): the "
        "plateau scheduler would step before the first val_loss exists; make it at least 10"]
    block["scheduler"]["frequency"] = 10
    assert cross_check({"lstm": {"lightning": block}}, only=["plateau"]) == []
