import pytest

from textgen import perf


@pytest.fixture(autouse=True)
def small_peak_products(monkeypatch):
    """A 2048 x 2048 product takes a third of a second on one thread: tests measure a smaller one."""
    monkeypatch.setattr(perf, "PEAK_N", 128)
