"""Model FLOPs per training token, as nanoGPT's MFU estimate counts them (PaLM paper, appendix B)."""

from __future__ import annotations

from textgen.gpt.model import GPTConfig


def matmul_params(config: GPTConfig) -> int:
    """Parameters that take part in a matrix product per token: every block, the final LayerNorm
    and the head (V x C, tied or not); embedding lookups cost no multiply-adds and are left out.

    >>> matmul_params(GPTConfig(n_layer=1, n_head=1, n_embd=2, vocab_size=3, bias=False))
    60
    """
    C, L, V = config.n_embd, config.n_layer, config.vocab_size
    per_layer = 12 * C * C + 2 * C + (11 * C if config.bias else 0)  # qkv 3C², proj C², MLP 8C², 2 LayerNorms
    final_norm = C + (C if config.bias else 0)
    return L * per_layer + final_norm + V * C


def estimate_flops_per_token(config: GPTConfig) -> int:
    """6 N (forward 2N + backward 4N) plus attention's scores and weighted sums, 12 L C T, for a
    full block of T = block_size tokens (the causal half is not discounted, as in nanoGPT).

    >>> estimate_flops_per_token(GPTConfig(n_layer=1, n_head=1, n_embd=2, vocab_size=3, block_size=4))
    456
    """
    return 6 * matmul_params(config) + 12 * config.n_layer * config.n_embd * config.block_size
