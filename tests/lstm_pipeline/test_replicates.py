"""lstm-replicate and lstm-statistics: one seed's shortened runs, and the paired tests over seeds,
checked against the textbook formulas."""

from __future__ import annotations

import csv
import json
import math
import statistics

import pytest
from scipy import stats

from .conftest import EVALUATION, block
from textgen.errors import TextgenError
from textgen.lstm import replicates, statistics as seed_statistics

RUNS = {
    "adamw": {"optimizer": "adamw", "lr": 0.003, "weight_decay": 0.01, "momentum": 0.0, "schedule": "constant"},
    "adamw_lr0.002": {"optimizer": "adamw", "lr": 0.002, "weight_decay": 0.01, "momentum": 0.0, "schedule": "constant"},
}
STUDY = {"model": {"kind": "simple", "embedding_dim": 8, "hidden_size": 16, "n_layers": 1, "bidirectional": False,
                   "n_heads": 1, "iterations": 40, "max_len": 8, "evaluate_interval": 4, "batch_size": 4},
         "val_windows": 8, "log_every": 6, "plateau": {"factor": 0.5, "patience": 0, "threshold": 0.01, "min_lr": 0.0},
         "runs": RUNS}
MODELS = {"attention": block("attention", iterations=40), "attention_fixed": block("attention_fixed", iterations=40)}
PARAMS = {"iterations": 8, "models": ["attention", "attention_fixed"], "optimizer_runs": ["adamw", "adamw_lr0.002"]}


def run_replicate(words, root, index, seed=5):
    args = ["--words", str(words), "--models", json.dumps(MODELS), "--optimizers", json.dumps(STUDY),
            "--params", json.dumps(PARAMS), "--evaluation", json.dumps(EVALUATION), "--seed", str(seed),
            "--replicate", str(index), "--threads", "1", "--checkpoints", str(root / f"ckpt{index}"),
            "--out", str(root / f"seed{index}")]
    assert replicates.main(args) == 0
    return root / f"seed{index}"


def read(path):
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def replicated(words, tmp_path_factory):
    root = tmp_path_factory.mktemp("replicates")
    return root, [run_replicate(words, root, k) for k in range(3)]


def test_each_replicate_trains_every_run_shortened_at_its_own_seed(replicated):
    _, folders = replicated
    for k, folder in enumerate(folders):
        rows = read(folder / "runs.csv")
        assert [r["run"] for r in rows] == ["attention", "attention_fixed", "adamw", "adamw_lr0.002"]
        assert {r["seed"] for r in rows} == {str(5 + k)} and {r["iterations"] for r in rows} == {"8"}
        assert [r["study"] for r in rows] == ["models", "models", "optimizers", "optimizers"]
        assert all(r["val_rises"] == "" for r in rows[:2]) and all(r["val_rises"] != "" for r in rows[2:])
    losses = [[r["final_val_loss"] for r in read(f / "runs.csv")] for f in folders]
    assert len({tuple(x) for x in losses}) == 3  # another seed, other numbers


def test_a_replicate_is_the_same_when_run_again(replicated, words):
    root, folders = replicated
    again = run_replicate(words, root / "again", 1)
    assert read(again / "runs.csv") == read(folders[1] / "runs.csv")


def test_statistics_match_the_paired_t_test_formulas(replicated):
    root, folders = replicated
    out = root / "statistics"
    pairs = [["attention", "attention_fixed"], ["adamw", "adamw_lr0.002"]]
    assert seed_statistics.main(["--replicates", *map(str, folders), "--comparisons", json.dumps(pairs),
                                 "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["comparisons.csv", "runs.csv", "spread.png", "statistics.json",
                                                     "summary.csv"]
    runs = read(out / "runs.csv")
    value = {(r["run"], int(r["seed"])): float(r["final_val_loss"]) for r in runs}
    rows = read(out / "comparisons.csv")
    assert [(r["a"], r["b"], r["metric"]) for r in rows] == [
        ("attention", "attention_fixed", "final_val_loss"), ("adamw", "adamw_lr0.002", "final_val_loss"),
        ("adamw", "adamw_lr0.002", "val_rises")]
    for row in rows[:2]:
        diffs = [value[row["b"], s] - value[row["a"], s] for s in (5, 6, 7)]
        mean, sd = statistics.fmean(diffs), statistics.stdev(diffs)
        t = mean / (sd / math.sqrt(3))
        half = stats.t.ppf(0.975, 2) * sd / math.sqrt(3)
        assert float(row["difference"]) == pytest.approx(mean, abs=1e-6)
        assert float(row["t"]) == pytest.approx(t, rel=1e-9)
        assert float(row["p"]) == pytest.approx(2 * stats.t.sf(abs(t), 2), rel=1e-9)
        assert (float(row["ci_low"]), float(row["ci_high"])) == pytest.approx((mean - half, mean + half), rel=1e-9)
        assert row["verdict"] == (seed_statistics.LARGER if float(row["p"]) < 0.05 else seed_statistics.WITHIN)
    assert rows[2]["verdict"] in (seed_statistics.LARGER, seed_statistics.WITHIN, seed_statistics.SAME)
    summary = {r["run"]: r for r in read(out / "summary.csv")}
    fixed = [value["attention_fixed", s] for s in (5, 6, 7)]
    assert float(summary["attention_fixed"]["mean_final_val_loss"]) == pytest.approx(statistics.fmean(fixed))
    assert float(summary["attention_fixed"]["sd_final_val_loss"]) == pytest.approx(statistics.stdev(fixed))
    metrics = json.loads((out / "statistics.json").read_text())
    assert metrics["attention_fixed"]["mean_final_val_loss"] == pytest.approx(statistics.fmean(fixed))


def test_a_consistent_difference_passes_and_a_noisy_one_does_not():
    assert seed_statistics.paired([5.0, 5.2, 4.9], [4.8, 5.0, 4.71])["verdict"] == seed_statistics.LARGER
    noisy = seed_statistics.paired([5.0, 5.2, 4.9], [4.6, 5.3, 4.8])
    assert noisy["verdict"] == seed_statistics.WITHIN and noisy["difference"] < 0  # lower on average, not shown
    same = seed_statistics.paired([5.0, 5.2], [5.0, 5.2])
    assert (same["p"], same["verdict"]) == (1.0, seed_statistics.SAME)


def test_bad_replicates_are_refused_with_the_file_named(replicated, tmp_path):
    _, folders = replicated
    pairs = json.dumps([["attention", "missing_run"]])
    with pytest.raises(TextgenError, match="missing_run"):
        seed_statistics.main(["--replicates", *map(str, folders), "--comparisons", pairs, "--out", str(tmp_path / "o")])
    with pytest.raises(TextgenError, match=r"seed 5 is also the seed of"):
        seed_statistics.main(["--replicates", str(folders[0]), str(folders[0]), "--comparisons", "[]",
                              "--out", str(tmp_path / "o")])
    with pytest.raises(TextgenError, match=r"empty.*runs.csv: missing"):
        (tmp_path / "empty").mkdir()
        seed_statistics.main(["--replicates", str(folders[0]), str(tmp_path / "empty"), "--comparisons", "[]",
                              "--out", str(tmp_path / "o")])
    assert not (tmp_path / "o").exists()


def test_the_cross_check_names_unknown_runs():
    from textgen.checks import cross_check
    from textgen.profiles import render_profile

    params = render_profile("tiny")
    params["lstm"]["replicates"]["optimizer_runs"] = ["adamw", "nadam"]
    params["lstm"]["replicates"]["comparisons"] = [["adamw", "attention_fixed"], ["adamw", "adam"], ["adamw", "adamw"]]
    problems = cross_check(params, only=["replicates"])
    assert problems == [
        "lstm.replicates.optimizer_runs: 'nadam' is not a run of lstm.optimizers.runs (adam, adam_l2, adamw, "
        "adamw_lr0.002, adamw_plateau, adamw_cosine, sgd_momentum)",
        "lstm.replicates.comparisons[1]: 'adam' is not in lstm.replicates.models or lstm.replicates.optimizer_runs",
        "lstm.replicates.comparisons[2]: compares 'adamw' with itself"]


def test_the_report_section_reads_the_statistics_and_calls_only_tested_differences_findings(replicated):
    from textgen.report.context import Context
    from textgen.report.sections import report_a_noise

    root, folders = replicated
    site = root / "site"
    out = site / "results" / "lstm" / "statistics"
    pairs = [["attention", "attention_fixed"], ["adamw", "adamw_lr0.002"]]
    assert seed_statistics.main(["--replicates", *map(str, folders), "--comparisons", json.dumps(pairs),
                                 "--out", str(out)]) == 0
    ctx = Context(root=site, params_file=site / "params.yaml", source_dirs=[], benchmark_files=[],
                  figures_dir=site / "report" / "figures", staged_figures=site / "staged")
    section = report_a_noise.render(ctx)
    rows = read(out / "comparisons.csv")
    assert section.part == "Report A" and len(section.findings) == len(rows) == 3
    for line, row in zip(section.findings, rows):
        assert line.startswith(f"{row['b']} vs {row['a']} over 3 seeds of 8 iterations")
        assert f"p = {float(row['p']):.3g}" in line and line.endswith(f"{row['verdict']}.")
    assert "statistics-spread.png" in section.markdown and (site / "staged" / "statistics-spread.png").is_file()
    for r in read(out / "summary.csv"):
        assert f"| {r['run']} | {r['study']} | 3 | {float(r['mean_final_val_loss']):.3f} |" in section.markdown
    (out / "summary.csv").unlink()
    assert report_a_noise.render(ctx) is None
