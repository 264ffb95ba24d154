"""`textgen plot-translation`: training and validation loss of every translation model, one panel each.

    textgen plot-translation --models results/translate/nb_nn results/translate/en_nb \\
        --out results/translate/loss.png

The seed plots the two curves per epoch on twin axes; here they share one axis (same quantity,
cross-entropy per target token), so their gap, the overfitting, reads off directly.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from textgen.errors import TextgenError
from textgen.io import read_json
from textgen.plots import plt, save_figure


def plot_losses(models: list[Path], out: Path) -> None:
    fig, axes = plt.subplots(1, len(models), figsize=(5.0 * len(models), 3.8), squeeze=False)
    for ax, folder in zip(axes[0], models, strict=True):
        try:
            metrics = pd.read_csv(folder / "metrics.csv")
            langs = read_json(folder / "config.json")["languages"]
        except (OSError, ValueError, KeyError) as exc:
            raise TextgenError(f"{folder}: no readable metrics.csv/config.json ({exc})") from exc
        if metrics.empty:
            raise TextgenError(f"{folder / 'metrics.csv'}: no rows")
        ax.plot(metrics["epoch"], metrics["train_loss"], color="black", label="train")
        ax.plot(metrics["epoch"], metrics["val_loss"], color="tab:red", label="validation")
        ax.set_title(f"{langs['source']} -> {langs['target']}")
        ax.set_xlabel("epoch")
        ax.set_ylabel("cross-entropy per token")
        ax.legend()
    save_figure(fig, out)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="textgen plot-translation", description=__doc__.splitlines()[0])
    parser.add_argument("--models", required=True, nargs="+", type=Path, help="folders written by train-translation")
    parser.add_argument("--out", required=True, type=Path, help="figure to write (.png, .svg or .pdf)")
    args = parser.parse_args(argv)
    plot_losses(args.models, args.out)
    print(f"plot-translation: wrote {args.out}")
    return 0
