"""Held-out loss of a fine-tuned causal LM on the test split of its corpus, per token and per byte.

The text is the one the decoder-only GPTs of the same corpus are scored on (`textgen.gpt.heldout`,
stream format): the test split's texts, each followed by one separator byte, here a newline where
the GPT has its [SEP]. So the byte counts are equal and bits per byte compare across tokenizers.
Every token is predicted once, from consecutive windows of up to `window` tokens of context that
start after a begin-of-text token (the first window) or the previous window's last token.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from textgen.gpt.heldout import loss_summary, window_batches


def heldout_text(texts: list[str]) -> str:
    """The scored string: each text and a newline after it (its UTF-8 length is the GPT's byte count).

    >>> heldout_text(["ab", "c"])
    'ab\\nc\\n'
    """
    return "".join(text + "\n" for text in texts)


@torch.no_grad()
def heldout_loss(model, tokenizer, texts: list[str], window: int = 512, batch_size: int = 4) -> dict:
    """Summed cross-entropy (nats) of every token of `heldout_text(texts)`, divided by the token
    count and by its bytes: `textgen.gpt.heldout.loss_summary`'s keys."""
    text = heldout_text(texts)
    start = tokenizer.bos_token_id if tokenizer.bos_token_id is not None else tokenizer.eos_token_id
    ids = torch.tensor([start, *tokenizer(text, add_special_tokens=False)["input_ids"]], dtype=torch.long)
    limit = getattr(model.config, "max_position_embeddings", None)
    window = min(window, limit - 1) if limit else window
    device = next(model.parameters()).device
    was_training = model.training
    model.eval()
    total = 0.0
    try:
        for rows in window_batches(ids, window, batch_size):
            total += _summed_loss(model, rows.to(device))
    finally:
        model.train(was_training)
    return loss_summary(total, ids.numel() - 1, len(text.encode("utf-8")))


def _summed_loss(model, rows: torch.Tensor) -> float:
    logits = model(input_ids=rows[:, :-1]).logits
    return float(F.cross_entropy(logits.flatten(0, 1).float(), rows[:, 1:].flatten(), reduction="sum"))
