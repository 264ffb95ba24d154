"""Embedding scale, positional encoding values, shapes and the bias switch."""

from __future__ import annotations

import math

import pytest
import torch

from textgen.errors import TextgenError
from textgen.translate.model import Embedding, PositionalEncoding


def test_embedding_is_scaled_by_sqrt_of_width():
    emb = Embedding(10, 16)
    ids = torch.tensor([[3, 7]])
    torch.testing.assert_close(emb(ids), emb.embedding.weight[ids] * 4.0)


def test_positional_encoding_matches_the_sinusoid_formula():
    n_embd, max_len = 8, 50
    pe = PositionalEncoding(n_embd, dropout=0.0, max_len=max_len)
    table = pe(torch.zeros(max_len, 1, n_embd))[:, 0]  # added to zeros: the table itself
    for pos in (0, 1, 7, 49):
        for i in range(n_embd // 2):
            angle = pos / 10000 ** (2 * i / n_embd)
            assert table[pos, 2 * i].item() == pytest.approx(math.sin(angle), abs=1e-5)
            assert table[pos, 2 * i + 1].item() == pytest.approx(math.cos(angle), abs=1e-5)
    assert pe.state_dict() == {}  # recomputed, never stored


def test_positional_encoding_broadcasts_over_the_batch_and_applies_dropout():
    pe = PositionalEncoding(8, dropout=0.5, max_len=10)
    x = torch.randn(4, 3, 8)
    pe.eval()
    out = pe(x)
    torch.testing.assert_close(out[:, 0] - x[:, 0], out[:, 2] - x[:, 2])
    pe.train()
    assert (pe(x) == 0).any()


def test_positional_encoding_refuses_sequences_longer_than_max_len():
    with pytest.raises(TextgenError, match="max_len"):
        PositionalEncoding(8, dropout=0.0, max_len=4)(torch.zeros(5, 1, 8))


def test_forward_gives_logits_per_target_position(tiny_model, chars):
    model = tiny_model()
    src = torch.randint(3, chars.vocab_size, (7, 2))
    tgt = torch.randint(3, chars.vocab_size, (5, 2))
    assert model(src, tgt).shape == (5, 2, chars.vocab_size)


def test_bias_switch_reaches_every_layer(tiny_model):
    assert all(m.bias is not None for m in tiny_model().modules() if isinstance(m, torch.nn.Linear))
    no_bias = tiny_model(bias=False)
    assert all(m.bias is None for m in no_bias.modules() if isinstance(m, (torch.nn.Linear, torch.nn.LayerNorm)))


def test_all_matrices_are_xavier_initialised(tiny_model):
    model = tiny_model(n_embd=32, n_head=2)
    weight = model.src_tok_emb.embedding.weight  # nn.Embedding alone would draw N(0, 1)
    bound = math.sqrt(6 / sum(weight.shape))
    assert weight.abs().max() <= bound
    assert weight.std().item() == pytest.approx(bound / math.sqrt(3), rel=0.2)


def test_tied_embeddings_share_one_matrix_and_keep_the_printout(tiny_model):
    untied, tied = tiny_model(), tiny_model(tie_embeddings=True)
    assert untied.generator.weight is not untied.src_tok_emb.embedding.weight
    shared = tied.src_tok_emb.embedding.weight
    assert tied.tgt_tok_emb.embedding.weight is shared and tied.generator.weight is shared
    n = shared.numel()
    assert sum(p.numel() for p in untied.parameters()) - sum(p.numel() for p in tied.parameters()) == 2 * n
    assert repr(tied) == repr(untied)  # same modules: the seed's printout still matches
    # a gradient through the generator reaches the embedding rows (it is one tensor)
    tied.generator(torch.ones(1, shared.size(1))).sum().backward()
    assert shared.grad is not None and shared.grad.abs().sum() > 0
