"""Snakemake's directory lock, left behind when a run is killed (kill -9, a power loss).

Snakemake refuses to start while `.snakemake/locks/` holds a lock and says to run `snakemake
--unlock`, in its own terms. A DVC stage runs one Snakemake job, so a killed `dvc repro` would make
every later `dvc repro` fail that way. Under DVC the lock is released here instead, when no other
Snakemake process works in the folder: DVC's own lock already keeps two `dvc repro` apart, so a lock
whose owner is gone is stale.

    >>> is_snakemake(["/usr/bin/python3", "/venv/bin/snakemake", "--cores", "2"])
    True
    >>> is_snakemake(["python", "-m", "snakemake", "-n"])
    True
    >>> is_snakemake(["textgen", "train-gpt", "--out", "results/snakemake"])
    False
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

UNLOCK_HINT = "run `snakemake --unlock`, then the command again"


def is_snakemake(argv: list[str]) -> bool:
    """Whether a command line runs Snakemake (its script, or `python -m snakemake`)."""
    head = argv[:3]
    return any(Path(arg).name == "snakemake" for arg in head[:2]) or head[1:3] == ["-m", "snakemake"]


def _ancestors(pid: int) -> set[int]:
    chain = set()
    while pid > 1 and pid not in chain:
        chain.add(pid)
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            break
        pid = int(stat.rsplit(")", 1)[1].split()[1])  # the field after the command name is the parent
    return chain


def other_snakemakes(root: Path) -> list[int] | None:
    """Pids of Snakemake processes working in `root`, this process and its ancestors excluded;
    None where processes cannot be listed (no /proc)."""
    proc = Path("/proc")
    if not (proc / "self" / "cmdline").exists():
        return None
    mine = _ancestors(os.getpid())
    found = []
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) in mine:
            continue
        try:
            argv = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
            cwd = Path(os.readlink(entry / "cwd"))
        except OSError:  # gone meanwhile, or another user's
            continue
        if is_snakemake(argv) and cwd == root.resolve():
            found.append(int(entry.name))
    return sorted(found)


def release_stale_locks(root: Path) -> None:
    """Remove Snakemake's locks in `root` if no other Snakemake runs there; else say what to do."""
    locks = sorted((root / ".snakemake" / "locks").glob("*.lock"))
    if not locks:
        return
    others = other_snakemakes(root)
    if others is None:
        print(f"textgen: {root} holds a Snakemake lock; if no Snakemake runs there, {UNLOCK_HINT}", file=sys.stderr)
    elif others:
        print(f"textgen: Snakemake (pid {', '.join(map(str, others))}) is running in {root}; wait for it to "
              f"finish or stop it, then run the command again", file=sys.stderr)
    else:
        for lock in locks:
            lock.unlink(missing_ok=True)
        print(f"textgen: removed the Snakemake lock a killed run left in {root} (no Snakemake runs there)",
              file=sys.stderr)
