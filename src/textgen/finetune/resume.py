"""Resumable fine-tuning: the Trainer's checkpoints live in a folder that is not a declared output
(--checkpoints), stamped with a fingerprint of everything that shapes the run (settings, seed,
base model, tokenizer, data). A rerun resumes from the newest complete checkpoint when the
fingerprint matches and starts over (emptying the folder) when it does not.

A checkpoint is complete once trainer_state.json is readable: the Trainer writes it last, so a
folder without it was cut off while saving; it is removed with a warning and an earlier one
used. A complete checkpoint whose weights, optimizer or RNG files do not load is skipped with a
warning that names the file, and the one before it is used (textgen.checkpoints' policy; the
Trainer keeps its own format and writes on rank 0).

Once the run has written its outputs, `finish` removes what only further steps need from its
checkpoints (optimizer moments, scheduler, scaler: RESUME_ONLY) and, where the run started from a
local base model, keeps the weights as their lossless difference from it (textgen.finetune.delta:
0.57 of the size for SmolLM2-135M). A rerun with the same settings resumes from the last one
(its weights rebuilt first), takes no step and writes the same outputs, and `textgen generate`
still finds the weights there.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> prepare(folder, {"lr": 1e-4}, log=print) is None
    True
    >>> _ = (folder / "checkpoint-2").mkdir()  # a finished run's last checkpoint, thinned by finish()
    >>> _ = (folder / "checkpoint-2" / STATE).write_text('{"global_step": 2, "max_steps": 2}')
    >>> prepare(folder, {"lr": 1e-4}, log=lambda message: None).name
    'checkpoint-2'
    >>> prepare(folder, {"lr": 3e-4}, log=lambda message: None), sorted(p.name for p in folder.iterdir())
    (None, ['fingerprint.json'])
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import torch
from safetensors import safe_open
from transformers.trainer import OPTIMIZER_NAME, OPTIMIZER_NAME_BIN, SCALER_NAME, SCHEDULER_NAME
from transformers.trainer_pt_utils import safe_globals

from textgen.errors import TextgenError
from textgen.finetune import delta
from textgen.io import read_json, write_json
from textgen.training import first_difference, plain

FINGERPRINT = "fingerprint.json"
STATE = "trainer_state.json"
SAMPLES = "samples"  # generated text per epoch, kept beside the checkpoints (see callbacks)
# What the Trainer reads only to take further steps; Adam's moments alone are twice the weights.
OPTIMIZER_FILES = (OPTIMIZER_NAME, OPTIMIZER_NAME_BIN)
RESUME_ONLY = (*OPTIMIZER_FILES, SCHEDULER_NAME, SCALER_NAME)


def prepare(folder: Path, fingerprint: dict, log: Callable[[str], None]) -> Path | None:
    """Make `folder` ready for this run and return the checkpoint to resume from (None: start over)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = folder / FINGERPRINT
    saved, fingerprint = _read_fingerprint(stamp), plain(fingerprint)  # compared as JSON gives them back
    if saved != fingerprint:
        if any(folder.iterdir()):
            why = "no readable fingerprint" if saved is None else first_difference(saved, fingerprint)
            log(f"checkpoints in {folder} were made by another configuration ({why}): starting over")
            for entry in folder.iterdir():
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
        write_json(stamp, fingerprint)
        return None
    candidates = sorted(_checkpoints(folder), key=_step, reverse=True)
    for checkpoint in candidates:
        if not _complete(checkpoint):
            log(f"warning: {checkpoint} is incomplete (cut off while saving): removing it")
            shutil.rmtree(checkpoint)
            continue
        try:
            _check_loads(checkpoint)
        except TextgenError as err:  # the policy of textgen.checkpoints: warn, use the one before
            log(f"warning: {err}; trying the checkpoint before it")
            continue
        if not _last(checkpoint) and not any((checkpoint / name).is_file() for name in OPTIMIZER_FILES):
            # finish() thinned it: only the run's last checkpoint may go on without its optimizer
            log(f"warning: {checkpoint} kept only its weights when its run finished: no step can follow it; "
                "trying the checkpoint before it")
            continue
        try:
            if delta.restore(checkpoint):  # a finished run's packed weights, back where the Trainer reads them
                log(f"{checkpoint}: weights rebuilt from {delta.DELTA}")
        except TextgenError as err:
            log(f"warning: {err}; trying the checkpoint before it")
            continue
        log(f"resuming from {checkpoint}")
        return checkpoint
    if candidates:
        log(f"no checkpoint in {folder} to resume from: starting over")
    return None


def finish(folder: Path, base: Path | None = None) -> int:
    """A finished run's checkpoints in `folder` without RESUME_ONLY, and their weights packed as
    the difference from `base`'s (a local base model folder; None: kept as they are); returns the
    bytes saved.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "checkpoint-4").mkdir(), (folder / "checkpoint-4" / "optimizer.pt").write_bytes(b"x" * 8)
    >>> _ = (folder / "checkpoint-4" / "model.safetensors").write_bytes(b"w")
    >>> finish(folder), sorted(p.name for p in (folder / "checkpoint-4").iterdir())
    (8, ['model.safetensors'])
    """
    removed = 0
    for checkpoint in _checkpoints(Path(folder)):
        for name in RESUME_ONLY:
            path = checkpoint / name
            if path.is_file():
                removed += path.stat().st_size
                path.unlink()
        if base is not None:
            removed += delta.pack(checkpoint, base)
    return removed


def _read_fingerprint(path: Path) -> dict | None:
    try:
        return read_json(path)
    except (OSError, ValueError):
        return None


def _checkpoints(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.is_dir() and re.fullmatch(r"checkpoint-\d+", p.name)]


def _step(checkpoint: Path) -> int:
    return int(checkpoint.name.split("-")[1])


def _complete(checkpoint: Path) -> bool:
    try:
        json.loads((checkpoint / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return True


def _last(checkpoint: Path) -> bool:
    """Whether the run had taken all its steps at `checkpoint` (its trainer_state.json says so)."""
    state = read_json(checkpoint / STATE)
    return state.get("max_steps", 0) > 0 and state.get("global_step", 0) >= state["max_steps"]


def _check_loads(checkpoint: Path) -> None:
    """Open every weights and state file the Trainer will read on resume (not training_args.bin,
    which it never reads), so a corrupt one is named here rather than deep inside trainer.train()."""
    for path in sorted(checkpoint.iterdir()):
        try:
            if path.suffix == ".safetensors":
                with safe_open(path, framework="pt") as f:
                    f.keys()
            elif path.suffix in (".pt", ".pth") or path.name.startswith("pytorch_model"):
                with safe_globals():  # the numpy types the Trainer's RNG state holds, as it loads them
                    torch.load(path, map_location="cpu", weights_only=True, mmap=True)
        except Exception as err:  # safetensors and torch raise many kinds on a damaged file
            raise TextgenError(f"{path}: corrupt checkpoint file ({type(err).__name__}: {str(err)[:200]})") from None
