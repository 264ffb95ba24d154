"""Report A's Lightning path (Listings 10-14): a LightningModule around a word model, windows of the
training tokens split into train/val with a seeded generator, CSVLogger, ModelCheckpoint on
val_loss (top 2 and last), LearningRateMonitor, ReduceLROnPlateau on val_loss every `frequency`
steps, and the callback that writes generated_text.csv and generated_texts_write_better.csv.

Deviations from the listings, each for a reason:

- ModelCheckpoint keeps optimizer and scheduler state (the seed: save_weights_only=True) and
  saves after each validation (the seed: every 16 training steps, before that validation), so a
  killed run resumes from last.ckpt with its val_loss known and its learning rate as it was.
- Checkpoints and logs live in --checkpoints (not a declared output). Each process logs into a
  new CSVLogger version (`run-0`, `run-1`, ...; Lightning deletes metrics.csv in a reused one) and
  --out gets the segments joined, each cut where the next one resumed, so the curve continues.
- The seed's listing has `logots` (a NameError on the first validation) and seeds with 42; here
  `--seed` seeds everything (`seed_everything`) and training is deterministic.
- The random split of overlapping windows is the seed's: a val window shares most of its
  tokens with train windows, so val_loss here is optimistic; evaluate-lstm's perplexity on the
  held-out test split is the fair number.
- Each epoch's shuffle comes from the seed and the epoch number, and a resumed epoch skips the
  batches drawn before the checkpoint (`EpochShuffle`), so a resumed run draws the same batches
  as an uninterrupted one and ends with the same metrics.
"""

from __future__ import annotations

import csv
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import lightning as L
import torch
import torch.nn.functional as F
from lightning.pytorch.callbacks import Callback, LearningRateMonitor, ModelCheckpoint
from lightning.pytorch.loggers import CSVLogger
from torch.utils.data import DataLoader, Sampler, random_split

from textgen.compute import DEFAULTS, fabric_kwargs
from textgen.errors import TextgenError
from textgen.plan import plan_line
from textgen.progress import Progress
from textgen.io import atomic_path, read_json, write_json
from textgen.lstm import LSTMConfig, build_model
from textgen.checkpoints import load_file
from textgen.lstm.data import WordData, save_model
from textgen.lstm.flops import train_flops_per_token
from textgen.lstm.settings import (
    ARCH,
    fraction,
    model_config,
    non_negative_float,
    non_negative_int,
    one_of,
    positive_float,
    positive_int,
    read_block,
)
from textgen.lstm.texts import write_texts
from textgen.training import first_difference, plain
from textgen.words.dataset import WindowDataset

SCHEDULER = {"mode": one_of("min", "max"), "min_lr": non_negative_float, "patience": non_negative_int,
             "threshold": non_negative_float, "factor": fraction, "frequency": positive_int}
LIGHTNING = {**ARCH, "lr": positive_float, "max_len": positive_int, "batch_size": positive_int,
             "val_batch_size": positive_int, "val_fraction": fraction, "max_epochs": positive_int,
             "limit_train_batches": positive_int, "limit_val_batches": positive_int,
             "val_check_interval": positive_int, "generate_every_n_steps": positive_int,
             "scheduler": lambda block: read_block(block, SCHEDULER, "--params.scheduler")}
TEXT_FILE, BEAM_FILE = "generated_text.csv", "generated_texts_write_better.csv"


def log(line: str) -> None:
    print(line, flush=True)


class WordModule(L.LightningModule):
    """Listing 10: the word model, its training and validation steps, AdamW + ReduceLROnPlateau."""

    def __init__(self, kind: str, config: LSTMConfig, lr: float, scheduler: dict[str, Any]):
        super().__init__()
        self.model = build_model(kind, config)
        self.lr, self.scheduler = lr, scheduler
        self.elapsed = 0.0  # seconds of training before this process, restored from the checkpoint
        self.restored_val_loss: float | None = None

    def _loss(self, batch: tuple[torch.Tensor, torch.Tensor]) -> torch.Tensor:
        inputs, targets = batch
        return F.cross_entropy(self.model(inputs).transpose(1, 2), targets)

    def training_step(self, batch: tuple[torch.Tensor, torch.Tensor], batch_idx: int) -> torch.Tensor:
        loss = self._loss(batch)
        self.log("train_loss", loss, on_step=True, prog_bar=True, logger=True)
        self.log("num_train_items", float(batch[0].size(0)), on_step=True, logger=True)
        return loss

    def validation_step(self, batch: tuple[torch.Tensor, torch.Tensor], batch_idx: int) -> None:
        self.log("val_loss", self._loss(batch), on_step=False, on_epoch=True, prog_bar=True, logger=True)
        self.log("num_val_items", float(batch[0].size(0)), on_step=False, on_epoch=True, logger=True)

    def configure_optimizers(self) -> dict[str, Any]:
        optimizer = torch.optim.AdamW(self.model.parameters(), lr=self.lr, fused=True)
        s = self.scheduler
        plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, mode=s["mode"], min_lr=s["min_lr"],
                                                             patience=s["patience"], threshold=s["threshold"],
                                                             factor=s["factor"])
        return {"optimizer": optimizer, "lr_scheduler": {"scheduler": plateau, "monitor": "val_loss",
                                                         "interval": "step", "frequency": s["frequency"]}}

    def on_save_checkpoint(self, checkpoint: dict[str, Any]) -> None:
        checkpoint["textgen_elapsed"] = self.elapsed + (time.perf_counter() - self.started)
        # Checkpoints are saved after a validation and before the plateau scheduler reads its
        # val_loss; a resumed run needs that value to make the same scheduler step.
        val_loss = self.trainer.callback_metrics.get("val_loss")
        checkpoint["textgen_val_loss"] = None if val_loss is None else float(val_loss)

    def on_load_checkpoint(self, checkpoint: dict[str, Any]) -> None:
        self.elapsed = float(checkpoint["textgen_elapsed"])
        self.restored_val_loss = checkpoint["textgen_val_loss"]

    def on_fit_start(self) -> None:
        self.started = time.perf_counter()

    def on_train_start(self) -> None:
        if self.restored_val_loss is not None:
            self.trainer.callback_metrics["val_loss"] = torch.tensor(self.restored_val_loss)


class EpochShuffle(Sampler[int]):
    """A permutation of range(n) drawn from (seed, epoch), so every epoch's batches are fixed however
    often the run was resumed (Lightning calls set_epoch before each epoch). After `resume_at`, the
    resumed epoch skips the batches it had drawn before the checkpoint.

    >>> s = EpochShuffle(6, seed=0); s.set_epoch(1); full = list(s)
    >>> sorted(full) == list(range(6))
    True
    >>> s.resume_at(epoch=1, skip=4); s.set_epoch(1); list(s) == full[4:]
    True
    """

    def __init__(self, n: int, seed: int):
        self.n, self.seed, self.epoch = n, seed, 0
        self.resumed: tuple[int, int] | None = None  # (epoch, samples already drawn in it)

    def resume_at(self, epoch: int, skip: int) -> None:
        self.resumed = (epoch, skip)

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch

    def __iter__(self) -> Iterator[int]:
        generator = torch.Generator().manual_seed(self.seed * 1_000_003 + self.epoch)
        order = torch.randperm(self.n, generator=generator).tolist()
        if self.resumed is not None and self.resumed[0] == self.epoch:
            order = order[self.resumed[1]:]
        return iter(order)

    def __len__(self) -> int:
        return self.n


class MovableCheckpoint(ModelCheckpoint):
    """ModelCheckpoint whose best-k list survives a checkpoint folder that moved between runs (a
    copy to shared storage, another mount point). Lightning drops that list when the saved folder
    differs from this one; here its paths are rebased onto this folder first.

    >>> c = MovableCheckpoint(dirpath="/new")
    >>> c.load_state_dict({"dirpath": "/old", "best_model_path": "/old/a.ckpt", "best_model_score": 1.0,
    ...                    "best_k_models": {"/old/a.ckpt": 1.0}, "kth_best_model_path": "/old/a.ckpt"})
    >>> c.best_k_models, c.best_model_path
    ({'/new/a.ckpt': 1.0}, '/new/a.ckpt')
    """

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        old = state_dict.get("dirpath")
        if old and self.dirpath and old != self.dirpath:
            def moved(path: Any) -> Any:
                if isinstance(path, str) and path.startswith(old.rstrip("/") + "/"):
                    return str(Path(self.dirpath) / Path(path).relative_to(old))
                return path
            state_dict = {**state_dict, "dirpath": self.dirpath,
                          "best_k_models": {moved(k): v for k, v in state_dict.get("best_k_models", {}).items()},
                          **{key: moved(state_dict[key]) for key in ("best_model_path", "kth_best_model_path",
                                                                     "last_model_path") if key in state_dict}}
        super().load_state_dict(state_dict)


def loaders(data: WordData, block: dict[str, Any], seed: int) -> tuple[DataLoader, DataLoader]:
    """Listing 11's dataset over the training memmap, randomly split (seeded) into train and val."""
    windows = WindowDataset(data.folder / "tokens_train.int32", block["max_len"])
    n_val = max(1, round(len(windows) * block["val_fraction"]))
    if n_val >= len(windows):
        raise TextgenError(f"--params.val_fraction: {block['val_fraction']} leaves no training window of {len(windows)}")
    train, val = random_split(windows, [len(windows) - n_val, n_val], generator=torch.Generator().manual_seed(seed))
    return (DataLoader(train, batch_size=block["batch_size"], sampler=EpochShuffle(len(train), seed)),
            DataLoader(val, batch_size=block["val_batch_size"], shuffle=False))


class GenerateText(Callback):
    """Listing 12: after a validation at a multiple of `every_n_steps`, write with `write` and the
    seed's `write_better` (plus a correct beam search) and append to the two CSV files (tab-separated,
    as the seed's) in the logger's folder. `step` is global_step - 1, as the seed writes it."""

    def __init__(self, every_n_steps: int, data: WordData, evaluation: dict[str, Any], seed: int):
        self.every, self.data, self.evaluation, self.seed = every_n_steps, data, evaluation, seed

    def on_validation_end(self, trainer: L.Trainer, pl_module: WordModule) -> None:
        step = trainer.global_step
        if trainer.sanity_checking or step == 0 or step % self.every:
            return
        e = self.evaluation
        texts = write_texts(pl_module.model, self.data.vocab, e["prompt"], e["max_words"], e["beam_k"],
                            e["beam_max_words"], self.seed + step)
        folder = Path(trainer.logger.log_dir)
        _append(folder / TEXT_FILE, ["epoch", "step", "generated_text"],
                [[trainer.current_epoch, step - 1, texts["text"]]])
        _append(folder / BEAM_FILE, ["epoch", "step", "method", "rank", "prob", "log_prob", "generated_text"],
                [[trainer.current_epoch, step - 1, b["method"], b["rank"], f"{b['probability']:.5g}",
                  f"{b['log_prob']:.4f}", b["text"]] for b in texts["beams"]])


def _append(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    new = not path.exists()
    with open(path, "a", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, delimiter="\t")
        if new:
            writer.writerow(header)
        writer.writerows(rows)


class LogLines(Callback):
    """textgen's progress lines (textgen.progress) when stderr is not a terminal (there: Lightning's bar)."""

    def __init__(self, every: int, total: int, tokens_per_step: int, log: Callable[[str], None]):
        self.every, self.total, self.tokens_per_step, self.emit = every, total, tokens_per_step, log
        self.progress: Progress | None = None

    def on_train_start(self, trainer: L.Trainer, pl_module: WordModule) -> None:
        self.progress = Progress(self.total, done=trainer.global_step, tokens_per_step=self.tokens_per_step,
                                 every=self.every, log=self.emit, show=trainer.is_global_zero, bar=False,
                                 elapsed=pl_module.elapsed)

    def on_train_batch_end(self, trainer: L.Trainer, pl_module: WordModule, outputs: Any, batch: Any,
                           batch_idx: int) -> None:
        metrics = trainer.callback_metrics
        if "val_loss" in metrics:
            self.progress.set(val=float(metrics["val_loss"]))
        self.progress.update(trainer.global_step, train=float(outputs["loss"]),
                             lr=trainer.optimizers[0].param_groups[0]["lr"])


def train_lightning(name: str, block: dict[str, Any], evaluation: dict[str, Any], data: WordData, seed: int,
                    checkpoints: Path, out: Path, extra_callbacks: list[Callback] = (),
                    compute: dict[str, Any] | None = None) -> dict[str, Any]:
    """Train through Lightning on `compute` (textgen.compute's settings; default: auto), resuming from
    checkpoints/last.ckpt when it is this run's; rank 0 writes --out."""
    compute = compute or dict(DEFAULTS)
    config = model_config(block, len(data.vocab), "--params")
    data.prompt_ids(evaluation["prompt"], "--evaluation.prompt")
    run = plain({"loop": "lightning", "params": block, "evaluation": evaluation, "seed": seed, "data": data.sha256})
    segments, resume_from = _segments(checkpoints, run)
    L.seed_everything(seed, workers=True, verbose=False)
    module = WordModule(block["kind"], config, block["lr"], block["scheduler"])
    train_loader, val_loader = loaders(data, block, seed)
    checkpoint = MovableCheckpoint(dirpath=checkpoints / "ckpt", filename="chkp_{epoch}_{step}_{val_loss:.2f}",
                                 monitor="val_loss", mode="min", save_top_k=2, save_last=True)
    tty = sys.stderr.isatty()
    total = block["max_epochs"] * min(block["limit_train_batches"], len(train_loader))
    trainer = L.Trainer(
        logger=CSVLogger(checkpoints, name="csv", version=f"run-{len(segments) - 1}", flush_logs_every_n_steps=1),
        callbacks=[checkpoint, GenerateText(block["generate_every_n_steps"], data, evaluation, seed),
                   LearningRateMonitor(logging_interval="step"), *([] if tty else [LogLines(evaluation["log_every"], total, block["batch_size"] * block["max_len"], log)]),
                   *extra_callbacks],
        max_epochs=block["max_epochs"], limit_train_batches=block["limit_train_batches"],
        limit_val_batches=block["limit_val_batches"], val_check_interval=block["val_check_interval"],
        log_every_n_steps=1, deterministic=True, **fabric_kwargs(compute),
        num_sanity_val_steps=0, enable_progress_bar=tty, enable_model_summary=False)
    log(f"train-lstm {name} (Lightning): {block['kind']}, {sum(p.numel() for p in module.parameters()):,} parameters, "
        f"{total} steps of {block['batch_size']} x {block['max_len']}")
    if trainer.is_global_zero:
        log(plan_line(f"lstm/{name}", sum(p.numel() for p in module.parameters()),
                      total * block["batch_size"] * block["max_len"],
                      train_flops_per_token(block["kind"], config, block["max_len"])))
    if segments[-1] > 0:  # Lightning restores the step, not the position in the epoch's shuffle
        steps_per_epoch = total // block["max_epochs"]
        train_loader.sampler.resume_at(segments[-1] // steps_per_epoch,
                                       segments[-1] % steps_per_epoch * block["batch_size"])
    trainer.fit(module, train_loader, val_loader, ckpt_path=resume_from, weights_only=True)
    seconds = module.elapsed + time.perf_counter() - module.started
    if not trainer.is_global_zero:
        return {}
    metrics = _export(name, block, module, checkpoint, checkpoints, segments, seconds, data, out)
    log(f"train-lstm {name}: val loss {metrics['final_val_loss']:.3f} after {seconds:.1f} s -> {out}")
    return metrics


def _resume_point(folder: Path) -> tuple[Path, int] | None:
    """The newest readable Lightning checkpoint in `folder` (last.ckpt, or a top-k one beside it) and
    its step. An unreadable one is skipped with a warning naming it (textgen.checkpoints' policy)."""
    found = []
    for path in folder.glob("*.ckpt") if folder.is_dir() else []:
        try:
            step = int(load_file(path)["global_step"])
        except (TextgenError, KeyError, TypeError, ValueError) as err:
            log(f"warning: {path}: not a usable checkpoint ({err}); trying the others")
            continue
        found.append((step, path.name == "last.ckpt", path))
    if not found:
        return None
    step, _, path = max(found)
    return path, step


def _segments(checkpoints: Path, run: dict[str, Any]) -> tuple[list[int], Path | None]:
    """Start steps of the runs logged so far (this one's last) and the checkpoint to resume from;
    clears the folder for a new run."""
    record = checkpoints / "segments.json"
    point = _resume_point(checkpoints / "ckpt") if record.exists() else None
    if point is not None:
        saved = read_json(record)
        why = first_difference(saved["run"], run)
        if why is None:
            path, step = point
            log(f"resumed from {path} (step {step})")
            starts = [s for s in saved["starts"] if s < step] + [step]
            write_json(record, {"run": run, "starts": starts})
            for k in range(len(starts) - 1, len(saved["starts"])):  # logs of runs killed before a checkpoint
                shutil.rmtree(checkpoints / "csv" / f"run-{k}", ignore_errors=True)
            return starts, path
        log(f"{checkpoints}: not resumed, {why}; starting over")
    for sub in ("ckpt", "csv"):
        shutil.rmtree(checkpoints / sub, ignore_errors=True)
    write_json(record, {"run": run, "starts": [0]})
    return [0], None


def _joined(checkpoints: Path, starts: list[int], filename: str, delimiter: str) -> tuple[list[str], list[dict]]:
    """Rows of `filename` from every logged run, each cut where the next run resumed."""
    header: list[str] = []
    rows: list[dict] = []
    for k, start in enumerate(starts):
        path = checkpoints / "csv" / f"run-{k}" / filename
        end = starts[k + 1] if k + 1 < len(starts) else None
        if not path.exists():
            continue
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f, delimiter=delimiter)
            header += [c for c in reader.fieldnames or [] if c not in header]
            rows += [r for r in reader if end is None or int(float(r["step"])) < end]
    return header, rows


def _export(name: str, block: dict[str, Any], module: WordModule, checkpoint: ModelCheckpoint, checkpoints: Path,
            starts: list[int], seconds: float, data: WordData, out: Path) -> dict[str, Any]:
    with atomic_path(out) as tmp:
        tmp.mkdir()
        for filename, delimiter in (("metrics.csv", ","), (TEXT_FILE, "\t"), (BEAM_FILE, "\t")):
            header, rows = _joined(checkpoints, starts, filename, delimiter)
            with open(tmp / filename, "w", newline="", encoding="utf-8") as f:
                writer = csv.DictWriter(f, fieldnames=header, delimiter=delimiter)
                writer.writeheader()
                writer.writerows(rows)
        _, metric_rows = _joined(checkpoints, starts, "metrics.csv", ",")
        vals = [float(r["val_loss"]) for r in metric_rows if r.get("val_loss")]
        with open(tmp / "config_data.csv", "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(["key", "value"])
            writer.writerow(["model", name])
            writer.writerows([key, value] for key, value in block.items() if key != "scheduler")
            writer.writerows([f"scheduler.{key}", value] for key, value in block["scheduler"].items())
        with open(tmp / "checkpoints.csv", "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(["checkpoint", "val_loss"])
            best = sorted(checkpoint.best_k_models.items(), key=lambda item: float(item[1]))
            writer.writerows([Path(path).name, float(score)] for path, score in best)
        save_model(tmp / "model.pt", block["kind"], module.model, {"name": name, "loop": "lightning", "data": data.sha256,
                                                                   "max_len": block["max_len"],
                                                                   "batch_size": block["batch_size"]})
        metrics = {"model": name, "kind": block["kind"], "loop": "lightning", "steps": module.trainer.global_step,
                   "parameters": sum(p.numel() for p in module.model.parameters()),
                   "final_val_loss": vals[-1] if vals else None, "best_val_loss": min(vals) if vals else None}
        write_json(tmp / "metrics.json", metrics)
        # How the run went (differs between identical runs): wall time, where it resumed, where it ran.
        write_json(tmp / "run.json", {
            "seconds": seconds, "resumed_from": starts[-1], "segments": starts,
            "compute": {"accelerator": module.trainer.strategy.root_device.type,
                        "devices": module.trainer.world_size, "precision": str(module.trainer.precision),
                        "strategy": type(module.trainer.strategy).__name__}})
    return metrics
