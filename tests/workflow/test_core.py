import os
import subprocess
import sys

import pytest

from textgen import allocator
from textgen.io import atomic_path


def test_atomic_path_leaves_nothing_when_the_block_fails(tmp_path):
    target = tmp_path / "out"
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.mkdir()
            (tmp / "half.txt").write_text("partial")
            raise RuntimeError("killed")
    assert list(tmp_path.iterdir()) == []


def test_atomic_path_replaces_an_old_output_only_on_success(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(ValueError):
        with atomic_path(target) as tmp:
            tmp.write_text("new")
            raise ValueError
    assert target.read_text() == "old"
    with atomic_path(target) as tmp:
        tmp.write_text("new")
    assert target.read_text() == "new"


def test_tuned_environment_respects_the_user_and_the_opt_out():
    assert allocator.tuned_environment({})["GLIBC_TUNABLES"] == allocator.TUNABLES
    assert allocator.tuned_environment({"GLIBC_TUNABLES": "mine"})["GLIBC_TUNABLES"] == "mine"
    assert "GLIBC_TUNABLES" not in allocator.tuned_environment({allocator.OPT_OUT: "default"})


def test_textgen_reexecutes_itself_once_with_the_tunables(monkeypatch):
    calls = []
    monkeypatch.setattr(os, "execve", lambda *args: calls.append(args))
    monkeypatch.setattr(sys, "argv", ["textgen", "fetch", "--name", "austen"])
    monkeypatch.delenv(allocator.OPT_OUT, raising=False)
    monkeypatch.delenv("GLIBC_TUNABLES", raising=False)
    allocator.reexec_with_tuned_malloc()
    (executable, argv, env), = calls
    assert argv[1:] == ["-m", "textgen", "fetch", "--name", "austen"]
    assert env["GLIBC_TUNABLES"] == allocator.TUNABLES
    monkeypatch.setenv("GLIBC_TUNABLES", allocator.TUNABLES)  # the re-executed process: no second exec
    allocator.reexec_with_tuned_malloc()
    assert len(calls) == 1


def test_unknown_command_is_a_usage_error():
    out = subprocess.run([sys.executable, "-m", "textgen", "frobnicate"], capture_output=True, text=True)
    assert out.returncode == 2 and "unknown command 'frobnicate'" in out.stderr
