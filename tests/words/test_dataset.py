import pickle

import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader

from textgen.errors import TextgenError
from textgen.words.dataset import WindowDataset, random_batch
from textgen.words.memmap import write_tokens

TOKENS = (np.arange(50) * 7) % 23  # not monotonic, so a wrong offset shows


@pytest.fixture
def token_file(tmp_path):
    write_tokens(tmp_path / "tokens_train.int32", TOKENS)
    return tmp_path / "tokens_train.int32"


def test_every_window_is_the_input_and_its_next_tokens(token_file):
    windows = WindowDataset(token_file, seq_len=5)
    assert len(windows) == 45
    for i in (0, 17, 44):
        x, y = windows[i]
        assert x.dtype == y.dtype == torch.int64 and x.shape == y.shape == (5,)
        assert x.tolist() == TOKENS[i:i + 5].tolist() and y.tolist() == TOKENS[i + 1:i + 6].tolist()
    with pytest.raises(IndexError):
        windows[45]
    with pytest.raises(IndexError):
        windows[-1]


def test_dataloader_batches_windows_in_order(token_file):
    x, y = next(iter(DataLoader(WindowDataset(token_file, 4), batch_size=3)))
    assert x.shape == (3, 4) and torch.equal(x[:, 1:], y[:, :-1])
    assert x[2].tolist() == TOKENS[2:6].tolist()


def test_pickled_dataset_carries_the_path_not_the_tokens(token_file):
    windows = WindowDataset(token_file, 5)
    windows[0]  # maps the file
    clone = pickle.loads(pickle.dumps(windows))
    assert windows._tokens is not None and clone._tokens is None
    assert torch.equal(clone[3][1], windows[3][1])


def test_files_too_short_for_one_window_are_refused(token_file):
    assert len(WindowDataset(token_file, 49)) == 1
    with pytest.raises(TextgenError, match="tokens_train.int32: 50 tokens give no window of seq_len 50"):
        WindowDataset(token_file, 50)
    with pytest.raises(TextgenError, match="seq_len"):
        WindowDataset(token_file, 0)


def test_random_batch_shapes_and_shift():
    tokens = np.arange(1000, dtype=np.int32)
    x, y = random_batch(tokens, 16, 20, torch.Generator().manual_seed(3))
    assert x.shape == y.shape == (16, 20) and x.dtype == y.dtype == torch.int64
    assert torch.equal(y, x + 1)  # arange: each target is its input's successor
    assert torch.equal(x[:, 1:], x[:, :-1] + 1)  # contiguous windows
    assert int(y.max()) <= 999 and int(x.min()) >= 0


def test_random_batch_is_reproducible_with_a_seeded_generator(token_file):
    tokens = np.memmap(token_file, dtype=np.int32, mode="r")
    first = random_batch(tokens, 8, 5, torch.Generator().manual_seed(7))
    again = random_batch(tokens, 8, 5, torch.Generator().manual_seed(7))
    other = random_batch(tokens, 8, 5, torch.Generator().manual_seed(8))
    assert torch.equal(first[0], again[0]) and torch.equal(first[1], again[1])
    assert not torch.equal(first[0], other[0])


def test_random_batch_reaches_the_last_window_and_never_beyond():
    tokens = np.arange(6)
    generator = torch.Generator().manual_seed(0)
    starts = {int(random_batch(tokens, 64, 3, generator)[0][i, 0]) for i in range(64)}
    assert starts == {0, 1, 2}  # windows [0..3], [1..4], [2..5]
    with pytest.raises(TextgenError, match="6 tokens give no window of seq_len 6"):
        random_batch(tokens, 1, 6, generator)
