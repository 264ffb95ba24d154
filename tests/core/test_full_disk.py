"""A full disk, on a small tmpfs: every write names its path and says the disk is full; Snakemake
stops with one message before it tries to write its lock; nothing half-written is left behind."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from textgen.checkpoints import Checkpoints
from textgen.errors import TextgenError
from textgen.io import atomic_path

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def disk(tmp_path):
    """A 2 MB tmpfs (root only; skipped with the reason elsewhere), unmounted afterwards."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("a full-disk test needs root to mount a small tmpfs")
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(folder: Path, leave: int = 0) -> None:
    """Take all but `leave` bytes of the disk that holds `folder`."""
    with open(folder / "filler", "wb") as f:
        f.truncate(0)
        block = b"\0" * 4096
        try:
            while shutil.disk_usage(folder).free > leave:
                f.write(block)
                f.flush()
        except OSError:
            pass


def test_a_checkpoint_on_a_full_disk_names_its_path_and_leaves_no_partial_file(disk):
    ckpts = Checkpoints(disk / "ck", {"lr": 0.1}, log=lambda _: None)
    ckpts.save(1, {"w": torch.zeros(10)})
    fill(disk, leave=64 * 1024)
    with pytest.raises(TextgenError, match=rf"{disk}/ck/state-0000002.pt: could not be written, .*full"):
        ckpts.save(2, {"w": torch.zeros(200_000)})  # 800 kB: torch reports this as a RuntimeError
    assert sorted(p.name for p in (disk / "ck").iterdir()) == ["state-0000001.pt"]  # the last good state stays
    assert ckpts.resume()["step"] == 1


def test_an_oserror_names_the_path(disk):
    fill(disk)
    with pytest.raises(TextgenError, match=rf"{disk}/out.txt: could not be written, no space left"):
        with atomic_path(disk / "out.txt") as tmp:
            tmp.write_bytes(b"x" * 100_000)
    assert not any(p.name.startswith(".out.txt") for p in disk.iterdir())


def test_snakemake_on_a_full_disk_says_so_without_a_traceback(disk):
    work = disk / "textgen"
    work.mkdir()
    for name in ("Snakefile", "params.yaml", "workflow", "profiles"):
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy2)(ROOT / name, work / name)
    fill(disk)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    result = subprocess.run(["snakemake", "--cores", "1", "-n"], cwd=work, env=env, capture_output=True, text=True)
    out = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"the disk that holds {work} is full" in out, out[-3000:]
    assert "Traceback" not in out and "Logging error" not in out, out[-3000:]
