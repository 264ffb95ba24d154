from __future__ import annotations

import pytest

from textgen.gpt import GPT, GPTConfig, estimate_flops_per_token, matmul_params


@pytest.mark.parametrize("changes", [{}, {"bias": True}, {"tie_weights": False}, {"pos_encoding": "learned"},
                                     {"bias": True, "tie_weights": False, "pos_encoding": "learned"}])
def test_matmul_params_count_the_model(changes):
    config = GPTConfig(block_size=16, vocab_size=50, n_layer=3, n_head=2, n_embd=24, **changes)
    model = GPT(config)
    lookups = (0 if config.tie_weights else 50 * 24) + (16 * 24 if config.pos_encoding == "learned" else 0)
    assert matmul_params(config) == model.num_params() - lookups


def test_gpt2_small_matches_nanogpt():
    # nanoGPT prints "number of parameters: 123.69M" for GPT-2 small (vocab 50304, bias) without wpe.
    gpt2 = GPTConfig(block_size=1024, vocab_size=50304, n_layer=12, n_head=12, n_embd=768, bias=True)
    assert matmul_params(gpt2) == 123_689_472
    assert estimate_flops_per_token(gpt2) == 6 * 123_689_472 + 12 * 12 * 768 * 1024


def test_flops_by_hand():
    config = GPTConfig(block_size=256, vocab_size=8192, n_layer=4, n_head=4, n_embd=256)
    n = 4 * (12 * 256 * 256 + 2 * 256) + 256 + 8192 * 256
    assert estimate_flops_per_token(config) == 6 * n + 12 * 4 * 256 * 256
