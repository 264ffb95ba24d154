"""Resumable training state of a translation model: one file, `latest.pt`, in the checkpoint folder.

It holds the weights, Adam's state, the position (epoch, batch within it, step), the global torch
random state (dropout), the metrics and prompt tables so far, and a fingerprint of everything
that defines the run (parameters, seed, data files, tokenizer). A run resumes only from a
checkpoint with the same fingerprint; any other is ignored and training starts over.

Written atomically (a kill during the write leaves the previous one) as a dict of tensors and
plain values, read with `weights_only=True`. A file that cannot be read is an error naming it,
not silently skipped: atomic writes rule out half-written files, so an unreadable one means
something else touched it, and the user should look before hours of training are thrown away.

    >>> fingerprint({"b": 1, "a": [1, 2]}) == fingerprint({"a": [1, 2], "b": 1})
    True
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from textgen.errors import TextgenError
from textgen.io import atomic_path

FORMAT = "textgen-translation-checkpoint"
FORMAT_VERSION = 1
LATEST = "latest.pt"


def fingerprint(run: dict[str, Any]) -> str:
    """sha256 of the run description as canonical JSON: equal runs, equal fingerprints."""
    return hashlib.sha256(json.dumps(run, sort_keys=True).encode("utf-8")).hexdigest()


@dataclass
class TrainState:
    epoch: int = 0  # current epoch (0-based)
    batch: int = 0  # batches of the current epoch already trained
    step: int = 0  # optimizer steps so far
    metrics: list[dict[str, float]] = field(default_factory=list)  # rows of metrics.csv
    tables: list[dict[str, Any]] = field(default_factory=list)  # rows of prompts.csv


def save(folder: Path, run_id: str, model: torch.nn.Module, optimizer: torch.optim.Optimizer,
         state: TrainState) -> None:
    doc = {
        "format": FORMAT, "version": FORMAT_VERSION, "fingerprint": run_id,
        "model": model.state_dict(), "optimizer": optimizer.state_dict(), "rng": torch.get_rng_state(),
        "epoch": state.epoch, "batch": state.batch, "step": state.step,
        "metrics": state.metrics, "tables": state.tables,
    }
    folder.mkdir(parents=True, exist_ok=True)
    with atomic_path(folder / LATEST) as tmp:
        torch.save(doc, tmp)


def resume(folder: Path, run_id: str, model: torch.nn.Module, optimizer: torch.optim.Optimizer) -> TrainState | None:
    """Load `folder/latest.pt` into model, optimizer and the random state if it belongs to this
    run; None (with the reason printed) when there is nothing to resume."""
    path = folder / LATEST
    if not path.exists():
        print(f"no checkpoint in {folder}: starting from scratch")
        return None
    try:
        doc = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # truncated, not a zip, not torch: torch raises many kinds
        raise TextgenError(f"{path}: not a readable checkpoint ({type(exc).__name__}: {exc}); "
                           "delete it to start over") from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or doc.get("version") != FORMAT_VERSION:
        raise TextgenError(f"{path}: not a {FORMAT} file of version {FORMAT_VERSION}; delete it to start over")
    if doc.get("fingerprint") != run_id:
        print(f"{path}: made with other parameters, data or tokenizer: starting over")
        return None
    try:
        model.load_state_dict(doc["model"])
        optimizer.load_state_dict(doc["optimizer"])
        torch.set_rng_state(doc["rng"])
        state = TrainState(int(doc["epoch"]), int(doc["batch"]), int(doc["step"]),
                           list(doc["metrics"]), list(doc["tables"]))
    except (KeyError, TypeError, ValueError, RuntimeError) as exc:
        raise TextgenError(f"{path}: corrupt checkpoint ({type(exc).__name__}: {exc}); delete it to start over") from exc
    print(f"resuming from {path}: epoch {state.epoch + 1}, step {state.step}")
    return state
