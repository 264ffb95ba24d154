"""One configuration for every word-level LSTM of seed 000, plus the seed's own configurations.

The two-LSTM models derive two widths from it, exactly as the listings do:

- `head_width` = n_layers * n_directions * embedding_dim: what one attention head outputs;
- `state_width` = n_layers * n_directions * hidden_size: the second LSTM's hidden size, chosen in
  the listings so that the first LSTM's whole state (every layer and direction) fits into it.

>>> c = figure13("attention", vocab_size=6916)
>>> c.n_directions, c.head_width, c.state_width
(2, 512, 1024)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from textgen.errors import TextgenError


@dataclass(frozen=True)
class LSTMConfig:
    vocab_size: int  # words the model reads and predicts (6916 for the seed's one-book corpus)
    embedding_dim: int = 128  # Figure 13; Figure 18 uses 256
    hidden_size: int = 256  # first LSTM, per direction; Figure 13; Figure 18 uses 512
    n_layers: int = 2  # first LSTM's layers; Figure 13 (the listings' default is 3, Figure 18 uses 4)
    bidirectional: bool = False  # first LSTM; Figure 13: False for the simple model, True for the others
    n_heads: int = 1  # attention heads; 1 unless multi-head (Listing 8's default 2, Figure 18: 4)

    def __post_init__(self) -> None:
        for name in ("vocab_size", "embedding_dim", "hidden_size", "n_layers", "n_heads"):
            value = getattr(self, name)
            # bool is an int subclass: True would silently mean 1
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise TextgenError(f"LSTMConfig.{name} must be a positive integer, got {value!r}")
        if not isinstance(self.bidirectional, bool):
            raise TextgenError(f"LSTMConfig.bidirectional must be true or false, got {self.bidirectional!r}")

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any], where: str = "LSTMConfig") -> LSTMConfig:
        """Build from a parameter block, naming `where` and the key when a key is unknown or missing.

        >>> LSTMConfig.from_mapping({"vocab_size": 10, "n_layers": 1}).n_layers
        1
        """
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise TextgenError(f"{where}: unknown key(s) {', '.join(unknown)}; expected some of {', '.join(sorted(known))}")
        if "vocab_size" not in values:
            raise TextgenError(f"{where}: missing key vocab_size")
        return cls(**values)

    @property
    def n_directions(self) -> int:
        return 2 if self.bidirectional else 1

    @property
    def head_width(self) -> int:
        return self.n_layers * self.n_directions * self.embedding_dim

    @property
    def state_width(self) -> int:
        return self.n_layers * self.n_directions * self.hidden_size


def figure13(kind: str, vocab_size: int = 6916) -> LSTMConfig:
    """Figure 13's configuration of the simple, attention or multi-head model (any variant).

    Figure 13 does not list n_heads; the multi-head model then has Listing 8's default of 2.
    """
    base = LSTMConfig(vocab_size, embedding_dim=128, hidden_size=256, n_layers=2)
    family = kind.removesuffix("_fixed")
    if family == "simple":
        return base
    if family == "attention":
        return replace(base, bidirectional=True)
    if family == "multihead":
        return replace(base, bidirectional=True, n_heads=2)
    raise TextgenError(f"figure13: unknown model kind {kind!r}; expected simple, attention or multihead")


def figure18(vocab_size: int = 6916) -> LSTMConfig:
    """Figure 18's multi-head configuration (the listed model cannot run it: see AttentionLSTM)."""
    return LSTMConfig(vocab_size, embedding_dim=256, hidden_size=512, n_layers=4, bidirectional=True, n_heads=4)
