"""The one resumable-checkpoint policy of every trainer.

A training job keeps its state in checkpoints/<study>/<model>/, a folder that is never a declared
output, so neither Snakemake nor DVC deletes it before a rerun:

    state-0000400.pt    everything needed to continue after step 400 (model, optimizer, RNG
                        states, histories), the newest `keep` kept
    model-300.pt        other files the trainer keeps for good (weights the sample tables need);
                        loaded and checked to be this run's before anything copies them

The rules:
- Written atomically (a kill mid-write leaves the previous file), by rank 0 only.
- Each state carries the run's fingerprint: the settings that must not change between a run and
  its resumption (parameters, seed, data and tokenizer hashes). A state of another run is not
  resumed, and the log names the first setting that differs.
- A state that cannot be read (truncated, damaged, not ours) is skipped with a warning naming the
  file, and the one before it is used: never a silent fresh start, never a crash.
- Nothing is deleted before this run has written its own first state: a run with new settings
  that fails early leaves the old run's files as they were. Then every *.pt file that is not
  this run's goes.
- A run's last state (`save(..., final=True)`) is all that a finished run keeps: it is written
  without what only further steps need (RESUME_ONLY: optimizer moments, scheduler), and every
  earlier state of the run goes. A rerun with the same settings resumes from it, takes no step and
  writes the same outputs; `restore` loads what a state holds and passes over what a final one dropped.
- Files are read with `torch.load(..., weights_only=True)`: no pickled code runs.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> ckpts = Checkpoints(folder, {"lr": 0.1}, log=lambda line: print(line.replace(str(folder), "tmp")))
>>> ckpts.save(3, {"x": 1})
>>> ckpts.resume()["x"]
resumed from tmp/state-0000003.pt (step 3)
1
>>> Checkpoints(folder, {"lr": 0.2}, log=lambda line: print(line.replace(str(folder), "tmp"))).resume() is None
tmp/state-0000003.pt: not resumed: run.lr: checkpoint 0.1, now 0.2; starting over (its states stay until this run saves one)
True
"""

from __future__ import annotations

import pickle
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch

from textgen.errors import TextgenError
from textgen.io import atomic_path
from textgen.training import first_difference, plain

FORMAT = "textgen-state"
VERSION = 1
_STATE = re.compile(r"state-(\d+)\.pt")
# Only further steps need these (Adam's moments are twice the weights): a final state drops them.
RESUME_ONLY = ("optimizer", "scheduler")
# What torch.load raises for a damaged or foreign file (zip, pickle, format).
UNREADABLE = (RuntimeError, ValueError, KeyError, TypeError, EOFError, OSError, pickle.UnpicklingError,
              AttributeError, IndexError)


def load_file(path: str | Path) -> Any:
    """torch.load(path, weights_only=True), any failure a TextgenError that names the file."""
    try:
        return torch.load(path, map_location="cpu", weights_only=True)
    except UNREADABLE as err:
        raise TextgenError(f"{path}: unreadable ({type(err).__name__}: {str(err)[:200]})") from None


class Checkpoints:
    """The state files of one run in `folder` (module docstring). `writer`: this process writes
    (rank 0); the others only read."""

    def __init__(self, folder: str | Path, run: dict[str, Any], keep: int = 2,
                 log: Callable[[str], None] = print, writer: bool = True):
        if keep < 1:
            raise TextgenError(f"keep must be >= 1, got {keep}")
        self.folder, self.run, self.keep, self.log, self.writer = Path(folder), plain(run), keep, log, writer
        self._ours: set[Path] = set()  # states known to belong to this run
        self._saved = False

    def states(self) -> dict[int, Path]:
        """step -> state file, of any run."""
        if not self.folder.is_dir():
            return {}
        return {int(m.group(1)): p for p in self.folder.iterdir() if (m := _STATE.fullmatch(p.name))}

    def resume(self) -> dict[str, Any] | None:
        """The newest readable state of this run (with its "step"), or None: start from step 0."""
        for step, path in sorted(self.states().items(), reverse=True):
            try:
                state = load_file(path)
                if not isinstance(state, dict) or state.get("format") != FORMAT or state.get("version") != VERSION:
                    raise TextgenError(f"{path}: not a {FORMAT} v{VERSION} file")
            except TextgenError as err:
                self.log(f"warning: {err}; trying the state before it")
                continue
            why = first_difference(state.get("run"), self.run)
            if why is not None:
                self.log(f"{path}: not resumed: {why}; starting over (its states stay until this run saves one)")
                return None
            self._ours.add(path)
            self.log(f"resumed from {path} (step {step})")
            return state
        return None

    def save(self, step: int, state: dict[str, Any], final: bool = False) -> None:
        """Write the state reached after `step` steps; then drop other runs' states, unreadable ones
        and this run's beyond the newest `keep`. `final`: the run's last step; the state is written
        without RESUME_ONLY and is the only one of this run kept."""
        if not self.writer:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"state-{step:07d}.pt"
        if final:
            state = {key: value for key, value in state.items() if key not in RESUME_ONLY} | {"final": True}
        with atomic_path(path) as tmp:
            torch.save({**state, "format": FORMAT, "version": VERSION, "run": self.run, "step": step}, tmp)
        self._ours.add(path)
        if not self._saved:  # this run now has a state of its own: the rest can go
            self._saved = True
            for other in self.folder.glob("*.pt"):  # other runs' states and files
                if other not in self._ours:
                    other.unlink()
            for stray in self.folder.glob(".*.tmp-*"):  # a kill mid-write left it
                shutil.rmtree(stray) if stray.is_dir() else stray.unlink()
        ours = sorted((s, p) for s, p in self.states().items() if p in self._ours)
        for _, old in ours[:-(1 if final else self.keep)]:
            old.unlink()
            self._ours.discard(old)

    @staticmethod
    def restore(target: Any, state: dict[str, Any], key: str) -> None:
        """target.load_state_dict(state[key]), unless `state` is a final one, which dropped
        RESUME_ONLY (no step follows it); a missing key of any other state is an error naming it.

        >>> opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
        >>> Checkpoints.restore(opt, {"final": True, "step": 5}, "optimizer")  # nothing to load
        >>> Checkpoints.restore(opt, {"step": 5}, "optimizer")
        Traceback (most recent call last):
        textgen.errors.TextgenError: state of step 5 has no 'optimizer' (not a final state)
        """
        if key in state:
            target.load_state_dict(state[key])
        elif not (state.get("final") and key in RESUME_ONLY):
            raise TextgenError(f"state of step {state.get('step')} has no {key!r} (not a final state)")

    def save_file(self, name: str, doc: dict[str, Any]) -> Path:
        """Write another file of this run (kept for good, e.g. weights at a step), atomically."""
        path = self.folder / name
        if self.writer:
            self.folder.mkdir(parents=True, exist_ok=True)
            with atomic_path(path) as tmp:
                torch.save({**doc, "run": self.run}, tmp)
        self._ours.add(path)
        return path

    def load_file(self, name: str) -> dict[str, Any] | None:
        """A file written by save_file for this run: None if missing or another run's; a
        TextgenError naming it if unreadable (before anything copies or publishes it)."""
        path = self.folder / name
        if not path.exists():
            return None
        doc = load_file(path)
        if not isinstance(doc, dict) or first_difference(doc.get("run"), self.run) is not None:
            return None
        self._ours.add(path)
        return doc
