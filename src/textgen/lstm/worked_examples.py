"""The seed's three worked attention examples: q . k^T . v for hard and soft queries and keys.

The keys are the identity (hard) or the identity with feature 1 shared half and half by keys 1 and 2 (soft);
the values are five 2-d rows. Computed in float64 (the seed prints float32, e.g. 4.5499997).

>>> [example.result.tolist() for example in worked_examples()]
[[3.0, 5.0], [5.0, 4.4], [4.55, 4.25]]
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor

VALUES = ((2, 4), (6, 6), (3, 5), (6, 3), (2, 4))
SOFT_QUERY = (0.0, 0.3, 0.2, 0.4, 0.1)


@dataclass(frozen=True)
class WorkedExample:
    name: str
    q: Tensor  # (1, 5)
    k: Tensor  # (5, 5)
    v: Tensor  # (5, 2)

    @property
    def qk(self) -> Tensor:
        """q . k^T: how much the query matches each key."""
        return self.q @ self.k.T

    @property
    def kv(self) -> Tensor:
        """k^T . v: the values as the keys mix them."""
        return self.k.T @ self.v

    @property
    def result(self) -> Tensor:
        """q . k^T . v, a 2-d vector: a weighted mix of the value rows."""
        return (self.qk @ self.v).squeeze(0).round(decimals=12)  # 12 decimals: 4.55, not 4.549999999999999


def worked_examples() -> list[WorkedExample]:
    """Hard query and keys (selects value row 2), soft query, soft query and soft keys.

    In the third example the seed prints q . k^T unchanged from the second; with the soft keys
    it is [0, 0.15, 0.35, 0.4, 0.1] (the final result, which the seed gets right, needs this).
    """
    f64 = torch.float64
    v = torch.tensor(VALUES, dtype=f64)
    hard_k = torch.eye(5, dtype=f64)
    soft_k = hard_k.clone()
    soft_k[1, 1] = 0.5
    soft_k[2, 1] = 0.5  # key 2 now also half-matches feature 1
    hard_q = torch.nn.functional.one_hot(torch.tensor([2]), 5).to(f64)
    soft_q = torch.tensor([SOFT_QUERY], dtype=f64)
    return [
        WorkedExample("hard query, hard keys", hard_q, hard_k, v),
        WorkedExample("soft query, hard keys", soft_q, hard_k, v),
        WorkedExample("soft query, soft keys", soft_q, soft_k, v),
    ]
