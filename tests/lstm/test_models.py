import math

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from textgen.errors import TextgenError
from textgen.lstm import (
    AttentionLSTM,
    CausalAttentionLSTM,
    LSTMConfig,
    MultiHeadAttentionLSTM,
    WordLSTM,
    build_model,
    figure13,
    figure18,
)
from textgen.lstm.attention import Attention
from textgen.lstm.causal import CausalAttention, CausalLSTM


def record_shapes(model: nn.Module) -> dict[str, list]:
    """Output shapes of every call of lstm, attention, lstm2 and fc (and lstm2's initial state)."""
    seen: dict[str, list] = {"lstm": [], "attention": [], "lstm2_state_in": [], "lstm2": [], "fc": []}

    def lstm_hook(name):
        def hook(module, args, output):
            out, (h, c) = output
            seen[name].append((tuple(out.shape), tuple(h.shape), tuple(c.shape)))
            if name == "lstm2":
                seen["lstm2_state_in"].append(tuple(args[1][0].shape))
        return hook

    model.lstm.register_forward_hook(lstm_hook("lstm"))
    if hasattr(model, "lstm2"):
        model.lstm2.register_forward_hook(lstm_hook("lstm2"))
        model.attention.register_forward_hook(lambda m, a, out: seen["attention"].append(tuple(out.shape)))
    model.fc.register_forward_hook(lambda m, a, out: seen["fc"].append(tuple(out.shape)))
    return seen


@pytest.mark.parametrize("cls, heads", [(AttentionLSTM, 1), (MultiHeadAttentionLSTM, 2)])
def test_listed_models_shapes_at_every_step_figure13(cls, heads):
    # The seed's walk-through (k = 3 beams, Figure 13): out [3 1 512], hidden [4 3 256],
    # hidden1 [1 3 1024], weighted_output [3 1 512] (per head), lstm2_out and h [.. 1024].
    torch.manual_seed(0)
    model = cls(figure13("multihead" if heads > 1 else "attention", vocab_size=13))
    seen = record_shapes(model)
    steps = 4
    logits = model(torch.randint(0, 13, (3, steps)))
    assert seen["lstm"] == [((3, 1, 512), (4, 3, 256), (4, 3, 256))] * steps
    assert seen["attention"] == [(3, 1, 512 * heads)] * steps
    assert seen["lstm2_state_in"] == [(1, 3, 1024)] * steps
    assert seen["lstm2"] == [((3, 1, 1024), (1, 3, 1024), (1, 3, 1024))] * steps
    assert seen["fc"] == [(3, steps, 13)]
    assert logits.shape == (3, steps, 13)


@pytest.mark.parametrize("kind", ["attention", "multihead"])
def test_listed_recurrence_step_by_step(kind, make_model):
    # The seed's description: per step, the first LSTM on one token; its state read in memory
    # order as the second LSTM's initial state; attention(out, token); the second LSTM; the
    # mean of both states, read back in memory order, continues the first LSTM.
    model = make_model(kind)
    ids = torch.randint(0, 11, (3, 4))
    layers_dirs = 2 * 2
    with torch.no_grad():
        state, outs = None, []
        for t in range(4):
            x_t = model.embedding(ids[:, t]).unsqueeze(1)
            out, (h, c) = model.lstm(x_t, state)
            flat = [s.flatten().view(1, 3, -1) for s in (h, c)]
            out2, (h2, c2) = model.lstm2(model.attention(out, x_t), tuple(flat))
            state = tuple(((f + s2) / 2).flatten().view(layers_dirs, 3, -1) for f, s2 in zip(flat, (h2, c2)))
            outs.append(model.fc(out2))
        assert torch.allclose(model(ids), torch.cat(outs, 1), atol=1e-6)


def test_simple_model_shapes_figure13():
    torch.manual_seed(0)
    model = WordLSTM(figure13("simple", vocab_size=13))
    seen = record_shapes(model)
    logits = model(torch.randint(0, 13, (3, 4)))
    assert seen["lstm"] == [((3, 4, 256), (2, 3, 256), (2, 3, 256))]
    assert seen["fc"] == [(3, 4, 13)] and logits.shape == (3, 4, 13)


def test_listed_attention_by_hand():
    # Q = K = identity and q = [sqrt2, 0] make the scores x_j[0] * sqrt2 / sqrt2 = [0, ln 3]:
    # weights [1/4, 3/4]. V = [[1, 1], [0, 2]] maps x = (a, b) to (a + b, 2b).
    att = Attention(d_in=2, d_out=2, n_layers=1, n_directions=1)
    with torch.no_grad():
        for layer in (att.Q, att.K, att.V):
            layer.bias.zero_()
        att.Q.weight.copy_(torch.eye(2))
        att.K.weight.copy_(torch.eye(2))
        att.V.weight.copy_(torch.tensor([[1.0, 1.0], [0.0, 2.0]]))
    q = torch.tensor([[[math.sqrt(2), 0.0]]])
    x = torch.tensor([[[0.0, 2.0], [math.log(3), 4.0]]])
    expected = 0.25 * torch.tensor([2.0, 4.0]) + 0.75 * torch.tensor([math.log(3) + 4, 8.0])
    assert torch.allclose(att(q, x)[0, 0], expected, atol=1e-6)
    # With a single key, as in the listed models, the output is V(x) whatever the query.
    assert torch.allclose(att(q * 7, x[:, 1:]), torch.tensor([[[math.log(3) + 4, 8.0]]]), atol=1e-6)


@pytest.mark.parametrize("kind", ["attention", "multihead"])
def test_listed_attention_is_a_no_op(kind, make_model, monkeypatch):
    model = make_model(kind)
    weights = []
    softmax = F.softmax

    def recording_softmax(*args, **kwargs):
        weights.append(softmax(*args, **kwargs))
        return weights[-1]

    monkeypatch.setattr(F, "softmax", recording_softmax)
    ids = torch.randint(0, 11, (3, 5))
    F.cross_entropy(model(ids).transpose(1, 2), torch.randint(0, 11, (3, 5))).backward()
    heads = model.config.n_heads
    assert len(weights) == 5 * heads
    assert all(w.shape == (3, 1, 1) and torch.equal(w, torch.ones_like(w)) for w in weights)
    blocks = model.attention.heads if kind == "multihead" else [model.attention]
    for block in blocks:
        for p in (block.Q.weight, block.Q.bias, block.K.weight, block.K.bias):
            assert torch.equal(p.grad, torch.zeros_like(p))
        assert block.V.weight.grad.abs().sum() > 0


@pytest.mark.parametrize("kind", ["attention", "multihead"])
def test_listed_models_refuse_figure18(kind):
    config = figure18(vocab_size=7) if kind == "multihead" else LSTMConfig(7, 256, 512, 4, True, 1)
    with pytest.raises(TextgenError, match=r"takes n_directions\*n_layers\*embedding_dim = 2\*4\*256 = 2048 inputs"
                                           r".*2\*512 = 1024 features.*CausalAttentionLSTM"):
        build_model(kind, config)


def test_fixed_model_runs_figure18():
    config = figure18(vocab_size=7)
    torch.manual_seed(0)
    model = build_model("multihead_fixed", config)
    assert model.attention.Q.in_features == 2 * 512  # the first LSTM's real output width
    assert model.lstm2.input_size == 4 * 2 * 4 * 256 and model.lstm2.hidden_size == 2 * 4 * 512
    with torch.no_grad():
        logits = model(torch.randint(0, 7, (1, 2)))
    assert logits.shape == (1, 2, 7) and torch.isfinite(logits).all()


def test_causal_attention_matches_a_per_position_reference():
    torch.manual_seed(0)
    att = CausalAttention(d_query=6, d_in=3, d_head=4, n_heads=2)
    q, x = torch.randn(2, 5, 6), torch.randn(2, 5, 3)
    out, _ = att(q, x)
    queries, keys, values = (layer(inp).view(2, 5, 2, 4) for layer, inp in ((att.Q, q), (att.K, x), (att.V, x)))
    for t in range(5):
        for head in range(2):
            w = torch.softmax(keys[:, : t + 1, head] @ queries[:, t, head, :, None] / 2.0, dim=1)  # (2, t+1, 1)
            if t > 0:
                assert (w < 0.999).all()  # a real distribution over several keys
            expected = (w * values[:, : t + 1, head]).sum(1)
            assert torch.allclose(out[:, t, 4 * head : 4 * head + 4], expected, atol=1e-6)


@pytest.mark.parametrize("kind", ["attention_fixed", "multihead_fixed"])
def test_fixed_attention_learns_queries_and_keys(kind, make_model):
    model = make_model(kind)
    F.cross_entropy(model(torch.randint(0, 11, (3, 5))).transpose(1, 2), torch.randint(0, 11, (3, 5))).backward()
    for p in (model.attention.Q.weight, model.attention.K.weight, model.attention.V.weight):
        assert p.grad.abs().sum() > 1e-6


def test_causal_lstm_equals_the_listings_stepped_bidirectional_lstm():
    torch.manual_seed(0)
    listed = nn.LSTM(3, 5, num_layers=2, batch_first=True, bidirectional=True)
    ours = CausalLSTM(3, 5, n_layers=2, n_directions=2)
    with torch.no_grad():
        for layer in range(2):
            for direction, suffix in enumerate(("", "_reverse")):
                for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
                    getattr(ours.layers[2 * layer + direction], f"{name}_l0").copy_(
                        getattr(listed, f"{name}_l{layer}{suffix}"))
    x = torch.randn(4, 6, 3)
    state, outs = None, []
    for t in range(6):  # one token at a time, as Listings 4 and 8 run the first LSTM
        out, state = listed(x[:, t : t + 1], state)
        outs.append(out)
    out, (h, c) = ours(x)
    assert torch.allclose(out, torch.cat(outs, 1), atol=1e-6)
    assert torch.allclose(h, state[0], atol=1e-6) and torch.allclose(c, state[1], atol=1e-6)


def test_every_model_is_causal(kind, make_model):
    model = make_model(kind)
    ids = torch.randint(0, 11, (2, 6))
    changed = ids.clone()
    changed[:, 4:] = (changed[:, 4:] + 1) % 11
    with torch.no_grad():
        a, b = model(ids), model(changed)
    assert torch.allclose(a[:, :4], b[:, :4], atol=1e-6)
    assert not torch.allclose(a[:, 4:], b[:, 4:], atol=1e-4)


def test_batch_rows_interact_only_in_the_listed_attention_models(kind, make_model):
    # The listing flattens the state (layers*dirs, batch, hidden) -> (1, batch, layers*dirs*hidden)
    # with a plain reshape, so a row's second-LSTM state holds other rows' states.
    model = make_model(kind)
    ids = torch.randint(0, 11, (2, 5))
    with torch.no_grad():
        in_batch, alone = model(ids)[0], model(ids[:1])[0]
    assert model.batch_independent == (kind not in ("attention", "multihead"))
    if model.batch_independent:
        assert torch.allclose(in_batch, alone, atol=1e-5)
    else:
        assert (in_batch - alone).abs().max() > 1e-3


def test_step_equals_forward(kind, make_model):
    model = make_model(kind)
    ids = torch.randint(0, 11, (2, 7))
    with torch.no_grad():
        full = model(ids)
        logits, state = model.step(ids[:, :3], None)  # a prompt, then one token at a time
        assert torch.allclose(logits, full[:, :3], atol=1e-5)
        for t in range(3, 7):
            logits, state = model.step(ids[:, t : t + 1], state)
            assert torch.allclose(logits[:, -1], full[:, t], atol=1e-5)


def test_reorder_state_selects_rows(kind, make_model):
    model = make_model(kind)
    ids = torch.randint(0, 11, (3, 4))
    with torch.no_grad():
        _, state = model.step(ids, None)
        picked = model.reorder_state(state, torch.tensor([2, 2, 0]))
        logits, _ = model.step(torch.tensor([[1], [1], [1]]), picked)
        _, alone = model.step(ids[2:], None)
        expected, _ = model.step(torch.tensor([[1]]), alone)
    if model.batch_independent:  # the listed models mix rows, so only their shapes can be compared
        assert torch.allclose(logits[0], expected[0], atol=1e-5) and torch.allclose(logits[1], expected[0], atol=1e-5)
    assert logits.shape == (3, 1, 11)


@pytest.mark.parametrize("kind", ["attention", "multihead"])
def test_listed_decoding_differs_from_training_after_the_first_word(kind, make_model):
    # Listings 5-6 carry the first LSTM's own state; training (forward) carries the average.
    model = make_model(kind)
    ids = torch.tensor([[3, 5, 7]])
    with torch.no_grad():
        full = model(ids)
        first, state = model.listing_step(ids[:, :1], None)
        second, _ = model.listing_step(ids[:, 1:2], state)
    assert torch.allclose(first[:, 0], full[:, 0], atol=1e-6)
    assert (second[:, 0] - full[:, 1]).abs().max() > 1e-3


def test_same_seed_same_model_and_logits(kind, make_model):
    a, b, c = make_model(kind, seed=1), make_model(kind, seed=1), make_model(kind, seed=2)
    ids = torch.randint(0, 11, (2, 4))
    with torch.no_grad():
        assert torch.equal(a(ids), b(ids))
        assert not torch.allclose(a(ids), c(ids))


def test_config_errors_name_the_field():
    with pytest.raises(TextgenError, match="LSTMConfig.hidden_size must be a positive integer"):
        LSTMConfig(vocab_size=10, hidden_size=0)
    with pytest.raises(TextgenError, match="LSTMConfig.bidirectional"):
        LSTMConfig(vocab_size=10, bidirectional="yes")
    with pytest.raises(TextgenError, match="models.lstm: unknown key.*hiden_size"):
        LSTMConfig.from_mapping({"vocab_size": 10, "hiden_size": 8}, where="models.lstm")
    with pytest.raises(TextgenError, match="missing key vocab_size"):
        LSTMConfig.from_mapping({})
    with pytest.raises(TextgenError, match="bidirectional"):
        WordLSTM(LSTMConfig(vocab_size=10, bidirectional=True))
    with pytest.raises(TextgenError, match="n_heads: 1"):
        build_model("attention", LSTMConfig(vocab_size=10, embedding_dim=4, hidden_size=8, n_heads=2))
    with pytest.raises(TextgenError, match="n_heads: 1"):
        build_model("attention_fixed", LSTMConfig(vocab_size=10, n_heads=2))
    with pytest.raises(TextgenError, match="unknown LSTM model kind 'gru'"):
        build_model("gru", LSTMConfig(vocab_size=10))
    assert isinstance(build_model("multihead_fixed", figure13("multihead", 10)), CausalAttentionLSTM)
