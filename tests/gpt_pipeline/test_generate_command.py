"""`textgen generate` on a GPT: the sample table's text for the same seed, streaming, checkpoints, errors."""

from __future__ import annotations

import io
import json
import shutil
import sys
from argparse import Namespace

from textgen.bpe import Tokenizer
from textgen.generate import GPTGenerator, main
from textgen.gpt.checkpoint import load_checkpoint
from textgen.gpt.sample import generate as sample_generate
from textgen.gpt.sample import prompt_ids


def args(**changes) -> Namespace:
    base = dict(temperature=0.9, top_k=5, beam=0, listed=False, max_tokens=15, seed=4, checkpoint=None, words=None,
                tokenizer=None)
    return Namespace(**{**base, **changes})


def test_the_text_of_the_sample_table_for_the_same_seed_streamed_piece_by_piece(trained, tokenizer):
    generator = GPTGenerator(trained["out"], args(tokenizer=tokenizer))
    pieces: list[str] = []
    text = generator.run("the cat", pieces.append)
    assert "".join(pieces) == text and len(pieces) > 2
    tok = Tokenizer.load(tokenizer)
    model = load_checkpoint(trained["out"] / "model-20.pt").build_model()
    expected, _, _ = sample_generate(model, tok, prompt_ids(tok, "the cat", "stream"), 15, 0.9, 5, seed=4)
    assert text == "the cat" + expected


def test_checkpoint_choice_and_pipes(trained, tokenizer, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("the dog\na red bird\n"))
    assert main([str(trained["out"]), "--tokenizer", str(tokenizer), "--checkpoint", "10", "--max-tokens", "8"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and lines[0].startswith("the dog") and lines[1].startswith("a red bird")
    assert all("\n" not in line for line in lines)  # a text's own newlines are written as \n


def test_errors(trained, tokenizer, tmp_path, capsys):
    def error(*argv) -> str:
        assert main([str(a) for a in argv]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1
        return err

    assert "--checkpoint 7: " in error(trained["out"], "the", "--tokenizer", tokenizer, "--checkpoint", 7)
    assert "keeps the steps 10, 20" in error(trained["out"], "the", "--tokenizer", tokenizer, "--checkpoint", 7)
    other = tmp_path / "other.json"
    other.write_text(json.dumps(json.loads(tokenizer.read_text()) | {"note": "changed"}))
    assert "its tokenizer" in error(trained["out"], "the", "--tokenizer", other)
    assert "--beam: the GPTs sample" in error(trained["out"], "the", "--tokenizer", tokenizer, "--beam", 2)
    broken = tmp_path / "broken"
    shutil.copytree(trained["out"], broken)
    (broken / "model-20.pt").write_bytes(b"not a checkpoint")
    assert f"{broken / 'model-20.pt'}: not a readable checkpoint" in error(broken, "the", "--tokenizer", tokenizer)
