import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"


# `make test` runs the tests on every core (pytest-xdist), and each worker builds its own session
# fixtures: so the tests that share one go to one worker as a unit, a folder of tests/. The tiny
# DAG's run, the longest fixture, is built once for all workers (`tiny_run`); each module that works
# on a copy of it is a unit of its own, so that they run side by side. The long units start first.
ONE_UNIT_PER_FILE = ("tests/e2e",)
LONG_UNITS = ("tests/e2e/test_pipeline.py", "tests/slurm", "tests/e2e/test_edits_and_faults.py",
              "tests/recovery")  # the order they start in


def work_unit(nodeid: str) -> str:
    """The unit of work a test belongs to: a folder of tests/ (its conftest's fixtures), a file of
    the folders in ONE_UNIT_PER_FILE, or the test alone (files at the top).

    >>> work_unit("tests/e2e/test_pipeline.py::test_x"), work_unit("tests/bpe/test_a.py::test_b[1]")
    ('tests/e2e/test_pipeline.py', 'tests/bpe')
    >>> work_unit("tests/test_linear.py::test_y")
    'tests/test_linear.py::test_y'
    """
    path = nodeid.split("::", 1)[0]
    parts = path.split("/")
    if len(parts) <= 2:
        return nodeid
    return path if "/".join(parts[:2]) in ONE_UNIT_PER_FILE else "/".join(parts[:2])


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist: unknown where it is not loaded
def pytest_xdist_make_scheduler(config, log):
    from xdist.scheduler import LoadScopeScheduling

    class ByUnit(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid)

    # Units in the collection's order (the long ones first, below), not xdist's default of the
    # units with the most tests first.
    config.option.loadscopereorder = False
    return ByUnit(config, log)


def pytest_collection_modifyitems(config, items):
    if os.environ.get("PYTEST_XDIST_WORKER"):  # the long units first (every worker sorts alike)
        rank = {unit: i for i, unit in enumerate(LONG_UNITS)}
        items.sort(key=lambda item: rank.get(work_unit(item.nodeid), len(rank)))


@pytest.fixture(autouse=True, scope="session")
def _run_from_checkout():
    """Commands find the checkout from the working directory, as they do for a user."""
    previous = Path.cwd()
    os.chdir(ROOT)
    yield
    os.chdir(previous)


@pytest.fixture(autouse=True, scope="session")
def _one_thread():
    """One torch thread for the whole session, module fixtures included: the tests' models are
    tiny, and on a busy 2-core machine a second thread waiting for a core stalls every small op."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


class Command:
    """`textgen ARGS` as a user's shell runs it: its own process group (Fabric's extra ranks
    included), so a test can kill the whole run with SIGKILL, and a timeout kills it all too."""

    def __init__(self, args: list[str]):
        import subprocess
        import sys

        self.args = [str(Path(sys.executable).parent / "textgen"), *map(str, args)]
        self.proc = subprocess.Popen(self.args, cwd=ROOT, start_new_session=True, text=True,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

    def kill(self) -> None:
        import signal

        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()

    def wait(self, timeout: float = 300) -> str:
        import subprocess

        try:
            out, _ = self.proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise
        if self.proc.returncode != 0:
            pytest.fail(f"{' '.join(self.args[:3])} ... exited {self.proc.returncode}:\n{out[-4000:]}")
        return out


@pytest.fixture(name="textgen_command", scope="session")
def _textgen_command():
    """textgen_command(args) -> Command: run `textgen` in its own process group."""
    return Command


@pytest.fixture(scope="session")
def unthinned():
    """unthinned() -> a context in which trainers save their last state as any other (with its
    optimizer, the newest 2 kept), as a run killed before its last step leaves its folder: for tests
    that resume from, damage or delete a state before the last (textgen.checkpoints, `final`)."""
    import contextlib

    from textgen.checkpoints import Checkpoints

    @contextlib.contextmanager
    def context():
        original = Checkpoints.save
        Checkpoints.save = lambda self, step, state, final=False: original(self, step, state)
        try:
            yield
        finally:
            Checkpoints.save = original
    return context


@pytest.fixture(scope="session")
def apt_install():
    """install(packages, commands): `apt-get install packages` unless all `commands` are on PATH
    (root, Debian/Ubuntu); the test is skipped, saying what it needs, where apt cannot install them."""
    import re
    import shutil
    import subprocess

    def install(packages: list[str], commands: list[str]) -> None:
        if all(shutil.which(c) for c in commands):
            return
        needs = " and ".join(packages)
        if not shutil.which("apt-get") or os.geteuid() != 0:
            pytest.skip(f"needs {needs} installed, or root and apt-get to install them (Debian/Ubuntu)")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        update = subprocess.run(["apt-get", "update"], env=env, capture_output=True, text=True, timeout=600)
        log = update.stdout + update.stderr
        if update.returncode != 0 or re.search(r"^(Err:|W: Failed to fetch|W: Some index files failed)", log, re.M):
            pytest.skip(f"needs the Debian mirror (apt-get update failed) to install {needs}:\n{log[-1500:]}")
        result = subprocess.run(["apt-get", "install", "-y", "-q", *packages], env=env, capture_output=True,
                                text=True, timeout=1200)
        if result.returncode != 0:
            pytest.skip(f"needs the Debian mirror to install {needs} (apt-get install failed):\n"
                        f"{(result.stdout + result.stderr)[-1500:]}")

    return install



# tests/tinyrun.py: helpers of the modules that run the whole tiny DAG, imported by name.
sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(scope="session")
def tiny_run(tmp_path_factory):
    """The whole tiny DAG, run once per test session, for every worker (interrupted once and resumed,
    as a user's first run often goes): tests/e2e and the damaged-results test work on copies of it.
    See tinyrun.interrupted_and_resumed; copy `path` before changing anything in it."""
    import tinyrun

    # The session's folder, which every xdist worker's own temporary folder lies in.
    base = tmp_path_factory.getbasetemp()
    return tinyrun.built_once(base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base)
