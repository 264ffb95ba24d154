import pytest
import torch


@pytest.fixture(autouse=True)
def one_thread():
    """The tests' tiny models run fastest on one thread, and a CPU shared with other processes
    cannot stall them at thread barriers."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
