"""The resumable-training folder of one custom-loop run: checkpoints/lstm/<model>/ (never a declared
output, so Snakemake and DVC leave it alone when they delete a job's outputs before a rerun).

    state-0000400.pt   everything needed to continue at iteration 400: model, optimizer and
                       scheduler state dicts, RNG states, loss history, evaluations (last two kept)

A state records the run it belongs to (`run`: settings, seed, data fingerprint). A new run resumes
from the newest state whose run equals its own. A state from other settings is not resumed: the
folder's states are removed and training starts over, and the log says which setting differs. An
unreadable state (a kill during a write leaves none: writes are atomic; a damaged disk may) is
skipped with a warning naming the file, removed, and the one before it is used.

>>> import tempfile
>>> tmp = tempfile.mkdtemp()
>>> folder = StateFolder(Path(tmp), log=lambda line: print(line.replace(tmp, "tmp")))
>>> folder.save(3, {"run": {"lr": 0.1}, "x": 1})
>>> folder.resume({"lr": 0.1})["x"]
resumed from tmp/state-0000003.pt (iteration 3)
1
>>> folder.resume({"lr": 0.2}) is None
tmp/state-0000003.pt: not resumed, run.lr: checkpoint 0.1, now 0.2; starting over
True
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch

from textgen.io import atomic_path
from textgen.lstm.data import UNREADABLE
from textgen.training import first_difference, plain

FORMAT = "textgen-lstm-state"
VERSION = 1
KEEP = 2
_STATE = re.compile(r"state-(\d+)\.pt")


class StateFolder:
    def __init__(self, folder: Path, log: Callable[[str], None] = print):
        self.folder = Path(folder)
        self.log = log

    def states(self) -> dict[int, Path]:
        """iteration -> state file."""
        if not self.folder.is_dir():
            return {}
        return {int(m.group(1)): p for p in self.folder.iterdir() if (m := _STATE.fullmatch(p.name))}

    def resume(self, run: dict[str, Any]) -> dict[str, Any] | None:
        """The newest state of this `run`, or None (start over: the folder then holds no state)."""
        run = plain(run)
        for iteration, path in sorted(self.states().items(), reverse=True):
            try:
                state = torch.load(path, map_location="cpu", weights_only=True)
                if state.get("format") != FORMAT or state.get("version") != VERSION:
                    raise ValueError(f"not a {FORMAT} v{VERSION} file")
            except UNREADABLE as err:
                self.log(f"warning: {path}: unreadable checkpoint ({err}); removed, trying an older one")
                path.unlink()
                continue
            why = first_difference(state["run"], run)
            if why is not None:
                self.log(f"{path}: not resumed, {why}; starting over")
                break
            self.log(f"resumed from {path} (iteration {iteration})")
            return state
        self.clear()
        return None

    def save(self, iteration: int, state: dict[str, Any]) -> None:
        """Write the state reached after `iteration` iterations; keep the newest KEEP."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with atomic_path(self.folder / f"state-{iteration:07d}.pt") as tmp:
            torch.save({"format": FORMAT, "version": VERSION, **state, "run": plain(state["run"])}, tmp)
        states = self.states()
        for old in sorted(states)[:-KEEP]:
            states[old].unlink()

    def clear(self) -> None:
        for path in self.states().values():
            path.unlink()
