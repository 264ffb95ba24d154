"""textgen.finetune.delta: a fine-tuned checkpoint's weights kept as their difference from the
base model's, rebuilt bit for bit, and refused with the file's name when they cannot be."""

import pytest
import torch
from safetensors.torch import load_file, save_file

from textgen.errors import TextgenError
from textgen.finetune import delta


@pytest.fixture
def folders(tmp_path):
    """A base folder and a checkpoint whose weights moved a little from it, as fine-tuning moves them."""
    g = torch.Generator().manual_seed(0)
    base = {"w": torch.randn(256, 64, generator=g) * 0.05, "b16": torch.randn(300, generator=g).bfloat16(),
            "ids": torch.arange(10)}
    tuned = {"w": base["w"] + torch.randn(256, 64, generator=g) * 1e-4,
             "b16": (base["b16"].float() + 0.01).bfloat16(),
             "ids": base["ids"] + 1,
             "new": torch.randn(7, 3, generator=g)}  # not in the base: kept whole
    tuned["w"][0, :5] = -tuned["w"][0, :5]  # sign flips too
    (tmp_path / "base").mkdir()
    (tmp_path / "ck").mkdir()
    save_file(base, tmp_path / "base" / delta.WEIGHTS)
    save_file(tuned, tmp_path / "ck" / delta.WEIGHTS)
    return tmp_path / "base", tmp_path / "ck", tuned


def test_pack_rebuilds_every_tensor_bit_for_bit_and_is_smaller(folders):
    base, ck, tuned = folders
    size = (ck / delta.WEIGHTS).stat().st_size
    saved = delta.pack(ck, base)
    assert not (ck / delta.WEIGHTS).exists() and (ck / delta.DELTA).stat().st_size == size - saved
    assert (ck / delta.DELTA).stat().st_size < 0.8 * size  # the difference's high bytes are zero
    rebuilt = delta.unpack(ck)
    assert set(rebuilt) == set(tuned)
    for name, t in tuned.items():
        assert rebuilt[name].dtype == t.dtype and torch.equal(rebuilt[name].view(-1).view(torch.uint8),
                                                              t.contiguous().view(-1).view(torch.uint8)), name
    assert delta.pack(ck, base) == 0  # nothing left to pack
    assert delta.restore(ck) and not delta.restore(ck)  # written back once; the delta stays
    back = load_file(ck / delta.WEIGHTS)
    assert all(torch.equal(back[k], tuned[k]) for k in tuned)
    with delta.readable(ck) as folder:  # the weights are there: the checkpoint itself
        assert folder == ck


def test_readable_gives_a_temporary_folder_with_the_weights_rebuilt(folders):
    base, ck, tuned = folders
    (ck / "config.json").write_text("{}")
    delta.pack(ck, base)
    with delta.readable(ck) as folder:
        assert folder != ck and (folder / "config.json").read_text() == "{}"
        assert torch.equal(load_file(folder / delta.WEIGHTS)["w"], tuned["w"])
    assert not folder.exists() and not (ck / delta.WEIGHTS).exists()


def test_a_damaged_delta_or_a_changed_base_is_named(folders):
    base, ck, _ = folders
    delta.pack(ck, base)
    good = (ck / delta.DELTA).read_bytes()
    save_file({"w": torch.zeros(256, 64), "b16": torch.zeros(300).bfloat16(), "ids": torch.arange(10)},
              base / delta.WEIGHTS)
    with pytest.raises(TextgenError, match="now holds other weights"):
        delta.unpack(ck)
    (ck / delta.DELTA).write_bytes(good[: len(good) // 2])
    with pytest.raises(TextgenError, match=str(ck / delta.DELTA)):
        delta.unpack(ck)
