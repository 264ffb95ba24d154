"""FLOPs of training Report A's word models, for plans, estimates and benchmarks."""

from __future__ import annotations

from textgen.lstm.config import LSTMConfig


def train_flops_per_token(kind: str, config: LSTMConfig, seq_len: int) -> float:
    """Matrix-multiply FLOPs of one training token: 2 per multiply-add, forward + 2x backward."""
    c = config
    width = c.n_directions * c.hidden_size  # what a first-LSTM layer outputs
    inputs = [c.embedding_dim] + [width] * (c.n_layers - 1)
    macs = sum(4 * c.hidden_size * (n_in + c.hidden_size) * c.n_directions for n_in in inputs)
    if kind == "simple":
        macs += c.hidden_size * c.vocab_size
    else:
        keys_per_query = 1 if kind in ("attention", "multihead") else (seq_len + 1) / 2  # causal: on average
        per_head = (width + 2 * c.embedding_dim) * c.head_width + 2 * keys_per_query * c.head_width
        macs += c.n_heads * per_head
        macs += 4 * c.state_width * (c.n_heads * c.head_width + c.state_width) + c.state_width * c.vocab_size
    return 6.0 * macs
