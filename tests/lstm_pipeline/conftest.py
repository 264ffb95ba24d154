"""A tiny synthetic word corpus (prepare_word_corpus on generated sentences) and tiny parameter
blocks, so every Report A command runs end to end in seconds."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from textgen.lstm.data import WordData
from textgen.words import prepare_word_corpus

NAMES = ["Elizabeth", "Jane", "Darcy", "Bingley"]
VERBS = ["walked", "smiled", "wrote", "danced"]
PLACES = ["to the house", "with her sister", "at the ball", "in the garden"]
EVALUATION = {"prompt": ["Elizabeth"], "max_words": 8, "beam_k": 2, "beam_max_words": 4, "val_windows": 8,
              "log_every": 5}


def block(kind: str, **changes) -> dict:
    """A custom-loop block: 20 iterations of a tiny model of `kind`."""
    multi = kind.startswith("multihead")
    base = {"kind": kind, "iterations": 20, "max_len": 8, "evaluate_interval": 5, "embedding_dim": 8,
            "hidden_size": 16, "n_layers": 2, "lr": 0.01, "batch_size": 4, "bidirectional": kind != "simple",
            "n_heads": 2 if multi else 1}
    return {**base, **changes}


def lightning_block(**changes) -> dict:
    base = {"kind": "multihead", "embedding_dim": 8, "hidden_size": 16, "n_layers": 2, "bidirectional": True,
            "n_heads": 2, "lr": 0.01, "max_len": 8, "batch_size": 4, "val_batch_size": 4, "val_fraction": 0.1,
            "max_epochs": 2, "limit_train_batches": 8, "limit_val_batches": 2, "val_check_interval": 4,
            "generate_every_n_steps": 8,
            "scheduler": {"mode": "min", "min_lr": 0.001, "patience": 0, "threshold": 0.4, "factor": 0.5, "frequency": 4}}
    return {**base, **changes}


@pytest.fixture(scope="session")
def words(tmp_path_factory) -> Path:
    """data/processed/words made from ~3,000 words of patterned sentences."""
    rng = random.Random(0)
    corpus = tmp_path_factory.mktemp("corpus")
    (corpus / "texts").mkdir()
    sentences = [f"{rng.choice(NAMES)} {rng.choice(VERBS)} {rng.choice(PLACES)}." for _ in range(600)]
    (corpus / "texts" / "book.txt").write_text(" ".join(sentences) + "\n", encoding="utf-8")
    (corpus / "manifest.json").write_text(json.dumps({"works": [{"id": "book", "title": "Book"}]}), encoding="utf-8")
    out = tmp_path_factory.mktemp("words") / "words"
    prepare_word_corpus(corpus, out, "all", 1, {"val": 0.1, "test": 0.1}, seed=0)
    return out


@pytest.fixture(scope="session")
def data(words) -> WordData:
    return WordData.load(words)


@pytest.fixture(name="block", scope="session")
def _block():
    """block(kind, **changes) -> a custom-loop parameter block."""
    return block


@pytest.fixture(name="lightning_block", scope="session")
def _lightning_block():
    """lightning_block(**changes) -> a Lightning parameter block."""
    return lightning_block


@pytest.fixture(scope="session")
def evaluation() -> dict:
    return dict(EVALUATION)
