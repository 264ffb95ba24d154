"""`textgen run-stats`: job time per part, peak memory, wall time and disk, read from a run's files,
and the README block of this CPU kind replaced, and nothing else."""

from __future__ import annotations

import pytest

from textgen.errors import TextgenError
from textgen.perf import cpu_kind
from textgen.profiles import write_params
from textgen.runstats import collect, main

HEADER = "s\th:m:s\tmax_rss\tmax_vms\tmax_uss\tmax_pss\tio_in\tio_out\tmean_load\tcpu_time\n"
JOBS = {  # job -> (seconds, max RSS in MB)
    "gpt/train_kafka": (120.0, 900.0),
    "gpt/train_bpe_bible": (30.0, 400.0),
    "lstm/train_simple": (60.0, 500.0),
    "fetch/corpora/austen": (6.0, 70.0),
    "prepare_words": (3.0, 2500.0),
    "report": (9.0, 300.0),
}
LOG = """Building DAG of jobs...
[Sun Dec  6 02:14:42 2026]
localrule fetch:
Finished jobid: 3 (Rule: fetch)
[Sun Dec  6 02:20:42 2026]
Finished jobid: 0 (Rule: all)
Complete log(s): x
Elapsed time: 1:02:03.5
"""


@pytest.fixture
def run(tmp_path):
    root = tmp_path / "checkout"
    for job, (seconds, rss) in JOBS.items():
        path = root / "results" / "benchmarks" / f"{job}.tsv"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(HEADER + f"{seconds}\t0:00:00\t{rss}\t0\t0\t0\t0\t0\t90\t{seconds}\n")
    (root / ".snakemake" / "log").mkdir(parents=True)
    (root / ".snakemake" / "log" / "2026-12-06T021441.1.snakemake.log").write_text(LOG)
    (root / ".snakemake" / "log" / "2026-12-06T030000.2.snakemake.log").write_text("Nothing to be done.\n")
    for folder, size in (("checkpoints/gpt/kafka", 3_000_000), ("checkpoints/finetune/bible", 500_000_000),
                         (".dvc/cache/files", 250_000_000)):
        (root / folder).mkdir(parents=True)
        with open(root / folder / "blob", "wb") as f:
            f.truncate(size)  # sparse: its size counts, not the blocks it uses
    write_params("tiny", root / "params.yaml")
    return root


def test_parts_memory_wall_time_and_disk(run):
    stats = collect(run)
    assert {name: (p.jobs, p.seconds, p.max_rss_mb, p.largest) for name, p in stats.parts.items()} == {
        "gpt": (2, 150.0, 900.0, "gpt/train_kafka"), "lstm": (1, 60.0, 500.0, "lstm/train_simple"),
        "data": (2, 9.0, 2500.0, "prepare_words"), "report": (1, 9.0, 300.0, "report")}
    assert list(stats.parts)[0] == "gpt"  # the costliest part first
    # the newest log that finished jobs (the later one did nothing), its own elapsed time
    assert (stats.wall_s, stats.wall_jobs) == (3723.5, 2)
    assert stats.checkpoints == {"finetune": 500_000_000, "gpt": 3_000_000}
    assert stats.disk["checkpoints"] == 503_000_000 and stats.disk[".dvc/cache"] == 250_000_000
    assert stats.disk["report"] == 0


def test_the_readme_block_of_this_cpu_kind_is_replaced_and_nothing_else(run, capsys):
    other = "avx2" if cpu_kind() != "avx2" else "avx512f"
    readme = run / "README.md"
    text = (f"# Title\n\nbefore\n<!-- run-stats {cpu_kind()} -->\nold figures\n<!-- /run-stats {cpu_kind()} -->\n"
            f"<!-- run-stats {other} -->\nthe other machine's\n<!-- /run-stats {other} -->\nafter\n")
    readme.write_text(text)
    assert main(["--root", str(run), "--readme", str(readme)]) == 0
    block = capsys.readouterr().out.split("\n\n" + str(readme))[0].strip()
    assert f"({cpu_kind()}), profile `tiny`: the newest Snakemake run took 62.1 min of wall time for 2 jobs" in block
    assert "the jobs took 3.8 min in all, the largest peak memory was 2.50 GB (`prepare_words`)" in block
    assert "| Report B: GPTs, BPE | 2 | 2.5 min | 0.90 GB (`gpt/train_kafka`) |" in block
    assert "`checkpoints/` 0.50 GB, `.dvc/cache/` 0.25 GB" in block and "finetune 0.50 GB, gpt 0.00 GB" in block
    new = readme.read_text()
    assert new == text.replace("old figures\n", block + "\n")


def test_missing_markers_or_benchmarks_are_named_and_nothing_changes(run, tmp_path):
    readme = run / "README.md"
    readme.write_text("# no markers\n")
    with pytest.raises(TextgenError, match=rf"--readme {readme}: needs one '<!-- run-stats {cpu_kind()} -->'"):
        main(["--root", str(run), "--readme", str(readme)])
    assert readme.read_text() == "# no markers\n"
    with pytest.raises(TextgenError, match="results/benchmarks: no benchmark files; run the pipeline first"):
        collect(tmp_path / "empty")
    (run / "results" / "benchmarks" / "report.tsv").write_text("not a benchmark\n")
    with pytest.raises(TextgenError, match=r"report.tsv: not a Snakemake benchmark file"):
        collect(run)
