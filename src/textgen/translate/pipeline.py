"""`textgen train-translation`: tokenizer, training and every per-model artifact of seed 001's
translation notebooks, resumable after a kill.

    textgen train-translation --pairs data/interim/pairs/nb_nn --params JSON --seed 1234 \\
        --threads 2 --checkpoints checkpoints/translate/nb_nn --out results/translate/nb_nn

--params is one model's params.yaml section: `config` (TranslationConfig fields but pad_id, which
the tokenizer fixes), `warmup_steps` (linear learning-rate warmup; 0 is the seed's constant rate),
`max_tokens` (training pairs with a longer side are skipped), `evals_per_epoch` (evenly spaced
metric rows and checkpoints per epoch, the last at its end), `table_epochs` (translate the seed's
prompts after these epochs; 0 = untrained) and `samples` (training pairs shown).

--out receives: metrics.csv (step, epoch, train_loss, val_loss), prompts.csv (epoch, prompt,
translation), samples.csv, config.json, architecture.txt, tokenizer.json, final.pt and run.json
(wall time of training, positions trained and their rate: what differs between identical runs).
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import io
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from textgen.data.args import json_arg
from textgen.errors import TextgenError
from textgen.io import atomic_path, sha256_file, write_json
from textgen.plan import plan_line
from textgen.progress import Progress
from textgen.checkpoints import Checkpoints
from textgen.compute import add_compute_argument, describe, launch, local_fabric, parse, rank_zero_log, reseed
from textgen.translate.batch import collate
from textgen.translate.config import TranslationConfig
from textgen.translate.corpus import (
    encode_pairs,
    epoch_batches,
    languages,
    length_batches,
    read_split,
)
from textgen.translate.model import Seq2SeqTransformer
from textgen.translate.prompts import prompts_for
from textgen.translate.train import evaluate_loss, make_optimizer, train_step
from textgen.translate.translator import Translator
from textgen.translate.vocab import joint_tokenizer
from textgen.training import add_run_arguments, plain, start_run


@dataclass
class TrainState:
    """Where a run is: saved with the weights in every state (textgen.checkpoints)."""
    epoch: int = 0  # current epoch (0-based)
    batch: int = 0  # batches of the current epoch already trained
    step: int = 0  # optimizer steps so far
    metrics: list[dict[str, float]] = field(default_factory=list)  # rows of metrics.csv
    tables: list[dict[str, Any]] = field(default_factory=list)  # rows of prompts.csv
    seconds: float = 0.0  # wall time of training so far, evaluations included, over every resume
    tokens: int = 0  # positions trained so far: source tokens plus predicted target tokens, no padding


@dataclass(frozen=True)
class TrainSettings:
    config: TranslationConfig
    warmup_steps: int = 0
    max_tokens: int = 64
    evals_per_epoch: int = 1
    table_epochs: tuple[int, ...] = ()
    samples: int = 9

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> TrainSettings:
        """Validate one model's params section; every message names the key at fault.

        >>> s = TrainSettings.from_params({"config": {"n_embd": 64, "n_head": 4, "epochs": 2}, "table_epochs": [0, 2]})
        >>> s.config.n_embd, s.table_epochs
        (64, (0, 2))
        """
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(params) - known)
        if unknown or "config" not in params:
            raise TextgenError(f"--params: unknown key(s) {', '.join(unknown)}" if unknown else "--params: needs 'config'")
        if not isinstance(params["config"], Mapping) or "pad_id" in params["config"]:
            raise TextgenError("--params: config must be a mapping without pad_id (the tokenizer fixes it)")
        config = TranslationConfig.from_params(params["config"])
        values = {k: v for k, v in params.items() if k != "config"}
        for key, low in (("warmup_steps", 0), ("max_tokens", 1), ("evals_per_epoch", 1), ("samples", 0)):
            value = values.get(key, 0 if low == 0 else 1)
            if not isinstance(value, int) or isinstance(value, bool) or value < low:
                raise TextgenError(f"--params: {key} must be an integer >= {low}, got {value!r}")
        epochs = values.get("table_epochs", [])
        if not isinstance(epochs, list) or not all(isinstance(e, int) and 0 <= e <= config.epochs for e in epochs):
            raise TextgenError(f"--params: table_epochs must list epochs in 0..{config.epochs}, got {epochs!r}")
        values["table_epochs"] = tuple(sorted(set(epochs)))
        return cls(config=config, **values)


def warmup_lr(settings: TrainSettings, step: int) -> float:
    """Learning rate of optimizer step `step` (0-based): linear warmup, then the configured rate.

    >>> cfg = TranslationConfig(lr=1e-3)
    >>> [warmup_lr(TrainSettings(cfg, warmup_steps=4), s) for s in (0, 3, 9)]
    [0.00025, 0.001, 0.001]
    """
    if settings.warmup_steps == 0:
        return settings.config.lr
    return settings.config.lr * min(1.0, (step + 1) / settings.warmup_steps)


def is_eval_point(batch: int, batches: int, evals: int) -> bool:
    """Whether the `batch`-th batch (1-based) of an epoch of `batches` ends one of `evals` evenly
    spaced stretches: the seed's one row per epoch is evals = 1.

    >>> [b for b in range(1, 11) if is_eval_point(b, 10, 3)]
    [4, 7, 10]
    """
    return batch * evals // batches > (batch - 1) * evals // batches


class Run:
    """Everything one training run needs, built deterministically from its inputs."""

    def __init__(self, pairs_dir: Path, settings: TrainSettings, seed: int, checkpoints: Path):
        self.pairs_dir, self.settings, self.seed, self.checkpoints = pairs_dir, settings, seed, checkpoints
        self.source_lang, self.target_lang = languages(pairs_dir)
        train_pairs, self.val_pairs = read_split(pairs_dir, "train"), read_split(pairs_dir, "val")
        self.tokenizer = joint_tokenizer(train_pairs, settings.config.vocab_size)
        self.config = dataclasses.replace(settings.config, pad_id=self.tokenizer.pad_id)
        encoded = encode_pairs(self.tokenizer, train_pairs)
        keep = [k for k, (s, t) in enumerate(encoded) if max(len(s), len(t)) <= settings.max_tokens]
        self.train_pairs = [train_pairs[k] for k in keep]
        self.skipped = len(train_pairs) - len(keep)
        self.train = [encoded[k] for k in keep]
        self.val = encode_pairs(self.tokenizer, self.val_pairs)
        if not self.train:
            raise TextgenError(f"--params: max_tokens {settings.max_tokens} leaves no training pair")
        self.lengths = [max(len(s), len(t)) for s, t in self.train]
        self.steps_per_epoch = len(epoch_batches(self.lengths, self.config.batch_size, seed, 0))
        checkpoints.mkdir(parents=True, exist_ok=True)
        self.tokenizer.save(checkpoints / "tokenizer.json")
        self.run_id = plain({
            "settings": dataclasses.asdict(settings), "seed": seed,
            "train_sha256": sha256_file(pairs_dir / "train.tsv"), "val_sha256": sha256_file(pairs_dir / "val.tsv"),
            "tokenizer_sha256": sha256_file(checkpoints / "tokenizer.json"),
        })

    def batch(self, data: list, indices: list[int]) -> tuple[torch.Tensor, torch.Tensor]:
        tok = self.tokenizer
        return collate([data[i] for i in indices], tok.cls_id, tok.sep_id, tok.pad_id)

    def val_batches(self) -> list[tuple[torch.Tensor, torch.Tensor]]:
        lengths = [max(len(s), len(t)) for s, t in self.val]
        return [self.batch(self.val, b) for b in length_batches(lengths, self.config.batch_size)]

    def prompt_rows(self, model: Seq2SeqTransformer, epoch: int) -> list[dict[str, Any]]:
        prompts = prompts_for(self.source_lang)
        outputs = Translator(model, self.tokenizer)(prompts) if prompts else []
        return [{"epoch": epoch, "prompt": p, "translation": o} for p, o in zip(prompts, outputs, strict=True)]


def train(fabric, run: Run, model: Seq2SeqTransformer, optimizer: torch.optim.Optimizer,
          state: TrainState, ckpts: Checkpoints) -> None:
    """Train from `state` to the last epoch through `fabric` (textgen.compute), appending metric
    rows and prompt tables to it and saving a state after every metric row (rank 0)."""
    cfg, settings = run.config, run.settings
    wrapped, optimizer = fabric.setup(model, optimizer)
    if state.step == 0 and 0 in settings.table_epochs and not state.tables:
        state.tables += run.prompt_rows(model, 0)
    val_batches = run.val_batches()
    total = cfg.epochs * run.steps_per_epoch
    loss_sum, token_sum = 0.0, 0
    started = time.perf_counter() - state.seconds
    # A line at every evaluation (a few per epoch).
    progress = Progress(total, done=state.step, log=lambda line: print(line, flush=True), show=fabric.is_global_zero)
    while state.epoch < cfg.epochs:
        batches = epoch_batches(run.lengths, cfg.batch_size, run.seed, state.epoch)
        for indices in batches[state.batch:]:
            for group in optimizer.param_groups:
                group["lr"] = warmup_lr(settings, state.step)
            src, tgt = run.batch(run.train, indices)
            tokens = int((tgt[1:] != cfg.pad_id).sum())
            loss_sum += train_step(wrapped, (src, tgt), optimizer, fabric) * tokens
            token_sum += tokens
            state.tokens += tokens + int((src != cfg.pad_id).sum())
            state.step += 1
            state.batch += 1
            epoch_done = state.batch == len(batches)
            if not is_eval_point(state.batch, len(batches), settings.evals_per_epoch):
                progress.update(state.step, line=False)
                continue
            if epoch_done:
                state.epoch, state.batch = state.epoch + 1, 0
                if state.epoch in settings.table_epochs:
                    state.tables += run.prompt_rows(model, state.epoch)
            row = {"step": state.step, "epoch": round(state.step / run.steps_per_epoch, 4),
                   "train_loss": loss_sum / token_sum, "val_loss": evaluate_loss(model, val_batches)}
            state.metrics.append(row)
            loss_sum, token_sum = 0.0, 0
            state.seconds = round(time.perf_counter() - started, 3)
            ckpts.save(state.step, {"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                                    **dataclasses.asdict(state)}, final=state.step == total)
            reseed(run.seed, fabric.global_rank, state.step)
            progress.update(state.step, line=True, epoch=row["epoch"], train=row["train_loss"], val=row["val_loss"])
    progress.close()


def write_outputs(run: Run, model: Seq2SeqTransformer, state: TrainState, out: Path,
                  compute: dict[str, Any] | None = None) -> None:
    """Every artifact of the trained model, into `out` as a whole (nothing if any write fails)."""
    generator = torch.Generator().manual_seed(run.seed)
    picks = torch.randperm(len(run.train_pairs), generator=generator)[: run.settings.samples].tolist()
    with atomic_path(out) as tmp:
        tmp.mkdir()
        _write_csv(tmp / "metrics.csv", ["step", "epoch", "train_loss", "val_loss"], state.metrics)
        _write_csv(tmp / "prompts.csv", ["epoch", "prompt", "translation"], state.tables)
        _write_csv(tmp / "samples.csv", ["source", "target"],
                   [dict(zip(("source", "target"), run.train_pairs[k], strict=True)) for k in picks])
        (tmp / "architecture.txt").write_text(f"{model}\n", encoding="utf-8")
        write_json(tmp / "config.json", {
            "pairs": run.pairs_dir.name,
            "languages": {"source": run.source_lang, "target": run.target_lang},
            "config": dataclasses.asdict(run.config),
            "training": {k: v for k, v in dataclasses.asdict(run.settings).items() if k != "config"},
            "seed": run.seed,
            "tokenizer": {"kind": "byte-level BPE, joint (source and target), trained on the train split",
                          "vocab_size": run.tokenizer.vocab_size},
            "data": {"train_pairs": len(run.train), "train_pairs_skipped": run.skipped,
                     "val_pairs": len(run.val), "steps_per_epoch": run.steps_per_epoch},
            "parameters": sum(p.numel() for p in model.parameters()),
            "steps": state.step,
            "compute": compute,
        })
        write_json(tmp / "run.json", {"seconds": state.seconds, "tokens": state.tokens,
                                      "tokens_per_second": state.tokens / max(state.seconds, 1e-9), "compute": compute})
        Translator(model, run.tokenizer).save(tmp)


def _write_csv(path: Path, header: list[str], rows: list[dict[str, Any]]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        # Floats rounded so that the bytes, not only the values, are stable across platforms.
        writer.writerow({k: f"{v:.6f}" if isinstance(v, float) else v for k, v in row.items()})
    path.write_text(buffer.getvalue(), encoding="utf-8")


def train_translation(pairs_dir: Path, settings: TrainSettings, seed: int, checkpoints: Path, out: Path,
                      fabric=None) -> Run:
    """Train (resuming from this run's newest state in `checkpoints`) through `fabric` (default:
    textgen.compute.local_fabric); rank 0 writes `out`."""
    torch.use_deterministic_algorithms(True, warn_only=True)
    fabric = fabric or local_fabric()
    log = rank_zero_log(fabric)
    run = Run(pairs_dir, settings, seed, checkpoints)
    log(f"{pairs_dir.name}: {len(run.train):,} training pairs ({run.source_lang} -> {run.target_lang}), "
          f"{len(run.val):,} validation, joint BPE vocabulary {run.tokenizer.vocab_size:,}, "
          f"{run.steps_per_epoch} steps per epoch; {describe(fabric)}")
    torch.manual_seed(seed)
    model = Seq2SeqTransformer(run.config)
    if fabric.is_global_zero:
        n_params = sum(p.numel() for p in model.parameters())
        # the positions run.json counts: [CLS] source [SEP], and the target tokens and [SEP] predicted
        tokens = run.config.epochs * sum(len(s) + 2 + len(t) + 1 for s, t in run.train)
        log(plan_line(f"translate/{pairs_dir.name}", n_params, tokens, 6.0 * n_params) + " (6 N a token)")
    optimizer = make_optimizer(model)
    ckpts = Checkpoints(checkpoints, run.run_id, log=log, writer=fabric.is_global_zero)
    saved = ckpts.resume()
    state = TrainState()
    if saved is not None:
        model.load_state_dict(saved["model"])
        ckpts.restore(optimizer, saved, "optimizer")
        state = TrainState(**{f.name: saved[f.name] for f in dataclasses.fields(TrainState) if f.name in saved})
    reseed(seed, fabric.global_rank, state.step)
    train(fabric, run, model, optimizer, state, ckpts)
    if fabric.is_global_zero:
        write_outputs(run, model, state, out, describe(fabric))
    return run


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="textgen train-translation", description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", required=True, type=Path, help="pair set folder (train/val/test.tsv, manifest.json)")
    parser.add_argument("--params", required=True, help="one model's params as a JSON object")
    add_run_arguments(parser, out_help="folder to create")
    add_compute_argument(parser)
    args = parser.parse_args(argv)
    start_run(args)
    compute = parse(args)
    started = time.perf_counter()
    settings = TrainSettings.from_params(json_arg(args.params, "--params"))
    fabric = launch(compute, args.threads)
    run = train_translation(args.pairs, settings, args.seed, args.checkpoints, args.out, fabric)
    rank_zero_log(fabric)(f"train-translation {run.pairs_dir.name}: wrote {args.out} ({time.perf_counter() - started:.1f} s)")
    return 0
