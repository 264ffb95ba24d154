"""Users' edits and faults on the tiny DAG's run: corpora swapped in params.yaml, bad params through
Snakemake and DVC, `dvc repro` and a job killed mid-run, metrics, plots and a DVC experiment.

Like test_pipeline.py, the tests run in order on this module's own copy of the session's tiny run
(tests/e2e/conftest.py), as a user would; each fault ends with both tools agreeing that nothing is to do.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from tinyrun import benchmark_times, env, jobs_run_between, set_param
from tinyrun import shell as run
pytestmark = pytest.mark.e2e


def own_text(sentences: int = 400) -> str:
    """A deterministic plain text big enough for the tiny Kafka model's BPE and train/val/test windows."""
    import random

    rng = random.Random(7)
    words = "the a of and night sea light river old young came went saw heard under over beyond my our".split()
    lines = [" ".join(rng.choice(words) for _ in range(rng.randint(5, 12))).capitalize() + "." for _ in range(sentences)]
    return "MY OWN TEXT\n\n" + "\n".join(lines) + "\n"


def test_corpora_are_swapped_by_editing_params_alone(work):
    """Users' own files as they come: a UTF-16 text with a byte-order mark for Milton (Kafka's model,
    sentences), a Latin-1 text without a single line break, its encoding declared, for the Bible
    (a stream model, whose splits must cut inside the one line)."""
    text = own_text()
    (work / "my_text.txt").write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    one_line = " ".join(own_text(1200).replace("MY OWN TEXT", "Très bien, naïve").split()) + "\n"
    (work / "one_line.txt").write_bytes(one_line.encode("latin-1"))
    set_param(work, "corpora.milton", {"source": {"kind": "file", "path": "my_text.txt"}, "extractor": "plain_text", "options": {}})
    set_param(work, "corpora.bible", {"source": {"kind": "file", "path": "one_line.txt", "encoding": "latin-1"},
                                      "extractor": "plain_text", "options": {}})
    before = benchmark_times(work)
    run("snakemake --cores 2", work)
    ran = jobs_run_between(before, benchmark_times(work))
    # the corpora, their table rows, and what was learned from them (tokenizers and models), nothing else
    assert ran == {"fetch/corpora/milton", "prepare_corpus/milton", "corpus_table", "gpt/train_bpe_milton",
                   "gpt/bpe_table", "gpt/train_kafka", "gpt/sample_kafka", "finetune/milton", "report",
                   "fetch/corpora/bible", "prepare_corpus/bible", "gpt/train_bpe_bible", "gpt/train_bible",
                   "gpt/sample_bible", "finetune/bible"}
    table = (work / "results" / "corpora" / "corpus_table.csv").read_text()
    row = next(line for line in table.splitlines() if line.startswith("corpus,milton,"))
    assert f",my_text.txt,1,{len(text.split())},{len(text)}," in row, row  # 1 work, its words and characters
    row = next(line for line in table.splitlines() if line.startswith("corpus,bible,"))
    assert f",one_line.txt,1,{len(one_line.split())},{len(one_line)}," in row, row
    assert (work / "data/interim/corpora/bible/texts/bible.txt").read_text(encoding="utf-8") == one_line
    tokens = yaml.safe_load((work / "results/gpt/models/bible/config.json").read_text())["tokens"]
    assert min(tokens.values()) > 0, tokens  # every split of the one line holds text
    assert "my_text.txt" in yaml.safe_load((work / "dvc.yaml").read_text())["stages"]["fetch-corpora-milton"]["deps"]
    assert "Data and pipelines are up to date" in run("dvc status", work).stdout


def test_bad_params_stop_before_any_job_and_name_the_key(work):
    original = (work / "params.yaml").read_text()
    before = benchmark_times(work)
    try:
        set_param(work, "words.min_count", 0)
        result = run("snakemake --cores 2", work, check=False)
        assert result.returncode != 0
        assert "words.min_count: 0 is less than the minimum of 1" in result.stdout + result.stderr
        assert benchmark_times(work) == before
    finally:
        (work / "params.yaml").write_text(original)


# Faults and recovery (README, Recovery). Each test ends with both tools agreeing that nothing is to do.
def tree_state(work: Path) -> dict[str, tuple[int, int]]:
    """(size, mtime) of every file under results/, report/ and data/: what a fault must not touch."""
    return {str(p.relative_to(work)): (p.stat().st_size, p.stat().st_mtime_ns)
            for top in ("results", "report", "data") for p in (work / top).rglob("*") if p.is_file()}


def assert_both_tools_clean(work: Path) -> None:
    result = run("snakemake -n", work)
    assert "Nothing to be done" in result.stdout + result.stderr, result.stdout[-3000:]
    assert "Data and pipelines are up to date" in run("dvc status", work).stdout


def commit_all(work: Path, message: str) -> None:
    run(f"git add -A && git -c user.name=t -c user.email=t@t commit -qm '{message}' --allow-empty", work)


def test_bad_params_through_dvc_repro_delete_nothing(work):
    """A negative lr, an unknown top-level key, an empty params.yaml: `dvc repro` fails naming the
    problem and every finished result stays as it was (DVC keeps outputs until the job runs)."""
    commit_all(work, "state before the bad params")
    original = (work / "params.yaml").read_text()
    bad = {"negative lr": (lambda: set_param(work, "lstm.models.simple.lr", -0.003), "lstm.models.simple.lr"),
           "unknown key": (lambda: (work / "params.yaml").write_text(original + "bogus_key: 1\n"), "bogus_key"),
           "empty file": (lambda: (work / "params.yaml").write_text(""), "params.yaml")}
    before = tree_state(work)
    try:
        for name, (edit, named) in bad.items():
            edit()
            result = run("dvc repro", work, check=False)
            assert result.returncode != 0, name
            assert named in result.stdout + result.stderr, (name, result.stderr[-2000:])
            assert tree_state(work) == before, f"{name}: dvc repro changed finished results"
            (work / "params.yaml").write_text(original)
    finally:
        (work / "params.yaml").write_text(original)
    assert_both_tools_clean(work)


def kill_when(proc: subprocess.Popen, ready, delay: float, limit: float = 600) -> None:
    """SIGKILL `proc`'s whole process group `delay` seconds after ready() first holds."""
    deadline = time.time() + limit
    while not ready() and proc.poll() is None and time.time() < deadline:
        time.sleep(0.1)
    time.sleep(delay)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)


def test_a_killed_dvc_repro_leaves_nothing_that_blocks_the_next(work):
    """kill -9 of `dvc repro` while a stage's Snakemake holds its lock (at a seeded random moment):
    the next `dvc repro` releases the stale lock itself, redoes the killed stage, and both tools agree."""
    import random

    commit_all(work, "state before the kill")
    set_param(work, "gpt.models.kafka.sample.max_new_tokens", 9)  # a short stage, then the report
    proc = subprocess.Popen("dvc repro", shell=True, cwd=work, env=env(), start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    kill_when(proc, lambda: any((work / ".snakemake" / "locks").glob("*.lock")), random.Random(15).uniform(0, 0.5))
    assert any((work / ".snakemake" / "locks").glob("*.lock")), "the kill came after the stage had finished"
    result = run("dvc repro", work)
    assert "removed the Snakemake lock a killed run left" in result.stdout + result.stderr
    rerun = set(re.findall(r"Running stage '([^']+)'", result.stdout))
    assert rerun and rerun <= {"sample_gpt-kafka", "report"}, rerun
    assert_both_tools_clean(work)


def test_an_output_a_killed_job_cleared_is_rebuilt_by_both_tools(work):
    """A forced job killed after Snakemake removed its old output: `snakemake -n` and `dvc status`
    both see the output missing, and a plain `snakemake` run rebuilds it, byte-identical."""
    sample = work / "results" / "gpt" / "samples" / "kafka.csv"
    expected = sample.read_bytes()
    proc = subprocess.Popen(f"snakemake --cores 2 --forcerun sample_gpt -- {sample.relative_to(work)}", shell=True,
                            cwd=work, env=env(), start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    kill_when(proc, lambda: not sample.exists(), 0.2)
    assert not sample.exists(), "the job finished before the kill"
    run("snakemake --unlock", work)
    dry = run("snakemake -n", work)
    assert "sample_gpt" in dry.stdout and "Nothing to be done" not in dry.stdout + dry.stderr
    assert "deleted:" in run("dvc status", work).stdout
    run("snakemake --cores 2", work)
    assert sample.read_bytes() == expected
    assert_both_tools_clean(work)


def test_dvc_metrics_plots_and_an_experiment(work, tmp_path):
    """Every model's metrics and loss curve are DVC metrics and plots; `dvc exp run -S` on one training
    parameter reruns only its readers, `dvc exp show` lists the experiment, `dvc metrics diff` the change."""
    import json

    declared = yaml.safe_load((work / "dvc.yaml").read_text())
    shown = json.loads(run("dvc metrics show --json", work).stdout)
    files = {path for rev in shown.values() for path in rev.get("data", {})}
    assert set(declared["metrics"]) <= files, set(declared["metrics"]) - files
    rendered = json.loads(run("dvc plots show --json", work).stdout)["data"]
    for plot in declared["plots"]:
        path = next(iter(plot))
        assert rendered.get(path) and rendered[path][0]["content"]["data"]["values"], path
    run(f"dvc plots show -o {tmp_path / 'plots'}", work)
    assert (tmp_path / "plots" / "index.html").is_file()

    commit_all(work, "baseline for the experiment")
    before = benchmark_times(work)
    out = run("dvc exp run -S gpt.models.kafka.train.learning_rate=0.002", work).stdout
    assert set(re.findall(r"Running stage '([^']+)'", out)) == {"train_gpt-kafka", "sample_gpt-kafka", "report"}, out
    assert jobs_run_between(before, benchmark_times(work)) == {"gpt/train_kafka", "gpt/sample_kafka", "report"}
    table = run("dvc exp show --no-pager --csv", work).stdout.splitlines()
    assert "gpt.models.kafka.train.learning_rate" in table[0] and "results/gpt/models/kafka/heldout.json:bits_per_byte" in table[0]
    assert len(table) >= 4 and any(",0.002," in row for row in table[1:]), table  # workspace, baseline, the experiment
    diff = json.loads(run("dvc metrics diff --json", work).stdout)
    assert "bits_per_byte" in diff["results/gpt/models/kafka/heldout.json"], diff
    assert "results/lstm/models/simple/metrics.json" not in diff  # untouched models do not change
    assert_both_tools_clean(work)

    # Back to the baseline, DVC's way: its results come back from the cache with new file times,
    # which `snakemake --touch` makes Snakemake accept (README, Recovery).
    run("git checkout -- params.yaml dvc.lock && dvc checkout", work)
    assert json.loads(run("dvc metrics diff --json", work).stdout) == {}
    run("snakemake --touch --cores 1", work)
    assert_both_tools_clean(work)
