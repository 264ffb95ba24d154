"""Every figure's caption names the job that made it, and links to that job's row in the provenance."""

from __future__ import annotations

import re
from pathlib import Path

from textgen.report.assemble import to_html
from textgen.report.context import Context
from textgen.report.sections import provenance


def test_a_caption_links_to_its_jobs_row_in_the_provenance(tmp_path):
    (tmp_path / "results" / "lstm" / "statistics").mkdir(parents=True)
    (tmp_path / "results" / "lstm" / "statistics" / "spread.png").write_bytes(b"\x89PNG\r\n\x1a\nfake")
    bench = tmp_path / "results" / "benchmarks" / "lstm" / "statistics.tsv"
    bench.parent.mkdir(parents=True)
    bench.write_text("s\th:m:s\tmax_rss\n1.5\t0:00:01\t123.4\n")
    (tmp_path / "params.yaml").write_text("seed: 1\n")
    jobs = [{"rule": "lstm_statistics", "job": "lstm/statistics", "outputs": ["results/lstm/statistics"],
             "params": ["lstm.replicates.comparisons"]},
            {"rule": "train_lstm", "job": "lstm/train_simple", "outputs": ["results/lstm/models/simple"],
             "params": ["lstm.models.simple", "seed"]}]
    ctx = Context(root=tmp_path, params_file=tmp_path / "params.yaml", source_dirs=[], benchmark_files=[bench],
                  figures_dir=tmp_path / "report" / "figures", staged_figures=tmp_path / "staged", jobs=jobs,
                  commit="feedc0ffee0123456789 (with uncommitted changes)")
    figure = ctx.figure(tmp_path / "results" / "lstm" / "statistics" / "spread.png", "Spread.")
    assert figure.endswith("*Spread. Made by rule `lstm_statistics` (job [lstm/statistics](#job-lstm-statistics)) "
                           "from `lstm.replicates.comparisons`, at commit `feedc0ffee01`.*")
    assert ctx.made_by(tmp_path / "results" / "gpt" / "x.png") == ""  # no job of the run made it
    section = provenance.render(ctx)
    assert ('| <span id="job-lstm-statistics"></span>lstm/statistics | `lstm_statistics` | '
            '`lstm.replicates.comparisons` | 1.5 | 123 |') in section.markdown
    page = to_html("T", [section], tmp_path / "staged")
    assert 'id="job-lstm-statistics"' in page
    html = to_html("T", [section.__class__("Figures", figure)], tmp_path / "staged")
    targets = re.findall(r'href="#(job-[^"]+)"', html)
    assert targets == ["job-lstm-statistics"] and all(f'id="{t}"' in page for t in targets)


def test_a_table_names_its_files_and_the_jobs_that_made_them(tmp_path):
    jobs = [{"rule": "train_gpt", "job": "gpt/train_kafka", "outputs": ["results/gpt/models/kafka"],
             "params": ["gpt.models.kafka"]},
            {"rule": "train_gpt", "job": "gpt/train_bible", "outputs": ["results/gpt/models/bible"],
             "params": ["gpt.models.bible"]}]
    ctx = Context(root=tmp_path, params_file=tmp_path / "params.yaml", source_dirs=[], benchmark_files=[],
                  figures_dir=tmp_path / "report" / "figures", staged_figures=tmp_path / "staged", jobs=jobs,
                  commit="feedc0ffee0123456789")
    note = ctx.table_note(tmp_path / "results/gpt/models/kafka/heldout.json",
                          Path("results/gpt/models/bible/heldout.json"), Path("results/gpt/models/kafka/run.json"),
                          Path("results/other.csv"))
    assert note == ("*From `results/gpt/models/kafka/heldout.json`, `results/gpt/models/bible/heldout.json`, "
                    "`results/gpt/models/kafka/run.json`, `results/other.csv`."
                    " Made by rule `train_gpt` (job [gpt/train_kafka](#job-gpt-train-kafka)) from `gpt.models.kafka`,"
                    " at commit `feedc0ffee01`."
                    " Made by rule `train_gpt` (job [gpt/train_bible](#job-gpt-train-bible)) from `gpt.models.bible`,"
                    " at commit `feedc0ffee01`.*")  # each job once; a file no job made is named, nothing more
