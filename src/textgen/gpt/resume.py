"""The resumable-training folder of one model (checkpoints/<study>/<model>/, never a declared
output, so Snakemake and DVC do not delete it before a rerun).

    state-0000400.pt   model + optimizer + RNG states + loss history at step 400 (the last two kept)
    model-300.pt       weights only, at a step the sample tables need (kept)

A run resumes from the newest state whose model config, tokenizer and run settings (training
parameters, format, split, seed, data) equal its own. An unreadable state file is skipped with a
warning and removed (the one before it is used); a state from other settings is not resumed: the folder is
emptied and training starts over, and the log says which setting differs.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from textgen.errors import TextgenError
from textgen.gpt.checkpoint import Checkpoint, load_checkpoint, save_checkpoint
from textgen.gpt.model import GPT, GPTConfig
from textgen.training import first_difference

KEEP_STATES = 2
_STATE = re.compile(r"state-(\d+)\.pt")
_WEIGHTS = re.compile(r"model-(\d+)\.pt")


@dataclass
class Resumed:
    step: int
    history: list[dict[str, float]]
    elapsed: float  # seconds of training before this run
    rng_batches: torch.Tensor  # state of the generator that draws training windows
    rng_torch: torch.Tensor  # torch's global generator (dropout)


def difference(ckpt: Checkpoint, config: GPTConfig, tokenizer_sha256: str, run: dict[str, Any]) -> str | None:
    """What makes `ckpt` another run's checkpoint, or None if it is this run's.

    >>> c = GPTConfig(vocab_size=8, n_layer=1, n_head=1, n_embd=2)
    >>> ck = Checkpoint(c, {}, None, 3, "aa", {"run": {"seed": 1, "train": {"lr": 0.1}}})
    >>> difference(ck, c, "aa", {"seed": 1, "train": {"lr": 0.2}})
    'run.train.lr: checkpoint 0.1, now 0.2'
    >>> difference(ck, dataclasses.replace(c, n_layer=2), "aa", {})
    'config.n_layer: checkpoint 1, now 2'
    """
    if ckpt.tokenizer_sha256 != tokenizer_sha256:
        return f"tokenizer: checkpoint made with sha256 {ckpt.tokenizer_sha256[:12]}, now {tokenizer_sha256[:12]}"
    for field in dataclasses.fields(GPTConfig):
        have, want = getattr(ckpt.config, field.name), getattr(config, field.name)
        if have != want:
            return f"config.{field.name}: checkpoint {have!r}, now {want!r}"
    return first_difference(ckpt.extra.get("run", {}), run)


class CheckpointDir:
    def __init__(self, folder: Path, log: Callable[[str], None] = print):
        self.folder = Path(folder)
        self.log = log

    def _files(self, pattern: re.Pattern) -> dict[int, Path]:
        found = {}
        for path in self.folder.glob("*.pt"):
            match = pattern.fullmatch(path.name)
            if match:
                found[int(match.group(1))] = path
        return found

    def weights(self) -> dict[int, Path]:
        """step -> weights-only checkpoint."""
        return self._files(_WEIGHTS)

    def clear(self) -> None:
        """Remove this layout's files (and temporary files a kill left), nothing else."""
        for path in [*self._files(_STATE).values(), *self.weights().values(), *self.folder.glob(".*.pt.tmp-*")]:
            path.unlink()

    def resume(self, model: GPT, optimizer: torch.optim.Optimizer, tokenizer_sha256: str, run: dict[str, Any],
               needed_weights: list[int]) -> Resumed | None:
        """Load the newest matching state into `model` and `optimizer`; None means start from step 0
        (the folder is then empty)."""
        for step, path in sorted(self._files(_STATE).items(), reverse=True):
            try:
                ckpt = load_checkpoint(path)
            except TextgenError as err:
                self.log(f"warning: {err}; removed, trying an older state")
                path.unlink()
                continue
            why = difference(ckpt, model.config, tokenizer_sha256, run)
            missing = [s for s in needed_weights if s <= step and s not in self.weights()]
            if why is None and missing:
                why = f"weights of step {missing[0]} are missing from {self.folder}"
            if why is not None:
                self.log(f"{path}: not resumed, {why}; starting over")
                break
            model.load_state_dict(ckpt.model)
            optimizer.load_state_dict(ckpt.optimizer)
            extra = ckpt.extra
            self.log(f"resumed from {path} (step {step})")
            return Resumed(step, list(extra["history"]), float(extra["elapsed"]), extra["rng_batches"],
                           extra["rng_torch"])
        self.clear()
        return None

    def save_state(self, model: GPT, optimizer: torch.optim.Optimizer, step: int, tokenizer_sha256: str,
                   run: dict[str, Any], history: list[dict[str, float]], elapsed: float,
                   rng_batches: torch.Tensor) -> None:
        extra = {"run": run, "history": history, "elapsed": elapsed, "rng_batches": rng_batches,
                 "rng_torch": torch.get_rng_state()}
        save_checkpoint(self.folder / f"state-{step:07d}.pt", model, optimizer, step, tokenizer_sha256, extra)
        states = self._files(_STATE)
        for old in sorted(states)[:-KEEP_STATES]:
            states[old].unlink()

    def save_weights(self, model: GPT, step: int, tokenizer_sha256: str) -> None:
        save_checkpoint(self.folder / f"model-{step}.pt", model, None, step, tokenizer_sha256)
