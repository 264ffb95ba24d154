"""What a report section gets: where things are, and a way to add figures."""

from __future__ import annotations

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

    def figure(self, source: Path, caption: str) -> str:
        """Copy a figure made by a rule into the report and return its Markdown."""
        self.staged_figures.mkdir(parents=True, exist_ok=True)
        name = "-".join(Path(source).with_suffix("").parts[-2:]) + Path(source).suffix
        shutil.copyfile(self.root / source, self.staged_figures / name)
        self.figures.append(name)
        return f"![{caption}]({self.figures_dir.name}/{name})\n\n*{caption}*"

    def own_figure(self, fig, name: str, caption: str) -> str:
        """Save a figure the report itself draws (from artifacts it already has) and return its Markdown."""
        from textgen.plots import save_figure

        self.staged_figures.mkdir(parents=True, exist_ok=True)
        save_figure(fig, self.staged_figures / name)
        self.figures.append(name)
        return f"![{caption}]({self.figures_dir.name}/{name})\n\n*{caption}*"
