import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


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
