"""The LSTM + multi-head attention generator of seed 000 as listed (Listings 7-8).

Identical to AttentionLSTM except that n_heads independent Attention blocks (Listing 3) run side
by side and their outputs are concatenated, so the second LSTM reads n_heads * head_width
features. Every head inherits the listed attention's quirks (attention.py): one key per step,
softmax exactly 1, no gradient for Q and K.

>>> import torch
>>> from textgen.lstm.config import LSTMConfig
>>> model = MultiHeadAttentionLSTM(LSTMConfig(vocab_size=10, embedding_dim=4, hidden_size=8, n_heads=2))
>>> model(torch.zeros(2, 5, dtype=torch.long)).shape
torch.Size([2, 5, 10])
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from textgen.lstm.attention import Attention, TwoLSTMs
from textgen.lstm.config import LSTMConfig


class MultiHeadAttention(nn.Module):
    """Listing 7: `num_heads` Attention blocks, outputs concatenated on the feature axis.

    >>> mha = MultiHeadAttention(d_in=2, d_out=3, n_layers=1, n_directions=1, num_heads=2)
    >>> mha(torch.ones(1, 1, 2), torch.ones(1, 1, 2)).shape
    torch.Size([1, 1, 6])
    """

    def __init__(self, d_in: int, d_out: int, n_layers: int, n_directions: int, num_heads: int) -> None:
        super().__init__()
        self.heads = nn.ModuleList(Attention(d_in, d_out, n_layers, n_directions) for _ in range(num_heads))

    def forward(self, q: Tensor, x: Tensor) -> Tensor:
        return torch.cat([head(q, x) for head in self.heads], dim=-1)


class MultiHeadAttentionLSTM(TwoLSTMs):
    """Listing 8: LSTM -> MultiHeadAttention (Listing 7) -> LSTM -> linear, one step at a time."""

    def make_attention(self, config: LSTMConfig) -> nn.Module:
        return MultiHeadAttention(config.embedding_dim, config.head_width, config.n_layers, config.n_directions,
                                  config.n_heads)
