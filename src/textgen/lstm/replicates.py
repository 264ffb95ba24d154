"""`textgen lstm-replicate`: one seed of the comparisons Report A draws conclusions from.

    textgen lstm-replicate --words data/processed/words --models '{"attention": {...}, ...}' \\
        --optimizers '{"model": {...}, "runs": {...}, ...}' --params '{"seeds": 3, "iterations": 200, ...}' \\
        --evaluation '{"prompt": ["Elizabeth"], ...}' --seed 1234 --replicate 1 --threads 1 \\
        --checkpoints checkpoints/lstm/replicates/seed1 --out results/lstm/replicates/seed1

A single run of each model shows what one seed gives; whether two models differ needs the spread
between seeds. This trains, at seed `--seed + --replicate`, every model of --models (the custom
loop) and every run of --params.optimizer_runs (the optimizer study: its runs share initial weights
and batches), each cut to --params.iterations iterations, and writes to --out:

    runs.csv    run, study (models / optimizers), replicate, seed, iterations, final_train_loss,
                final_val_loss, best_val_loss, val_rises (optimizer runs), largest_val_rise
    run.json    wall time of each run and of the job, compute

Every run is resumable (one folder per run under --checkpoints); textgen lstm-statistics puts
the seeds together.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from textgen.compute import add_compute_argument, describe, launch, parse
from textgen.data.args import json_arg
from textgen.errors import TextgenError
from textgen.io import atomic_path, write_csv, write_json
from textgen.lstm.data import WordData
from textgen.lstm.optimizers import STUDY, run_study
from textgen.lstm.settings import CUSTOM, EVALUATION, read_block
from textgen.lstm.train import train_custom
from textgen.training import add_run_arguments, start_run

FIELDS = ("run", "study", "replicate", "seed", "iterations", "final_train_loss", "final_val_loss", "best_val_loss",
          "val_rises", "largest_val_rise")


def shortened(block: dict[str, Any], iterations: int) -> dict[str, Any]:
    """A run's block cut to `iterations`, evaluating at most as often as before (and at the end).

    >>> shortened({"iterations": 400, "evaluate_interval": 100, "lr": 0.003}, 150)
    {'iterations': 150, 'evaluate_interval': 100, 'lr': 0.003}
    >>> shortened({"iterations": 400, "evaluate_interval": 100}, 50)["evaluate_interval"]
    50
    """
    return {**block, "iterations": iterations, "evaluate_interval": min(block["evaluate_interval"], iterations)}


def replicate(models: dict[str, dict[str, Any]], study: dict[str, Any], params: dict[str, Any],
              evaluation: dict[str, Any], data: WordData, seed: int, index: int, checkpoints: Path,
              fabric) -> tuple[list[dict[str, Any]], dict[str, float]]:
    """Train every replicated run at seed `seed + index`: (rows of runs.csv, seconds per run)."""
    run_seed, iterations = seed + index, params["iterations"]
    rows, seconds = [], {}
    for name in params["models"]:
        start = time.perf_counter()
        metrics = train_custom(name, shortened(models[name], iterations), evaluation, data, run_seed,
                               checkpoints / name, None, fabric=fabric)
        seconds[name] = time.perf_counter() - start
        rows.append({"run": name, "study": "models", "replicate": index, "seed": run_seed, "iterations": iterations,
                     "final_train_loss": metrics["final_train_loss"], "final_val_loss": metrics["final_val_loss"],
                     "best_val_loss": metrics["best_val_loss"], "val_rises": "", "largest_val_rise": ""})
    if params["optimizer_runs"]:
        runs = {name: study["runs"][name] for name in params["optimizer_runs"]}
        start = time.perf_counter()
        table = run_study({**study, "model": shortened(study["model"], iterations), "runs": runs}, data, run_seed,
                          checkpoints / "optimizers", None, fabric=fabric)
        seconds["optimizers"] = time.perf_counter() - start
        rows += [{"run": r["run"], "study": "optimizers", "replicate": index, "seed": run_seed,
                  "iterations": iterations, **{k: r[k] for k in FIELDS[5:]}} for r in table]
    return rows, seconds


def read_params(params: Any, models: dict[str, Any], study: dict[str, Any]) -> dict[str, Any]:
    """--params checked against --models and --optimizers (names that exist)."""
    if not isinstance(params, dict):
        raise TextgenError(f"--params: expected a JSON object, got {type(params).__name__}")
    for key in ("models", "optimizer_runs"):
        if not isinstance(params.get(key), list):
            raise TextgenError(f"--params.{key}: expected a list of names, got {params.get(key)!r}")
    missing = [m for m in params["models"] if m not in models] + \
              [r for r in params["optimizer_runs"] if r not in study["runs"]]
    if missing:
        raise TextgenError(f"--params: {', '.join(missing)} not in --models or --optimizers.runs")
    if not isinstance(params.get("iterations"), int) or params["iterations"] < 1:
        raise TextgenError(f"--params.iterations: expected an integer >= 1, got {params.get('iterations')!r}")
    return params


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="textgen lstm-replicate", description=__doc__.split("\n")[0])
    parser.add_argument("--words", type=Path, required=True, help="word corpus folder (textgen prepare-words)")
    parser.add_argument("--models", required=True, help="JSON: name -> custom-loop block (lstm.models)")
    parser.add_argument("--optimizers", required=True, help="JSON: the optimizer study's block (lstm.optimizers)")
    parser.add_argument("--params", required=True, help="JSON: lstm.replicates")
    parser.add_argument("--evaluation", required=True, help="JSON: prompt, max_words, beam_k, ... (lstm.evaluation)")
    parser.add_argument("--replicate", type=int, required=True, help="this replicate's number: its seed is --seed + it")
    add_run_arguments(parser, checkpoints_help="resumable state, one folder per run")
    add_compute_argument(parser)
    args = parser.parse_args(argv)
    start_run(args)
    if args.replicate < 0:
        raise TextgenError(f"--replicate: expected a number >= 0, got {args.replicate}")
    models = {name: read_block(block, CUSTOM, f"--models.{name}")
              for name, block in json_arg(args.models, "--models").items()}
    study = read_block(json_arg(args.optimizers, "--optimizers"), STUDY, "--optimizers")
    params = read_params(json_arg(args.params, "--params"), models, study)
    evaluation = read_block(json_arg(args.evaluation, "--evaluation"), EVALUATION, "--evaluation")
    fabric = launch(parse(args), args.threads)
    start = time.perf_counter()
    rows, seconds = replicate(models, study, params, evaluation, WordData.load(args.words), args.seed,
                              args.replicate, args.checkpoints, fabric)
    if not fabric.is_global_zero:
        return 0
    with atomic_path(args.out) as tmp:
        tmp.mkdir()
        write_csv(tmp / "runs.csv", rows, FIELDS)
        write_json(tmp / "run.json", {"seconds": time.perf_counter() - start, "runs": seconds,
                                      "seed": args.seed + args.replicate, "compute": describe(fabric)})
    print(f"lstm-replicate {args.replicate}: {len(rows)} runs at seed {args.seed + args.replicate} -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
