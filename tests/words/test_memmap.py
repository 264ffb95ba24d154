import numpy as np
import pytest

from textgen.errors import TextgenError
from textgen.words.memmap import open_tokens, write_tokens


def test_files_are_raw_little_endian_int32_readable_by_plain_numpy(tmp_path):
    path = tmp_path / "tokens.int32"
    write_tokens(path, np.array([1, 256, 70000], dtype=np.int64))
    assert path.read_bytes() == bytes([1, 0, 0, 0, 0, 1, 0, 0, 0x70, 0x11, 1, 0])
    assert np.memmap(path, dtype=np.int32, mode="r").tolist() == [1, 256, 70000]
    assert open_tokens(path).tolist() == [1, 256, 70000]


def test_ids_outside_int32_are_refused_and_nothing_is_written(tmp_path):
    for bad in ([1, -1], [2**31]):
        with pytest.raises(TextgenError, match="token ids must lie in"):
            write_tokens(tmp_path / "t.int32", bad)
    assert list(tmp_path.iterdir()) == []


def test_missing_empty_and_truncated_files_are_refused(tmp_path):
    with pytest.raises(TextgenError, match="t.int32: token file not found"):
        open_tokens(tmp_path / "t.int32")
    for size in (0, 7):
        (tmp_path / "t.int32").write_bytes(b"\0" * size)
        with pytest.raises(TextgenError, match=f"t.int32: {size} bytes is not"):
            open_tokens(tmp_path / "t.int32")
