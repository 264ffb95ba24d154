"""`textgen run-stats`: what the last run of the pipeline cost on this machine, from its own files.

    job time     Snakemake's benchmark file of every job (results/benchmarks/**.tsv): seconds and
                 peak memory (max RSS), summed per part of the pipeline (the first folder of the
                 job's name: lstm, gpt, translate, finetune, perf; the data jobs together)
    wall time    the newest Snakemake log that ran jobs (.snakemake/log/): the elapsed time it
                 ends with (its hand-over to DVC included), else its first to its last time stamp
    disk         checkpoints/ (per part), .dvc/cache, data/, results/, report/: bytes of the files
    machine      the CPU's name, its widest vector extension (avx512f, avx2) and its cores

It prints a Markdown block; `--readme README.md` puts that block into the README between the
markers of this CPU kind (`<!-- run-stats avx2 -->` ... `<!-- /run-stats avx2 -->`), so each kind
of machine keeps its own measured figures and a run on one never overwrites the other's. The
README's figures are thus what the files of a real run say, not numbers typed by hand.

    textgen run-stats                       # after `make report` (or any `snakemake` run)
    textgen run-stats --readme README.md    # and update README's block for this CPU kind
"""

from __future__ import annotations

import argparse
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from textgen.errors import TextgenError
from textgen.io import atomic_path

BENCHMARKS = Path("results/benchmarks")
# Jobs named by their rule alone, or by a data rule: grouped as one part.
DATA_PARTS = {"fetch", "prepare_corpus", "prepare_pairs", "prepare_words", "corpus_table"}
PART_NAMES = {"lstm": "Report A (LSTMs)", "gpt": "Report B: GPTs, BPE", "translate": "Report B: translation",
              "finetune": "Report B: fine-tuning", "perf": "speed benchmarks", "data": "data",
              "report": "report"}
DISK = ("checkpoints", ".dvc/cache", "data", "results", "report")
_STAMP = re.compile(r"^\[(\w{3} \w{3} +\d+ \d\d:\d\d:\d\d \d{4})\]$")


@dataclass
class Part:
    jobs: int = 0
    seconds: float = 0.0
    max_rss_mb: float = 0.0
    largest: str = ""  # the job with the highest max RSS


@dataclass
class Stats:
    parts: dict[str, Part] = field(default_factory=dict)
    wall_s: float | None = None
    wall_jobs: int = 0
    disk: dict[str, int] = field(default_factory=dict)  # folder -> bytes
    checkpoints: dict[str, int] = field(default_factory=dict)  # checkpoints/<part> -> bytes


def part_of(job: str) -> str:
    """The part of the pipeline a job belongs to, from its benchmark name.

    >>> part_of("gpt/train_kafka"), part_of("fetch/corpora/austen"), part_of("report")
    ('gpt', 'data', 'report')
    """
    first = job.split("/", 1)[0]
    return "data" if first in DATA_PARTS else first


def job_times(root: Path) -> dict[str, Part]:
    """Part -> its jobs' summed seconds and largest max RSS, from every benchmark file."""
    from textgen.report.provenance import wall_times

    folder = root / BENCHMARKS
    files = sorted(folder.rglob("*.tsv")) if folder.is_dir() else []
    if not files:
        raise TextgenError(f"{folder}: no benchmark files; run the pipeline first (make report, or snakemake)")
    parts: dict[str, Part] = {}
    for job, seconds, rss in wall_times(files, root.resolve()).itertuples(index=False):
        rss = 0.0 if rss != rss else rss  # NaN: too short a job to measure
        part = parts.setdefault(part_of(job), Part())
        part.jobs += 1
        part.seconds += seconds
        if rss >= part.max_rss_mb:
            part.max_rss_mb, part.largest = rss, job
    return dict(sorted(parts.items(), key=lambda item: -item[1].seconds))


def last_wall_time(root: Path) -> tuple[float | None, int]:
    """(wall seconds, jobs finished) of the newest Snakemake log that finished a job: the
    "Elapsed time" Snakemake ends it with, else its first to its last time stamp; (None, 0)
    without one."""
    logs = sorted((root / ".snakemake" / "log").glob("*.snakemake.log"), reverse=True)
    for log in logs:
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
        finished = sum(1 for line in lines if re.match(r"^Finished job(id)?:? \d+", line))
        stamps = [time.mktime(time.strptime(" ".join(m.group(1).split()), "%a %b %d %H:%M:%S %Y"))
                  for line in lines if (m := _STAMP.match(line))]
        elapsed = [m for line in lines if (m := re.match(r"^Elapsed time: (?:(\d+) days?, )?(\d+):(\d\d):(\d\d(?:\.\d+)?)$", line))]
        if finished and elapsed:
            days, hours, minutes, seconds = elapsed[-1].groups()
            return int(days or 0) * 86400 + int(hours) * 3600 + int(minutes) * 60 + float(seconds), finished
        if finished and len(stamps) >= 2:
            return stamps[-1] - stamps[0], finished
    return None, 0


def folder_bytes(folder: Path) -> int:
    """Bytes of the files under `folder` (links not followed; 0 if it does not exist)."""
    total = 0
    for base, _dirs, files in os.walk(folder):
        for name in files:
            try:
                total += os.lstat(os.path.join(base, name)).st_size
            except OSError:
                pass
    return total


def collect(root: Path) -> Stats:
    root = Path(root).resolve()
    stats = Stats(parts=job_times(root))
    stats.wall_s, stats.wall_jobs = last_wall_time(root)
    stats.disk = {name: folder_bytes(root / name) for name in DISK}
    checkpoints = root / "checkpoints"
    if checkpoints.is_dir():
        stats.checkpoints = {p.name: folder_bytes(p) for p in sorted(checkpoints.iterdir()) if p.is_dir()}
    return stats


def _gb(n: int) -> str:
    return f"{n / 1e9:.2f} GB"


def _minutes(seconds: float) -> str:
    """Seconds under a minute, else minutes.

    >>> _minutes(42.4), _minutes(3723.5)
    ('42 s', '62.1 min')
    """
    return f"{seconds:.0f} s" if seconds < 60 else f"{seconds / 60:.1f} min"


def render(stats: Stats, machine: str, profile: str) -> str:
    """The Markdown block: one sentence on the machine and wall time, a table per part, disk."""
    total = sum(p.seconds for p in stats.parts.values())
    largest = max(stats.parts.values(), key=lambda p: p.max_rss_mb)
    wall = (f"the newest Snakemake run took {_minutes(stats.wall_s)} of wall time for {stats.wall_jobs} jobs"
            if stats.wall_s is not None else "no Snakemake log with finished jobs was found")
    lines = [f"Measured by `textgen run-stats` on {machine}, profile `{profile}`: {wall}; the jobs took "
             f"{_minutes(total)} in all, the largest peak memory was {largest.max_rss_mb / 1000:.2f} GB "
             f"(`{largest.largest}`).", "",
             "| part | jobs | job time | largest max RSS |", "|:--|--:|--:|--:|"]
    for name, part in stats.parts.items():
        lines.append(f"| {PART_NAMES.get(name, name)} | {part.jobs} | {_minutes(part.seconds)} | "
                     f"{part.max_rss_mb / 1000:.2f} GB (`{part.largest}`) |")
    kept = ", ".join(f"{name} {_gb(n)}" for name, n in stats.checkpoints.items() if n) or "nothing"
    lines += ["", "Disk after the run: " + ", ".join(f"`{name}/` {_gb(stats.disk[name])}" for name in DISK)
              + f" (checkpoints/: {kept})."]
    return "\n".join(lines)


def update_readme(readme: Path, kind: str, block: str) -> None:
    """Replace the text between README's markers for `kind` with `block` (atomically)."""
    start, end = f"<!-- run-stats {kind} -->", f"<!-- /run-stats {kind} -->"
    try:
        text = readme.read_text(encoding="utf-8")
    except OSError as err:
        raise TextgenError(f"--readme {readme}: {err.strerror or err}") from None
    if text.count(start) != 1 or text.count(end) != 1 or text.index(start) > text.index(end):
        raise TextgenError(f"--readme {readme}: needs one '{start}' line and, after it, one '{end}' line "
                           "around this CPU kind's figures; nothing was changed")
    before, rest = text.split(start, 1)
    after = rest.split(end, 1)[1]
    with atomic_path(readme) as tmp:
        tmp.write_text(f"{before}{start}\n{block}\n{end}{after}", encoding="utf-8")


def main(argv: list[str]) -> int:
    from textgen.perf import cpu_kind, cpu_name

    parser = argparse.ArgumentParser(prog="textgen run-stats", description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path("."), help="the checkout (default: here)")
    parser.add_argument("--readme", type=Path, default=None,
                        help="also put the block into this file, between the markers of this CPU kind")
    args = parser.parse_args(argv)
    stats = collect(args.root)
    kind = cpu_kind()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    from textgen.profiles import active_profile

    block = render(stats, f"a {cores}-core {cpu_name()} ({kind})", active_profile(args.root / "params.yaml"))
    print(block)
    if args.readme is not None:
        update_readme(args.readme, kind, block)
        print(f"\n{args.readme}: the {kind} block updated")
    return 0
