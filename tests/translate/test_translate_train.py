"""Loss ignoring [PAD], the seed's Adam settings, train_step and evaluate_loss."""

from __future__ import annotations

import pytest
import torch

from textgen.errors import TextgenError
from textgen.translate import (
    collate,
    evaluate_loss,
    make_loss,
    make_optimizer,
    train_step,
)
from textgen.translate.batch import pad


def _batch(chars, pairs):
    return collate([(chars.encode(s), chars.encode(t)) for s, t in pairs], chars.bos, chars.eos, chars.pad)


def test_loss_ignores_pad_targets(tiny_model):
    loss_fn = make_loss(tiny_model(pad_id=0).config)
    logits = torch.randn(3, 13)
    targets = torch.tensor([5, 0, 7])
    expected = torch.nn.functional.cross_entropy(logits[[0, 2]], targets[[0, 2]])
    torch.testing.assert_close(loss_fn(logits, targets), expected)
    assert make_loss(tiny_model(pad_id=5).config)(logits, targets) != loss_fn(logits, targets)


def test_optimizer_is_adam_with_the_configs_settings(tiny_model):
    model = tiny_model()
    opt = make_optimizer(model)
    assert isinstance(opt, torch.optim.Adam)
    group = opt.param_groups[0]
    assert (group["lr"], group["betas"], group["eps"]) == (1e-4, (0.9, 0.98), 1e-9)
    assert len(group["params"]) == len(list(model.parameters()))
    assert make_optimizer(tiny_model(lr=3e-3)).param_groups[0]["lr"] == 3e-3


def test_pad_stacks_sequences_as_columns():
    assert pad([[4, 5, 6], [7]], pad_id=0).tolist() == [[4, 7], [5, 0], [6, 0]]


def test_train_step_updates_every_parameter_and_lowers_the_loss(tiny_model, chars):
    model = tiny_model(dropout=0.0, lr=1e-2)
    batch = _batch(chars, [("abc", "cba"), ("de", "ed")])
    opt = make_optimizer(model)
    before = [p.detach().clone() for p in model.parameters()]
    first = train_step(model, batch, opt)
    assert model.training
    changed = [not torch.equal(b, p) for b, p in zip(before, model.parameters(), strict=True)]
    assert all(changed)
    for _ in range(30):
        last = train_step(model, batch, opt)
    assert last < first / 2


def test_train_step_returns_the_mean_loss_over_real_tokens(tiny_model, chars):
    model = tiny_model(dropout=0.0)
    batch = _batch(chars, [("abc", "c"), ("d", "dcba")])
    with torch.no_grad():
        src, tgt = batch
        logits = model(src, tgt[:-1])
        keep = tgt[1:] != chars.pad
        expected = torch.nn.functional.cross_entropy(logits[keep], tgt[1:][keep]).item()
    opt = torch.optim.SGD(model.parameters(), lr=0.0)
    assert train_step(model, batch, opt) == pytest.approx(expected, rel=1e-5)


def test_evaluate_loss_weights_batches_by_tokens_and_restores_mode(tiny_model, chars):
    model = tiny_model(dropout=0.3).train()
    short = _batch(chars, [("a", "b")])  # 2 target tokens: b, EOS
    long = _batch(chars, [("abcdefgh", "hgfedcba"), ("ij", "ji")])  # 9 + 3 target tokens
    per_batch = [evaluate_loss(model, [b]) for b in (short, long)]
    assert model.training
    both = evaluate_loss(model, [short, long])
    assert both == pytest.approx((2 * per_batch[0] + 12 * per_batch[1]) / 14, rel=1e-6)
    assert both != pytest.approx(sum(per_batch) / 2, rel=1e-3)
    assert evaluate_loss(model, [long]) == per_batch[1]  # eval mode: no dropout, deterministic
    with torch.no_grad():
        model.eval()
        src, tgt = long
        logits = model(src, tgt[:-1])
        keep = tgt[1:] != chars.pad
        expected = torch.nn.functional.cross_entropy(logits[keep], tgt[1:][keep]).item()
    assert per_batch[1] == pytest.approx(expected, rel=1e-6)


def test_evaluate_loss_needs_tokens(tiny_model):
    with pytest.raises(TextgenError, match="batches"):
        evaluate_loss(tiny_model(), [])
