"""A beam search that records its tree, for Figure 12 drawn from a real model: every expanded node
with its local and cumulative log-probability, which hypotheses were kept at each depth and which
are the final k. It ranks by the cumulative log-probability over the whole vocabulary, as
`beam.beam_search` does (a test checks both return the same sequences); it recomputes each
beam from its whole sequence, which is slow but only ever runs for a few short steps.

>>> import torch
>>> from textgen.lstm import LSTMConfig, build_model
>>> _ = torch.manual_seed(0)
>>> model = build_model("simple", LSTMConfig(vocab_size=6, embedding_dim=4, hidden_size=4))
>>> nodes = beam_tree(model, [1], k=2, steps=2, children=3)
>>> sum(n["final"] for n in nodes), nodes[0]["depth"], len(nodes)  # root, 3 children, 2 x 3 grandchildren
(2, 0, 10)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from textgen.errors import TextgenError
from textgen.lstm.generate import evaluating


def beam_tree(model: nn.Module, prompt_ids: Sequence[int], k: int, steps: int, children: int) -> list[dict[str, Any]]:
    """Nodes {id, parent, depth, token, logp, cum, kept, final}; node 0 is the prompt. Each kept
    hypothesis shows its `children` most probable next tokens (at least k, so every hypothesis the
    search keeps is drawn)."""
    if min(k, steps, children) < 1:
        raise TextgenError(f"beam_tree: k, steps and children must be >= 1, got {k}, {steps}, {children}")
    nodes = [{"id": 0, "parent": None, "depth": 0, "token": None, "logp": 0.0, "cum": 0.0, "kept": True,
              "final": False, "sequence": list(prompt_ids)}]
    beams = [0]
    device = next(model.parameters()).device
    with evaluating(model):
        for depth in range(1, steps + 1):
            expanded = []
            for parent in beams:
                seq = nodes[parent]["sequence"]
                logits = model(torch.tensor([seq], device=device))[0, -1]
                logp = F.log_softmax(logits.double(), dim=-1)
                top = logp.topk(min(max(children, k), logp.numel()))
                for value, token in zip(top.values.tolist(), top.indices.tolist()):
                    node = {"id": len(nodes), "parent": parent, "depth": depth, "token": token, "logp": value,
                            "cum": nodes[parent]["cum"] + value, "kept": False, "final": False,
                            "sequence": seq + [token]}
                    nodes.append(node)
                    expanded.append(node)
            # The k best over every continuation of every beam are among each beam's top k.
            best = sorted(expanded, key=lambda n: -n["cum"])[:k]
            for node in best:
                node["kept"] = True
            beams = [node["id"] for node in best]
    for node_id in beams:
        nodes[node_id]["final"] = True
    return nodes
