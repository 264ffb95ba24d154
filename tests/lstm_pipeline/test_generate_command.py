"""`textgen generate` on a word LSTM: sampled, beam search, the seed's listing, pipes, and errors."""

from __future__ import annotations

import io
import sys

import pytest
import torch

from textgen.generate import main
from textgen.lstm.beam import beam_search
from textgen.lstm.train import train_custom
from textgen.words.tokenizer import detokenize


@pytest.fixture(scope="module")
def model(data, block, evaluation, tmp_path_factory):
    root = tmp_path_factory.mktemp("generate")
    train_custom("simple", block("simple", iterations=30), evaluation, data, 3, root / "ckpt", root / "out")
    return root / "out"


def generate(capsys, monkeypatch, *argv, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_same_seed_same_text_and_the_seed_matters(model, words, capsys, monkeypatch):
    runs = [generate(capsys, monkeypatch, model, "Jane walked", "--words", words, "--seed", s, "--max-tokens", 12)
            for s in (1, 1, 2)]
    assert [code for code, _, _ in runs] == [0, 0, 0]
    assert runs[0][1] == runs[1][1] != runs[2][1]
    assert runs[0][1].startswith("Jane walked") and len(runs[0][1].split()) >= 8


def test_beam_search_is_the_correct_one_and_listed_is_the_seeds(model, words, data, capsys, monkeypatch):
    from textgen.lstm.data import load_model

    code, out, _ = generate(capsys, monkeypatch, model, "Elizabeth", "--words", words, "--beam", 3, "--max-tokens", 5)
    _, lstm, _ = load_model(model / "model.pt")
    best, _ = beam_search(lstm, data.vocab.encode(["Elizabeth"]), 5, 3)[0]
    assert code == 0 and out == detokenize(data.vocab.decode(best)) + "\n"
    code, listed, _ = generate(capsys, monkeypatch, model, "Elizabeth", "--words", words, "--beam", 3, "--listed",
                               "--max-tokens", 5)
    assert code == 0 and listed.startswith("Elizabeth")


def test_one_output_line_per_input_line_in_a_pipe(model, words, capsys, monkeypatch):
    code, out, _ = generate(capsys, monkeypatch, model, "--words", words, "--temperature", 0, "--max-tokens", 6,
                            stdin="Jane\nDarcy smiled\n")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 2 and lines[0].startswith("Jane") and lines[1].startswith("Darcy smiled")
    alone = generate(capsys, monkeypatch, model, "Darcy smiled", "--words", words, "--temperature", 0,
                     "--max-tokens", 6)[1]
    assert alone == lines[1] + "\n"  # greedy: the same text whichever way it is asked


def test_errors_are_one_line_with_status_2(model, words, tmp_path, capsys, monkeypatch):
    def error(*argv, stdin=""):
        code, out, err = generate(capsys, monkeypatch, *argv, stdin=stdin)
        assert code == 2 and out == "" and err.count("\n") == 1, (code, out, err)
        return err

    assert "prompt word 'Jnae' is not in the model's vocabulary" in error(model, "Jnae walked", "--words", words)
    assert "nearest known: Jane" in error(model, "Jnae walked", "--words", words)
    assert "empty prompt" in error(model, "  ", "--words", words)
    assert "empty prompt" in error(model, "--words", words, stdin="\n")
    assert f"{tmp_path / 'none'}: no such model folder" in error(tmp_path / "none", "Jane")
    (tmp_path / "empty").mkdir()
    assert "not a trained model folder" in error(tmp_path / "empty", "Jane")
    assert "its vocabulary" in error(model, "Jane", "--words", tmp_path)  # not the one it was trained with
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "model.pt").write_bytes((model / "model.pt").read_bytes()[:2000])
    assert f"{broken / 'model.pt'}" in error(broken, "Jane", "--words", words)
    blob = torch.load(model / "model.pt", weights_only=True)
    blob["version"] = 99
    old = tmp_path / "old"
    old.mkdir()
    torch.save(blob, old / "model.pt")
    assert "model.pt" in error(old, "Jane", "--words", words)
    assert "--max-tokens: must be at least 1" in error(model, "Jane", "--words", words, "--max-tokens", 0)


def test_interactive_on_a_terminal_until_ctrl_d(model, words):
    """On a terminal (a pseudo-terminal here): a prompt per line, the text streamed, Ctrl-D ends."""
    import os
    import pty
    import subprocess

    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "textgen", "generate", str(model), "--words", str(words),
                             "--temperature", "0", "--max-tokens", "4"],
                            stdin=follower, stdout=follower, stderr=follower, close_fds=True)
    os.close(follower)
    os.write(leader, b"Jane walked\n")
    os.write(leader, b"\x04")  # Ctrl-D at the start of a line: end of input
    output = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
    assert proc.wait(timeout=60) == 0
    text = output.decode()
    assert "a prompt per line, Ctrl-D to end" in text and "> Jane walked " in text, text
