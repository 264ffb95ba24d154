"""Checkpoints that know what they belong to: a GPT's weights, optimizer state and step, stamped
with the model config and the sha256 of the tokenizer file, so a resumed run cannot silently mix
a checkpoint with another tokenizer or architecture.

The file is a `torch.save` dict of tensors and plain Python values only, read back with
`weights_only=True` (no pickled code runs on load).
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from textgen.errors import TextgenError
from textgen.gpt.model import GPT, GPTConfig
from textgen.io import atomic_path

FORMAT = "textgen-gpt-checkpoint"
FORMAT_VERSION = 1


@dataclass
class Checkpoint:
    config: GPTConfig
    model: dict[str, torch.Tensor]  # state_dict for GPT(config)
    optimizer: dict[str, Any] | None  # optimizer.state_dict(), or None if none was saved
    step: int
    tokenizer_sha256: str
    extra: dict[str, Any] = field(default_factory=dict)  # anything else the trainer keeps (rng, losses)

    def build_model(self) -> GPT:
        model = GPT(self.config)
        model.load_state_dict(self.model)
        return model


def checkpoint_doc(model: GPT, optimizer: torch.optim.Optimizer | None, step: int, tokenizer_sha256: str,
                   extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """What a checkpoint file holds (torch.save it; textgen.checkpoints writes the trainer's)."""
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "config": dataclasses.asdict(model.config),
        "model": model.state_dict(),
        "optimizer": optimizer.state_dict() if optimizer is not None else None,
        "step": int(step),
        "tokenizer_sha256": tokenizer_sha256,
        "extra": extra or {},
    }


def save_checkpoint(path: str | os.PathLike, model: GPT, optimizer: torch.optim.Optimizer | None, step: int,
                    tokenizer_sha256: str, extra: dict[str, Any] | None = None) -> None:
    """Write atomically: an interrupted save leaves the previous checkpoint intact."""
    with atomic_path(path) as tmp:
        torch.save(checkpoint_doc(model, optimizer, step, tokenizer_sha256, extra), tmp)


def load_checkpoint(path: str | os.PathLike, expected_config: GPTConfig | None = None,
                    expected_tokenizer_sha256: str | None = None) -> Checkpoint:
    """Read `path`; refuse it (TextgenError) if it is not a checkpoint of this format version, or
    if its config or tokenizer differs from the expected ones (None: accept any)."""
    path = Path(path)
    try:
        doc = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # missing, truncated, not a zip, not torch: torch raises many kinds
        raise TextgenError(f"{path}: not a readable checkpoint ({type(exc).__name__}: {exc})") from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise TextgenError(f"{path}: not a {FORMAT} file")
    if doc.get("version") != FORMAT_VERSION:
        raise TextgenError(f"{path}: format version {doc.get('version')!r}, this code reads {FORMAT_VERSION}")
    try:
        config = GPTConfig(**doc["config"])
        ckpt = Checkpoint(config=config, model=doc["model"], optimizer=doc["optimizer"], step=int(doc["step"]),
                          tokenizer_sha256=str(doc["tokenizer_sha256"]), extra=dict(doc["extra"]))
    except (KeyError, TypeError, ValueError, TextgenError) as exc:
        raise TextgenError(f"{path}: corrupt checkpoint ({type(exc).__name__}: {exc})") from exc
    if expected_tokenizer_sha256 is not None and ckpt.tokenizer_sha256 != expected_tokenizer_sha256:
        raise TextgenError(f"{path}: tokenizer_sha256 differs: checkpoint {ckpt.tokenizer_sha256}, "
                           f"expected {expected_tokenizer_sha256} (trained with another tokenizer)")
    if expected_config is not None:
        for f in dataclasses.fields(GPTConfig):
            have, want = getattr(config, f.name), getattr(expected_config, f.name)
            if have != want:
                raise TextgenError(f"{path}: config.{f.name} differs: checkpoint {have!r}, expected {want!r}")
    return ckpt
