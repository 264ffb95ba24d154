"""Held-out loss per token and per byte on cases small enough to check by hand."""

from __future__ import annotations

import math

import pytest
import torch

from textgen.bpe import train_bpe
from textgen.gpt.dataset import byte_lengths, encode_texts
from textgen.gpt.heldout import heldout_loss
from textgen.gpt.model import GPT, GPTConfig


def uniform_model(vocab_size: int, block_size: int) -> GPT:
    """Zero logits everywhere: every prediction costs ln(vocab_size) nats."""
    model = GPT(GPTConfig(vocab_size=vocab_size, block_size=block_size, n_layer=1, n_head=1, n_embd=4))
    torch.nn.init.zeros_(model.lm_head.weight)
    return model


def test_uniform_model_on_real_tokens():
    tok = train_bpe(["hello hello world"], vocab_size=256 + 4 + 3)
    tokens = encode_texts(tok, ["hello world", "héllo"])  # [SEP] hello world [SEP] h é llo [SEP]
    result = heldout_loss(uniform_model(tok.vocab_size, block_size=3), tokens, byte_lengths(tok), batch_size=2)
    n = tokens.numel() - 1
    # every token but the first is predicted; the bytes are the text's UTF-8 bytes plus one per [SEP]
    text_bytes = len(b"hello world") + len("héllo".encode())
    assert result["tokens"] == n
    assert result["bytes"] == text_bytes + 2
    assert result["loss_per_token"] == pytest.approx(math.log(tok.vocab_size))
    assert result["loss_per_byte"] == pytest.approx(n * math.log(tok.vocab_size) / (text_bytes + 2))
    assert result["bits_per_byte"] == pytest.approx(result["loss_per_byte"] / math.log(2))


def test_context_restarts_at_each_window():
    """Block 2 over 5 tokens: windows 0 1 -> 1 2 and 2 1 -> 1 2, each with its own context."""
    torch.manual_seed(0)
    model = GPT(GPTConfig(vocab_size=3, block_size=2, n_layer=1, n_head=1, n_embd=4, dropout=0.0))
    tokens = torch.tensor([0, 1, 2, 1, 2])
    one_window = heldout_loss(model, tokens, torch.ones(3, dtype=torch.long))
    expected = 0.0
    for start in (0, 2):  # windows of up to 2 inputs each predicting the next tokens
        x, y = tokens[start:start + 2], tokens[start + 1:start + 3]
        with torch.no_grad():
            logits, _ = model.eval()(x[None, :])
        expected += float(torch.nn.functional.cross_entropy(logits[0], y, reduction="sum"))
    assert one_window["loss_per_token"] == pytest.approx(expected / 4)
