"""`textgen train-lstm`: train one Report A model with the custom loop (Listing 9) or Lightning.

    textgen train-lstm --loop custom --words data/processed/words \\
        --params '{"kind": "simple", "iterations": 600, "max_len": 20, "evaluate_interval": 100, ...}' \\
        --evaluation '{"prompt": ["Elizabeth"], "max_words": 50, "beam_k": 3, ...}' \\
        --seed 1234 --threads 2 --checkpoints checkpoints/lstm/simple --out results/lstm/models/simple

The model's name is the name of --out. The custom loop (AdamW, as Listing 9) writes to --out:

    config_data.csv      key, value: the run's configuration (Figures 13 and 18)
    training_data.csv    per evaluation: model, iteration, training data length, loss (the last
                         batch's, as the seed), val_loss, lr, generated text (`write`)
    generated_texts.csv  per evaluation and beam: the seed's write_better and a correct beam
                         search, with the seed's reported probability and the true log-probability
    history.csv          iteration, train_loss, lr (every iteration: the loss curve)
    metrics.json         final and best losses (the same for the same command and seed)
    run.json             wall time, tokens/s, where it resumed, elapsed time per evaluation, compute
    model.pt             the final weights (textgen.lstm.data.save_model)

`--loop lightning` trains through Lightning instead (textgen.lstm.lightning).
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch

from textgen.data.args import json_arg
from textgen.io import atomic_path, write_json
from textgen.lstm import build_model
from textgen.lstm.data import WordData, save_model
from textgen.lstm.flops import train_flops_per_token
from textgen.lstm.loop import LoopResult, LoopSettings, train_loop
from textgen.lstm.scoring import mean_loss
from textgen.lstm.settings import (
    CUSTOM,
    EVALUATION,
    model_config,
    read_block,
)
from textgen.lstm.texts import write_texts
from textgen.checkpoints import Checkpoints
from textgen.compute import add_compute_argument, describe, launch, local_fabric, parse, rank_zero_log
from textgen.errors import TextgenError
from textgen.plan import plan_line
from textgen.training import add_run_arguments, start_run

CONFIG_KEYS = ("kind", "iterations", "max_len", "evaluate_interval", "embedding_dim", "hidden_size", "n_layers",
               "lr", "batch_size", "bidirectional", "n_heads")


def train_custom(name: str, block: dict[str, Any], evaluation: dict[str, Any], data: WordData, seed: int,
                 checkpoints: Path, out: Path | None, after_step: Callable[[int], None] | None = None,
                 fabric=None) -> dict[str, Any]:
    """Train with Listing 9's loop through `fabric` (default: textgen.compute.local_fabric) and write
    --out (module docstring) on rank 0, unless `out` is None; returns metrics.json's content."""
    fabric = fabric or local_fabric()
    log = rank_zero_log(fabric)
    config = model_config(block, len(data.vocab), "--params")
    data.prompt_ids(evaluation["prompt"], "--evaluation.prompt")
    torch.manual_seed(seed)
    model = build_model(block["kind"], config)
    optimizer = torch.optim.AdamW(model.parameters(), lr=block["lr"], fused=True)  # Listing 9: AdamW, default decay
    settings = LoopSettings(block["iterations"], block["max_len"], block["batch_size"], block["evaluate_interval"],
                            evaluation["log_every"])
    run = {"loop": "custom", "params": block, "evaluation": evaluation, "seed": seed, "data": data.sha256}
    if block["batch_size"] % fabric.world_size:
        raise TextgenError(f"--params.batch_size: {block['batch_size']} does not divide among "
                           f"{fabric.world_size} processes (compute.devices)")

    def evaluate(iteration: int, loss: float) -> dict[str, Any]:
        val_loss, _ = mean_loss(model, data.val, block["max_len"], block["batch_size"], evaluation["val_windows"])
        if out is None:  # nothing will keep the texts (a replicate run): decoding them would be waste
            log(f"iteration {iteration}: loss {loss:.3f} val {val_loss:.3f}")
            return {"val_loss": val_loss}
        texts = write_texts(model, data.vocab, evaluation["prompt"], evaluation["max_words"], evaluation["beam_k"],
                            evaluation["beam_max_words"], seed + iteration)
        log(f"iteration {iteration}: loss {loss:.3f} val {val_loss:.3f}: {texts['text'][:120]}")
        return {"val_loss": val_loss, **texts}

    log(f"train-lstm {name}: {block['kind']}, {sum(p.numel() for p in model.parameters()):,} parameters, "
        f"vocabulary {len(data.vocab):,}, {block['iterations']} iterations of {block['batch_size']} x {block['max_len']}; {describe(fabric)}")
    if fabric.is_global_zero:
        log(plan_line(f"lstm/{name}", sum(p.numel() for p in model.parameters()),
                      block["iterations"] * block["batch_size"] * block["max_len"],
                      train_flops_per_token(block["kind"], config, block["max_len"])))
    result = train_loop(fabric, model, optimizer, None, data.train, settings, seed,
                        Checkpoints(checkpoints, run, log=log, writer=fabric.is_global_zero), evaluate, log, after_step)
    metrics = summarize(name, block, model, result)
    if not fabric.is_global_zero or out is None:
        return metrics
    with atomic_path(out) as tmp:
        tmp.mkdir()
        write_config(tmp / "config_data.csv", name, block)
        write_evaluations(tmp, name, block["max_len"], result)
        write_history(tmp / "history.csv", result)
        save_model(tmp / "model.pt", block["kind"], model, {"name": name, "loop": "custom", "data": data.sha256,
                                                          "max_len": block["max_len"], "batch_size": block["batch_size"]})
        write_json(tmp / "metrics.json", metrics)
        write_json(tmp / "run.json", run_record(block, result) | {"compute": describe(fabric)})
    log(f"train-lstm {name}: val loss {metrics['final_val_loss']:.3f} after {result.seconds:.1f} s -> {out}")
    return metrics


def summarize(name: str, block: dict[str, Any], model: torch.nn.Module, result: LoopResult) -> dict[str, Any]:
    tail = result.history[-max(1, len(result.history) // 10):]  # the last 10% of steps: one batch is noisy
    vals = [row["val_loss"] for row in result.evaluations]
    return {"model": name, "kind": block["kind"], "loop": "custom", "iterations": block["iterations"],
            "parameters": sum(p.numel() for p in model.parameters()),
            "final_train_loss": sum(row["train_loss"] for row in tail) / len(tail),
            "final_val_loss": vals[-1], "best_val_loss": min(vals)}


def run_record(block: dict[str, Any], result: LoopResult) -> dict[str, Any]:
    """How the run went, apart from what it measured (metrics.json): wall time, speed, where it
    resumed and the elapsed time at each evaluation. These differ between identical runs."""
    return {"seconds": result.seconds,
            "tokens_per_second": block["iterations"] * block["batch_size"] * block["max_len"] / result.seconds,
            "resumed_from": result.resumed_from,
            "evaluations": [{"iteration": row["iteration"], "seconds": round(row["seconds"], 3)}
                            for row in result.evaluations]}


def write_config(path: Path, name: str, block: dict[str, Any]) -> None:
    with atomic_path(path) as tmp, open(tmp, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["key", "value"])
        writer.writerow(["model", name])
        writer.writerows([key, block[key]] for key in CONFIG_KEYS)


def write_evaluations(folder: Path, name: str, max_len: int, result: LoopResult) -> None:
    with open(folder / "training_data.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["model", "iteration", "training data length", "loss", "val_loss", "lr", "generated text"])
        for row in result.evaluations:
            writer.writerow([name, row["iteration"], max_len, row["loss"], row["val_loss"], row["lr"], row["text"]])
    with open(folder / "generated_texts.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["iteration", "loss", "method", "rank", "probability", "log10_score", "log_prob", "text"])
        for row in result.evaluations:
            for beam in row["beams"]:
                writer.writerow([row["iteration"], row["loss"], beam["method"], beam["rank"], beam["probability"],
                                 beam["log10_score"], beam["log_prob"], beam["text"]])


def write_history(path: Path, result: LoopResult) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["iteration", "train_loss", "lr"])
        writer.writerows([row["iteration"], row["train_loss"], row["lr"]] for row in result.history)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="textgen train-lstm", description=__doc__.split("\n")[0])
    parser.add_argument("--loop", choices=["custom", "lightning"], required=True)
    parser.add_argument("--words", type=Path, required=True, help="word corpus folder (textgen prepare-words)")
    parser.add_argument("--params", required=True, help="JSON: the model's params.yaml block")
    parser.add_argument("--evaluation", required=True, help="JSON: prompt, max_words, beam_k, ...")
    add_run_arguments(parser)
    add_compute_argument(parser)
    args = parser.parse_args(argv)
    start_run(args)
    compute = parse(args)
    data = WordData.load(args.words)
    evaluation = read_block(json_arg(args.evaluation, "--evaluation"), EVALUATION, "--evaluation")
    params = json_arg(args.params, "--params")
    name = args.out.name
    if args.loop == "custom":
        train_custom(name, read_block(params, CUSTOM, "--params"), evaluation, data, args.seed, args.checkpoints,
                     args.out, fabric=launch(compute, args.threads))
    else:
        from textgen.lstm.lightning import (  # Lightning takes seconds to import
            LIGHTNING,
            train_lightning,
        )

        train_lightning(name, read_block(params, LIGHTNING, "--params"), evaluation, data, args.seed,
                        args.checkpoints, args.out, compute=compute)
    return 0


if __name__ == "__main__":
    sys.exit(main())
