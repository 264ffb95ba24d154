"""The seed's defects measured on trained models: what the listed attention and beam search do,
next to the fixed variants. Each function returns plain numbers for the faithful-vs-fixed table.

>>> import torch
>>> from textgen.lstm import LSTMConfig, build_model
>>> _ = torch.manual_seed(0)
>>> faithful = build_model("attention", LSTMConfig(vocab_size=9, embedding_dim=4, hidden_size=8, bidirectional=True))
>>> ids = torch.randint(0, 9, (3, 6))
>>> attention_weights(faithful, ids)["min"], attention_weights(faithful, ids)["keys_per_query"]
(1.0, 1.0)
>>> qk_gradient(faithful, ids)
0.0
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from textgen.lstm.attention import Attention
from textgen.lstm.causal import CausalAttention


def attention_weights(model: nn.Module, ids: Tensor) -> dict[str, float]:
    """Softmax weights of every attention head on `ids`: their min, max, the mean largest weight
    per query and the mean number of keys a query sees. Recomputed from the modules' inputs by a
    forward hook, so the models stay as they are."""
    weights: list[Tensor] = []

    def listed(module: Attention, inputs: tuple[Tensor, Tensor], output: Tensor) -> None:
        q, x = inputs
        scores = torch.bmm(module.Q(q), module.K(x).transpose(1, 2)) / module.d_out ** 0.5
        weights.append(F.softmax(scores, dim=2).flatten(0, 1))  # (queries, keys)

    def causal(module: CausalAttention, inputs: tuple[Tensor, ...], output: Any) -> None:
        q, x = inputs[:2]
        batch, n = q.shape[:2]
        heads = lambda t: t.view(batch, n, module.n_heads, module.d_head).transpose(1, 2)
        scores = heads(module.Q(q)) @ heads(module.K(x)).transpose(2, 3) / module.d_head ** 0.5
        mask = torch.ones(n, n, dtype=torch.bool).tril()
        weights.append(F.softmax(scores.masked_fill(~mask, float("-inf")), dim=-1).flatten(0, 2))

    hooks = [m.register_forward_hook(listed if isinstance(m, Attention) else causal)
             for m in model.modules() if isinstance(m, (Attention, CausalAttention))]
    try:
        with torch.no_grad():
            model.eval()(ids)
    finally:
        for hook in hooks:
            hook.remove()
    every = torch.cat([w.flatten() for w in weights])
    seen = torch.cat([w[(w > 0).any(dim=1)] for w in weights])  # rows of queries
    return {"min": float(every[every > 0].min()), "max": float(every.max()),
            "mean_largest": float(seen.max(dim=1).values.mean()),
            "keys_per_query": float((seen > 0).sum(dim=1).double().mean())}


def qk_gradient(model: nn.Module, ids: Tensor) -> float:
    """Norm of the loss gradient that reaches the attention's Q and K weights (next-word loss on `ids`)."""
    model.train()
    model.zero_grad(set_to_none=True)
    logits = model(ids[:, :-1])
    F.cross_entropy(logits.flatten(0, 1), ids[:, 1:].flatten()).backward()
    grads = [p.grad for name, p in model.named_parameters()
             if name.split(".")[-2] in ("Q", "K") and p.grad is not None]
    model.zero_grad(set_to_none=True)
    model.eval()
    return float(torch.sqrt(sum((g.double() ** 2).sum() for g in grads))) if grads else 0.0


def batch_interference(model: nn.Module, ids: Tensor) -> float:
    """Largest change of a row's logits between running it inside the batch `ids` and alone."""
    with torch.no_grad():
        together = model.eval()(ids)
        alone = torch.cat([model(ids[i:i + 1]) for i in range(ids.size(0))])
    return float((together - alone).abs().max())


def saved_for_backward(model: nn.Module, run: Callable[[], object]) -> int:
    """Bytes of activations autograd keeps for a backward pass while `run()` runs (0 under
    `torch.no_grad()`). A parameter saved for backward is not counted: it is no extra memory.

    >>> import torch
    >>> layer = torch.nn.Linear(4, 4)
    >>> saved_for_backward(layer, lambda: layer(torch.ones(2, 4)).relu())  # the layer's (2, 4) input, relu's output
    64
    """
    weights = {p.data_ptr() for p in model.parameters()}
    saved = 0

    def pack(t: Tensor) -> Tensor:
        nonlocal saved
        if t.data_ptr() not in weights:
            saved += t.numel() * t.element_size()
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        run()
    return saved


def generation_graph_bytes(model: nn.Module, ids: Tensor, max_words: int) -> tuple[int, int]:
    """Bytes of activations autograd keeps for a backward pass while `max_words` words are
    generated greedily after `ids` (1, time): with gradients on, as Listing 9's bare
    `torch.no_grad()` statement leaves them (it makes a context manager and drops it), and under
    `with torch.no_grad()` (`saved_for_backward`); the recurrent state carries the graph from word
    to word.

    >>> import torch
    >>> from textgen.lstm import LSTMConfig, build_model
    >>> _ = torch.manual_seed(0)
    >>> model = build_model("simple", LSTMConfig(vocab_size=9, embedding_dim=4, hidden_size=8))
    >>> listed, fixed = generation_graph_bytes(model, torch.tensor([[1, 2]]), 5)
    >>> listed > 0, fixed
    (True, 0)
    """

    def run() -> None:
        logits, state = model.step(ids, None)
        for _ in range(max_words - 1):
            logits, state = model.step(logits[:, -1].argmax(dim=-1, keepdim=True), state)

    was_training = model.training
    model.eval()
    try:
        listed = saved_for_backward(model, run)
        with torch.no_grad():
            fixed = saved_for_backward(model, run)
    finally:
        model.train(was_training)
    return listed, fixed


def recurrence_losses(model: nn.Module, windows: Tensor) -> tuple[float, float]:
    """Mean loss per predicted word (nats) of each row of `windows` (n, length), scored alone from
    its first word: with the recurrence the model trains with (`step`: the two LSTMs' states
    averaged after every word) and with the one Listing 5's `write` decodes with (`listing_step`:
    the first LSTM carries its own state). Only the listed attention models have both.

    >>> import torch
    >>> from textgen.lstm import LSTMConfig, build_model
    >>> _ = torch.manual_seed(0)
    >>> model = build_model("attention", LSTMConfig(vocab_size=9, embedding_dim=4, hidden_size=8))
    >>> trained, listed = recurrence_losses(model, torch.randint(0, 9, (2, 6)))
    >>> trained != listed, 1.5 < trained < 3.0  # about ln 9 = 2.2 untrained
    (True, True)
    """
    from textgen.lstm.scoring import sequence_log_prob

    per_word = lambda decode: sum(-sequence_log_prob(model, row.tolist(), 1, decode) for row in windows) / (
        windows.size(0) * (windows.size(1) - 1))
    return per_word(model.step), per_word(model.listing_step)
