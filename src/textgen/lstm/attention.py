"""The LSTM + attention generator of seed 000 as listed (Listings 3-4), quirks included.

Per time step t the listed model runs: the first LSTM on token t alone (carrying its state), the
attention with the LSTM output as query and token t's embedding as key and value, then a
one-layer second LSTM whose initial state is the first LSTM's whole state flattened; the two
states are averaged and handed back to the first LSTM for step t+1. We keep that order of
operations, the shapes and the parameter names (`embedding`, `lstm`, `attention.Q/K/V`, `lstm2`,
`fc`), so weights copy across from a transcription of the listings. What the listing does, and so
this class does too:

- the attention sees one key per step, so its softmax is exactly 1 and Q and K get no gradient:
  the block computes V(embedding of token t) (causal.py attends over all earlier tokens);
- the state is flattened with a plain reshape of (layers*directions, batch, hidden) to
  (1, batch, layers*directions*hidden): for batch > 1 a row's second-LSTM state is built from
  other rows' states, so sequences in a batch influence each other (`batch_independent = False`;
  `step(..., rows_alone=True)` reshapes row by row instead, which gives every row what it gets in
  a batch of one: beam search scores its beams that way in one batch);
- Attention.Q is sized for n_directions*n_layers*embedding_dim inputs while it receives the LSTM's
  n_directions*hidden_size outputs; we refuse such configurations up front (the listing crashes
  in its first step).

>>> import torch
>>> from textgen.lstm.config import LSTMConfig
>>> model = AttentionLSTM(LSTMConfig(vocab_size=10, embedding_dim=4, hidden_size=8, n_layers=2))
>>> model(torch.zeros(2, 5, dtype=torch.long)).shape
torch.Size([2, 5, 10])
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from textgen.errors import TextgenError
from textgen.linear import Linear
from textgen.lstm.cell import LSTM
from textgen.lstm.config import LSTMConfig
from textgen.lstm.simple import LSTMState, select_rows


class Attention(nn.Module):
    """Listing 3: scaled dot-product attention of a query sequence over the sequence `x`.

    Q reads n_directions * n_layers * d_in features: the listing's assumption about the width of
    the first LSTM's output.

    >>> att = Attention(d_in=2, d_out=3, n_layers=1, n_directions=1)
    >>> att(torch.ones(1, 1, 2), torch.ones(1, 4, 2)).shape
    torch.Size([1, 1, 3])
    """

    def __init__(self, d_in: int, d_out: int, n_layers: int, n_directions: int = 2) -> None:
        super().__init__()
        self.d_out = d_out
        self.Q = Linear(n_directions * n_layers * d_in, d_out)
        self.K = Linear(d_in, d_out)
        self.V = Linear(d_in, d_out)

    def forward(self, q: Tensor, x: Tensor) -> Tensor:
        # q: (batch, n_queries, Q.in_features), x: (batch, n_keys, d_in)
        queries, keys, values = self.Q(q), self.K(x), self.V(x)
        scores = torch.bmm(queries, keys.transpose(1, 2)) / self.d_out**0.5
        return torch.bmm(F.softmax(scores, dim=2), values)


def check_listing_widths(config: LSTMConfig, model: str) -> None:
    """Refuse the configurations the listed attention cannot run, explaining why."""
    c = config
    q_in, lstm_out = c.n_directions * c.n_layers * c.embedding_dim, c.n_directions * c.hidden_size
    if q_in != lstm_out:
        raise TextgenError(
            f"{model}: the listed Attention.Q takes n_directions*n_layers*embedding_dim = "
            f"{c.n_directions}*{c.n_layers}*{c.embedding_dim} = {q_in} inputs, but the first LSTM outputs "
            f"n_directions*hidden_size = {c.n_directions}*{c.hidden_size} = {lstm_out} features, so the "
            f"listing crashes on its first step. It only runs when hidden_size == n_layers*embedding_dim "
            f"(Figure 13: 256 == 2*128; Figure 18: 512 != 4*256). Use the fixed variant "
            f"(CausalAttentionLSTM: 'attention_fixed' or 'multihead_fixed'), whose Q reads the LSTM's output."
        )


class TwoLSTMs(nn.Module):
    """What Listings 4 and 8 share; subclasses only choose the attention block."""

    batch_independent = False  # the listed state reshape mixes batch rows (module docstring)

    def __init__(self, config: LSTMConfig) -> None:
        super().__init__()
        check_listing_widths(config, type(self).__name__)
        c = self.config = config
        self.embedding = nn.Embedding(c.vocab_size, c.embedding_dim)
        self.lstm = LSTM(c.embedding_dim, c.hidden_size, num_layers=c.n_layers, batch_first=True,
                            bidirectional=c.bidirectional)
        self.attention = self.make_attention(c)
        self.lstm2 = LSTM(c.n_heads * c.head_width, c.state_width, batch_first=True)
        self.fc = Linear(c.state_width, c.vocab_size)

    def make_attention(self, config: LSTMConfig) -> nn.Module:
        raise NotImplementedError

    def forward(self, ids: Tensor) -> Tensor:
        return self.step(ids)[0]

    def step(self, ids: Tensor, state: LSTMState | None = None,
             rows_alone: bool = False) -> tuple[Tensor, LSTMState]:
        """The listed per-step loop over `ids` (batch, time), continuing the first LSTM's `state`;
        `rows_alone`: each row as in a batch of its own (the module docstring)."""
        c, batch = self.config, ids.size(0)
        n_states = c.n_layers * c.n_directions
        x = self.embedding(ids)
        outputs = []
        for t in range(ids.size(1)):
            x_t = x[:, t : t + 1]  # (batch, 1, embedding_dim)
            out, (h, cell) = self.lstm(x_t, state)  # out: (batch, 1, n_directions*hidden_size)
            if rows_alone:  # row b gets its own n_states vectors, in order
                h, cell = (s.transpose(0, 1).reshape(1, batch, c.state_width) for s in (h, cell))
            else:  # (1, batch, state_width) in memory order: rows mix when batch > 1
                h, cell = h.reshape(1, -1, c.state_width), cell.reshape(1, -1, c.state_width)
            out2, (h2, cell2) = self.lstm2(self.attention(out, x_t), (h, cell))
            # The first LSTM continues from the average of both LSTMs' states.
            h, cell = (h + h2) / 2, (cell + cell2) / 2
            if rows_alone:
                state = tuple(s.reshape(batch, n_states, -1).transpose(0, 1).contiguous() for s in (h, cell))
            else:
                state = (h.reshape(n_states, batch, -1), cell.reshape(n_states, batch, -1))
            outputs.append(out2)
        return self.fc(torch.cat(outputs, dim=1)), state

    def listing_step(self, ids: Tensor, state: LSTMState | None = None) -> tuple[Tensor, LSTMState]:
        """One decoding call as Listings 5-6 write it, kept to measure how it differs from `step`.

        Unlike training (`step`/`forward`), the listed write/write_better run the whole chunk
        through the first LSTM at once (for a multi-word prompt its reverse direction reads the
        prompt backwards and the attention sees every prompt word), give the second LSTM a copy
        of the first LSTM's final state, and carry the first LSTM's own state: no averaging.
        """
        x = self.embedding(ids)
        out, (h, cell) = self.lstm(x, state)
        flat = (h.reshape(1, ids.size(0), -1), cell.reshape(1, ids.size(0), -1))
        out2, _ = self.lstm2(self.attention(out, x), flat)
        return self.fc(out2), (h, cell)

    def reorder_state(self, state: LSTMState, index: Tensor) -> LSTMState:
        return select_rows(state, index)


class AttentionLSTM(TwoLSTMs):
    """Listing 4: LSTM -> Attention (Listing 3) -> LSTM -> linear, one step at a time."""

    def make_attention(self, config: LSTMConfig) -> nn.Module:
        if config.n_heads != 1:
            raise TextgenError(f"AttentionLSTM (Listing 4) has one attention head: set n_heads: 1, got "
                               f"{config.n_heads} (MultiHeadAttentionLSTM is Listing 8)")
        return Attention(config.embedding_dim, config.head_width, config.n_layers, config.n_directions)
