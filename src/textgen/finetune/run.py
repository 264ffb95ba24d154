"""One fine-tuning run, shared by the causal LM and T5: resume or start over in --checkpoints,
train with a Trainer (a checkpoint and generated text per epoch), then write the small artifacts
into --out atomically:

- history.csv   the trainer's log history (step, epoch, loss, grad_norm, learning_rate, eval_loss)
- curves.png    loss and gradient norm over steps (the seed's figure), eval loss, epochs starred
- samples.csv   epoch, decoding, prompt, text: the seed's prompts after every epoch
- metrics.json  what was trained and the losses (the same for the same command and seed)
- heldout.json  where the run has a held-out text (the causal LM): the final model's loss on it per
                token and per byte (textgen.finetune.heldout)
- run.json      where its checkpoints are, where it resumed, wall time, time spent generating, and tokens_per_s: training
                tokens per second of wall time outside generation (eval and checkpoint saves
                included); these change from run to run

The fine-tuned weights stay in --checkpoints: nothing downstream needs them. Once the outputs are
written, the checkpoints lose what only further steps need, and the weights are packed against
the base model where there is a local one (textgen.finetune.resume.finish).
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import torch
from transformers import PrinterCallback, Trainer, TrainingArguments, set_seed
from transformers.utils import logging as hf_logging

from textgen import compute
from textgen.finetune import resume
from textgen.finetune.callbacks import EpochSamples, LogLines, Sampler, read_samples
from textgen.finetune.history import COLUMNS, history_rows, plot_curves
from textgen.io import atomic_path, read_json, write_json
from textgen.plan import plan_line
from textgen.training import start_run

SAMPLE_COLUMNS = ("epoch", "decoding", "prompt", "text")


@dataclass
class Run:
    title: str  # for the figure and log lines
    model: Any
    tokenizer: Any
    train_set: list[dict]
    val_set: list[dict]
    collator: Any
    settings: Any  # CausalSettings or Seq2SeqSettings: epochs, batch_size, learning_rate, ...
    sampler: Sampler
    fingerprint: dict  # everything that must match to resume
    describe: dict = field(default_factory=dict)  # goes into metrics.json
    heldout: Callable[[Any], dict] | None = None  # final model -> heldout.json (None: no such file)
    base: Path | None = None  # a local base model folder: the finished run's weights are kept as the difference
    trainer_class: type = Trainer
    args_class: type = TrainingArguments


def setup(args: argparse.Namespace) -> dict:
    """Threads, determinism (textgen.training.start_run), the seed and quiet transformers logs;
    call before building models. Returns the compute settings (textgen.compute), having rerun the
    command under torchrun when they ask for several devices."""
    start_run(args)
    settings = compute.parse(args)
    compute.relaunch(settings)
    set_seed(args.seed)
    hf_logging.set_verbosity_warning()
    if not sys.stderr.isatty():
        hf_logging.disable_progress_bar()
    return settings


def train(run: Run, seed: int, checkpoints: Path, out: Path, settings: dict | None = None) -> dict:
    """Train (resuming if possible) on the compute `settings` (textgen.compute; default: auto) and
    write the artifacts; returns metrics.json's content."""
    checkpoints = Path(checkpoints)
    resume_from = resume.prepare(checkpoints, run.fingerprint, log=print)
    s = run.settings
    args = run.args_class(
        output_dir=str(checkpoints),
        per_device_train_batch_size=s.batch_size,
        per_device_eval_batch_size=s.batch_size,
        num_train_epochs=s.epochs,
        learning_rate=s.learning_rate,
        logging_steps=s.logging_steps,
        save_strategy="epoch",
        save_total_limit=s.keep_checkpoints,
        eval_strategy="epoch" if run.val_set else "no",
        seed=seed,
        data_seed=seed,
        report_to="none",
        disable_tqdm=not sys.stderr.isatty(),
        dataloader_num_workers=0,
        dataloader_pin_memory=torch.cuda.is_available(),
        **compute.hf_arguments(settings or dict(compute.DEFAULTS)),
    )
    samples = EpochSamples(checkpoints / resume.SAMPLES, run.sampler)
    trainer = run.trainer_class(model=run.model, args=args, train_dataset=run.train_set,
                                eval_dataset=run.val_set or None, data_collator=run.collator,
                                processing_class=run.tokenizer, callbacks=[samples])
    if args.disable_tqdm:  # replace the Trainer's printed dicts by one line per log
        trainer.remove_callback(PrinterCallback)
        trainer.add_callback(LogLines())
    epochs_before = _epochs_done(resume_from)
    if trainer.is_world_process_zero():
        n_params = sum(p.numel() for p in run.model.parameters())
        tokens = s.epochs * sum(len(x["input_ids"]) + len(x.get("labels", [])) for x in run.train_set)
        print(plan_line(run.title, n_params, tokens, 6.0 * n_params) + " (6 N a token)", flush=True)
    started = time.perf_counter()
    trainer.train(resume_from_checkpoint=str(resume_from) if resume_from else None)
    wall = time.perf_counter() - started
    if not trainer.is_world_process_zero():
        return {}
    rows = history_rows(trainer.state.log_history)
    heldout = run.heldout(run.model) if run.heldout else None
    metrics = _metrics(run, rows)
    tokens = metrics["tokens_per_epoch"] * (s.epochs - epochs_before)
    training_s = max(wall - samples.seconds, 1e-9)
    timing = {"checkpoints": str(checkpoints),  # where the weights stay (textgen generate finds them here)
              "resumed_from": resume_from.name if resume_from else None, "wall_s": round(wall, 1),
              "sampling_s": round(samples.seconds, 1), "epochs_run": s.epochs - epochs_before,
              "tokens_per_s": round(tokens / training_s, 1) if tokens else None,
              "threads": torch.get_num_threads(),
              "compute": {"accelerator": args.device.type, "devices": args.world_size,
                          "precision": "bf16-mixed" if args.bf16 else "16-mixed" if args.fp16 else "32-true",
                          "strategy": str(args.parallel_mode).rsplit(".", 1)[-1]}}
    with atomic_path(out) as tmp:
        tmp.mkdir()
        _write_csv(tmp / "history.csv", COLUMNS, rows)
        _write_csv(tmp / "samples.csv", SAMPLE_COLUMNS, read_samples(checkpoints / resume.SAMPLES))
        plot_curves(rows, run.title, tmp / "curves.png")
        write_json(tmp / "metrics.json", metrics)
        if heldout is not None:
            write_json(tmp / "heldout.json", heldout)
        write_json(tmp / "run.json", timing)
    print(f"{run.title}: {s.epochs} epochs, final loss {metrics['final_loss']}, "
          f"{timing['tokens_per_s']} tokens/s over {timing['epochs_run']} epoch(s) run now ({wall:.1f} s)")
    del trainer  # its optimizer state: packing reads the weights tensor by tensor, beside the model
    removed = resume.finish(checkpoints, run.base)
    if removed:
        kept = "the weights stay, as their difference from the base model's" if run.base else "the weights stay"
        print(f"{run.title}: finished; saved {removed / 1e6:,.1f} MB in {checkpoints} "
              f"(optimizer and scheduler state removed; {kept})")
    return metrics


def _epochs_done(checkpoint: Path | None) -> int:
    if checkpoint is None:
        return 0
    return round(read_json(checkpoint / resume.STATE).get("epoch", 0))


def _metrics(run: Run, rows: list[dict]) -> dict:
    losses = [r["loss"] for r in rows if r["loss"] is not None]
    evals = {round(r["epoch"]): r["eval_loss"] for r in rows if r["eval_loss"] is not None}
    tokens = sum(len(x["input_ids"]) + len(x.get("labels", [])) for x in run.train_set)
    return run.describe | {
        "train_examples": len(run.train_set),
        "val_examples": len(run.val_set),
        "tokens_per_epoch": tokens,
        "steps": max((r["step"] for r in rows), default=0),
        "first_loss": losses[0] if losses else None,
        "final_loss": losses[-1] if losses else None,
        "eval_loss_per_epoch": {str(k): v for k, v in sorted(evals.items())},
    }


def _write_csv(path: Path, columns: tuple[str, ...], rows: list[dict]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        # Every string quoted: generated text may hold a lone "\r", which minimal quoting leaves bare
        # (it only quotes the "\n" terminator) and a reader would take for the end of the row.
        writer = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore", lineterminator="\n",
                                quoting=csv.QUOTE_NONNUMERIC)
        writer.writeheader()
        writer.writerows(rows)
