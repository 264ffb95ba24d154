"""Two faults for every trainer, each followed by the same command again: kill -9 at a seeded random
moment, and its newest resumable state truncated. Either way the results are byte for byte those
of an uninterrupted run.

Each trainer runs its real command, as Snakemake writes it for the tiny profile (`snakemake -n -p`
in a fresh tiny-profile checkout where the jobs the trainers' jobs read from have run), made a few times longer (OVERRIDES) so
that it writes several resumable states. The kill (SIGKILL to the command's process group, as an
OOM killer or a lost node does) comes a seeded random time after its first state appears, while
it still runs; the rerun must resume from the state left, and every file of its output folder
but run.json (wall times, where it resumed) must equal the uninterrupted run's.

The truncation is done to the newest state that the uninterrupted run left (each trainer's own
kind: textgen's state-N.pt, Lightning's last.ckpt, a Hugging Face checkpoint's weights), in a copy
of its checkpoint folder at another path (as when checkpoints move to shared storage); the rerun
must warn, naming that file, and go on from the state before it (or start over where none is kept).
"""

from __future__ import annotations

import json
import os
import random
import re
import shlex
import shutil
import signal
import subprocess
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from tinyrun import env, fresh_checkout
from tinyrun import shell as run

pytestmark = pytest.mark.e2e

# trainer -> (an output of one of its jobs in the tiny DAG, {flag: JSON keys to change}).
OVERRIDES = {
    "gpt": ("results/gpt/models/kafka", {"--train": {"max_iters": 400, "lr_decay_iters": 400, "checkpoint_interval": 20,
                                                     "eval_interval": 100, "save_at": []}}),
    "lstm_custom": ("results/lstm/models/simple", {"--params": {"iterations": 60, "evaluate_interval": 10}}),
    "lstm_lightning": ("results/lstm/models/lightning", {"--params": {"limit_train_batches": 40}}),
    "translation": ("results/translate/nb_nn", {"--params": {"evals_per_epoch": 4, "table_epochs": [0, 2],
                                                              "config": {"epochs": 2}}}),
    "finetune_causal": ("results/finetune/milton", {"--params": {"epochs": 4}}),
    "finetune_t5": ("results/finetune/lyrics", {"--params": {"epochs": 4}}),
}
# trainer -> the glob of its resumable states in its checkpoint folder (the last, naturally sorted, is the newest)
STATES = {"gpt": "state-*.pt", "lstm_custom": "state-*.pt", "lstm_lightning": "ckpt/last.ckpt",
          "translation": "state-*.pt", "finetune_causal": "checkpoint-*/model*.safetensors",
          "finetune_t5": "checkpoint-*/model.safetensors"}
TIMINGS = {"run.json"}  # wall times and where the run resumed: the only files allowed to differ
ATTEMPTS = 4  # kills drawn until one lands while the run is still going


def merge(base: dict, changes: dict) -> dict:
    out = dict(base)
    for key, value in changes.items():
        out[key] = merge(base.get(key, {}), value) if isinstance(value, dict) else value
    return out


def command(work: Path, output: str) -> list[str]:
    """The job's command as Snakemake would run it (argv, without the log redirection)."""
    dry = run(f"snakemake -n -p -F -- {output}", work).stdout
    line = next(line for line in dry.splitlines() if line.startswith("Shell command: textgen ") and f"--out {output}" in line)
    return shlex.split(line.removeprefix("Shell command: ").split(" > ")[0])


def with_changes(argv: list[str], changes: dict[str, dict], checkpoints: Path, out: Path) -> list[str]:
    argv = list(argv)
    for flag, keys in changes.items():
        i = argv.index(flag)
        argv[i + 1] = json.dumps(merge(json.loads(argv[i + 1]), keys))
    argv[argv.index("--checkpoints") + 1] = str(checkpoints)
    argv[argv.index("--out") + 1] = str(out)
    return argv


def start(argv: list[str], cwd: Path, log: Path) -> subprocess.Popen:
    return subprocess.Popen(argv, cwd=cwd, env=env(), start_new_session=True, stdin=subprocess.DEVNULL,
                            stdout=open(log, "w"), stderr=subprocess.STDOUT)


def finish(proc: subprocess.Popen, log: Path, timeout: float = 600) -> None:
    assert proc.wait(timeout=timeout) == 0, log.read_text()[-4000:]


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name not in TIMINGS}


def has_state(checkpoints: Path, trainer: str) -> bool:
    """A resumable state of `trainer`'s kind is there (STATES; not a temporary of atomic_path,
    `.NAME.tmp-PID`, and not what a run writes before training: fingerprint.json, tokenizer.json)."""
    return checkpoints.is_dir() and any(p.is_file() for p in checkpoints.glob(STATES[trainer]))


def newest(folder: Path, pattern: str) -> Path:
    found = sorted(folder.glob(pattern), key=lambda p: [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", str(p))])
    assert found, f"no {pattern} in {folder}"
    return found[-1]


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    """A fresh tiny-profile checkout holding what the trainers' jobs read: only the jobs upstream of
    them have run (a minute, where the whole tiny DAG takes several)."""
    from textgen.workflow.dag import snakemake_jobs

    work = fresh_checkout(tmp_path_factory.mktemp("kills"))
    outputs = {output for output, _ in OVERRIDES.values()}
    inputs = sorted({path for job in snakemake_jobs(work, sorted(outputs)) if outputs & set(job.outputs)
                     for path in job.inputs})
    run("snakemake --cores 2 -- " + " ".join(inputs), work)
    return work


@pytest.fixture(scope="module")
def uninterrupted(work, tmp_path_factory):
    """uninterrupted(trainer) -> its lengthened run, done once per module: argv (the job's command
    with OVERRIDES), folder (holding ckpt/ and the output), name, window (seconds from its first
    resumable state to its end)."""
    done: dict[str, SimpleNamespace] = {}

    def get(trainer: str) -> SimpleNamespace:
        if trainer not in done:
            output, changes = OVERRIDES[trainer]
            argv = command(work, output)
            name = Path(output).name  # models are named after their folder: every run writes one of that name
            folder = tmp_path_factory.mktemp(f"whole-{trainer}")
            proc = start(with_changes(argv, changes, folder / "ckpt", folder / name), work, folder / "run.log")
            began, first_state = time.monotonic(), None
            while proc.poll() is None:
                if first_state is None and has_state(folder / "ckpt", trainer):
                    first_state = time.monotonic() - began
                time.sleep(0.05)
            finish(proc, folder / "run.log")
            assert first_state is not None, f"{trainer}: no resumable state was written during the run"
            done[trainer] = SimpleNamespace(argv=argv, changes=changes, folder=folder, name=name,
                                            window=time.monotonic() - began - first_state)
        return done[trainer]
    return get


@pytest.mark.parametrize("trainer", list(OVERRIDES))
def test_a_killed_trainer_resumes_to_the_uninterrupted_result(trainer, uninterrupted, work, tmp_path):
    whole = uninterrupted(trainer)
    rng = random.Random(f"kill {trainer}")
    out = tmp_path / "killed" / whole.name
    killed = with_changes(whole.argv, whole.changes, tmp_path / "ckpt", out)
    for attempt in range(ATTEMPTS):
        shutil.rmtree(tmp_path / "ckpt", ignore_errors=True)
        proc = start(killed, work, tmp_path / f"killed-{attempt}.log")
        while proc.poll() is None and not has_state(tmp_path / "ckpt", trainer):
            time.sleep(0.02)
        time.sleep(rng.uniform(0, 0.8 * whole.window) / 2 ** attempt)
        if proc.poll() is None and not out.exists():
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            break
        proc.wait()  # its output was written first: draw again, earlier
        shutil.rmtree(out, ignore_errors=True)
    else:
        pytest.fail(f"{trainer}: every kill came after the run had finished ({whole.window:.2f} s window)")
    assert not out.exists(), f"{trainer}: an output folder after the kill"
    assert has_state(tmp_path / "ckpt", trainer), f"{trainer}: the kill left no resumable state"

    finish(start(killed, work, tmp_path / "resumed.log"), tmp_path / "resumed.log")
    resumed = (tmp_path / "resumed.log").read_text()
    # It resumed from the state left, or the kill cut the one state off while it was written, and the
    # rerun said so before starting over (the checkpoint policy: never a silent fresh start).
    assert re.search(r"^(resum(ed|ing) from |warning: .*(incomplete|corrupt|truncated))", resumed, re.M), \
        f"{trainer}: the rerun neither resumed nor said why not:\n{resumed[-3000:]}"
    same_files(trainer, whole.folder / whole.name, out, resumed)


@pytest.mark.parametrize("trainer", list(OVERRIDES))
def test_a_truncated_newest_state_is_named_and_passed_over(trainer, uninterrupted, work, tmp_path):
    whole = uninterrupted(trainer)
    shutil.copytree(whole.folder / "ckpt", tmp_path / "ckpt", symlinks=True)  # moved, as to shared storage
    state = newest(tmp_path / "ckpt", STATES[trainer])
    with open(state, "r+b") as f:
        f.truncate(state.stat().st_size // 2)
    out = tmp_path / "out" / whole.name
    finish(start(with_changes(whole.argv, whole.changes, tmp_path / "ckpt", out), work, tmp_path / "rerun.log"),
           tmp_path / "rerun.log")
    log = (tmp_path / "rerun.log").read_text()
    assert re.search(rf"^warning: .*{re.escape(state.name)}", log, re.M), \
        f"{trainer}: no warning that names the truncated {state.name}:\n{log[-3000:]}"
    same_files(trainer, whole.folder / whole.name, out, log)


def same_files(trainer: str, expected_folder: Path, got_folder: Path, log: str) -> None:
    expected, got = files(expected_folder), files(got_folder)
    assert sorted(got) == sorted(expected)
    differ = [name for name in expected if got[name] != expected[name]]
    assert not differ, f"{trainer}: output differs from the uninterrupted run's in {differ}\n{log[-3000:]}"
