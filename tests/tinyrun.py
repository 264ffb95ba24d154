"""Helpers for the modules that run the tiny DAG (tests/e2e, tests/slurm, tests/recovery); the session
fixture `tiny_run` (tests/conftest.py) runs it once with them (`built_once`)."""

from __future__ import annotations

import json
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


def jobs_run_between(before: dict[str, float], after: dict[str, float]) -> set[str]:
    """The jobs whose benchmark file was rewritten between two `benchmark_times`."""
    return {job for job, mtime in after.items() if before.get(job) != mtime}


def set_param(work: Path, dotted: str, value) -> None:
    """Set params.yaml's `dotted` key in the checkout `work`, as a user's edit would."""
    import yaml

    path = work / "params.yaml"
    params = yaml.safe_load(path.read_text())
    node = params
    *parents, last = dotted.split(".")
    for key in parents:
        node = node[key]
    node[last] = value
    path.write_text(yaml.safe_dump(params, sort_keys=False))


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


def built_once(shared: Path) -> SimpleNamespace:
    """`interrupted_and_resumed` in shared/tiny-run, run once for all the processes of a test session
    (pytest-xdist's workers share `shared`): the first to get here builds it, under a file lock, and
    leaves its namespace in shared/tiny-run.json; the others wait for the lock and read it. A build
    that failed is recorded too, so that another worker fails at once instead of building it again."""
    from filelock import FileLock

    record = shared / "tiny-run.json"
    with FileLock(str(shared / "tiny-run.lock")):
        if not record.is_file():
            try:
                run = interrupted_and_resumed(shared / "tiny-run")
            except BaseException as err:
                record.write_text(json.dumps({"failed": f"{type(err).__name__}: {err}"[-6000:]}))
                raise
            record.write_text(json.dumps({**vars(run), "path": str(run.path), "interrupted": sorted(run.interrupted),
                                          "rerun": {"stdout": run.rerun.stdout, "stderr": run.rerun.stderr}}))
            return run
    saved = json.loads(record.read_text())
    if "failed" in saved:
        pytest.fail(f"the tiny run failed in another worker of this session:\n{saved['failed']}")
    return SimpleNamespace(**{**saved, "path": Path(saved["path"]), "interrupted": set(saved["interrupted"]),
                              "rerun": SimpleNamespace(**saved["rerun"])})
