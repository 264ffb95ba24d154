"""Listing 9's training loop, resumable: random batches of max_len windows, one optimizer step each,
an evaluation every evaluate_interval iterations (and after the last), a state saved after each.

The seed's loop evaluated at iterations 0, evaluate_interval, 2*evaluate_interval, ...; it also
called `torch.no_grad()` as a bare statement (which does nothing): here evaluations run under
no_grad. Batches come from a torch.Generator seeded with the run's seed, whose state is saved
with the model and optimizer, so a run killed and resumed computes the same losses as a run that
was never interrupted. The loop runs through Lightning Fabric (textgen.compute): with N processes,
each trains on its slice of every batch and the gradients are averaged, which is the 1-process
step for models whose batch rows do not interact (the listed attention models' rows do: there
N processes compute another function, and the log says so).

>>> import numpy as np, torch
>>> from textgen.lstm import LSTMConfig, build_model
>>> _ = torch.manual_seed(0)
>>> model = build_model("simple", LSTMConfig(vocab_size=7, embedding_dim=4, hidden_size=8))
>>> settings = LoopSettings(iterations=30, max_len=5, batch_size=4, evaluate_interval=10, log_every=100)
>>> from textgen.compute import DEFAULTS, launch
>>> fabric = launch({**DEFAULTS, "accelerator": "cpu"}, threads=1)
>>> result = train_loop(fabric, model, torch.optim.AdamW(model.parameters(), lr=0.01), None, np.arange(200) % 7,
...                     settings, seed=0, states=None, evaluate=lambda i, loss: {}, log=lambda line: None)
>>> [row["iteration"] for row in result.evaluations], result.history[-1]["train_loss"] < result.history[0]["train_loss"]
([0, 10, 20, 29], True)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from textgen.checkpoints import Checkpoints
from textgen.compute import reseed, shard
from textgen.progress import Progress
from textgen.words.dataset import random_batch

Evaluate = Callable[[int, float], dict[str, Any]]  # (iteration, train loss) -> row (val_loss, texts, ...)


@dataclass(frozen=True)
class LoopSettings:
    iterations: int
    max_len: int
    batch_size: int
    evaluate_interval: int
    log_every: int  # a log line every this many iterations when stderr is not a terminal


@dataclass
class LoopResult:
    history: list[dict[str, float]]  # per iteration: iteration, train_loss, lr
    evaluations: list[dict[str, Any]]  # per evaluation: iteration, loss, lr, seconds + what `evaluate` returned
    seconds: float  # training and evaluation time, over every run that contributed (resumes included)
    resumed_from: int  # iterations done before this process started (0: a fresh start)


def is_evaluation(iteration: int, settings: LoopSettings) -> bool:
    return iteration % settings.evaluate_interval == 0 or iteration == settings.iterations - 1


def train_loop(fabric, model: nn.Module, optimizer: torch.optim.Optimizer, scheduler: Any, tokens: np.ndarray,
               settings: LoopSettings, seed: int, states: Checkpoints | None,
               evaluate: Evaluate, log: Callable[[str], None],
               after_step: Callable[[int], None] | None = None) -> LoopResult:
    """Train `model` in place through `fabric`. `scheduler` (or None) steps after every iteration,
    except ReduceLROnPlateau, which steps on each evaluation's val_loss. `after_step(iteration)`
    runs after each iteration's state is saved (tests interrupt the run there). Every process
    evaluates alone (same weights, same numbers); `log` should print on rank 0 only."""
    generator = torch.Generator().manual_seed(seed)
    history: list[dict[str, float]] = []
    evaluations: list[dict[str, Any]] = []
    elapsed, start = 0.0, 0
    if fabric.world_size > 1 and not getattr(model, "batch_independent", True):
        log(f"note: {type(model).__name__} mixes batch rows, so {fabric.world_size} processes, each with a "
            "slice of the batch, do not compute the 1-process step")
    wrapped, optimizer = fabric.setup(model, optimizer)
    saved = states.resume() if states is not None else None
    if saved is not None:
        model.load_state_dict(saved["model"])
        states.restore(optimizer, saved, "optimizer")
        if scheduler is not None:
            states.restore(scheduler, saved, "scheduler")
        generator.set_state(saved["rng_batches"])
        history, evaluations, elapsed, start = saved["history"], saved["evaluations"], saved["elapsed"], saved["next"]
    reseed(seed, fabric.global_rank, start)
    plateau = isinstance(scheduler, torch.optim.lr_scheduler.ReduceLROnPlateau)
    progress = Progress(settings.iterations, done=start, tokens_per_step=settings.batch_size * settings.max_len,
                        every=settings.log_every, log=log, show=fabric.is_global_zero, elapsed=elapsed)
    began = time.perf_counter() - elapsed
    wrapped.train()
    for iteration in range(start, settings.iterations):
        inputs, targets = shard(random_batch(tokens, settings.batch_size, settings.max_len, generator), fabric)
        optimizer.zero_grad(set_to_none=True)
        loss = F.cross_entropy(wrapped(inputs).flatten(0, 1).float(), targets.flatten())
        fabric.backward(loss)
        optimizer.step()
        # the batch's loss, averaged over the processes (each saw its slice)
        loss_value = float(fabric.all_reduce(loss.detach(), reduce_op="mean")) if fabric.world_size > 1 else loss.item()
        lr = optimizer.param_groups[0]["lr"]  # the rate this step used
        history.append({"iteration": iteration, "train_loss": loss_value, "lr": lr})
        if scheduler is not None and not plateau:
            scheduler.step()
        if is_evaluation(iteration, settings):
            row = {"iteration": iteration, "loss": loss_value, "lr": lr}
            with torch.no_grad(), fabric.autocast():
                row.update(evaluate(iteration, loss_value))
            model.train()
            if plateau:
                scheduler.step(row["val_loss"])
            row["seconds"] = time.perf_counter() - began
            evaluations.append(row)
            if "val_loss" in row:
                progress.set(val=row["val_loss"])
            if states is not None:
                states.save(iteration + 1, {
                    "next": iteration + 1, "model": model.state_dict(), "optimizer": optimizer.state_dict(),
                    "scheduler": scheduler.state_dict() if scheduler is not None else None,
                    "rng_batches": generator.get_state(),
                    "history": history, "evaluations": evaluations, "elapsed": time.perf_counter() - began},
                    final=iteration + 1 == settings.iterations)
                reseed(seed, fabric.global_rank, iteration + 1)
        progress.update(iteration + 1, train=loss_value, lr=lr)
        if after_step is not None:
            after_step(iteration)
    progress.close()
    return LoopResult(history, evaluations, time.perf_counter() - began, start)
