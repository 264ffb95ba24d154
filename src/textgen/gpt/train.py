"""`textgen train-gpt`: train one decoder-only generator (seed 001) on a corpus, resumably.

    textgen train-gpt --corpus data/interim/corpora/shakespeare --format stream \\
        --tokenizer data/processed/bpe/shakespeare.json --arch '{"n_layer": 4, ...}' \\
        --train '{"max_iters": 600, ...}' --split '{"val": 0.05, "test": 0.05}' \\
        --seed 1234 --threads 2 --checkpoints checkpoints/gpt/quixote_small --out results/gpt/models/quixote_small

AdamW with warmup and cosine decay, gradient clipping; random windows of the training split;
train and val loss estimated every eval_interval steps on fixed batches. Writes to --out:
config.json (every setting, sizes, FLOPs), architecture.txt (the model printed), metrics.csv
(iter, train_loss, val_loss, lr, tokens_seen), loss.png, heldout.json (test loss per token and per
byte of the final model), model-<step>.pt for each step the sample tables use, and run.json (wall
time, tokens/s, elapsed time at each evaluation, where it ran: what differs between identical runs).
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import hashlib
import shutil
import time
from pathlib import Path

import torch

from textgen.bpe import Tokenizer
from textgen.bpe.corpus import FORMATS, split_arg, split_corpus
from textgen.data.args import json_arg
from textgen.errors import TextgenError
from textgen.gpt.dataset import byte_lengths, encode_splits, random_windows
from textgen.gpt.flops import estimate_flops_per_token
from textgen.gpt.heldout import heldout_loss
from textgen.gpt.model import GPT, GPTConfig
from textgen.gpt.checkpoint import checkpoint_doc, load_checkpoint
from textgen.gpt.schedule import TrainConfig, learning_rate
from textgen.io import atomic_path, sha256_file, write_json
from textgen.plan import plan_line
from textgen.progress import Progress
from textgen.checkpoints import Checkpoints
from textgen.compute import add_compute_argument, describe, launch, parse, reseed, shard
from textgen.training import add_run_arguments, start_run

METRICS = ("iter", "train_loss", "val_loss", "lr", "tokens_seen")  # metrics.csv; elapsed seconds go to run.json
HELDOUT_TOKENS = 4096  # tokens per held-out batch: big batches are faster, and the logits stay < 0.5 GB


def arch_config(params: dict, vocab_size: int) -> GPTConfig:
    """GPTConfig from --arch (every field but vocab_size, which the tokenizer gives)."""
    allowed = {f.name for f in dataclasses.fields(GPTConfig)} - {"vocab_size"}
    unknown = sorted(set(params) - allowed)
    if unknown:
        raise TextgenError(f"--arch: unknown keys {unknown}; allowed: {sorted(allowed)}")
    try:
        return GPTConfig(vocab_size=vocab_size, **params)
    except TextgenError as err:
        raise TextgenError(f"--arch.{err}") from None


def make_optimizer(model: GPT, cfg: TrainConfig) -> torch.optim.AdamW:
    """AdamW; weight decay on matrices and embeddings only (nanoGPT's grouping)."""
    params = list(model.parameters())  # a tied head appears once
    groups = [
        {"params": [p for p in params if p.dim() >= 2], "weight_decay": cfg.weight_decay},
        {"params": [p for p in params if p.dim() < 2], "weight_decay": 0.0},
    ]
    return torch.optim.AdamW(groups, lr=cfg.learning_rate, betas=cfg.betas, eps=cfg.eps, fused=True)


@torch.no_grad()
def estimate_losses(model: GPT, streams: dict[str, torch.Tensor], cfg: TrainConfig,
                    seed: int, device: torch.device | str = "cpu") -> dict[str, float]:
    """Mean loss over eval_iters batches of train and of val; the same batches at every call, so
    the curve moves only because the model does. Every process computes it whole (same weights,
    same batches, same numbers: no communication)."""
    model.eval()
    out = {}
    for name in ("train", "val"):
        generator = torch.Generator().manual_seed(seed + 1)
        losses = [model(*(t.to(device) for t in random_windows(streams[name], cfg.batch_size,
                                                               model.config.block_size, generator)))[1].float()
                  for _ in range(cfg.eval_iters)]
        out[name] = float(torch.stack(losses).mean())
    model.train()
    return out


def run_settings(config: GPTConfig, train: TrainConfig, fmt: str, split: dict, seed: int, tokenizer_sha256: str,
                 streams: dict[str, torch.Tensor]) -> dict:
    """Everything a resumed run must share with the run that saved the state (its fingerprint)."""
    data = hashlib.sha256()
    for name in ("train", "val"):
        data.update(streams[name].numpy().tobytes())
    return {"config": dataclasses.asdict(config), "tokenizer_sha256": tokenizer_sha256, "train": train.as_dict(),
            "format": fmt, "split": dict(split), "seed": seed, "data_sha256": data.hexdigest()}


def train(fabric, model: GPT, streams: dict[str, torch.Tensor], cfg: TrainConfig, seed: int, ckpts: Checkpoints,
          tokenizer_sha256: str) -> list[dict[str, float]]:
    """Train from step 0 or from the newest state of this run in `ckpts` up to max_iters, through
    `fabric` (device, precision, data-parallel processes: textgen.compute); returns the loss
    history (one row per evaluation). Each process trains on its slice of every global batch."""
    optimizer = make_optimizer(model, cfg)
    wrapped, optimizer = fabric.setup(model, optimizer)
    batches = torch.Generator().manual_seed(seed)
    step, history, elapsed = 0, [], 0.0
    state = ckpts.resume()
    if state is not None and any(s <= state["step"] and ckpts.load_file(f"model-{s}.pt") is None
                                 for s in cfg.kept_steps):
        fabric.print(f"{ckpts.folder}: the weights of a kept step are missing; starting over")
        state = None
    if state is not None:
        model.load_state_dict(state["model"])
        ckpts.restore(optimizer, state, "optimizer")
        step, history, elapsed = state["step"], list(state["history"]), float(state["elapsed"])
        batches.set_state(state["rng_batches"])
    reseed(seed, fabric.global_rank, step)
    tokens_per_iter = cfg.batch_size * cfg.grad_accum * model.config.block_size
    started = time.perf_counter() - elapsed
    # A line at every evaluation: its estimated train and val losses.
    progress = Progress(cfg.max_iters, done=step, tokens_per_step=tokens_per_iter, every=cfg.eval_interval,
                        log=lambda line: print(line, flush=True), show=fabric.is_global_zero, elapsed=elapsed)

    def evaluate() -> None:
        with fabric.autocast():
            losses = estimate_losses(model, streams, cfg, seed, fabric.device)
        lr = learning_rate(max(step - 1, 0), cfg)
        row = {"iter": step, "train_loss": losses["train"], "val_loss": losses["val"], "lr": lr,
               "tokens_seen": step * tokens_per_iter, "seconds": round(time.perf_counter() - started, 3)}
        history.append(row)
        progress.set(train=losses["train"], val=losses["val"], lr=lr)

    if step == 0:
        evaluate()
        progress.update(0, line=True)
    wrapped.train()
    while step < cfg.max_iters:
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(step, cfg)
        for micro in range(cfg.grad_accum):
            inputs, targets = shard(random_windows(streams["train"], cfg.batch_size, model.config.block_size,
                                                   batches), fabric)
            with fabric.no_backward_sync(wrapped, enabled=micro < cfg.grad_accum - 1):
                _, loss = wrapped(inputs, targets)
                fabric.backward(loss / cfg.grad_accum)
        if cfg.grad_clip > 0:
            fabric.clip_gradients(wrapped, optimizer, max_norm=cfg.grad_clip, error_if_nonfinite=False)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        step += 1
        if step % cfg.eval_interval == 0 or step == cfg.max_iters:
            evaluate()
        if step in cfg.kept_steps:
            ckpts.save_file(f"model-{step}.pt", weights_doc(model, step, tokenizer_sha256))
        if step % cfg.checkpoint_interval == 0 or step == cfg.max_iters:
            ckpts.save(step, {"model": model.state_dict(), "optimizer": optimizer.state_dict(), "history": history,
                              "elapsed": time.perf_counter() - started, "rng_batches": batches.get_state()},
                       final=step == cfg.max_iters)
            reseed(seed, fabric.global_rank, step)
        progress.update(step)
    progress.close()
    fabric.barrier()
    return history


def plot_losses(history: list[dict[str, float]], kept_steps: list[int], title: str, tokens_per_iter: int,
                path: Path) -> None:
    from textgen.plots import plt, save_figure

    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    steps = [row["iter"] for row in history]
    ax.plot(steps, [row["train_loss"] for row in history], label="train", color="black")
    ax.plot(steps, [row["val_loss"] for row in history], label="validation", color="#c44e52")
    for s in kept_steps:
        ax.axvline(s, color="grey", linestyle=":", linewidth=0.8)
    ax.set_xlabel(f"iteration ({tokens_per_iter:,} training tokens per iteration)")
    ax.set_ylabel("cross-entropy (nats per token)")
    ax.set_title(title)
    ax.legend()
    save_figure(fig, path)


def weights_doc(model: GPT, step: int, tokenizer_sha256: str) -> dict:
    """A kept step's weights in textgen.gpt.checkpoint's format (what sample-gpt reads)."""
    return checkpoint_doc(model, None, step, tokenizer_sha256)


def write_outputs(out: Path, model: GPT, history: list[dict], cfg: TrainConfig, config_doc: dict, run_doc: dict,
                  heldout: dict, ckpts: Checkpoints) -> None:
    """Every artifact into `out` as a whole. Each kept weights file is loaded and checked (this run's,
    this model's) before it is copied: a damaged file is an error naming it, never a result."""
    for step in cfg.kept_steps:
        if ckpts.load_file(f"model-{step}.pt") is None:
            raise TextgenError(f"{ckpts.folder / f'model-{step}.pt'}: missing or from another run; "
                               f"rerun to retrain from the last state")
        load_checkpoint(ckpts.folder / f"model-{step}.pt", model.config, config_doc["tokenizer"]["sha256"])
    with atomic_path(out) as tmp:
        tmp.mkdir()
        write_json(tmp / "config.json", config_doc)
        write_json(tmp / "heldout.json", heldout)
        write_json(tmp / "run.json", run_doc)  # wall time, speed, where it ran: what differs between identical runs
        (tmp / "architecture.txt").write_text(str(model) + "\n", encoding="utf-8")
        with open(tmp / "metrics.csv", "w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=METRICS, lineterminator="\n")
            writer.writeheader()
            writer.writerows({k: row[k] for k in METRICS} for row in history)
        tokens_per_iter = config_doc["tokens_per_iter"]
        plot_losses(history, cfg.kept_steps, out.name, tokens_per_iter, tmp / "loss.png")
        for step in cfg.kept_steps:
            shutil.copyfile(ckpts.folder / f"model-{step}.pt", tmp / f"model-{step}.pt")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="textgen train-gpt", description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True, help="data/interim/corpora/<name>")
    parser.add_argument("--format", required=True, choices=FORMATS, help="how the corpus becomes training text")
    parser.add_argument("--tokenizer", type=Path, required=True, help="textgen-bpe file (train-bpe)")
    parser.add_argument("--arch", required=True, help="JSON: GPTConfig fields but vocab_size")
    parser.add_argument("--train", required=True, help="JSON: TrainConfig fields (textgen.gpt.schedule)")
    parser.add_argument("--split", required=True, help='JSON: {"val": fraction, "test": fraction}')
    parser.add_argument("--test-bytes", type=int, default=0,
                        help="held-out bytes scored: the first of the test split (0: all of it)")
    add_run_arguments(parser)
    add_compute_argument(parser)
    args = parser.parse_args(argv)
    start_run(args)
    compute = parse(args)

    cfg = TrainConfig.from_dict(json_arg(args.train, "--train"))
    split = split_arg(args.split)
    tokenizer = Tokenizer.load(args.tokenizer)
    tokenizer_sha256 = sha256_file(args.tokenizer)
    config = arch_config(json_arg(args.arch, "--arch"), tokenizer.vocab_size)
    if args.test_bytes < 0:
        raise TextgenError(f"--test-bytes (gpt.test_bytes): must be >= 0, got {args.test_bytes}")
    streams = encode_splits(tokenizer, split_corpus(args.corpus, args.format, split["val"], split["test"]), args.format,
                            args.test_bytes)
    short = {name: t.numel() for name, t in streams.items() if t.numel() < config.block_size + 2}
    if short:  # before anything is launched or any state touched
        raise TextgenError(f"--arch.block_size: {config.block_size:,} needs {config.block_size + 2:,} tokens in every "
                           f"split of {args.corpus}; " + ", ".join(f"{n} has {k:,}" for n, k in short.items()))
    run = run_settings(config, cfg, args.format, split, args.seed, tokenizer_sha256, streams)

    fabric = launch(compute, args.threads)
    torch.manual_seed(args.seed)
    model = GPT(config)
    tokens_per_iter = cfg.batch_size * cfg.grad_accum * config.block_size
    sizes = {name: f"{t.numel():,}" for name, t in streams.items()}
    fabric.print(f"train-gpt: {args.out.name}: {model.num_params():,} parameters, tokens train {sizes['train']} "
          f"val {sizes['val']} test {sizes['test']}; {cfg.max_iters} steps of "
          f"{tokens_per_iter:,} tokens; {args.threads} threads; {describe(fabric)}", flush=True)
    if fabric.is_global_zero:
        print(plan_line(f"gpt/{args.out.name}", model.num_params(), cfg.max_iters * tokens_per_iter,
                        estimate_flops_per_token(config)), flush=True)
    ckpts = Checkpoints(args.checkpoints, run, log=fabric.print, writer=fabric.is_global_zero)
    history = train(fabric, model, streams, cfg, args.seed, ckpts, tokenizer_sha256)
    if not fabric.is_global_zero:  # rank 0 scores the model and writes the outputs
        return 0

    with fabric.autocast():
        heldout = heldout_loss(model, streams["test"].to(fabric.device), byte_lengths(tokenizer).to(fabric.device),
                               batch_size=max(1, HELDOUT_TOKENS // config.block_size))
    config_doc = {
        "model": args.out.name,
        "corpus": args.corpus.name,
        "format": args.format,
        "gpt": dataclasses.asdict(config),
        "train": cfg.as_dict(),
        "split": split,
        "seed": args.seed,
        "tokenizer": {"file": args.tokenizer.name, "sha256": tokenizer_sha256, "vocab_size": tokenizer.vocab_size},
        "parameters": model.num_params(),
        "tokens": {name: int(t.numel()) for name, t in streams.items()},
        "tokens_per_iter": tokens_per_iter,
        "flops_per_token": estimate_flops_per_token(config),
        "stopped_early": cfg.max_iters < cfg.lr_decay_iters,
        "checkpoints": cfg.kept_steps,
    }
    last = history[-1]
    run_doc = {"seconds": last["seconds"], "tokens_per_second": last["tokens_seen"] / max(last["seconds"], 1e-9),
               "evaluations": [{"iter": row["iter"], "seconds": row["seconds"]} for row in history],
               "compute": describe(fabric)}
    write_outputs(args.out, model, history, cfg, config_doc, run_doc, heldout, ckpts)
    print(f"train-gpt: test loss {heldout['loss_per_token']:.3f} nats/token, {heldout['bits_per_byte']:.3f} bits/byte "
          f"-> {args.out}", flush=True)
    return 0
