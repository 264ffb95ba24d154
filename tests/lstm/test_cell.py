"""textgen.lstm.cell.LSTM: one-token calls computed cell by cell equal nn.LSTM's (values and gradients)."""

import pytest
import torch
from torch import nn

from textgen.lstm.cell import LSTM, steps_by_cell


@pytest.fixture(autouse=True)
def _onednn_chosen(monkeypatch):
    """The cell-by-cell path under test whatever this CPU's measured choice (textgen.matmul)."""
    monkeypatch.setenv("TEXTGEN_MATMUL", "onednn")


def pair(**kwargs) -> tuple[nn.LSTM, LSTM]:
    torch.manual_seed(0)
    reference = nn.LSTM(batch_first=True, **kwargs)
    ours = LSTM(batch_first=True, **kwargs)
    ours.load_state_dict(reference.state_dict())
    return reference, ours


@pytest.mark.parametrize("layers", [1, 3])
@pytest.mark.parametrize("bidirectional", [False, True])
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("with_state", [False, True])
def test_one_token_equals_nn_lstm_with_gradients(layers, bidirectional, bias, with_state):
    reference, ours = pair(input_size=5, hidden_size=7, num_layers=layers, bidirectional=bidirectional, bias=bias)
    g = torch.Generator().manual_seed(1)
    n_states = layers * (2 if bidirectional else 1)
    x = torch.randn(4, 1, 5, generator=g)
    state = (torch.randn(n_states, 4, 7, generator=g), torch.randn(n_states, 4, 7, generator=g)) if with_state else None
    results = []
    for lstm in (reference, ours):
        x_in = x.clone().requires_grad_()
        out, (h, c) = lstm(x_in, state)
        (out.pow(2).sum() + h.sin().sum() + c.cos().sum()).backward()
        results.append((out, h, c, x_in.grad, [p.grad for p in lstm.parameters()]))
    (out_r, h_r, c_r, gx_r, gp_r), (out, h, c, gx, gp) = results
    assert out.shape == out_r.shape and h.shape == h_r.shape and c.shape == c_r.shape
    for new, ref in [(out, out_r), (h, h_r), (c, c_r), (gx, gx_r), *zip(gp, gp_r, strict=True)]:
        torch.testing.assert_close(new, ref, rtol=1e-5, atol=1e-5)


def test_which_calls_go_cell_by_cell():
    lstm = LSTM(3, 4, num_layers=2, dropout=0.5, batch_first=True)
    one, many = torch.zeros(2, 1, 3), torch.zeros(2, 6, 3)
    assert not steps_by_cell(lstm, many)
    assert not steps_by_cell(lstm.train(), one)  # dropout between layers: nn.LSTM draws the masks
    assert steps_by_cell(lstm.eval(), one)


def test_longer_chunks_are_nn_lstm_itself():
    reference, ours = pair(input_size=3, hidden_size=4, num_layers=2)
    x = torch.randn(2, 6, 3)
    assert torch.equal(ours(x)[0], reference(x)[0])


def test_drop_in_for_nn_lstm():
    reference, ours = pair(input_size=3, hidden_size=4, num_layers=2, bidirectional=True)
    assert repr(ours) == repr(reference)
    assert list(ours.state_dict()) == list(reference.state_dict())
