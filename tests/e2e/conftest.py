"""What the tiny run's modules share: each works on its own copy of the session's tiny run."""

import shutil
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def work(tiny_run, tmp_path_factory) -> Path:
    """A copy of the session's finished tiny run (file times, Snakemake's records, the DVC cache and
    git history included). Its DVC remote, ../../textgen-dvc-remote from .dvc/, lands beside it."""
    work = tmp_path_factory.mktemp("e2e") / "textgen"
    shutil.copytree(tiny_run.path, work, symlinks=True)
    return work
