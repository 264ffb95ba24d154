"""`textgen lstm-figures`: Report A's figures from the training and evaluation outputs.

    textgen lstm-figures --models results/lstm/models/simple ... --lightning results/lstm/models/lightning \\
        --evaluation results/lstm/evaluation --out results/lstm/figures

Writes to --out:

    lstm_loss.png           Figure 14: train loss (moving average) and val loss of every custom-loop
                            model but figure18; the listed models solid, the fixed ones dashed
    lstm_figure18_loss.png  Figure 18b: the figure18 run's train loss per batch and val loss
    lstm_lightning_lr.png   Figures 19-20: the Lightning run's losses and its learning rate per step
    lstm_beam_tree.png      Figure 12: a beam search tree from a trained model (beam_tree.json)
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path
from typing import Any

from textgen.errors import TextgenError
from textgen.io import atomic_path, read_json
from textgen.lstm.optimizers import moving_average
from textgen.plots import plt, save_figure


def read_csv(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    try:
        with open(path, newline="", encoding="utf-8") as f:
            return list(csv.DictReader(f, delimiter=delimiter))
    except FileNotFoundError:
        raise TextgenError(f"{path}: not found; run train-lstm / evaluate-lstm first") from None


def plot_model_losses(models: dict[str, Path], path: Path) -> None:
    fig, (train_ax, val_ax) = plt.subplots(1, 2, figsize=(11, 4.2), sharey=True)
    for (name, folder), color in zip(models.items(), plt.cm.tab10.colors):
        style = "--" if name.endswith("_fixed") else "-"
        history = read_csv(folder / "history.csv")
        smooth = max(1, len(history) // 40)
        train_ax.plot([int(r["iteration"]) for r in history], moving_average([float(r["train_loss"]) for r in history], smooth),
                      style, color=color, label=name, lw=1.2)
        evaluations = read_csv(folder / "training_data.csv")
        val_ax.plot([int(r["iteration"]) for r in evaluations], [float(r["val_loss"]) for r in evaluations], style,
                    marker="o", ms=3, color=color, label=name, lw=1.2)
    train_ax.set(title="train loss (moving average)", xlabel="iteration", ylabel="loss (nats)")
    val_ax.set(title="validation loss", xlabel="iteration")
    val_ax.legend(fontsize=8)
    save_figure(fig, path)


def plot_figure18(folder: Path, path: Path) -> None:
    history = read_csv(folder / "history.csv")
    evaluations = read_csv(folder / "training_data.csv")
    steps, losses = [int(r["iteration"]) for r in history], [float(r["train_loss"]) for r in history]
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(steps, losses, color="0.75", lw=0.6, label="train loss per batch")
    ax.plot(steps, moving_average(losses, max(1, len(losses) // 40)), color="C0", lw=1.4, label="train, moving average")
    ax.plot([int(r["iteration"]) for r in evaluations], [float(r["val_loss"]) for r in evaluations], "o-", color="C3",
            ms=3, label="validation")
    ax.set(title="figure18 (multihead_fixed at Figure 18's shape, scaled)", xlabel="iteration", ylabel="loss (nats)")
    ax.legend(fontsize=8)
    save_figure(fig, path)


def plot_lightning(folder: Path, path: Path) -> None:
    rows = read_csv(folder / "metrics.csv")

    def series(column: str) -> tuple[list[int], list[float]]:
        points = [(int(float(r["step"])), float(r[column])) for r in rows if r.get(column)]
        return [p[0] for p in points], [p[1] for p in points]

    lr_column = next((c for c in rows[0] if c.startswith("lr-")), None) if rows else None
    if lr_column is None:
        raise TextgenError(f"{folder / 'metrics.csv'}: no learning-rate column (LearningRateMonitor's lr-*)")
    fig, (loss_ax, lr_ax) = plt.subplots(2, 1, figsize=(7, 5.5), sharex=True, height_ratios=[2, 1])
    loss_ax.plot(*series("train_loss"), color="0.6", lw=0.8, label="train_loss (per step)")
    loss_ax.plot(*series("val_loss"), "o-", color="C3", ms=3, label="val_loss")
    loss_ax.set(ylabel="loss (nats)", title="Lightning run: losses and ReduceLROnPlateau")
    loss_ax.legend(fontsize=8)
    lr_ax.step(*series(lr_column), where="post", color="C0")
    lr_ax.set(xlabel="step", ylabel=lr_column)
    save_figure(fig, path)


def plot_beam_tree(tree: dict[str, Any], path: Path) -> None:
    """Nodes by depth (x) and leaf order (y); pruned hypotheses dashed, the final k darkened."""
    nodes = {n["id"]: n for n in tree["nodes"]}
    children: dict[int, list[int]] = {i: [] for i in nodes}
    for n in tree["nodes"]:
        if n["parent"] is not None:
            children[n["parent"]].append(n["id"])
    y: dict[int, float] = {}
    leaves = iter(range(len(nodes)))  # leaves take rows 0, 1, 2, ... in depth-first order

    def place(i: int) -> float:
        y[i] = float(next(leaves)) if not children[i] else sum(place(c) for c in children[i]) / len(children[i])
        return y[i]

    place(0)
    on_final_path = set()
    for n in tree["nodes"]:
        if n["final"]:
            i = n["id"]
            while i is not None:
                on_final_path.add(i)
                i = nodes[i]["parent"]
    fig, ax = plt.subplots(figsize=(3.2 * (tree["steps"] + 1), 0.55 * (max(y.values()) + 2)))
    for n in tree["nodes"]:
        if n["parent"] is not None:
            ax.plot([n["depth"] - 1, n["depth"]], [y[n["parent"]], y[n["id"]]], color="0.2" if n["kept"] else "0.6",
                    ls="-" if n["kept"] else "--", lw=1.6 if n["id"] in on_final_path else 0.9, zorder=1)
    for n in tree["nodes"]:
        label = n["word"] if n["parent"] is None else f"{n['word']}\n{n['logp']:.2f} / {n['cum']:.2f}"
        dark = n["id"] in on_final_path
        ax.text(n["depth"], y[n["id"]], label, ha="center", va="center", fontsize=8, zorder=2,
                color="white" if dark else "black",
                bbox={"boxstyle": "round,pad=0.3", "fc": "0.25" if dark else ("0.9" if n["kept"] else "white"),
                      "ec": "0.2", "ls": "-" if n["kept"] else "--"})
    ax.set(xlim=(-0.5, tree["steps"] + 0.5), ylim=(max(y.values()) + 0.8, -0.8),
           title=f"beam search, width {tree['k']}, on the {tree['model']} model (log p / cumulative log p)")
    ax.set_xticks(range(tree["steps"] + 1), ["prompt"] + [f"step {d}" for d in range(1, tree["steps"] + 1)])
    ax.set_yticks([])
    ax.grid(False)
    save_figure(fig, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="textgen lstm-figures", description=__doc__.split("\n")[0])
    parser.add_argument("--models", type=Path, nargs="+", required=True, help="custom-loop train-lstm folders")
    parser.add_argument("--lightning", type=Path, required=True, help="the Lightning train-lstm folder")
    parser.add_argument("--evaluation", type=Path, required=True, help="evaluate-lstm folder")
    parser.add_argument("--out", type=Path, required=True, help="output folder (replaced as a whole)")
    args = parser.parse_args(argv)
    models = {folder.name: folder for folder in args.models}
    with atomic_path(args.out) as tmp:
        tmp.mkdir()
        plot_model_losses({n: f for n, f in models.items() if n != "figure18"}, tmp / "lstm_loss.png")
        if "figure18" in models:
            plot_figure18(models["figure18"], tmp / "lstm_figure18_loss.png")
        plot_lightning(args.lightning, tmp / "lstm_lightning_lr.png")
        plot_beam_tree(read_json(args.evaluation / "beam_tree.json"), tmp / "lstm_beam_tree.png")
    print(f"lstm-figures: {len(list(args.out.iterdir()))} figures -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
