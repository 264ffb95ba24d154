from __future__ import annotations

import math

import pytest
import torch

from textgen.errors import TextgenError
from textgen.gpt import GPT, GPTConfig, sinusoidal_encoding

TINY = GPTConfig(block_size=16, vocab_size=50, n_layer=2, n_head=2, n_embd=32, dropout=0.0)


def tiny(**changes) -> GPT:
    torch.manual_seed(0)
    return GPT(GPTConfig(**{**TINY.__dict__, **changes}))


def test_shapes_and_initial_loss():
    model = tiny()
    idx = torch.randint(0, 50, (3, 16), generator=torch.Generator().manual_seed(1))
    logits, loss = model(idx)
    assert logits.shape == (3, 16, 50) and loss is None
    targets = torch.randint(0, 50, (3, 16), generator=torch.Generator().manual_seed(2))
    logits, loss = model(idx, targets=targets)
    assert loss.shape == () and abs(loss.item() - math.log(50)) < 0.1  # near-uniform at init


def test_ignore_index_skips_positions():
    model = tiny()
    idx = torch.randint(0, 50, (2, 8), generator=torch.Generator().manual_seed(2))
    targets = idx.clone()
    targets[:, 4:] = 49
    _, masked = model(idx, targets, ignore_index=49)
    _, first_half = model(idx[:, :4], targets[:, :4])
    torch.testing.assert_close(masked, first_half)


def test_longer_than_block_size_is_refused():
    with pytest.raises(TextgenError, match="idx: sequence of 17 tokens is longer than block_size 16"):
        tiny()(torch.zeros(1, 17, dtype=torch.long))


@pytest.mark.parametrize("pos_encoding", ["sinusoidal", "learned"])
def test_causal_future_tokens_do_not_change_earlier_logits(pos_encoding):
    model = tiny(pos_encoding=pos_encoding).eval()
    idx = torch.randint(0, 50, (2, 12), generator=torch.Generator().manual_seed(3))
    changed = idx.clone()
    changed[:, 7:] = (changed[:, 7:] + 1) % 50
    before, after = model(idx)[0], model(changed)[0]
    torch.testing.assert_close(before[:, :7], after[:, :7], rtol=0, atol=1e-6)
    assert not torch.allclose(before[:, 7:], after[:, 7:], atol=1e-3)


def test_sinusoidal_values_by_hand():
    table = sinusoidal_encoding(4, 6)
    # wavelength factors 10000^(-2i/6): 1, 0.0464159, 0.00215443
    assert table[0].tolist() == [0.0, 1.0, 0.0, 1.0, 0.0, 1.0]
    expected_1 = [0.841471, 0.540302, 0.046399, 0.998923, 0.002154, 0.999998]
    expected_3 = [0.141120, -0.989992, 0.138798, 0.990321, 0.006463, 0.999979]
    torch.testing.assert_close(table[1], torch.tensor(expected_1), rtol=0, atol=1e-6)
    torch.testing.assert_close(table[3], torch.tensor(expected_3), rtol=0, atol=1e-6)


def test_sinusoidal_table_is_added_to_the_scaled_embedding():
    model = tiny(n_layer=1)
    assert not hasattr(model, "wpe") and "pos_table" not in model.state_dict()
    torch.testing.assert_close(model.pos_table, sinusoidal_encoding(16, 32))
    captured = {}
    model.drop.register_forward_hook(lambda m, args, out: captured.setdefault("x", args[0]))
    idx = torch.tensor([[3, 3, 7]])
    model(idx)
    expected = model.wte.weight[idx[0]] * math.sqrt(32) + sinusoidal_encoding(3, 32)
    torch.testing.assert_close(captured["x"][0], expected)


def test_learned_positions_are_parameters():
    model = tiny(pos_encoding="learned")
    assert model.wpe.weight.shape == (16, 32)
    assert model.num_params() - tiny().num_params() == 16 * 32


def test_tied_head_shares_storage_untied_does_not():
    tied, untied = tiny(), tiny(tie_weights=False)
    assert tied.lm_head.weight.data_ptr() == tied.wte.weight.data_ptr()
    assert untied.lm_head.weight.data_ptr() != untied.wte.weight.data_ptr()
    assert untied.num_params() - tied.num_params() == 50 * 32
    with torch.no_grad():
        tied.wte.weight[0, 0] = 123.0
    assert tied.lm_head.weight[0, 0].item() == 123.0


def test_bias_option():
    assert tiny(bias=False).h[0].attn.c_attn.bias is None and tiny(bias=False).ln_f.bias is None
    assert tiny(bias=True).h[0].mlp.c_fc.bias.shape == (128,)


def test_dropout_only_in_training():
    model = tiny(dropout=0.5)
    idx = torch.randint(0, 50, (2, 8), generator=torch.Generator().manual_seed(4))
    model.eval()
    torch.testing.assert_close(model(idx)[0], model(idx)[0])
    model.train()
    assert not torch.allclose(model(idx)[0], model(idx)[0])


@pytest.mark.parametrize("changes, message", [
    ({"n_embd": 30, "n_head": 4}, "n_embd: 30 is not divisible by n_head 4"),
    ({"pos_encoding": "rotary"}, "pos_encoding: 'rotary'"),
    ({"n_embd": 33, "n_head": 3}, "n_embd: sinusoidal encoding needs an even width"),
    ({"dropout": 1.0}, "dropout"),
    ({"n_layer": 0}, "n_layer: must be >= 1"),
])
def test_bad_configs_are_refused(changes, message):
    with pytest.raises(TextgenError, match=message):
        GPTConfig(**{**TINY.__dict__, **changes})


def test_overfits_a_repeated_string():
    # 200 AdamW steps on one repeated sentence: a working model memorises it.
    torch.manual_seed(0)
    text = [ord(c) % 50 for c in "the quick brown fox jumps over the lazy dog. "] * 8
    data = torch.tensor(text)
    model = GPT(GPTConfig(block_size=32, vocab_size=50, n_layer=2, n_head=2, n_embd=48, dropout=0.0))
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3)
    g = torch.Generator().manual_seed(0)
    for _ in range(200):
        starts = torch.randint(0, len(data) - 33, (8,), generator=g)
        x = torch.stack([data[s:s + 32] for s in starts])
        y = torch.stack([data[s + 1:s + 33] for s in starts])
        _, loss = model(x, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    assert loss.item() < 0.15
