"""Provenance: where every number in the report came from (code, parameters, data, software, machine, time)."""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import platform
import subprocess
from pathlib import Path

import pandas as pd

from textgen.errors import TextgenError
from textgen.report.markdown import table

PACKAGES = (
    "torch", "lightning", "tokenizers", "transformers", "sentencepiece", "sacrebleu",
    "numpy", "pandas", "matplotlib", "snakemake", "dvc", "textgen",
)  # fmt: skip


def git_state(root: Path) -> str:
    """'<commit>' or '<commit> (with uncommitted changes)', or a note that this is no git checkout."""
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True)
        status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"
    dirty = " (with uncommitted changes)" if status.stdout.strip() else ""
    return commit.stdout.strip() + dirty


def package_versions() -> list[tuple[str, str]]:
    rows = [("python", platform.python_version())]
    for name in PACKAGES:
        try:
            rows.append((name, importlib.metadata.version(name)))
        except importlib.metadata.PackageNotFoundError:
            rows.append((name, "not installed"))
    return rows


def hardware() -> list[tuple[str, str]]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kib / 2**20:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    import torch

    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "none"
    return [
        ("CPU", cpu),
        ("logical cores", str(os.cpu_count())),
        ("cores available to this run", str(len(os.sched_getaffinity(0)))),
        ("memory", memory),
        ("GPU", gpu),
        ("OS", platform.platform()),
    ]


def wall_times(benchmark_files: list[Path], root: Path) -> pd.DataFrame:
    """One row per job from Snakemake's benchmark files: job name, seconds, peak memory."""
    rows = []
    for path in benchmark_files:
        try:
            frame = pd.read_csv(path, sep="\t")
            seconds, rss = float(frame["s"].iloc[0]), float(frame["max_rss"].iloc[0])
        except (OSError, KeyError, IndexError, ValueError, pd.errors.ParserError, pd.errors.EmptyDataError) as err:
            raise TextgenError(f"{path}: not a Snakemake benchmark file ({type(err).__name__}: {err})") from None
        job = str(path.relative_to(root / "results" / "benchmarks") if path.is_absolute() else path)
        job = job.removeprefix("results/benchmarks/").removesuffix(".tsv")
        rows.append({"job": job, "seconds": seconds, "max RSS (MB)": rss})
    return pd.DataFrame(rows, columns=["job", "seconds", "max RSS (MB)"])


def params_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sources_table(manifests: list[dict]) -> str:
    rows = []
    for manifest in manifests:
        for source in manifest.get("sources", []):
            for file in source.get("files", []):
                rows.append([manifest["name"], source.get("kind", ""), f"{source.get('package', source.get('url', source.get('path', '')))} {source.get('version', '')}".strip(), file["name"], f"`{file['sha256']}`"])
    return table(["corpus", "kind", "package / location", "file", "sha256"], rows)


def works_table(manifests: list[dict]) -> str:
    rows = []
    for manifest in manifests:
        for work in manifest.get("works", []):
            rows.append([manifest["name"], work["id"], work.get("source_file", ""), f"`{work.get('source_sha256', '')}`", f"`{work.get('text_sha256', '')}`"])
    return table(["corpus", "work", "file in package", "sha256 of source file", "sha256 of clean text"], rows)


RUN_RECORDS = ("config.json", "metrics.json", "run.json")  # where trainers record their compute settings


def compute_table(artifacts: list[Path], root: Path) -> str | None:
    """One row per trained model among `artifacts`: where and at which precision it trained (the
    "compute" entry its trainer recorded), or None when no artifact has one."""
    import json

    rows = []
    for artifact in sorted(artifacts):
        folder = artifact if artifact.is_absolute() else root / artifact
        for name in RUN_RECORDS:
            path = folder / name
            if folder.is_dir() and path.is_file():
                record = json.loads(path.read_text(encoding="utf-8")).get("compute")
                if isinstance(record, dict):
                    rows.append([f"`{artifact}`", record.get("accelerator", ""), record.get("devices", ""),
                                 record.get("precision", ""), record.get("strategy", "")])
                    break
    if not rows:
        return None
    return table(["model", "device", "processes", "precision", "strategy"], rows)
