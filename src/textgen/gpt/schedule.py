"""Training settings of the decoder-only models (seed 001, the author's repository configs) and the
learning-rate schedule: linear warmup, then cosine decay to min_lr at lr_decay_iters.

>>> cfg = TrainConfig.from_dict({**EXAMPLE, "warmup_iters": 10, "lr_decay_iters": 110, "max_iters": 50})
>>> [round(learning_rate(s, cfg), 6) for s in (0, 9, 10, 60, 110, 200)]
[9.1e-05, 0.000909, 0.001, 0.00055, 0.0001, 0.0001]
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields

from textgen.errors import TextgenError


@dataclass(frozen=True)
class TrainConfig:
    max_iters: int  # optimizer steps taken; fewer than lr_decay_iters = stopped early (quixote-large)
    lr_decay_iters: int  # where the cosine reaches min_lr: the length of the planned run
    batch_size: int  # windows per micro-step
    grad_accum: int  # micro-steps per optimizer step (the seed: 32 x 64 windows x 256 tokens)
    learning_rate: float
    min_lr: float
    betas: tuple[float, float]
    eps: float
    weight_decay: float  # on matrices and embeddings only, not on LayerNorm gains
    grad_clip: float  # max global gradient norm; 0 = off
    warmup_iters: int
    eval_interval: int  # train and val loss estimated every this many steps
    eval_iters: int  # batches per estimate (the same batches each time)
    checkpoint_interval: int  # a resumable state every this many steps
    save_at: tuple[int, ...]  # steps whose weights the sample tables use (the last step always)

    @classmethod
    def from_dict(cls, params: dict, flag: str = "--train") -> TrainConfig:
        names = [f.name for f in fields(cls)]
        unknown, missing = sorted(set(params) - set(names)), [n for n in names if n not in params]
        if unknown or missing:
            raise TextgenError(f"{flag}: unknown keys {unknown}, missing keys {missing}")
        values = {**params, "betas": tuple(params["betas"]), "save_at": tuple(sorted(set(params["save_at"])))}
        try:
            cfg = cls(**values)
        except TypeError as exc:
            raise TextgenError(f"{flag}: {exc}") from None
        cfg._check(flag)
        return cfg

    def _check(self, flag: str) -> None:
        def fail(key: str, why: str) -> None:
            raise TextgenError(f"{flag}.{key}: {why}, got {getattr(self, key)!r}")

        for key in ("max_iters", "lr_decay_iters", "batch_size", "grad_accum", "eval_interval", "eval_iters",
                    "checkpoint_interval"):
            if not isinstance(getattr(self, key), int) or getattr(self, key) < 1:
                fail(key, "must be an integer >= 1")
        if not 0 <= self.warmup_iters < self.lr_decay_iters:
            fail("warmup_iters", f"must be in [0, lr_decay_iters={self.lr_decay_iters})")
        if not 0 < self.learning_rate:
            fail("learning_rate", "must be > 0")
        if not 0 <= self.min_lr <= self.learning_rate:
            fail("min_lr", "must be in [0, learning_rate]")
        if len(self.betas) != 2 or not all(0 <= b < 1 for b in self.betas):
            fail("betas", "must be two numbers in [0, 1)")
        if not 0 < self.eps < 1:
            fail("eps", "must be in (0, 1)")
        if self.weight_decay < 0 or self.grad_clip < 0:
            fail("weight_decay" if self.weight_decay < 0 else "grad_clip", "must be >= 0")
        if any(not isinstance(s, int) or not 1 <= s <= self.max_iters for s in self.save_at):
            fail("save_at", f"every step must be an integer in [1, max_iters={self.max_iters}]")

    @property
    def kept_steps(self) -> list[int]:
        """Steps whose weights are kept for sampling: save_at plus the last step."""
        return sorted(set(self.save_at) | {self.max_iters})

    def as_dict(self) -> dict:
        return {**asdict(self), "betas": list(self.betas), "save_at": list(self.save_at)}


def learning_rate(step: int, cfg: TrainConfig) -> float:
    """Learning rate of optimizer step `step` (0-based)."""
    if step < cfg.warmup_iters:
        return cfg.learning_rate * (step + 1) / (cfg.warmup_iters + 1)
    if step >= cfg.lr_decay_iters:
        return cfg.min_lr
    progress = (step - cfg.warmup_iters) / (cfg.lr_decay_iters - cfg.warmup_iters)
    return cfg.min_lr + 0.5 * (1 + math.cos(math.pi * progress)) * (cfg.learning_rate - cfg.min_lr)


# The author's quixote-small settings at a CPU-sized length: a complete, valid example.
EXAMPLE = {
    "max_iters": 100, "lr_decay_iters": 100, "batch_size": 16, "grad_accum": 1, "learning_rate": 1e-3,
    "min_lr": 1e-4, "betas": [0.9, 0.99], "eps": 1e-9, "weight_decay": 0.1, "grad_clip": 1.0,
    "warmup_iters": 10, "eval_interval": 20, "eval_iters": 4, "checkpoint_interval": 50, "save_at": [50],
}
