"""The trainer's log history (`trainer.state.log_history`) as a table and as the seed's figure:
training loss and gradient norm over steps on two axes, epochs marked, plus the eval loss.

    >>> rows = history_rows([{"loss": 3.0, "grad_norm": 1.5, "learning_rate": 1e-4, "epoch": 0.5, "step": 1},
    ...                      {"eval_loss": 2.9, "epoch": 1.0, "step": 2},
    ...                      {"train_runtime": 9.0, "train_loss": 2.9, "epoch": 1.0, "step": 2}])
    >>> [(r["step"], r["loss"], r["eval_loss"]) for r in rows]
    [(1, 3.0, None), (2, None, 2.9)]
"""

from __future__ import annotations

from pathlib import Path

from textgen.plots import plt, save_figure

COLUMNS = ("step", "epoch", "loss", "grad_norm", "learning_rate", "eval_loss")


def history_rows(log_history: list[dict]) -> list[dict]:
    """Training and evaluation entries (not the run summary, whose timings change every run)."""
    rows = []
    for entry in log_history:
        if "loss" in entry or "eval_loss" in entry:
            rows.append({key: entry.get(key) for key in COLUMNS})
    return rows


def plot_curves(rows: list[dict], title: str, path: Path) -> None:
    train = [r for r in rows if r["loss"] is not None]
    evals = [r for r in rows if r["eval_loss"] is not None]
    fig, loss_axis = plt.subplots()
    loss_axis.set_xlabel("step")
    loss_axis.set_ylabel("loss")
    loss_axis.plot([r["step"] for r in train], [r["loss"] for r in train], color="black", label="training loss")
    if evals:
        loss_axis.plot([r["step"] for r in evals], [r["eval_loss"] for r in evals], "o--", color="tab:blue",
                       label="eval loss")
    # The last logged training loss of each epoch, starred as in the seed's figures.
    ends = {}
    for r in train:
        ends[int(-(-r["epoch"] // 1))] = r  # ceil: the epoch a logged step belongs to
    loss_axis.scatter([r["step"] for r in ends.values()], [r["loss"] for r in ends.values()], color="orange",
                      marker="*", s=100, zorder=10, label="end of epoch")
    loss_axis.legend(loc="upper center")
    norm_axis = loss_axis.twinx()
    norm_axis.set_ylabel("gradient norm", color="red")
    norm_axis.plot([r["step"] for r in train], [r["grad_norm"] for r in train], color="red", linestyle="-.")
    norm_axis.tick_params(axis="y", labelcolor="red")
    norm_axis.grid(False)
    loss_axis.set_title(title)
    save_figure(fig, path)
