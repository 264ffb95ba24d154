"""After a successful `snakemake` run, record its results in dvc.lock (`dvc commit`).

Snakemake executes; DVC versions. Once Snakemake has finished, every job it considers up to date
has outputs that match its inputs, params and code, which is exactly what dvc.lock records, so
`dvc status` is clean and `dvc repro` has nothing to do (invariant 1 of DESIGN.md). Jobs Snakemake
would still run (outside the targets of a partial run) are left alone. dvc.yaml itself is
regenerated first when params.yaml changed the DAG's dependencies (a `file:` source).

`dvc commit` may replace an output by a fresh copy from its cache, which gives it a new modification
time; Snakemake compares modification times, so they are put back as they were.

`dvc commit STAGE...` rewrites the whole dvc.lock once per stage named (a round-trip YAML parse
of some 10,000 lines each time: 7 minutes for the tiny DAG's 65 stages on 2 busy cores), while
`dvc commit` without targets commits every stage and writes dvc.lock once (25 s: about as long as
ten stages one by one). So when every job of the DAG is up to date and at least ALL_AT_ONCE stages
changed, as after a whole run, all are committed at once; a few are committed by name.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
from pathlib import Path

from textgen.config import project_root
from textgen.errors import TextgenError
from textgen.io import atomic_path
from textgen.workflow.dag import Dag, Job, snakemake_dag
from textgen.workflow.dvcgen import render

ALL_AT_ONCE = 10  # changed stages from which one commit of all of them is cheaper (module docstring)


def up_to_date_jobs(root: Path, jobs: list[Job]) -> list[Job]:
    return [job for job in jobs if not job.needs_run and all((root / out).exists() for out in job.outputs)]


def refresh_dvc_yaml(root: Path, dag: Dag) -> bool:
    """Rewrite dvc.yaml if the rules or params.yaml changed the DAG (say, a corpus switched to a
    local `file:` source, which becomes a dependency). Returns whether it was rewritten."""
    text = render(dag)
    path = root / "dvc.yaml"
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return True


def file_times(root: Path, jobs: list[Job]) -> dict[Path, tuple[int, int]]:
    """(atime, mtime) in ns of every file and folder among the jobs' outputs, logs and benchmarks."""
    times = {}
    for job in jobs:
        for out in (*job.outputs, *job.logs, *([job.benchmark] if job.benchmark else [])):
            top = root / out
            for path in [top, *(top.rglob("*") if top.is_dir() else [])]:
                if path.exists():
                    stat = path.stat()
                    times[path] = (stat.st_atime_ns, stat.st_mtime_ns)
    return times


def stages_dvc_sees_changed(root: Path) -> set[str] | None:
    """Stage names `dvc status` reports (changed or never recorded); None if it cannot tell.
    Committing only these keeps a small rerun cheap: `dvc commit` of every stage re-links every
    output, half a gigabyte of base model included."""
    result = subprocess.run(["dvc", "status", "--json"], cwd=root, capture_output=True, text=True)
    if result.returncode != 0:
        return None
    try:
        return set(json.loads(result.stdout or "{}"))
    except json.JSONDecodeError:
        return None


def main(argv: list[str]) -> int:
    argparse.ArgumentParser(prog="textgen dvc-commit", description=__doc__.splitlines()[0]).parse_args(argv)
    root = project_root()
    dag = snakemake_dag(root)
    all_jobs = dag.jobs
    if refresh_dvc_yaml(root, dag):
        print("dvc.yaml: regenerated, the DAG changed (commit it with your change)")
    jobs = up_to_date_jobs(root, all_jobs)
    if not jobs:
        print("dvc.lock: nothing to record")
        return 0
    every_job = len(jobs) == len(all_jobs)
    changed = stages_dvc_sees_changed(root)
    if changed is not None:
        jobs = [job for job in jobs if job.stage in changed]
    if not jobs:
        print("dvc.lock: already up to date")
        return 0
    stages = [job.stage for job in jobs]
    if every_job and len(stages) >= ALL_AT_ONCE:  # one write of dvc.lock, not one per stage (module docstring)
        times = file_times(root, all_jobs)
        targets: list[str] = []
    else:
        times = file_times(root, jobs)
        targets = stages
    result = subprocess.run(["dvc", "commit", "--force", *targets], cwd=root, capture_output=True, text=True)
    for path, (atime, mtime) in times.items():
        if path.exists():
            os.utime(path, ns=(atime, mtime), follow_symlinks=False)
    if result.returncode != 0:
        # DVC's last line is an advertisement; its ERROR lines say what failed (a full disk, say).
        errors = [line for line in (result.stderr + result.stdout).splitlines() if line.startswith("ERROR")]
        why = "\n  ".join(dict.fromkeys(errors[-3:])) or result.stderr.strip() or result.stdout.strip()
        raise TextgenError(f"dvc commit failed, so dvc.lock does not record this run's results (they are complete; "
                           f"`textgen dvc-commit` records them once the cause is fixed):\n  {why}")
    print(f"dvc.lock: recorded {len(stages)} stage(s) that Snakemake ran or brought up to date")
    return 0
