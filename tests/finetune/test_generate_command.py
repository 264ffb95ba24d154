"""`textgen generate` on fine-tuned models: found from the results folder, streamed, reproducible."""

from __future__ import annotations

import json
from argparse import Namespace

import pytest

from textgen.finetune import delta
from textgen.finetune.causal import main as finetune_causal
from textgen.finetune.seq2seq import main as finetune_t5
from textgen.generate import HFGenerator, main

# The GPTs' split of the corpus (gpt.split): chunks come from train and val, the test part is scored.
SPLIT = json.dumps({"val": 0.1, "test": 0.1})


def args(**changes) -> Namespace:
    base = dict(temperature=1.0, top_k=None, beam=0, listed=False, max_tokens=12, seed=2, checkpoint=None,
                words=None, tokenizer=None)
    return Namespace(**{**base, **changes})


@pytest.fixture
def causal(tiny_base, corpus, tmp_path):
    params = {"chunk_chars": 128, "max_chunks": 8, "val_chunks": 2, "epochs": 1, "batch_size": 4,
              "pad_to_multiple_of": None, "logging_steps": 1, "max_length": 32, "learning_rate": 1e-3}
    assert finetune_causal(["--base", str(tiny_base), "--corpus", str(corpus), "--split", SPLIT, "--prompts", json.dumps(["the"]),
                            "--params", json.dumps(params), "--seed", "3", "--threads", "1",
                            "--checkpoints", str(tmp_path / "ck"), "--out", str(tmp_path / "out")]) == 0
    return tmp_path / "out"


def test_causal_from_its_results_folder_streamed_and_reproducible(causal, capsys):
    # The finished run kept its weights as the difference from the base model: generate rebuilds them.
    assert list((causal.parent / "ck").glob(f"checkpoint-*/{delta.DELTA}"))
    generator = HFGenerator(causal, args())
    pieces: list[str] = []
    text = generator.run("the cat", pieces.append)
    assert text.startswith("the cat") and "".join(pieces) == text and len(pieces) > 2
    assert HFGenerator(causal, args()).run("the cat", lambda piece: None) == text
    assert HFGenerator(causal, args(seed=3)).run("the cat", lambda piece: None) != text
    assert main([str(causal), "the cat", "--beam", "2", "--max-tokens", "5"]) == 0
    assert capsys.readouterr().out.startswith("the cat")
    assert main([str(causal), "the", "--checkpoint", "99"]) == 2
    assert "--checkpoint 99: " in capsys.readouterr().err


def test_t5_is_prompted_as_it_was_trained(poems, tmp_path):
    params = {"base_model": "scratch", "epochs": 1, "batch_size": 4, "learning_rate": 3e-3, "val_poems": 2,
              "scratch": {"vocab_size": 120, "d_model": 32, "d_ff": 64, "d_kv": 8, "num_heads": 4, "num_layers": 2},
              "pad_to_multiple_of": None, "logging_steps": 1, "max_length": 12, "max_target_tokens": 48,
              "titles": ["The sun"]}
    assert finetune_t5(["--poems", str(poems), "--params", json.dumps(params), "--seed", "5", "--threads", "1",
                        "--checkpoints", str(tmp_path / "ck"), "--out", str(tmp_path / "out")]) == 0
    generator = HFGenerator(tmp_path / "out", args(temperature=0))
    assert generator.prefix == "Create the lyrics of"
    pieces: list[str] = []
    text = generator.run("The sun", pieces.append)
    assert "".join(pieces) == text and not text.startswith("The sun")  # T5 writes the poem, not the title
