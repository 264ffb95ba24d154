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
    """`step 4/8 epoch 1.00 loss 3.210 grad_norm 4.10 lr 2.5e-05 (12.3 s)`, and eval losses."""

    def __init__(self):
        self.started = time.perf_counter()

    def on_log(self, args, state, control, logs=None, **kwargs):
        logs = logs or {}
        elapsed = f"({time.perf_counter() - self.started:.1f} s)"
        where = f"step {state.global_step}/{state.max_steps} epoch {state.epoch or 0:.2f}"
        if "loss" in logs:
            print(f"{where} loss {logs['loss']:.3f} grad_norm {logs.get('grad_norm', float('nan')):.2f} "
                  f"lr {logs.get('learning_rate', 0):.2g} {elapsed}", flush=True)
        elif "eval_loss" in logs:
            print(f"{where} eval_loss {logs['eval_loss']:.3f} {elapsed}", flush=True)
