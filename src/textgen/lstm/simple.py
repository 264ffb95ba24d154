"""The basic word-level generator of seed 000 (Listing 1): embedding -> multi-layer LSTM -> linear.

Every model in this package has the same interface:

- `forward(ids)`: token ids (batch, time) -> logits (batch, time, vocab);
- `step(ids, state)`: the same for a chunk that continues `state` (None: a fresh start), returning
  the new state too, so generation feeds the prompt once and then one token per call;
- `reorder_state(state, index)`: keep/duplicate batch rows, for beam search;
- `batch_independent`: whether a row's logits depend on its own tokens only.

>>> import torch
>>> from textgen.lstm.config import LSTMConfig
>>> model = WordLSTM(LSTMConfig(vocab_size=10, embedding_dim=4, hidden_size=8))
>>> model(torch.zeros(2, 5, dtype=torch.long)).shape
torch.Size([2, 5, 10])
"""

from __future__ import annotations

from torch import Tensor, nn

from textgen.errors import TextgenError
from textgen.linear import Linear
from textgen.lstm.cell import LSTM, LSTMState
from textgen.lstm.config import LSTMConfig

class WordLSTM(nn.Module):
    """Listing 1. The listing's `softmax` member and `write` method live in generate.py."""

    batch_independent = True

    def __init__(self, config: LSTMConfig) -> None:
        super().__init__()
        if config.bidirectional:
            # Over a whole sequence the reverse direction would read the very word it must predict.
            raise TextgenError("WordLSTM (Listing 1) has no bidirectional option: set bidirectional: false")
        if config.n_heads != 1:
            raise TextgenError(f"WordLSTM (Listing 1) has no attention: set n_heads: 1, got {config.n_heads}")
        self.config = config
        self.embedding = nn.Embedding(config.vocab_size, config.embedding_dim)
        self.lstm = LSTM(config.embedding_dim, config.hidden_size, num_layers=config.n_layers, batch_first=True)
        self.fc = Linear(config.hidden_size, config.vocab_size)

    def forward(self, ids: Tensor) -> Tensor:
        return self.step(ids)[0]

    def step(self, ids: Tensor, state: LSTMState | None = None) -> tuple[Tensor, LSTMState]:
        out, state = self.lstm(self.embedding(ids), state)
        return self.fc(out), state

    def reorder_state(self, state: LSTMState, index: Tensor) -> LSTMState:
        return select_rows(state, index)


def select_rows(state: LSTMState, index: Tensor) -> LSTMState:
    """Batch rows `index` of an nn.LSTM state (batch is dimension 1)."""
    h, c = state
    return h.index_select(1, index), c.index_select(1, index)
