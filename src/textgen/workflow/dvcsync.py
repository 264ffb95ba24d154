"""After a successful `snakemake` run, record its results in dvc.lock (`dvc commit`).

Snakemake executes; DVC versions. Once Snakemake has finished, every job it considers up to date
has outputs that match its inputs, params and code, which is exactly what dvc.lock records, so
`dvc status` is clean and `dvc repro` has nothing to do (invariant 1 of DESIGN.md). Jobs Snakemake
would still run (outside the targets of a partial run) are left alone.
"""

from __future__ import annotations

import argparse
import subprocess
from pathlib import Path

from textgen.config import project_root
from textgen.errors import TextgenError
from textgen.workflow.dag import snakemake_jobs
from textgen.workflow.dvcgen import render


def up_to_date_stages(root: Path) -> list[str]:
    jobs = snakemake_jobs(root)
    if (root / "dvc.yaml").read_text(encoding="utf-8") != render(jobs):
        raise TextgenError("dvc.yaml is out of date with the Snakemake rules; run `textgen dvc-yaml`, then `textgen dvc-commit`")
    return [job.stage for job in jobs if not job.needs_run and all((root / out).exists() for out in job.outputs)]


def main(argv: list[str]) -> int:
    argparse.ArgumentParser(prog="textgen dvc-commit", description=__doc__.splitlines()[0]).parse_args(argv)
    root = project_root()
    stages = up_to_date_stages(root)
    if not stages:
        print("dvc.lock: nothing to record")
        return 0
    result = subprocess.run(["dvc", "commit", "--force", "--quiet", *stages], cwd=root, capture_output=True, text=True)
    if result.returncode != 0:
        raise TextgenError(f"dvc commit failed: {result.stderr.strip() or result.stdout.strip()}")
    print(f"dvc.lock: recorded {len(stages)} up-to-date stages")
    return 0
