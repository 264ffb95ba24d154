"""Helpers for the modules that run the tiny DAG (tests/e2e, tests/slurm, tests/recovery); the session
fixture `tiny_run` (tests/conftest.py) runs it once with them."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def env() -> dict[str, str]:
    """This environment with the venv's bin first: the commands, Snakemake's jobs and SLURM's
    (sbatch --export=ALL) run `snakemake` and `textgen` from it."""
    return {**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}"}


def shell(cmd: str, cwd: Path, check: bool = True, timeout: int = 1800):
    """`cmd` in its own process group, with the venv's bin first on PATH. On a timeout the whole
    group is killed (Snakemake's jobs included) and the Snakemake lock it left is removed, so the
    work folder stays usable."""
    proc = subprocess.Popen(cmd, shell=True, cwd=cwd, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        stdout, stderr = proc.communicate()
        subprocess.run("snakemake --unlock --cores 1", shell=True, cwd=cwd, env=env(), capture_output=True)
        pytest.fail(f"`{cmd}` took over {timeout} s; killed with its jobs:\n{stderr[-3000:]}")
    result = subprocess.CompletedProcess(cmd, proc.returncode, stdout, stderr)
    if check and result.returncode != 0:
        pytest.fail(f"`{cmd}` failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-6000:]}")
    return result


def fresh_checkout(base: Path) -> Path:
    """A fresh git checkout of the project (tracked + untracked, not ignored, files) in base/textgen,
    on the tiny profile. Fixed author and dates: every such copy gets the same commit, which the
    report's provenance shows. Its DVC remote, ../../textgen-dvc-remote from .dvc/, lands in base."""
    work = base / "textgen"
    files = shell("git ls-files --cached --others --exclude-standard -z", ROOT).stdout.split("\0")
    for name in filter(None, files):
        if (ROOT / name).is_file():
            (work / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, work / name)
    shell("textgen profile tiny", work)
    shell("git init -q && git add -A && GIT_AUTHOR_DATE=2000-01-01T00:00:00Z GIT_COMMITTER_DATE=2000-01-01T00:00:00Z "
          "git -c user.name=t -c user.email=t@t commit -qm 'tiny profile'", work)
    return work


def benchmark_times(work: Path) -> dict[str, int]:
    """job -> mtime of its benchmark file: a job ran exactly when its benchmark file was rewritten."""
    folder = work / "results" / "benchmarks"
    return {str(p.relative_to(folder).with_suffix("")): p.stat().st_mtime_ns for p in folder.rglob("*.tsv")}


def interrupted_and_resumed(base: Path) -> SimpleNamespace:
    """The whole tiny DAG from a fresh checkout, the way a user's first run often goes: `snakemake
    --cores 2` is stopped with SIGTERM (what `kill` sends) once 3 jobs have finished, `snakemake
    --unlock` (the README's recovery step), then `snakemake --cores 2` again to the end.

    Returns a namespace: path (the finished checkout: copy it before changing anything), unlock
    (that command's output), finished (job -> benchmark mtime of the jobs Snakemake had recorded as
    done at the interruption), after (the same after the rerun), interrupted (jobs left to do then),
    report_before (whether the report existed at the interruption), rerun (the second run)."""
    from textgen.workflow.dag import snakemake_jobs

    work = fresh_checkout(base)
    proc = subprocess.Popen("snakemake --cores 2", shell=True, cwd=work, env=env(), start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 600
    while time.time() < deadline and proc.poll() is None and len(benchmark_times(work)) < 3:
        time.sleep(0.5)
    os.killpg(proc.pid, signal.SIGTERM)  # Ctrl-C sends SIGINT to the group, much the same
    proc.wait(timeout=120)
    unlock = shell("snakemake --unlock", work)  # no --cores needed
    # A job is finished once Snakemake has recorded it (a job killed between writing its benchmark
    # and that bookkeeping is incomplete, and rightly redone).
    jobs = snakemake_jobs(work)
    done = {j.benchmark.removeprefix("results/benchmarks/").removesuffix(".tsv") for j in jobs if not j.needs_run}
    finished = {job: mtime for job, mtime in benchmark_times(work).items() if job in done}
    interrupted = {j.benchmark for j in jobs if j.needs_run}
    report_before = (work / "report" / "index.html").exists()
    rerun = shell("snakemake --cores 2", work)
    return SimpleNamespace(path=work, unlock=unlock.stdout + unlock.stderr, finished=finished,
                           after=benchmark_times(work), interrupted=interrupted, report_before=report_before, rerun=rerun)
