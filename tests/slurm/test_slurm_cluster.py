"""The tiny DAG on a real single-node SLURM cluster gives the same results as a local run.

The module starts a SLURM cluster on this machine (Debian's slurm-wlm and munge, installed with
apt-get when missing; recipe and pitfalls: shared/SLURM.md), runs a slice of the tiny-profile DAG
(SLURM_TARGETS: one job of every kind that trains, samples, scores or benchmarks, with everything
they need, from the fetches on) through `snakemake --profile profiles/slurm` (each job a SLURM job)
in a fresh copy of the checkout, and compares every output byte for byte with the session's local
`snakemake --cores 2` run of the same commit (the `tiny_run` fixture, tests/conftest.py) except
the timings listed in EXCLUDED_FILES and EXCLUDED_FIELDS. A slice, not the whole DAG: the SLURM
plugin polls the queue with a growing pause, which cost the whole 66-job DAG about twice its local
time (8 minutes of a 30-minute test run); the remaining jobs are more of the same kinds.

Needs root, apt-get and the Debian mirror (or slurm-wlm and munge already installed); skips,
naming what is missing, otherwise. Never touches a running or configured cluster: it skips when a
slurmctld runs or /etc/slurm/slurm.conf exists and was not written by it. It stops only the
daemons it started, by pid, also when the test fails. Part of `make test`; only this test:
pytest -m slurm tests/slurm
"""

from __future__ import annotations

import csv
import fnmatch
import io
import json
import os
import pwd
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from textgen.io import alive
from tinyrun import ROOT, env, fresh_checkout

pytestmark = pytest.mark.slurm

SLURM_CONF = Path("/etc/slurm/slurm.conf")
MARKER = "# Written by textgen's tests/slurm/test_slurm_cluster.py (removed when the test ends)."
PARTITION = "debug"

# The SLURM run: the project's profile plus what a single-node test cluster without accounting
# storage needs (shared/SLURM.md, pitfalls 1-3). --cores 2 is workflow.cores, the benchmark_speed
# jobs' threads, as in the local run. SLURM, not --jobs, holds the jobs to the node's 2 cores: with
# several queued, a status check more often finds one finished (the plugin waits 10 s longer after
# every check that finds none, from 2 s up to 180 s).
# The slice: one LSTM of each training loop (custom and Lightning, whose SLURM environment detection
# must not take over a plain sbatch job), a GPT and its sampling, a fine-tuning run, a translation
# model and its scoring, and a speed benchmark (threads: all of the node's cores).
SLURM_TARGETS = ["results/lstm/models/simple", "results/lstm/models/lightning", "results/gpt/samples/bible.csv",
                 "results/finetune/bible", "results/translate/scores/nb_nn.json", "results/perf/gpt.json"]
# Their DVC stages: with their upstream stages, up to date in dvc.lock after the run.
SLURM_STAGES = ["train_lstm-simple", "train_lstm_lightning", "sample_gpt-bible", "finetune_causal-bible",
                "score_translation-nb_nn", "benchmark_speed-gpt"]

SLURM_RUN = (
    "snakemake --profile profiles/slurm --jobs 6 --cores 2"
    f" --default-resources slurm_partition={PARTITION} mem_mb=1000 runtime=60"
    " --slurm-status-command squeue --slurm-no-account --slurm-init-seconds-before-status-checks 2"
    " --slurm-keep-successful-logs --latency-wait 5 " + " ".join(SLURM_TARGETS)
)


def run(cmd, cwd: Path = ROOT, check: bool = True, timeout: int = 1800) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, shell=isinstance(cmd, str), cwd=cwd, env=env(), capture_output=True,
                            text=True, timeout=timeout)
    if check and result.returncode != 0:
        pytest.fail(f"`{cmd}` failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-6000:]}")
    return result


# ---------------------------------------------------------------------------------------------
# The cluster
# ---------------------------------------------------------------------------------------------

def running(name: str) -> list[int]:
    """Pids of processes whose command name is `name` (read from /proc; nothing is signalled)."""
    pids = []
    for comm in Path("/proc").glob("[0-9]*/comm"):
        try:
            if comm.read_text().strip() == name:
                pids.append(int(comm.parent.name))
        except OSError:
            pass
    return pids


def stop(pid: int, timeout: float = 20) -> None:
    """SIGTERM, then SIGKILL after `timeout` seconds: one process, by pid."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:  # reap it if it is our child
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                return
        except ChildProcessError:
            pass
        if not alive(pid):
            return
        time.sleep(0.2)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def node_line() -> str:
    """This machine as one SLURM node: slurmd's own view (CPUs, sockets, cores, threads, memory),
    named localhost, with a little memory left to the OS."""
    probe = subprocess.run(["slurmd", "-C"], capture_output=True, text=True, timeout=60)
    fields = dict(re.findall(r"(\w+)=(\S+)", probe.stdout.splitlines()[0] if probe.stdout else ""))
    if "CPUs" not in fields or "RealMemory" not in fields:  # fall back to nproc and free -m
        cpus = os.cpu_count() or 1
        memory = int(re.search(r"Mem:\s+(\d+)", subprocess.run(["free", "-m"], capture_output=True, text=True).stdout)[1])
        fields = {"CPUs": cpus, "Boards": 1, "SocketsPerBoard": 1, "CoresPerSocket": cpus, "ThreadsPerCore": 1,
                  "RealMemory": memory}
    fields["RealMemory"] = int(int(fields["RealMemory"]) * 0.9)
    keys = ["CPUs", "Boards", "SocketsPerBoard", "CoresPerSocket", "ThreadsPerCore", "RealMemory"]
    return "NodeName=localhost " + " ".join(f"{k}={fields[k]}" for k in keys if k in fields) + " State=UNKNOWN"


def slurm_conf(state: Path) -> str:
    """A single-node cluster whose state, spool, pid and log files all live in `state` (nothing left
    behind in /var). No accounting storage: hence squeue as the status command (MinJobAge 300 s)."""
    return f"""{MARKER}
ClusterName=textgen-test
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation={state}/ctld
SlurmdSpoolDir={state}/d
SlurmctldPidFile={state}/slurmctld.pid
SlurmdPidFile={state}/slurmd.pid
SlurmctldLogFile={state}/slurmctld.log
SlurmdLogFile={state}/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
MinJobAge=300
KillWait=5
Waittime=0
{node_line()}
PartitionName={PARTITION} Nodes=ALL Default=YES MaxTime=INFINITE State=UP
"""


def tail(path: Path, chars: int = 3000) -> str:
    return f"--- {path}:\n{path.read_text(errors='replace')[-chars:]}" if path.exists() else f"--- {path}: missing"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, apt_install):
    """A running single-node SLURM cluster; yields the folder holding its state and logs."""
    if os.geteuid() != 0:
        pytest.skip("needs root: installs slurm-wlm and munge with apt-get and runs munged, slurmctld, slurmd")
    if running("slurmctld"):
        pytest.skip(f"a slurmctld is already running (pid {running('slurmctld')}): not touching a real cluster")
    if SLURM_CONF.exists() and not SLURM_CONF.read_text(errors="replace").startswith(MARKER):
        pytest.skip(f"{SLURM_CONF} exists and was not written by this test: not touching a real cluster")
    apt_install(["slurm-wlm", "munge"], ["slurmctld", "slurmd", "munged", "sbatch"])

    state = tmp_path_factory.mktemp("slurm")
    started: list[tuple[str, int]] = []  # (name, pid) of every daemon this fixture started
    wrote_conf = False
    try:
        # munge: the key (Debian's postinst creates one), its runtime folder, the daemon.
        key = Path("/etc/munge/munge.key")
        if not key.exists():
            run(["mungekey", "--create"])
            shutil.chown(key, "munge", "munge")
        if not running("munged"):
            Path("/run/munge").mkdir(parents=True, exist_ok=True)
            shutil.chown("/run/munge", "munge", "munge")
            munged = subprocess.Popen(["/usr/sbin/munged", "--foreground"], user="munge", group="munge",
                                      extra_groups=[], start_new_session=True, stdin=subprocess.DEVNULL,
                                      stdout=open(state / "munged.out", "w"), stderr=subprocess.STDOUT)
            started.append(("munged", munged.pid))
            deadline = time.time() + 30
            while not Path("/run/munge/munge.socket.2").exists() and munged.poll() is None and time.time() < deadline:
                time.sleep(0.2)

        for sub in ("ctld", "d"):
            (state / sub).mkdir()
        SLURM_CONF.parent.mkdir(parents=True, exist_ok=True)
        SLURM_CONF.write_text(slurm_conf(state))
        wrote_conf = True
        for daemon in ("slurmctld", "slurmd"):
            proc = subprocess.Popen([daemon, "-D"], start_new_session=True, stdin=subprocess.DEVNULL,
                                    stdout=open(state / f"{daemon}.out", "w"), stderr=subprocess.STDOUT)
            started.append((daemon, proc.pid))
            (state / f"{daemon}.started-pid").write_text(f"{proc.pid}\n")

        # Up when the node is idle and a job step runs.
        deadline, status = time.time() + 90, ""
        while time.time() < deadline:
            status = subprocess.run(["sinfo", "-h", "-o", "%T"], capture_output=True, text=True).stdout.strip()
            if status == "idle":
                break
            time.sleep(1)
        logs = "\n".join(tail(state / name) for name in ("munged.out", "slurmctld.log", "slurmd.log",
                                                           "slurmctld.out", "slurmd.out"))
        assert status == "idle", f"the SLURM node did not come up (sinfo: {status!r})\n{logs}"
        hello = subprocess.run(["srun", "-t", "1", "--mem", "100", "echo", "hello"], capture_output=True, text=True, timeout=60)
        assert hello.stdout.strip() == "hello", f"srun failed: {hello.stdout}{hello.stderr}\n{logs}"
        yield state
    finally:
        if any(name == "slurmctld" and alive(pid) for name, pid in started):
            # Our own cluster: every job on it is this test's (left over when a run was interrupted).
            subprocess.run(["scancel", "--quiet", f"--user={pwd.getpwuid(os.geteuid()).pw_name}"], capture_output=True, timeout=60)
            deadline = time.time() + 30
            while time.time() < deadline and subprocess.run(["squeue", "-h", "-t", "PD,R,CG"], capture_output=True,
                                                            text=True, timeout=60).stdout.strip():
                time.sleep(1)
        for _name, pid in reversed(started):  # slurmd, slurmctld, then munged: only ours, by pid
            stop(pid)
        if wrote_conf and SLURM_CONF.exists() and SLURM_CONF.read_text(errors="replace").startswith(MARKER):
            SLURM_CONF.unlink()


# The slice on SLURM from a fresh checkout; the session's local tiny run to compare with
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def runs(cluster, tmp_path_factory, request):
    """(SLURM checkout, local checkout): the slice run on SLURM, and the session's whole tiny run
    (tests/conftest.py, `snakemake --cores 2` from a fresh checkout of the same commit). The tiny
    run is asked for after the SLURM run, so that another worker can build it meanwhile."""
    slurm_work = fresh_checkout(tmp_path_factory.mktemp("on-slurm"))
    start = time.monotonic()
    with open(slurm_work.parent / "snakemake.out", "w") as out:
        proc = subprocess.Popen(SLURM_RUN, shell=True, cwd=slurm_work, env=env(), stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            proc.wait(timeout=3600)
        finally:  # only on timeout or interruption: the run we started, by group
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=60)
    print(f"\nwall time of the SLURM run: {time.monotonic() - start:.0f} s")
    if proc.returncode != 0:
        logs = "\n".join(tail(cluster / n) for n in ("slurmctld.log", "slurmd.log"))
        pytest.fail(f"`{SLURM_RUN}` failed ({proc.returncode}):\n{tail(slurm_work.parent / 'snakemake.out', 8000)}\n{logs}")
    return slurm_work, request.getfixturevalue("tiny_run").path


# ---------------------------------------------------------------------------------------------
# What may differ between the two runs: timings, nothing else
# ---------------------------------------------------------------------------------------------

# Outputs compared: every file under these folders (all of them DVC outputs). Not compared: dvc.lock
# (hashes of these same files, timings included) and checkpoints/ (resumable state, not an output).
OUTPUT_FOLDERS = ("data", "results", "report")

# Whole files left out (fnmatch patterns on the path from the checkout's root; * crosses folders).
EXCLUDED_FILES = {
    "results/benchmarks/*": "Snakemake's benchmark: files: wall time, memory and CPU load of each job",
    "results/logs/*": "job logs: progress lines with elapsed times and speeds",
    "results/perf/*.json": "the speed benchmarks (perf.smk): tokens/s, milliseconds, the measured matmul peak, "
                           "how busy the machine was",
    "results/*/run.json": "how each training run went: wall time, tokens/s, elapsed time at each evaluation, "
                          "where it resumed (metric files hold no timings)",
}

# Columns (CSV) and top-level keys (JSON) left out of files that are otherwise compared cell by cell,
# value by value: everything else in them must be identical. The first matching pattern applies.
# Empty: every trainer keeps its timings in run.json.
EXCLUDED_FIELDS: list[tuple[str, list[str]]] = []



def excluded_file(rel: str) -> str | None:
    return next((why for pattern, why in EXCLUDED_FILES.items() if fnmatch.fnmatchcase(rel, pattern)), None)


def excluded_fields(rel: str) -> list[str]:
    return next((fields for pattern, fields in EXCLUDED_FIELDS if fnmatch.fnmatchcase(rel, pattern)), [])


def without_fields(rel: str, data: bytes, fields: list[str]) -> object:
    """The file's content with `fields` removed: CSV rows as lists of cell strings (the cells kept
    are compared exactly as written), JSON as the parsed document."""
    if rel.endswith(".csv"):
        rows = list(csv.reader(io.StringIO(data.decode())))
        header = rows[0] if rows else []
        missing = [f for f in fields if f not in header]
        assert not missing, f"{rel}: excluded columns {missing} are not in its header {header}"
        keep = [i for i, name in enumerate(header) if name not in fields]
        return [[row[i] for i in keep if i < len(row)] for row in rows]
    if rel.endswith(".json"):
        doc = json.loads(data)
        missing = [f for f in fields if f not in doc]
        assert not missing, f"{rel}: excluded keys {missing} are not in it"
        return {key: value for key, value in doc.items() if key not in fields}
    raise AssertionError(f"{rel}: fields can be excluded from .csv and .json files only")


def first_difference(a: bytes, b: bytes) -> str:
    for number, (x, y) in enumerate(zip(a.splitlines(), b.splitlines()), 1):
        if x != y:
            return f"line {number}: {x[:200]!r} != {y[:200]!r}"
    return f"lengths {len(a)} != {len(b)}"


def files_under(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def output_files(work: Path) -> set[str]:
    return {f"{name}/{rel}" for name in OUTPUT_FOLDERS for rel in files_under(work / name)}


def test_the_slice_runs_on_slurm_with_every_job_a_slurm_job(runs):
    slurm_work, _local = runs
    out = (slurm_work.parent / "snakemake.out").read_text()
    # the SLURM profile, and the execution defaults Snakemake loads by itself
    assert "Using profiles profiles/slurm and workflow specific profile profiles/default" in out
    # Every job went through sbatch: one SLURM log per job (kept by --slurm-keep-successful-logs).
    jobs = len(list((slurm_work / "results" / "benchmarks").rglob("*.tsv")))
    slurm_logs = list((slurm_work / ".snakemake" / "slurm_logs").rglob("*.log"))
    assert jobs >= 15 and len(slurm_logs) == jobs, f"{len(slurm_logs)} SLURM job logs for {jobs} jobs"
    rules = {next(part for part in p.parts if part.startswith("rule_")) for p in slurm_logs}  # rule_<name>/[wildcards/]id.log
    assert rules >= {"rule_train_lstm", "rule_train_lstm_lightning", "rule_train_gpt",
                                                   "rule_finetune_causal", "rule_score_translation",
                                                   "rule_benchmark_speed"}
    # The onsuccess hand-over to DVC ran on the submitting side; a rerun has nothing to do.
    status = run("dvc status --with-deps " + " ".join(SLURM_STAGES), slurm_work).stdout
    assert "Data and pipelines are up to date" in status, status
    rerun = run(SLURM_RUN + " --dry-run", slurm_work)
    assert "Nothing to be done" in rerun.stdout + rerun.stderr


def test_every_output_equals_the_local_runs_except_timings(runs):
    slurm_work, local_work = runs
    on_slurm = output_files(slurm_work)
    assert on_slurm <= output_files(local_work), f"only on SLURM: {sorted(on_slurm - output_files(local_work))}"

    compared, differ = 0, []
    for rel in sorted(on_slurm):
        if excluded_file(rel):
            continue
        a, b = (slurm_work / rel).read_bytes(), (local_work / rel).read_bytes()
        fields = excluded_fields(rel)
        same = without_fields(rel, a, fields) == without_fields(rel, b, fields) if fields else a == b
        compared += 1
        if not same:
            differ.append(f"{rel} ({first_difference(a, b)})")
    assert compared > 60, compared  # the slice's outputs but its run.json, logs, benchmarks and perf timings
    assert not differ, f"{len(differ)} of {compared} outputs differ between the SLURM and the local run:\n" + \
        "\n".join(differ)
