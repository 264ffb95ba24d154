"""The benchmark's FLOP formula against torch's own FLOP counter, and its settings."""

from __future__ import annotations

import pytest
import torch
from torch.utils.flop_counter import FlopCounterMode

from textgen.errors import TextgenError
from textgen.translate import TranslationConfig, make_loss
from textgen.translate.bench import main, train_flops
from textgen.translate.model import Seq2SeqTransformer


def test_train_flops_equals_torchs_count_of_forward_and_backward():
    cfg = TranslationConfig(vocab_size=50, n_embd=32, n_head=4, n_feedforward=48, n_encoder_layer=2, n_decoder_layer=3)
    model = Seq2SeqTransformer(cfg)
    batch, src_len, tgt_len = 3, 7, 5  # S != T, so mixing them up shows
    src = torch.randint(1, 50, (src_len, batch))
    tgt = torch.randint(1, 50, (tgt_len + 1, batch))
    with FlopCounterMode(display=False) as counter:
        logits = model(src, tgt[:-1])
        make_loss(cfg)(logits.reshape(-1, 50), tgt[1:].reshape(-1)).backward()
    assert train_flops(cfg, batch, src_len, tgt_len) == counter.get_total_flops()


def test_main_refuses_unknown_settings(tmp_path):
    with pytest.raises(TextgenError, match="unknown key 'configs'"):
        main(["--params", '{"configs": ["gpt-5"]}', "--out", str(tmp_path / "x.json")])
