"""`LSTM`: nn.LSTM that computes one-token chunks gate by gate on oneDNN products.

The listed models step their LSTMs one token at a time, in training (batch 64) and in decoding
(batch 1 to k). For such a call nn.LSTM pays a per-call set-up (oneDNN's RNN primitive) or runs
its native cell on MKL's products, which on AVX-512 machines are up to 2x slower than oneDNN's
on large products (`textgen.linear`, which still sends small ones to torch.mm, the faster there).
`lstm_step` computes the same function from the module's own
parameters: per layer and direction, gates = W_ih x + b_ih + W_hh h + b_hh split into
(i, f, g, o) as nn.LSTM orders them, c' = sigmoid(f) c + sigmoid(i) tanh(g),
h' = sigmoid(o) tanh(c'); a layer reads the concatenated directions of the one below. For one
token the reverse direction is one more cell from its own state, exactly what nn.LSTM does.
Longer chunks, and dropout between layers in training, go to nn.LSTM itself. Parameters,
state_dict and `print(model)` are nn.LSTM's.

>>> import torch
>>> torch.manual_seed(0) is not None
True
>>> lstm = LSTM(3, 4, num_layers=2, bidirectional=True, batch_first=True)
>>> x = torch.randn(5, 1, 3)
>>> out, (h, c) = lstm(x)
>>> ref, (h_ref, c_ref) = nn.LSTM.forward(lstm, x)
>>> torch.allclose(out, ref, atol=1e-6) and torch.allclose(h, h_ref, atol=1e-6)
True
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from textgen import matmul

from textgen.linear import linear

LSTMState = tuple[Tensor, Tensor]  # (h, c), each (n_layers * n_directions, batch, hidden)


def steps_by_cell(lstm: nn.LSTM, x: Tensor) -> bool:
    """Whether `lstm_step` computes this call: one token, batch first, no projection, no live dropout,
    a CPU tensor outside autocast, on a CPU where oneDNN's products are the faster (textgen.matmul;
    elsewhere nn.LSTM itself is)."""
    return (x.dim() == 3 and x.size(1) == 1 and lstm.batch_first and lstm.proj_size == 0
            and not (lstm.training and lstm.dropout > 0 and lstm.num_layers > 1)
            and x.device.type == "cpu" and not torch.is_autocast_enabled("cpu") and matmul.onednn())


def lstm_step(lstm: nn.LSTM, x: Tensor, state: LSTMState | None = None) -> tuple[Tensor, LSTMState]:
    """nn.LSTM's output and state for x (batch, 1, input_size), computed cell by cell."""
    n_directions = 2 if lstm.bidirectional else 1
    if state is None:
        zeros = x.new_zeros(lstm.num_layers * n_directions, x.size(0), lstm.hidden_size)
        state = (zeros, zeros)
    h0, c0 = state
    layer_input, hs, cs = x[:, 0], [], []
    for layer in range(lstm.num_layers):
        outputs = []
        for direction in range(n_directions):
            suffix = f"_l{layer}" + ("_reverse" if direction else "")
            k = layer * n_directions + direction
            gates = (linear(layer_input, getattr(lstm, "weight_ih" + suffix), getattr(lstm, "bias_ih" + suffix, None))
                     + linear(h0[k], getattr(lstm, "weight_hh" + suffix), getattr(lstm, "bias_hh" + suffix, None)))
            i, f, g, o = gates.chunk(4, dim=1)
            c = torch.sigmoid(f) * c0[k] + torch.sigmoid(i) * torch.tanh(g)
            h = torch.sigmoid(o) * torch.tanh(c)
            outputs.append(h)
            hs.append(h)
            cs.append(c)
        layer_input = torch.cat(outputs, dim=1) if n_directions > 1 else outputs[0]
    return layer_input.unsqueeze(1), (torch.stack(hs), torch.stack(cs))


class LSTM(nn.LSTM):
    """nn.LSTM whose one-token calls run `lstm_step` (see `steps_by_cell`); the rest is nn.LSTM."""

    def forward(self, input, hx=None):  # noqa: A002 (nn.LSTM's argument names)
        if isinstance(input, Tensor) and steps_by_cell(self, input):
            return lstm_step(self, input, hx)
        return super().forward(input, hx)
