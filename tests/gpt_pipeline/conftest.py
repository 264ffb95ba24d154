"""A tiny synthetic corpus, a tokenizer and a 20-step model, shared by the pipeline tests."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
import torch

from textgen.bpe.cli import main_train_bpe
from textgen.gpt.train import main as train_main

SPLIT = '{"val": 0.1, "test": 0.1}'
ARCH = {"n_layer": 1, "n_head": 2, "n_embd": 16, "block_size": 16, "dropout": 0.1}
TRAIN = {
    "max_iters": 20, "lr_decay_iters": 20, "batch_size": 4, "grad_accum": 1, "learning_rate": 3e-3,
    "min_lr": 3e-4, "betas": [0.9, 0.99], "eps": 1e-9, "weight_decay": 0.1, "grad_clip": 1.0,
    "warmup_iters": 2, "eval_interval": 5, "eval_iters": 2, "checkpoint_interval": 10, "save_at": [10],
}
WORDS = ["the", "cat", "dog", "sat", "ran", "on", "under", "mat", "tree", "and", "a", "quick", "slow", "red",
         "bird", "sang"]


def write_corpus(folder: Path) -> Path:
    """Two texts of wrapped sentences in paragraphs, and poems.jsonl with titled poems."""
    rng = random.Random(0)
    (folder / "texts").mkdir(parents=True)
    for name in ("one", "two"):
        paragraphs = []
        for _ in range(30):
            sentences = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 8))).capitalize() + "."
                         for _ in range(rng.randint(1, 4))]
            paragraphs.append("\n".join(sentences))
        (folder / "texts" / f"{name}.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    with open(folder / "poems.jsonl", "w", encoding="utf-8") as f:
        for k in range(40):
            lines = [" ".join(rng.choice(WORDS) for _ in range(5)) for _ in range(4)]
            poem = {"title": f"Song of the {rng.choice(WORDS)} {k}", "text": "\n".join(lines),
                    "source": "a.txt" if k < 20 else "b.txt"}
            f.write(json.dumps(poem) + "\n")
    return folder


def train_args(corpus: Path, tokenizer: Path, ckpts: Path, out: Path, fmt: str = "stream", **train) -> list[str]:
    return ["--corpus", str(corpus), "--format", fmt, "--tokenizer", str(tokenizer), "--arch", json.dumps(ARCH),
            "--train", json.dumps({**TRAIN, **train}), "--split", SPLIT, "--seed", "7", "--threads", "1",
            "--checkpoints", str(ckpts), "--out", str(out)]


@pytest.fixture(name="train_args", scope="session")
def _train_args():
    """train_args(corpus, tokenizer, ckpts, out, fmt="stream", **train_changes) -> argv for train-gpt."""
    return train_args


@pytest.fixture(scope="session")
def split() -> str:
    return SPLIT


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def tokenizer(corpus, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("bpe") / "tok.json"
    assert main_train_bpe(["--corpus", str(corpus), "--vocab-size", "300", "--split", SPLIT, "--out", str(path)]) == 0
    return path


@pytest.fixture(scope="module")
def trained(corpus, tokenizer, tmp_path_factory) -> dict[str, Path]:
    """A 20-step stream model: its output folder and checkpoint folder."""
    root = tmp_path_factory.mktemp("run")
    paths = {"ckpts": root / "ckpts", "out": root / "out"}
    torch.set_num_threads(1)
    assert train_main(train_args(corpus, tokenizer, paths["ckpts"], paths["out"])) == 0
    return paths
