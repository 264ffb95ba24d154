from __future__ import annotations

import dataclasses

import pytest
import torch

from textgen.errors import TextgenError
from textgen.gpt import FORMAT_VERSION, GPT, GPTConfig, load_checkpoint, save_checkpoint

CONFIG = GPTConfig(block_size=8, vocab_size=30, n_layer=2, n_head=2, n_embd=16, dropout=0.0)
SHA = "a" * 64


@pytest.fixture
def trained(tmp_path):
    """A model and optimizer after one step, saved at step 7."""
    torch.manual_seed(0)
    model = GPT(CONFIG)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    idx = torch.randint(0, 30, (2, 8))
    model(idx, idx)[1].backward()
    opt.step()
    path = tmp_path / "ckpt.pt"
    save_checkpoint(path, model, opt, step=7, tokenizer_sha256=SHA,
                    extra={"rng": torch.Generator().manual_seed(9).get_state(), "losses": [2.5, 2.25]})
    return model, opt, path


def test_round_trip(trained):
    model, opt, path = trained
    ckpt = load_checkpoint(path, expected_config=CONFIG, expected_tokenizer_sha256=SHA)
    assert (ckpt.config, ckpt.step, ckpt.tokenizer_sha256) == (CONFIG, 7, SHA)
    assert ckpt.extra["losses"] == [2.5, 2.25]
    assert torch.equal(ckpt.extra["rng"], torch.Generator().manual_seed(9).get_state())
    restored = ckpt.build_model()
    for name, tensor in model.state_dict().items():
        assert torch.equal(restored.state_dict()[name], tensor), name
    assert restored.lm_head.weight.data_ptr() == restored.wte.weight.data_ptr()
    opt2 = torch.optim.AdamW(restored.parameters(), lr=1e-3)
    opt2.load_state_dict(ckpt.optimizer)
    for a, b in zip(opt.state.values(), opt2.state.values(), strict=True):
        assert torch.equal(a["exp_avg"], b["exp_avg"]) and torch.equal(a["exp_avg_sq"], b["exp_avg_sq"])
    idx = torch.randint(0, 30, (1, 8))
    torch.testing.assert_close(model.eval()(idx)[0], restored.eval()(idx)[0], rtol=0, atol=0)


def test_without_optimizer_or_expectations(tmp_path):
    model = GPT(CONFIG)
    save_checkpoint(tmp_path / "c.pt", model, None, step=0, tokenizer_sha256=SHA)
    ckpt = load_checkpoint(tmp_path / "c.pt")
    assert ckpt.optimizer is None and ckpt.extra == {}


def test_another_tokenizer_is_refused(trained):
    _, _, path = trained
    with pytest.raises(TextgenError, match=f"{path}: tokenizer_sha256 differs: checkpoint a+, expected b+"):
        load_checkpoint(path, expected_config=CONFIG, expected_tokenizer_sha256="b" * 64)


@pytest.mark.parametrize("field, value", [("n_layer", 3), ("vocab_size", 31), ("pos_encoding", "learned"),
                                          ("tie_weights", False), ("dropout", 0.1)])
def test_another_config_is_refused_naming_the_field(trained, field, value):
    _, _, path = trained
    other = dataclasses.replace(CONFIG, **{field: value})
    with pytest.raises(TextgenError, match=rf"config\.{field} differs: checkpoint {getattr(CONFIG, field)!r}, "
                                           rf"expected {value!r}"):
        load_checkpoint(path, expected_config=other, expected_tokenizer_sha256=SHA)


def test_corrupt_and_missing_files_are_refused_naming_them(trained, tmp_path):
    _, _, path = trained
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(TextgenError, match=f"{path}: not a readable checkpoint"):
        load_checkpoint(path)
    path.write_bytes(b"garbage")
    with pytest.raises(TextgenError, match=f"{path}: not a readable checkpoint"):
        load_checkpoint(path)
    with pytest.raises(TextgenError, match="missing.pt: not a readable checkpoint"):
        load_checkpoint(tmp_path / "missing.pt")


def test_other_versions_and_formats_are_refused(tmp_path):
    path = tmp_path / "c.pt"
    torch.save({"format": "textgen-gpt-checkpoint", "version": FORMAT_VERSION + 1}, path)
    with pytest.raises(TextgenError, match=f"{path}: format version 2, this code reads 1"):
        load_checkpoint(path)
    torch.save({"model": {}}, path)
    with pytest.raises(TextgenError, match=f"{path}: not a textgen-gpt-checkpoint file"):
        load_checkpoint(path)
    torch.save({"format": "textgen-gpt-checkpoint", "version": FORMAT_VERSION, "config": {"n_layer": 2}}, path)
    with pytest.raises(TextgenError, match=f"{path}: corrupt checkpoint"):
        load_checkpoint(path)


class Payload:
    """Stands for arbitrary pickled code, which weights_only loading must not run."""


def test_pickled_objects_are_not_loaded(tmp_path):
    path = tmp_path / "c.pt"
    torch.save({"format": "textgen-gpt-checkpoint", "version": FORMAT_VERSION, "extra": Payload()}, path)
    with pytest.raises(TextgenError, match=f"{path}: not a readable checkpoint .*Unpickl"):
        load_checkpoint(path)


def test_save_is_atomic(trained, monkeypatch):
    model, opt, path = trained
    before = path.read_bytes()

    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(torch, "save", fail)
    with pytest.raises(OSError):
        save_checkpoint(path, model, opt, step=8, tokenizer_sha256=SHA)
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == [path.name]

