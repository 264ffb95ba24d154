"""What a report section gets: where things are, and a way to add figures."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Section:
    title: str
    markdown: str  # body, without the section heading
    part: str = ""  # "Report A", "Report B" or "" for sections about the whole study
    # The Summary's lines for this section (Markdown, each with its number), read from the same
    # artifacts as the body: findings, and what could not be reproduced and why.
    findings: list[str] = field(default_factory=list)
    not_reproduced: list[str] = field(default_factory=list)
    # Where this code departs from a seed's listing, each with what the section measures of it.
    departures: list[str] = field(default_factory=list)


@dataclass
class Context:
    root: Path  # the checkout; artifact paths below are relative to it
    params_file: Path
    source_dirs: list[Path]  # data/interim/{corpora,pairs}/<name>, each with manifest.json
    benchmark_files: list[Path]
    figures_dir: Path  # report/figures (final location, next to report.md)
    staged_figures: Path  # where to copy figures now (renamed onto figures_dir at the end)
    title: str = ""
    artifacts: list[Path] = field(default_factory=list)  # every file and folder the sections read
    figures: list[str] = field(default_factory=list)
    # Every job of the run: rule, job (its benchmark name), outputs, params keys (workflow/rules/common.smk)
    jobs: list[dict] = field(default_factory=list)
    commit: str = ""  # the checkout's git commit (textgen.report.provenance.git_state)

    def figure(self, source: Path, caption: str) -> str:
        """Copy a figure made by a rule into the report and return its Markdown, the caption
        followed by the job that made it (made_by)."""
        self.staged_figures.mkdir(parents=True, exist_ok=True)
        name = "-".join(Path(source).with_suffix("").parts[-2:]) + Path(source).suffix
        shutil.copyfile(self.root / source, self.staged_figures / name)
        self.figures.append(name)
        return f"![{caption}]({self.figures_dir.name}/{name})\n\n*{caption}{self.made_by(source)}*"

    def made_by(self, source: Path) -> str:
        """' Made by rule `r` (job j, linked to its provenance row) from `key`, ... at commit c.' for
        the job whose output is or holds `source`; '' when no job of the run made it.

        >>> ctx = Context(Path("/r"), Path("p"), [], [], Path("f"), Path("s"), commit="0123456789abcdef",
        ...               jobs=[{"rule": "train_gpt", "job": "gpt/train_kafka", "outputs": ["results/gpt/models/kafka"],
        ...                      "params": ["gpt.models.kafka", "seed"]}])
        >>> ctx.made_by(Path("/r/results/gpt/models/kafka/loss.png"))
        ' Made by rule `train_gpt` (job [gpt/train_kafka](#job-gpt-train-kafka)) from `gpt.models.kafka`, `seed`, at commit `0123456789ab`.'
        """
        path = self._relative(source)
        for job in self.jobs:
            if any(path == out or path.startswith(out.rstrip("/") + "/") for out in job["outputs"]):
                keys = ", ".join(f"`{key}`" for key in job["params"]) or "no parameters"
                commit = f", at commit `{self.commit.split()[0][:12]}`" if self.commit else ""
                return f" Made by rule `{job['rule']}` (job [{job['job']}](#{job_anchor(job['job'])})) from {keys}{commit}."
        return ""

    def table_note(self, *sources: Path) -> str:
        """The line under a table: the files it shows and the job that made each (made_by), so a
        table says where its numbers come from as a figure's caption does.

        >>> ctx = Context(Path("/r"), Path("p"), [], [], Path("f"), Path("s"), commit="0123456789abcdef",
        ...               jobs=[{"rule": "evaluate_lstm", "job": "lstm/evaluate", "outputs": ["results/lstm/evaluation"],
        ...                      "params": ["lstm.evaluation"]}])
        >>> ctx.table_note(Path("results/lstm/evaluation/perplexity.csv"))
        '*From `results/lstm/evaluation/perplexity.csv`. Made by rule `evaluate_lstm` (job [lstm/evaluate](#job-lstm-evaluate)) from `lstm.evaluation`, at commit `0123456789ab`.*'
        """
        names = ", ".join(f"`{self._relative(source)}`" for source in sources)
        return f"*From {names}." + "".join(dict.fromkeys(self.made_by(source) for source in sources)) + "*"

    def _relative(self, source: Path) -> str:
        """`source` from the checkout's root (as jobs name their outputs), however it was given."""
        path = Path(source)
        return str(path.relative_to(self.root) if path.is_absolute() and path.is_relative_to(self.root) else path)

    def own_figure(self, fig, name: str, caption: str) -> str:
        """Save a figure the report itself draws (from artifacts it already has) and return its Markdown."""
        from textgen.plots import save_figure

        self.staged_figures.mkdir(parents=True, exist_ok=True)
        save_figure(fig, self.staged_figures / name)
        self.figures.append(name)
        return f"![{caption}]({self.figures_dir.name}/{name})\n\n*{caption}*"


def job_anchor(job: str) -> str:
    """The HTML id of a job's row in the provenance section.

    >>> job_anchor("lstm/train_simple")
    'job-lstm-train-simple'
    """
    return "job-" + re.sub(r"[^a-z0-9]+", "-", job.lower()).strip("-")
