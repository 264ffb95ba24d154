"""Report A's comparisons over several seeds (textgen lstm-statistics): each run's mean and spread,
and which differences are larger than the seed-to-seed noise. Only these are findings; the single
runs of the other sections show what one seed gives."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from textgen.lstm.statistics import ALPHA
from textgen.report.context import Context, Section
from textgen.report.markdown import table

STATISTICS = Path("results/lstm/statistics")
UNITS = {"final_val_loss": "final validation loss (nats)", "val_rises": "validation rises per run"}


def render(ctx: Context) -> Section | None:
    if not (ctx.root / STATISTICS / "summary.csv").exists():
        return None
    summary = pd.read_csv(ctx.root / STATISTICS / "summary.csv")
    comparisons = pd.read_csv(ctx.root / STATISTICS / "comparisons.csv")
    seeds, iterations = int(summary["seeds"].max()), int(summary["iterations"].iloc[0])
    rows = [[r.run, r.study, int(r.seeds), f"{r.mean_final_val_loss:.3f}", f"{r.sd_final_val_loss:.3f}",
             f"{r.min_final_val_loss:.3f}-{r.max_final_val_loss:.3f}",
             "" if pd.isna(r.mean_val_rises) else f"{r.mean_val_rises:.2f}"] for r in summary.itertuples()]
    parts = [
        (f"The comparisons this report draws conclusions from, each run trained with {seeds} seeds (the model's "
         f"initial weights and the order of its batches change with the seed) and cut to {iterations} iterations, "
         "so that every seed fits the time budget: shorter than the single runs above, whose numbers are one seed "
         "each. The two runs of a comparison are paired by seed: they draw the same batches, and the optimizer runs "
         "also start from the same weights, so the noise a difference is measured against is how much the "
         "difference itself changes from seed to seed, which can be far less than each run's own spread. The "
         "per-seed differences get a two-sided paired t-test; a difference is called larger than the seed-to-seed "
         f"noise when p < {ALPHA} and within it otherwise. With {seeds} seeds only a consistent difference passes: "
         "within the noise means not shown, not shown equal. Each holds for these shortened runs, at this scale."),
        ctx.figure(STATISTICS / "spread.png", f"Final validation loss of every seed (dots) and the mean ± one standard "
                                              f"deviation (bars), {seeds} seeds of {iterations} iterations."),
        table(["run", "study", "seeds", "mean final val loss", "sd", "range", "mean val rises"], rows),
        ctx.table_note(STATISTICS / "summary.csv"),
    ]
    if not comparisons.empty:
        parts.append(table(["b vs a", "measure", "mean a", "mean b", "mean of b - a", "95% interval", "p", "verdict"],
                           [[f"{c.b} vs {c.a}", UNITS[c.metric], f"{c.mean_a:.3f} ± {c.sd_a:.3f}",
                             f"{c.mean_b:.3f} ± {c.sd_b:.3f}", f"{c.difference:+.3f}",
                             f"{c.ci_low:+.3f} to {c.ci_high:+.3f}", f"{c.p:.3g}", c.verdict]
                            for c in comparisons.itertuples()]))
        parts.append(ctx.table_note(STATISTICS / "comparisons.csv"))
    return Section("Report A: seed-to-seed noise", "\n\n".join(parts), part="Report A",
                   findings=findings(comparisons, seeds, iterations))


def findings(comparisons: pd.DataFrame, seeds: int, iterations: int) -> list[str]:
    """One Summary line per comparison, with its means, its interval and p; the verdict as tested.

    >>> from textgen.lstm.statistics import LARGER
    >>> frame = pd.DataFrame([{"a": "x", "b": "y", "metric": "final_val_loss", "mean_a": 6.2, "sd_a": 0.01,
    ...                        "mean_b": 6.0, "sd_b": 0.02, "difference": -0.2, "ci_low": -0.25, "ci_high": -0.15,
    ...                        "p": 0.004, "verdict": LARGER}])
    >>> findings(frame, 3, 200)[0]
    'y vs x over 3 seeds of 200 iterations, final validation loss (nats): 6.000 vs 6.200, y - x = -0.200 (95% interval -0.250 to -0.150, p = 0.004): larger than the seed-to-seed noise.'
    """
    return [f"{c.b} vs {c.a} over {seeds} seeds of {iterations} iterations, {UNITS[c.metric]}: {c.mean_b:.3f} vs "
            f"{c.mean_a:.3f}, {c.b} - {c.a} = {c.difference:+.3f} (95% interval {c.ci_low:+.3f} to {c.ci_high:+.3f}, "
            f"p = {c.p:.3g}): {c.verdict}." for c in comparisons.itertuples()]
