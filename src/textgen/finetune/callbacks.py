"""Trainer callbacks: generated text at the end of every epoch (the seed loaded each epoch's
checkpoint afterwards; generating in place needs only the newest checkpoint on disk), and
concise log lines when stderr is not a terminal.

Samples go to <checkpoints>/samples/epoch-<n>.json, beside the checkpoints, so a resumed run
still has the text of the epochs it does not redo.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from transformers import TrainerCallback

from textgen.io import read_json, write_json
from textgen.progress import Progress

Sampler = Callable[[object, int], list[dict]]  # (model, epoch) -> rows


class EpochSamples(TrainerCallback):
    def __init__(self, folder: Path, sampler: Sampler):
        self.folder = Path(folder)
        self.sampler = sampler
        self.seconds = 0.0  # time spent generating, kept out of the training throughput

    def on_epoch_end(self, args, state, control, model=None, **kwargs):
        started = time.perf_counter()
        epoch = round(state.epoch)
        write_json(self.folder / f"epoch-{epoch}.json", self.sampler(model, epoch))
        self.seconds += time.perf_counter() - started
        print(f"epoch {epoch}: samples written ({time.perf_counter() - started:.1f} s)", flush=True)


def read_samples(folder: Path) -> list[dict]:
    """Every epoch's rows, in epoch order."""
    files = sorted(Path(folder).glob("epoch-*.json"), key=lambda p: int(p.stem.split("-")[1]))
    return [row for f in files for row in read_json(f)]


class LogLines(TrainerCallback):
    """textgen's progress lines (textgen.progress) in place of the Trainer's printed dicts, one per
    log: `step 4/8 epoch 1.000 loss 3.210 grad_norm 4.100 lr 2.5e-05 | 12s elapsed, ETA 12s`."""

    def __init__(self):
        self.progress: Progress | None = None

    def on_train_begin(self, args, state, control, **kwargs):
        self.progress = Progress(state.max_steps, done=state.global_step, log=lambda line: print(line, flush=True),
                                 show=state.is_world_process_zero, bar=False)

    def on_log(self, args, state, control, logs=None, **kwargs):
        logs = logs or {}
        names = {"loss": "loss", "grad_norm": "grad_norm", "learning_rate": "lr", "eval_loss": "eval_loss"}
        values = {short: float(logs[name]) for name, short in names.items() if name in logs}
        if values and self.progress is not None:
            self.progress.update(state.global_step, line=True, epoch=state.epoch or 0.0, **values)
