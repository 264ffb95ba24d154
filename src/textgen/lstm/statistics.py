"""`textgen lstm-statistics`: Report A's comparisons over several seeds: mean, spread, and whether a
difference is larger than the seed-to-seed noise.

    textgen lstm-statistics --replicates results/lstm/replicates/seed0 results/lstm/replicates/seed1 ... \\
        --comparisons '[["attention", "attention_fixed"], ["adamw", "adamw_lr0.002"]]' --out results/lstm/statistics

Writes to --out: runs.csv (every replicate's runs.csv), summary.csv (per run: seeds, mean, standard
deviation, min and max of the final validation loss, mean validation rises), comparisons.csv,
statistics.json (the same means and spreads, for `dvc metrics`) and spread.png (every seed's value
and the mean of each run).

A comparison [a, b] pairs the two runs by seed: the runs of one seed draw the same batches, and
optimizer runs also start from the same weights, so most of what a seed changes cancels in the
difference b - a. The per-seed differences get a two-sided paired t-test (scipy.stats.ttest_rel)
and a 95% confidence interval of their mean. A difference is called larger than the seed-to-seed
noise when p < 0.05 (ALPHA); with 3 seeds that takes a mean difference about 4.3 times its standard
error. Anything else is within the noise, however large one seed's difference looks.

Where every seed gives the same non-zero difference (a count such as val_rises, one apart in each
seed), the t-test has no spread to work with and would give p = 0. The exact sign test takes its
place: all n seeds agreeing in sign has two-sided p = 2 / 2**n, 0.25 for 3 seeds, so such a
difference is within the noise until there are 6 seeds.

>>> r = paired([1.0, 2.0, 3.0], [1.5, 2.4, 3.6])
>>> r["difference"], r["verdict"]
(0.5, 'larger than the seed-to-seed noise')
>>> paired([1.0, 2.0, 3.0], [1.2, 1.8, 3.1])["verdict"]
'within the seed-to-seed noise'
>>> r = paired([2.0, 1.0, 3.0], [1.0, 0.0, 2.0])  # one fewer in every seed
>>> r["p"], r["verdict"]
(0.25, 'within the seed-to-seed noise')
>>> paired([2.0] * 6, [1.0] * 6)["p"] < ALPHA
True
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import statistics
import sys
from pathlib import Path
from typing import Any

from textgen.errors import TextgenError
from textgen.io import atomic_path, write_csv, write_json
from textgen.plots import plt, save_figure

ALPHA = 0.05
LARGER, WITHIN = "larger than the seed-to-seed noise", "within the seed-to-seed noise"
SAME = "the same in every seed"
COMPARISON_FIELDS = ("a", "b", "metric", "mean_a", "sd_a", "mean_b", "sd_b", "seeds", "difference", "sd_difference",
                     "ci_low", "ci_high", "t", "p", "verdict")
METRICS = ("final_val_loss", "val_rises")  # val_rises: the optimizer runs' oscillation (textgen.lstm.optimizers)


def paired(a: list[float], b: list[float]) -> dict[str, Any]:
    """Mean of the differences b - a (one per seed), its 95% interval, t and two-sided p, verdict."""
    from scipy import stats  # scipy takes a second to import; only this command needs it

    diffs = [y - x for x, y in zip(a, b, strict=True)]
    mean = statistics.fmean(diffs)
    sd = statistics.stdev(diffs) if len(diffs) > 1 else math.nan
    if sd == 0:  # every seed gives the same difference: no spread for a t-test; the exact sign test
        t, p = (0.0, 1.0) if mean == 0 else (math.copysign(math.inf, mean), min(1.0, 2.0 * 0.5 ** len(diffs)))
        low = high = mean
    else:
        result = stats.ttest_rel(b, a)
        interval = result.confidence_interval(1 - ALPHA)
        t, p, low, high = float(result.statistic), float(result.pvalue), float(interval.low), float(interval.high)
    return {"seeds": len(diffs), "difference": round(mean, 6), "sd_difference": sd, "ci_low": low, "ci_high": high,
            "t": t, "p": p, "verdict": SAME if sd == 0 and mean == 0 else LARGER if p < ALPHA else WITHIN}


def read_runs(folders: list[Path]) -> list[dict[str, Any]]:
    """Every replicate's runs.csv, numbers as numbers; each replicate a different seed."""
    rows, seeds = [], {}
    for i, folder in enumerate(folders):
        path = folder / "runs.csv"
        if not path.is_file():
            raise TextgenError(f"{path}: missing (textgen lstm-replicate writes it)")
        with open(path, newline="", encoding="utf-8") as f:
            for line, row in enumerate(csv.DictReader(f), start=2):
                try:
                    rows.append({**row, "replicate": int(row["replicate"]), "seed": int(row["seed"]),
                                 "iterations": int(row["iterations"]),
                                 **{k: float(row[k]) if row[k] != "" else None
                                    for k in ("final_train_loss", "final_val_loss", "best_val_loss", "val_rises",
                                              "largest_val_rise")}})
                except (KeyError, ValueError) as err:
                    raise TextgenError(f"{path}:{line}: not a runs.csv row ({err})") from None
                if seeds.setdefault(rows[-1]["seed"], i) != i:  # the same folder twice, too
                    raise TextgenError(f"{path}: seed {rows[-1]['seed']} is also the seed of "
                                       f"{folders[seeds[rows[-1]['seed']]]}")
    return rows


def summarize(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per run, in first-seen order: seeds, mean, sd, min and max of the final val loss, mean val rises."""
    out = []
    for run in dict.fromkeys(r["run"] for r in rows):
        mine = [r for r in rows if r["run"] == run]
        vals = [r["final_val_loss"] for r in mine]
        rises = [r["val_rises"] for r in mine if r["val_rises"] is not None]
        out.append({"run": run, "study": mine[0]["study"], "seeds": len(vals), "iterations": mine[0]["iterations"],
                    "mean_final_val_loss": statistics.fmean(vals),
                    "sd_final_val_loss": statistics.stdev(vals) if len(vals) > 1 else math.nan,
                    "min_final_val_loss": min(vals), "max_final_val_loss": max(vals),
                    "mean_val_rises": statistics.fmean(rises) if rises else ""})
    return out


def compare(rows: list[dict[str, Any]], comparisons: list[list[str]]) -> list[dict[str, Any]]:
    """One row per comparison and metric that both runs have, paired by seed."""
    by = {(r["run"], r["seed"]): r for r in rows}
    out = []
    for a, b in comparisons:
        seeds = sorted(s for (run, s) in by if run == a)
        missing = [s for s in seeds if (b, s) not in by] or ([] if seeds else ["every seed"])
        if missing or sorted(s for (run, s) in by if run == b) != seeds:
            raise TextgenError(f"--comparisons: [{a}, {b}]: the replicates do not hold both runs at the same seeds "
                               f"({a}: {seeds}, {b}: {sorted(s for (run, s) in by if run == b)})")
        for metric in METRICS:
            xs, ys = [by[a, s][metric] for s in seeds], [by[b, s][metric] for s in seeds]
            if None in xs or None in ys:
                continue
            out.append({"a": a, "b": b, "metric": metric, "mean_a": statistics.fmean(xs), "sd_a": statistics.stdev(xs),
                        "mean_b": statistics.fmean(ys), "sd_b": statistics.stdev(ys), **paired(xs, ys)})
    return out


def read_comparisons(text: str) -> list[list[str]]:
    try:
        pairs = json.loads(text)
    except json.JSONDecodeError as err:
        raise TextgenError(f"--comparisons: not JSON ({err})") from None
    if not isinstance(pairs, list) or not all(isinstance(p, list) and len(p) == 2 and all(isinstance(n, str) for n in p)
                                              for p in pairs):
        raise TextgenError(f"--comparisons: expected a list of [a, b] name pairs, got {text}")
    return pairs


def plot_spread(rows: list[dict[str, Any]], summary: list[dict[str, Any]], path: Path) -> None:
    studies = list(dict.fromkeys(s["study"] for s in summary))
    widths = [sum(s["study"] == study for s in summary) for study in studies]
    fig, axes = plt.subplots(1, len(studies), figsize=(3 + 1.1 * sum(widths), 4.2), squeeze=False,
                             gridspec_kw={"width_ratios": widths})
    for ax, study in zip(axes[0], studies):
        runs = [s for s in summary if s["study"] == study]
        for x, s in enumerate(runs):
            values = [r["final_val_loss"] for r in rows if r["run"] == s["run"]]
            offsets = [(i - (len(values) - 1) / 2) * 0.08 for i in range(len(values))]
            ax.scatter([x + o for o in offsets], values, s=14, color="tab:blue", alpha=0.7, zorder=3)
            ax.errorbar(x, s["mean_final_val_loss"], yerr=s["sd_final_val_loss"], fmt="_", ms=18, color="black",
                        capsize=4, zorder=4)
        ax.set_xticks(range(len(runs)), [s["run"] for s in runs], rotation=30, ha="right", fontsize=8)
        ax.set(title=f"{study}: {runs[0]['seeds']} seeds, {runs[0]['iterations']} iterations",
               ylabel="final validation loss (nats)")
    save_figure(fig, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="textgen lstm-statistics", description=__doc__.split("\n")[0])
    parser.add_argument("--replicates", type=Path, nargs="+", required=True, help="textgen lstm-replicate folders")
    parser.add_argument("--comparisons", required=True, help="JSON: [[a, b], ...] run names (lstm.replicates.comparisons)")
    parser.add_argument("--out", type=Path, required=True, help="output folder (replaced as a whole)")
    args = parser.parse_args(argv)
    if len(args.replicates) < 2:
        raise TextgenError(f"--replicates: a spread needs at least 2 seeds, got {len(args.replicates)}")
    rows = read_runs(args.replicates)
    summary, comparisons = summarize(rows), compare(rows, read_comparisons(args.comparisons))
    with atomic_path(args.out) as tmp:
        tmp.mkdir()
        write_csv(tmp / "runs.csv", rows)
        write_csv(tmp / "summary.csv", summary)
        write_csv(tmp / "comparisons.csv", comparisons, COMPARISON_FIELDS)
        write_json(tmp / "statistics.json", {s["run"]: {"mean_final_val_loss": s["mean_final_val_loss"],
                                                        "sd_final_val_loss": s["sd_final_val_loss"]} for s in summary})
        plot_spread(rows, summary, tmp / "spread.png")
    for c in comparisons:
        print(f"lstm-statistics: {c['b']} - {c['a']} ({c['metric']}): {c['difference']:+.4f} over {c['seeds']} seeds, "
              f"p = {c['p']:.3g}: {c['verdict']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
