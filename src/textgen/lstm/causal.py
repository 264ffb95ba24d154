"""Fixed LSTM + (multi-head) attention generator: the attention really attends, and it is fast.

CausalAttentionLSTM keeps the listed model's blocks and widths (embedding -> first LSTM ->
attention with LSTM outputs as queries and token embeddings as keys and values -> second LSTM of
width n_layers*n_directions*hidden_size -> linear), with n_heads heads of head_width each
(n_heads = 1 is the fixed Listing 4 model, n_heads > 1 the fixed Listing 8 model). What differs
from Listings 3-4 and 7-8, and why:

1. Attention at position t is over the embeddings of every token 0..t (a causal mask), not over
   token t alone, so the softmax is a real distribution and Q and K learn.
2. Q reads the first LSTM's real output width, n_directions*hidden_size (the listing sizes it
   n_directions*n_layers*embedding_dim, equal only when hidden_size == n_layers*embedding_dim), so
   configurations such as Figure 18 run. The heads are one Q/K/V projection split into heads
   rather than a list of Attention modules: the same function, fewer small matrix products.
3. The two LSTMs no longer exchange states (the listing flattens the first LSTM's state into the
   second's each step and averages them back). Each LSTM carries its own state, which lets both
   run over the whole sequence in one call instead of one step at a time, and removes the
   listing's mixing of batch rows by that reshape.
4. "Bidirectional" means what the listing's per-step loop computes: each layer has a second,
   separately weighted direction that also reads left to right (a bidirectional LSTM run over a
   whole sequence would read the word it has to predict). CausalLSTM computes exactly that.

>>> import torch
>>> from textgen.lstm.config import LSTMConfig
>>> model = CausalAttentionLSTM(LSTMConfig(vocab_size=10, embedding_dim=4, hidden_size=8, bidirectional=True))
>>> model(torch.zeros(2, 5, dtype=torch.long)).shape
torch.Size([2, 5, 10])
"""

from __future__ import annotations

from typing import NamedTuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from textgen.linear import Linear
from textgen.lstm.cell import LSTM
from textgen.lstm.config import LSTMConfig
from textgen.lstm.simple import LSTMState, select_rows


class CausalLSTM(nn.Module):
    """n_layers layers of n_directions one-layer LSTMs that all read left to right.

    Equals an nn.LSTM(bidirectional=True) stepped one token at a time, as the listings do, with
    layers[l * n_directions + d] holding layer l, direction d; the state has nn.LSTM's layout.

    >>> lstm = CausalLSTM(input_size=3, hidden_size=5, n_layers=2, n_directions=2)
    >>> out, (h, c) = lstm(torch.zeros(4, 7, 3))
    >>> out.shape, h.shape
    (torch.Size([4, 7, 10]), torch.Size([4, 4, 5]))
    """

    def __init__(self, input_size: int, hidden_size: int, n_layers: int, n_directions: int) -> None:
        super().__init__()
        self.n_directions = n_directions
        self.layers = nn.ModuleList(
            LSTM(input_size if layer == 0 else n_directions * hidden_size, hidden_size, batch_first=True)
            for layer in range(n_layers)
            for _ in range(n_directions)
        )

    def forward(self, x: Tensor, state: LSTMState | None = None) -> tuple[Tensor, LSTMState]:
        hs, cs = [], []
        for first in range(0, len(self.layers), self.n_directions):
            outs = []
            for j in range(first, first + self.n_directions):
                s = None if state is None else (state[0][j : j + 1], state[1][j : j + 1])
                out, (h, c) = self.layers[j](x, s)
                outs.append(out)
                hs.append(h)
                cs.append(c)
            x = torch.cat(outs, dim=-1)
        return x, (torch.cat(hs), torch.cat(cs))


class KeysValues(NamedTuple):
    keys: Tensor  # (batch, n_heads, positions so far, d_head)
    values: Tensor


class CausalAttention(nn.Module):
    """Multi-head attention of each query position over the keys at that position and before.

    `past` holds earlier positions' keys and values, so a chunk continues where the last ended.

    >>> att = CausalAttention(d_query=6, d_in=3, d_head=4, n_heads=2)
    >>> out, past = att(torch.zeros(1, 5, 6), torch.zeros(1, 5, 3))
    >>> out.shape, past.keys.shape
    (torch.Size([1, 5, 8]), torch.Size([1, 2, 5, 4]))
    """

    def __init__(self, d_query: int, d_in: int, d_head: int, n_heads: int) -> None:
        super().__init__()
        self.n_heads, self.d_head = n_heads, d_head
        self.Q = Linear(d_query, n_heads * d_head)
        self.K = Linear(d_in, n_heads * d_head)
        self.V = Linear(d_in, n_heads * d_head)

    def forward(self, q: Tensor, x: Tensor, past: KeysValues | None = None) -> tuple[Tensor, KeysValues]:
        batch, n_new = q.shape[:2]

        def heads(t: Tensor) -> Tensor:  # (batch, time, n_heads*d_head) -> (batch, n_heads, time, d_head)
            return t.view(batch, n_new, self.n_heads, self.d_head).transpose(1, 2)

        queries, keys, values = heads(self.Q(q)), heads(self.K(x)), heads(self.V(x))
        if past is not None:
            keys, values = torch.cat([past.keys, keys], dim=2), torch.cat([past.values, values], dim=2)
        n_past = keys.size(2) - n_new
        # New position i sits at n_past + i and may see keys 0..n_past + i.
        mask = torch.ones(n_new, n_past + n_new, dtype=torch.bool, device=q.device).tril(n_past)
        # Default scale 1/sqrt(d_head), the listing's 1/sqrt(d_out).
        out = F.scaled_dot_product_attention(queries, keys, values, attn_mask=mask)
        return out.transpose(1, 2).reshape(batch, n_new, -1), KeysValues(keys, values)


class CausalState(NamedTuple):
    lstm: LSTMState
    lstm2: LSTMState
    past: KeysValues


class CausalAttentionLSTM(nn.Module):
    """Fixed Listings 4 and 8 (module docstring), run over whole sequences."""

    batch_independent = True

    def __init__(self, config: LSTMConfig) -> None:
        super().__init__()
        c = self.config = config
        self.embedding = nn.Embedding(c.vocab_size, c.embedding_dim)
        self.lstm = CausalLSTM(c.embedding_dim, c.hidden_size, c.n_layers, c.n_directions)
        self.attention = CausalAttention(c.n_directions * c.hidden_size, c.embedding_dim, c.head_width, c.n_heads)
        self.lstm2 = LSTM(c.n_heads * c.head_width, c.state_width, batch_first=True)
        self.fc = Linear(c.state_width, c.vocab_size)

    def forward(self, ids: Tensor) -> Tensor:
        return self.step(ids)[0]

    def step(self, ids: Tensor, state: CausalState | None = None) -> tuple[Tensor, CausalState]:
        x = self.embedding(ids)
        out, s1 = self.lstm(x, None if state is None else state.lstm)
        attended, past = self.attention(out, x, None if state is None else state.past)
        out2, s2 = self.lstm2(attended, None if state is None else state.lstm2)
        return self.fc(out2), CausalState(s1, s2, past)

    def reorder_state(self, state: CausalState, index: Tensor) -> CausalState:
        past = KeysValues(state.past.keys.index_select(0, index), state.past.values.index_select(0, index))
        return CausalState(select_rows(state.lstm, index), select_rows(state.lstm2, index), past)
