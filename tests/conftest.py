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
