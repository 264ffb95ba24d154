"""Loss, optimizer and one teacher-forced training step for the translation Transformer.

The seed's choices: cross-entropy that ignores [PAD] targets, and Adam with lr 1e-4,
betas (0.9, 0.98), eps 1e-9 (all read from the model's TranslationConfig).

    >>> from textgen.translate.batch import collate
    >>> from textgen.translate.config import TranslationConfig
    >>> from textgen.translate.model import Seq2SeqTransformer
    >>> _ = torch.manual_seed(0)
    >>> model = Seq2SeqTransformer(TranslationConfig(vocab_size=12, n_embd=16, n_head=2, n_feedforward=32,
    ...                                              n_encoder_layer=1, n_decoder_layer=1, dropout=0.0))
    >>> batch = collate([([3, 4, 5], [5, 4, 3])], bos_id=1, eos_id=2, pad_id=0)
    >>> opt = make_optimizer(model)
    >>> first = train_step(model, batch, opt)
    >>> for _ in range(20): _ = train_step(model, batch, opt)
    >>> evaluate_loss(model, [batch]) < first
    True
"""

from __future__ import annotations

from collections.abc import Iterable

import torch
from torch import nn

from textgen.errors import TextgenError
from textgen.translate.config import TranslationConfig
from textgen.translate.model import Seq2SeqTransformer

Batch = tuple[torch.Tensor, torch.Tensor]  # (src (S, B), tgt (T, B)) as made by batch.collate


def make_loss(config: TranslationConfig, reduction: str = "mean") -> nn.CrossEntropyLoss:
    # [PAD] targets carry no signal; ignoring them also makes the mean a per-real-token mean.
    return nn.CrossEntropyLoss(ignore_index=config.pad_id, reduction=reduction)


def make_optimizer(model: Seq2SeqTransformer) -> torch.optim.Adam:
    cfg = model.config
    return torch.optim.Adam(model.parameters(), lr=cfg.lr, betas=cfg.betas, eps=cfg.eps, fused=True)


def _logits_and_targets(model: Seq2SeqTransformer, batch: Batch) -> tuple[torch.Tensor, torch.Tensor]:
    src, tgt = batch
    logits = model(src, tgt[:-1])  # teacher forcing: read [BOS] y1 .. yn, predict y1 .. yn [EOS]
    return logits.reshape(-1, logits.size(-1)), tgt[1:].reshape(-1)


def train_step(model: Seq2SeqTransformer, batch: Batch, optimizer: torch.optim.Optimizer, fabric=None) -> float:
    """One gradient step on one batch; returns its mean loss per target token.

    With `fabric` (textgen.compute), each of its N processes takes every N-th sentence pair of the
    batch, and its summed loss is scaled by N / (the batch's target tokens): the averaged gradients
    are then the whole batch's, however the tokens fall among the processes."""
    pad = model.config.pad_id
    src, tgt = batch
    tokens = int((tgt[1:] != pad).sum())
    world, rank = (fabric.world_size, fabric.global_rank) if fabric is not None else (1, 0)
    columns = list(range(rank, src.size(1), world))
    weight = 1.0 if columns else 0.0  # a batch smaller than N: this process still takes part, with weight 0
    columns = columns or [0]
    mine = (src[:, columns], tgt[:, columns])
    if fabric is not None:
        mine = fabric.to_device(mine)
    model.train()
    logits, targets = _logits_and_targets(model, mine)
    summed = make_loss(model.config, reduction="sum")(logits.float(), targets) * weight
    optimizer.zero_grad(set_to_none=True)
    loss = summed * world / tokens
    fabric.backward(loss) if fabric is not None else loss.backward()
    optimizer.step()
    if world > 1:
        summed = fabric.all_reduce(summed.detach(), reduce_op="sum")
    return float(summed.detach()) / tokens


@torch.no_grad()
def evaluate_loss(model: Seq2SeqTransformer, batches: Iterable[Batch]) -> float:
    """Mean cross-entropy per non-pad target token over all batches (eval mode: no dropout).

    Weighted by tokens, not averaged per batch, so a short last batch does not count as much
    as a full one. The model's train/eval mode is restored afterwards.
    """
    was_training = model.training
    model.eval()
    device = next(model.parameters()).device
    total, count = 0.0, 0
    for batch in batches:
        logits, targets = _logits_and_targets(model, tuple(t.to(device) for t in batch))
        total += make_loss(model.config, reduction="sum")(logits.float(), targets).item()
        count += int((targets != model.config.pad_id).sum())
    model.train(was_training)
    if count == 0:
        raise TextgenError("batches: no target tokens to evaluate the loss on")
    return total / count
