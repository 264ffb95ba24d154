"""Synthetic Bokmål -> Nynorsk pairs and one tiny trained model, shared by the pipeline tests.

The pairs follow a small word-for-word dictionary, so a few training steps already mean
something; the model is tiny (1 + 1 layers, width 16) and trains in about a second.
"""

from __future__ import annotations

import importlib
import json
import random
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import torch

from textgen.errors import TextgenError

# nb -> nn, word for word
WORDS = {"jeg": "eg", "ikke": "ikkje", "hva": "kva", "hvem": "kven", "boken": "boka", "min": "mi",
         "er": "er", "på": "på", "bordet": "bordet", "liker": "likar", "skolen": "skulen", "og": "og"}

TINY = {
    "config": {"vocab_size": 300, "n_embd": 16, "n_head": 2, "n_feedforward": 32, "n_encoder_layer": 1,
               "n_decoder_layer": 1, "epochs": 2, "batch_size": 8, "lr": 0.003},
    "warmup_steps": 2, "max_tokens": 40, "evals_per_epoch": 2, "table_epochs": [0, 2], "samples": 3,
}


def write_pairs(folder: Path, counts=(48, 8, 6), seed: int = 0) -> Path:
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    for split, n in zip(("train", "val", "test"), counts):
        rows = []
        for _ in range(n):
            words = [rng.choice(list(WORDS)) for _ in range(rng.randint(2, 6))]
            rows.append(f"{' '.join(words).capitalize()}.\t{' '.join(WORDS[w] for w in words).capitalize()}.")
        (folder / f"{split}.tsv").write_text("source\ttarget\n" + "\n".join(rows) + "\n", encoding="utf-8")
    (folder / "manifest.json").write_text(json.dumps({"languages": {"source": "nb", "target": "nn"}}))
    return folder


def command(module: str, args: list[str]) -> int:
    """Run a textgen command's main() as the CLI does, TextgenError included (no re-exec)."""
    try:
        return importlib.import_module(module).main([str(a) for a in args])
    except TextgenError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1


def train_args(pairs: Path, checkpoints: Path, out: Path, params: dict | None = None, seed: int = 7) -> list:
    return ["--pairs", pairs, "--params", json.dumps(params or TINY), "--seed", seed, "--threads", 1,
            "--checkpoints", checkpoints, "--out", out]


@pytest.fixture
def helpers() -> SimpleNamespace:
    """The module's helpers for test files (with --import-mode=importlib, conftest is not importable)."""
    return SimpleNamespace(TINY=TINY, command=command, train_args=train_args, write_pairs=write_pairs)


@pytest.fixture(scope="module")
def pairs(tmp_path_factory) -> Path:
    return write_pairs(tmp_path_factory.mktemp("pairs") / "nb_nn")


@pytest.fixture(scope="module")
def trained(pairs, tmp_path_factory) -> tuple[Path, Path]:
    """(checkpoint folder, output folder) of one finished tiny run."""
    torch.set_num_threads(1)
    root = tmp_path_factory.mktemp("run")
    assert command("textgen.translate.pipeline", train_args(pairs, root / "ck", root / "out")) == 0
    return root / "ck", root / "out"
