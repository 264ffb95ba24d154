"""Figures: one look for every plot, saved reproducibly (no timestamps or software strings inside)."""

from __future__ import annotations

import os

import matplotlib

matplotlib.use("Agg")  # no screen on the pipeline machines
import matplotlib.pyplot as plt  # noqa: E402

from textgen.io import atomic_path  # noqa: E402

plt.rcParams.update(
    {
        "figure.figsize": (7.0, 4.0),
        "figure.dpi": 110,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "svg.hashsalt": "textgen",  # stable ids inside SVG files
    }
)


def save_figure(fig: "plt.Figure", path: str | os.PathLike) -> None:
    """Save `fig` (format from the suffix) without metadata that changes between runs, then close it."""
    path = os.fspath(path)
    metadata = {"Software": None}
    if path.endswith((".svg", ".pdf")):
        metadata["Date"] = None
        if path.endswith(".pdf"):
            metadata["CreationDate"] = None
    fig.tight_layout()
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format=path.rsplit(".", 1)[-1], metadata=metadata)
    plt.close(fig)
